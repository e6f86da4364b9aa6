import ipaddr from "ipaddr.js";
import type { CheckOutcome, CheckResult, Finding } from "../diagnosis/check.js";
import type { Probe, Snapshot } from "../diagnosis/snapshot.js";
import type { ProbeConnect, ProbeOutput, ProbeResolution } from "./client-probe-output.js";
import { endpointAddresses } from "./private-dns-facts.js";
import { portsLabel, servicePortsOf } from "./service-port.js";

// From what the instance observed to findings: every failure names what was seen, and points at the configuration
// findings that explain it (DNS for public answers; security groups, NACLs and routes for time-outs; the provider
// for refusals). A port only assumed (a custom service, no port known) can warn, never fail.

/** The documentation the client-probe check follows. */
export const PROBE_DOCS = {
  runCommand: "https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command.html",
  managedNodes:
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html",
  privateDns: "https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html",
  troubleshoot: "https://docs.aws.amazon.com/vpc/latest/privatelink/troubleshoot.html",
} as const;

const NETWORK_CHECKS = ["security-groups", "network-acls", "client-route"] as const;
const PRIVATE_RANGES = new Set(["private", "carrierGradeNat", "uniqueLocal", "linkLocal", "loopback"]);

interface Facts {
  snapshot: Snapshot;
  probe: Probe;
  earlier: ReadonlyMap<string, CheckResult>;
  eni: Set<string> | undefined;
  /** The ports were assumed (a custom service with no known port): findings cap at warn. */
  assumed: boolean;
  custom: boolean;
}

/** Whether an address is outside the private, shared, link-local and loopback ranges. */
export function isPublicAddress(address: string): boolean {
  try {
    return !PRIVATE_RANGES.has(ipaddr.process(address).range());
  } catch {
    return false;
  }
}

/** The outcome of a readable probe: resolution, then connections, then TLS; pass only when everything worked. */
export function judgeProbe(
  snapshot: Snapshot,
  probe: Probe,
  output: ProbeOutput,
  earlier: ReadonlyMap<string, CheckResult>,
): CheckOutcome {
  const ports = servicePortsOf(snapshot);
  const facts: Facts = {
    snapshot,
    probe,
    earlier,
    eni: snapshot.endpoint ? endpointAddresses(snapshot, snapshot.endpoint) : undefined,
    assumed: ports.basis === "assumed",
    custom: ports.custom,
  };
  const findings = [
    ...output.resolutions.flatMap((r) => resolutionFindings(facts, r)),
    ...connectFindings(facts, output.connects),
    ...tlsFindings(facts, output),
  ];
  const evidence = observed(probe, output);
  if (findings.length === 0 && output.connects.length === 0) {
    const summary = `the probe on ${probe.instanceId} made no connection, so it proves nothing about the path`;
    return {
      status: "unknown",
      summary,
      findings: [{ ...passFinding(probe, evidence), severity: "medium", summary }],
    };
  }
  const status = findings.some((f) => f.severity === "high") ? "fail" : findings.length > 0 ? "warn" : "pass";
  for (const f of findings) f.resourceIds = [probe.instanceId, snapshot.endpointId];
  if (status === "pass")
    return { status, summary: passSummary(probe, output), findings: [passFinding(probe, evidence)] };
  const first = findings.find((f) => (status === "fail" ? f.severity === "high" : true))!;
  for (const finding of findings) finding.evidence.push(...evidence);
  return { status, summary: first.summary, findings };
}

function resolutionFindings(facts: Facts, r: ProbeResolution): Finding[] {
  const id = facts.probe.instanceId;
  if (!r.ok) {
    return [
      finding("high", `${id} cannot resolve ${r.name} (${r.reason}): clients on it cannot find the service`, [
        `RESOLVE ${r.name}: ${r.reason}`,
        dnsPointer(facts),
      ]),
    ];
  }
  const publicOnes = r.addresses.filter(isPublicAddress);
  if (publicOnes.length > 0) {
    return [
      finding(
        "high",
        `${id} resolves ${r.name} to public addresses (${publicOnes.join(", ")}): private DNS is not in effect for this client, so its traffic does not go through ${facts.snapshot.endpointId}`,
        [`RESOLVE ${r.name}: ${r.addresses.join(", ")}`, dnsPointer(facts)],
        {
          text: "Fix what the DNS finding names; the service's name must resolve to the endpoint's private addresses on this instance.",
          docs: PROBE_DOCS.privateDns,
        },
      ),
    ];
  }
  const foreign = facts.eni ? r.addresses.filter((a) => !facts.eni!.has(a)) : [];
  if (foreign.length === 0) return [];
  return [
    finding(
      "medium",
      `${id} resolves ${r.name} to private addresses that are not ${facts.snapshot.endpointId}'s (${foreign.join(", ")}): another endpoint (a centralised one in a shared VPC) or a private hosted zone answers`,
      [
        `RESOLVE ${r.name}: ${r.addresses.join(", ")}`,
        `${facts.snapshot.endpointId}'s addresses: ${[...facts.eni!].join(", ") || "(none)"}`,
      ],
    ),
  ];
}

