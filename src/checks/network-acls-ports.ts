import type { Finding } from "../diagnosis/check.js";
import type { Evaluation } from "./network-acls-walk.js";
import { portRule, type ServicePorts } from "./service-port.js";

// Facts to findings, for services with several ports or an assumed one. A client uses one port: when an AWS
// service listens on several (SES SMTP: 25, 465, 587, 2465, 2587), one allowed port is enough to pass, and the
// dropped ones are named in a note. Ports the requester named must each get through (portRule "all", shared with
// security-groups). A port only assumed (custom service, nothing given) cannot prove anything: capped at warn.

/** The port a fix opens when several are dropped: the usual one first (587 is SES's STARTTLS submission port). */
const PREFERRED = [443, 587];

/** The port the fix command opens among several dropped ones. */
export function preferredPort(ports: readonly number[]): number {
  return PREFERRED.find((p) => ports.includes(p)) ?? ports[0]!;
}

/** Same NACL, same side and direction, same peer: the hop a client crosses whichever port it uses. */
function hopKey(e: Evaluation): string {
  const f = e.flow;
  return `${f.nacl.id}|${f.side}|${f.egress}|${f.peer}`;
}

/** Without a source, a VPC block dropped entirely while others get through the same hop is a warning. */
export function softenApproximate(evaluations: Evaluation[]): void {
  for (const e of evaluations) {
    if (e.flow.judge !== "approximate" || e.status !== "fail") continue;
    const sameHop = evaluations.filter(
      (o) =>
        o !== e &&
        o.flow.judge === "approximate" &&
        o.flow.nacl.id === e.flow.nacl.id &&
        o.flow.side === e.flow.side &&
        o.flow.path === e.flow.path &&
        o.flow.ports[0] === e.flow.ports[0],
    );
    if (sameHop.some((o) => o.denials.length === 0 || o.status === "warn")) e.status = "warn";
  }
}

/**
 * Applies the port policy to the request evaluations (mutating statuses, folding and hiding), and returns the
 * notes about alternative ports that are dropped while another port of the service gets through.
 */
export function applyPortPolicy(evaluations: Evaluation[], ports: ServicePorts): Finding[] {
  const groups = new Map<string, Evaluation[]>();
  for (const e of evaluations.filter((e) => e.flow.path === "request")) {
    groups.set(hopKey(e), [...(groups.get(hopKey(e)) ?? []), e]);
  }
  const notes: Finding[] = [];
  for (const group of groups.values()) {
    const note = resolveGroup(group, ports);
    if (note) notes.push(note);
    if (ports.basis === "assumed") capAssumed(group, ports);
  }
  return notes;
}

function resolveGroup(group: Evaluation[], ports: ServicePorts): Finding | undefined {
  const open = group.filter((e) => e.status === "pass");
  const dropped = group.filter((e) => e.status !== "pass");
  if (dropped.length === 0) return undefined;
  if (open.length === 0) {
    if (group.length === 1) return undefined;
    const carrier = group.find((e) => e.flow.ports[0] === preferredPort(ports.ports))!;
    carrier.folded = group.filter((e) => e !== carrier);
    for (const e of carrier.folded) e.hidden = true;
    carrier.status = group.some((e) => e.status === "fail") ? "fail" : "warn";
    carrier.notes = [
      `${ports.label}: every port of the service is dropped; the fix opens tcp/${carrier.flow.ports[0]}, use the port your client is configured for instead if it differs`,
    ];
    return undefined;
  }
  // portRule "all" (ports the requester named, or a single port): each dropped one keeps its own status.
  return portRule(ports) === "any" ? alternativeNote(open, dropped) : undefined;
}

/** An AWS service reachable on one of its ports: the others are a note, not a finding. */
function alternativeNote(open: Evaluation[], dropped: Evaluation[]): Finding {
  for (const e of dropped) e.hidden = true;
  const flow = open[0]!.flow;
  const openPorts = open.map((e) => e.flow.ports[0]).join(", ");
  const droppedPorts = dropped.map((e) => e.flow.ports[0]).join(", ");
  return {
    severity: "info",
    summary: `NACL ${flow.nacl.id} lets ${flow.peer} reach the service on tcp/${openPorts} but drops tcp/${droppedPorts}: a client needs only the port it uses, so configure clients for tcp/${openPorts}.`,
    evidence: dropped.map(
      (e) => `tcp/${e.flow.ports[0]} dropped ${e.flow.egress ? "outbound" : "inbound"} on ${e.flow.nacl.id}`,
    ),
    resourceIds: [flow.nacl.id, ...flow.subnetIds],
  };
}

/** A port only assumed proves nothing: its drops are warnings that say so. */
function capAssumed(group: Evaluation[], ports: ServicePorts): void {
  for (const e of group) {
    if (e.status === "fail") e.status = "warn";
    if (e.status !== "pass" && ports.note) e.notes = [...(e.notes ?? []), ports.note];
  }
}
