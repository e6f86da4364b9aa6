import type { Check, CheckOutcome, CheckResult } from "../diagnosis/check.js";
import type { Probe, Snapshot } from "../diagnosis/snapshot.js";
import { judgeProbe, PROBE_DOCS } from "./client-probe-findings.js";
import { parseProbeOutput } from "./client-probe-output.js";
import { skip } from "./gaps.js";

// Ground truth from the client (issue 14): with --probe, the instance itself resolved the service's names,
// connected on its ports and tried TLS. Configuration says what should happen; this says what did.

/** Checks what the client instance observed: its DNS answers, its TCP connections and its TLS handshake. */
export const clientProbe: Check = {
  id: "client-probe",
  title: "The client instance resolves the service to the endpoint and connects on its ports",
  appliesTo: ["Interface"],
  notApplicable: "the probe tests the DNS names and addresses of an interface endpoint",
  needs: ["probe"],
  docs: PROBE_DOCS.runCommand,
  run(snapshot, earlier) {
    const probe = snapshot.probe;
    if (!probe) {
      return skip(
        "not run: opt-in with --probe (CLI) or the Test from button (Slack), on an instance given as --from",
      );
    }
    return notRun(probe) ?? judged(snapshot, probe, earlier);
  },
};

/** Why the probe did not run on the instance, as a skip that says how to make it run; undefined when it ran. */
function notRun(probe: Probe): CheckOutcome | undefined {
  const id = probe.instanceId;
  if (probe.managed === false) {
    return {
      status: "skip",
      summary: `not run: ${id} is not managed by Systems Manager, so no command can be sent to it`,
      findings: [
        {
          severity: "info",
          summary: `${id} is not a managed node of Systems Manager in this account and region`,
          evidence: [`ssm:DescribeInstanceInformation lists no ${id}`],
          remediation: {
            text: `Make ${id} a managed node: run the SSM agent (preinstalled on Amazon Linux and Windows AMIs), give its instance profile AmazonSSMManagedInstanceCore, and let it reach ssm, ssmmessages and ec2messages (interface endpoints or a NAT). Then test again.`,
            command: `aws ec2 describe-iam-instance-profile-associations --filters Name=instance-id,Values=${id}`,
            docs: PROBE_DOCS.managedNodes,
          },
          resourceIds: [id],
        },
      ],
    };
  }
  if (probe.managed === undefined) {
    return {
      status: "unknown",
      summary: `whether ${id} is managed by Systems Manager was not read`,
      findings: [],
    };
  }
  if (probe.notSent) {
    return {
      status: "skip",
      summary: `not run: ${probe.notSent}`,
      findings: [
        {
          severity: "info",
          summary: `the probe was not sent to ${id}: ${probe.notSent}`,
          evidence: [`PingStatus ${probe.pingStatus ?? "unknown"}, platform ${probe.platform ?? "unknown"}`],
          remediation: {
            text: "Bring the SSM agent online (or test from a Linux or Windows instance), then test again.",
            docs: PROBE_DOCS.managedNodes,
          },
          resourceIds: [id],
        },
      ],
    };
  }
  return undefined;
}

function judged(snapshot: Snapshot, probe: Probe, earlier: ReadonlyMap<string, CheckResult>): CheckOutcome {
  if (!probe.commandId) {
    return {
      status: "unknown",
      summary: `the probe command was not sent to ${probe.instanceId}`,
      findings: [],
    };
  }
  const parsed = parseProbeOutput(probe.output ?? "", probe.names);
  if (!parsed.ok) return unreadable(probe, parsed.reason);
  return judgeProbe(snapshot, probe, parsed.output, earlier);
}

/** "probe output unreadable": never a pass, with what SSM said of the command. */
function unreadable(probe: Probe, reason: string): CheckOutcome {
  const status = probe.status ?? "unknown";
  const evidence = [
    `command ${probe.commandId} on ${probe.instanceId} (${probe.document ?? "unknown document"}): status ${status}${probe.statusDetails ? ` (${probe.statusDetails})` : ""}`,
    `output: ${reason}`,
    ...(probe.error ? [`standard error: ${probe.error.slice(0, 300)}`] : []),
  ];
  const running = status === "NoAnswer";
  return {
    status: "unknown",
    summary: running
      ? `probe output unreadable: the command on ${probe.instanceId} did not finish while vpce-doctor waited`
      : `probe output unreadable (${reason}): nothing is concluded from it`,
    findings: [
      {
        severity: "medium",
        summary: `the probe on ${probe.instanceId} gave no readable result, so it proves nothing either way`,
        evidence,
        remediation: {
          text: "Look at the command's output in Systems Manager (Run Command history); bash and getent (Linux) or PowerShell (Windows) must be present. Then test again.",
          command: `aws ssm get-command-invocation --command-id ${probe.commandId} --instance-id ${probe.instanceId}`,
          docs: PROBE_DOCS.runCommand,
        },
        resourceIds: [probe.instanceId],
      },
    ],
  };
}
