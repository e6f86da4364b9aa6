// Worker entry in plain JavaScript: workers do not inherit tsx, so register it here, then load the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./slack-load.worker.ts");
