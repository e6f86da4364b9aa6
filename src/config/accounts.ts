import { RequestError } from "../diagnosis/request.js";
import type { AccountConfig, ConfigFile } from "./schema.js";

/** The account an alias names, or a RequestError listing the aliases that exist. */
export function findAccount(config: ConfigFile | undefined, alias: string): AccountConfig {
  const account = config?.accounts.find((a) => a.alias === alias);
  if (account) return account;
  const known = config?.accounts.map((a) => a.alias) ?? [];
  throw new RequestError(
    known.length > 0
      ? `unknown account alias "${alias}": known aliases are ${known.join(", ")}`
      : `unknown account alias "${alias}": no accounts are configured (give --config or set VPCE_DOCTOR_CONFIG)`,
  );
}
