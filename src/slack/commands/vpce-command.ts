import type { Source } from "../../diagnosis/snapshot.js";

/** What `/vpce <text>` asks for, after parsing; `error` carries one line for the person plus the usage. */
export type VpceCommand =
  | {
      kind: "diagnose";
      endpointId: string;
      /** Absent: the account's default region decides (or it is an error when there is none). */
      region?: string;
      account?: string;
      source?: Source;
      /** The service's ports (--port), for custom services. */
      ports?: number[];
      windowHours: number;
    }
  | { kind: "help" }
  | { kind: "accounts" }
  | { kind: "error"; message: string };

/** The usage line shown with every error and by `/vpce help`. */
export const VPCE_USAGE =
  "/vpce diagnose <vpce-id> [region] [--account <alias>] [--from <ip|cidr|i-|eni-|subnet-|sg->] [--port <port>] [--window 1m..24h]";