function connectFindings(facts: Facts, connects: readonly ProbeConnect[]): Finding[] {
  const severity = facts.assumed ? "medium" : "high";
  const id = facts.probe.instanceId;
  const out: Finding[] = [];
  const of = (result: ProbeConnect["result"]) => connects.filter((c) => c.result === result);
  const where = (list: ProbeConnect[]) => list.map((c) => `${c.address}:${c.port}`).join(", ");
  const timeouts = of("TIMEOUT");
  if (timeouts.length > 0) {
    out.push(
      finding(
        severity,
        `connections from ${id} to ${where(timeouts)} time out: packets are dropped on the way`,
        [
          ...timeouts.map((c) => `CONNECT ${c.address}:${c.port}: no answer within 3 s`),
          networkPointer(facts),
        ],
      ),
    );
  }
  const refused = of("REFUSED");
  if (refused.length > 0) {
    out.push(
      finding(
        severity,
        `connections from ${id} to ${where(refused)} are refused: the path is open, nothing accepts on the port`,
        [...refused.map((c) => `CONNECT ${c.address}:${c.port}: refused`), providerPointer(facts)],
      ),
    );
  }
  const errors = of("ERROR");
  if (errors.length > 0) {
    out.push(
      finding(severity, `connections from ${id} to ${where(errors)} fail: ${errors[0]!.detail ?? "error"}`, [
        ...errors.map((c) => `CONNECT ${c.address}:${c.port}: ${c.detail ?? "error"}`),
        networkPointer(facts),
      ]),
    );
  }
  return out;
}

function tlsFindings(facts: Facts, output: ProbeOutput): Finding[] {
  return output.tls.flatMap((t) =>
    t.result === "FAIL"
      ? [
          finding(
            facts.custom ? "medium" : "high",
            `the TLS handshake from ${facts.probe.instanceId} with ${t.name} at ${t.address}:${t.port} fails: ${t.detail}`,
            [
              `TLS ${t.name} (SNI) at ${t.address}:${t.port}: ${t.detail}`,
              ...(facts.custom
                ? ["a custom service may not speak TLS on this port: this is not proof of a fault"]
                : []),
            ],
            {
              text: "A handshake that fails after the connection succeeds is a proxy or firewall intercepting TLS on the instance's path, or the service's certificate set-up.",
              docs: PROBE_DOCS.troubleshoot,
            },
          ),
        ]
      : [],
  );
}

function dnsPointer(facts: Facts): string {
  const dns = facts.earlier.get("private-dns");
  if (dns && dns.status !== "pass" && dns.status !== "skip") {
    return `the DNS finding that explains it: private-dns (${dns.status}): ${dns.summary}`;
  }
  return "private-dns finds the VPC's DNS configuration right, so this instance does not use it as configured: look at its resolver settings (/etc/resolv.conf, a hosts entry, its Windows DNS client) or DNS servers outside the VPC";
}

function networkPointer(facts: Facts): string {
  const suspects = NETWORK_CHECKS.flatMap((id) => {
    const result = facts.earlier.get(id);
    return result && result.status !== "pass" && result.status !== "skip"
      ? [`${id} (${result.status}): ${result.summary}`]
      : [];
  });
  if (suspects.length > 0) return `the findings that explain it: ${suspects.join("; ")}`;
  return "security groups, network ACLs and routes all admit this client: look at the provider side (its load balancer and targets) or a firewall on the instance (iptables, nftables, Windows Firewall)";
}

function providerPointer(facts: Facts): string {
  const provider = facts.earlier.get("service-provider");
  const said =
    provider && provider.status !== "skip"
      ? ` service-provider (${provider.status}): ${provider.summary}`
      : "";
  return `a refusal comes from the provider side: its load balancer has no listener on the port, or no healthy target behind it.${said}`;
}

function finding(
  severity: Finding["severity"],
  summary: string,
  evidence: string[],
  remediation?: Finding["remediation"],
): Finding {
  return {
    severity,
    summary,
    evidence: [...evidence],
    remediation: remediation ?? {
      text: "Fix what the pointed-at finding names, then test again from the instance.",
      docs: PROBE_DOCS.troubleshoot,
    },
    resourceIds: [],
  };
}

/** What the probe saw, line by line: who ran it where, then every observation. */
function observed(probe: Probe, output: ProbeOutput): string[] {
  return [
    `probe run on ${probe.instanceId} (${output.platform}) for ${probe.requestedBy}, command ${probe.commandId}, ${output.elapsedMs} ms, ports ${portsLabel(probe.ports)}`,
    ...output.resolutions.map((r) =>
      r.ok ? `resolved ${r.name} -> ${r.addresses.join(", ")}` : `resolved ${r.name} -> ${r.reason}`,
    ),
    ...output.connects.map(
      (c) => `connect ${c.address}:${c.port} -> ${c.result}${c.detail ? ` (${c.detail})` : ""}`,
    ),
    ...output.tls.map((t) =>
      t.result === "SKIP"
        ? `TLS ${t.name}: not tried (${t.detail})`
        : `TLS ${t.name} at ${t.address}:${t.port} -> ${t.result} ${t.detail}`,
    ),
  ];
}

function passSummary(probe: Probe, output: ProbeOutput): string {
  const tls = output.tls.find((t) => t.result === "OK");
  return `${probe.instanceId} resolves ${probe.names.join(" and ")} to the endpoint's addresses and connects on ${portsLabel(probe.ports)}${tls ? ` (TLS ${tls.detail})` : ""}`;
}

function passFinding(probe: Probe, evidence: string[]): Finding {
  return {
    severity: "info",
    summary: `what ${probe.instanceId} observed`,
    evidence,
    resourceIds: [probe.instanceId],
  };
}
