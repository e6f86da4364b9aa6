import type { DiagnosisSettings } from "../diagnosis/run.js";
import type { ConfigFile } from "./schema.js";

/** What a config file adds to each diagnosis (suppressions, service ports); nothing without a file. */
export function diagnosisSettings(config: ConfigFile | undefined): DiagnosisSettings {
  if (!config) return {};
  return { suppressions: config.suppress, services: config.services };
}
