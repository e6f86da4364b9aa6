import { globToRegExp } from "../alarms/route.js";
import type { ConfigFile } from "../config/schema.js";
import type { DiagnosisRequest } from "../diagnosis/request.js";

// Where the "Test from i-..." button is offered: only in a channel whose config allows probes, for a diagnosis
// whose client is an instance (--from i-...), or an alarm thread whose route names an instance and allows it.

/** The instance a report of `request` in `channel` may be probed from, or undefined: no button, no probe. */
export function probeOffer(
  config: ConfigFile | undefined,
  channel: string,
  request: Pick<DiagnosisRequest, "source" | "requester" | "account" | "region">,
): string | undefined {
  const allowed = config?.channels.find((c) => c.id === channel)?.allowProbe === true;
  if (!allowed) return undefined;
  if (request.source?.kind === "instance") return request.source.value;
  if (request.source || !request.requester.startsWith("alarm-")) return undefined;
  return alarmRouteInstance(config!, channel, request);
}

/** The probeFrom of the first route sending this alarm's reports to `channel`, when that route allows the probe. */
function alarmRouteInstance(
  config: ConfigFile,
  channel: string,
  request: Pick<DiagnosisRequest, "requester" | "account" | "region">,
): string | undefined {
  const alarmName = request.requester.slice("alarm-".length);
  const account = config.accounts.find((a) => a.alias === request.account);
  const route = config.alarms?.routes.find(({ match, channel: routed }) => {
    if (routed !== channel) return false;
    if (match.account !== undefined && match.account !== account?.alias && match.account !== account?.id)
      return false;
    if (match.region !== undefined && match.region !== request.region) return false;
    // The requester carries at most the first 42 characters of the alarm's name.
    return match.alarm === undefined || globToRegExp(match.alarm).test(alarmName) || alarmName.length >= 42;
  });
  return route?.allowProbe && route.probeFrom ? route.probeFrom : undefined;
}
