import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  type InstanceInformation,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { servicePortsOf } from "../checks/service-port.js";
import { untilDeadline } from "../diagnosis/deadline.js";
import type { Gap, Probe, Snapshot } from "../diagnosis/snapshot.js";
import { type ClientOptions, instrumentClient } from "./clients.js";
import { CredentialsError, credentialsProblem, errorName, isCredentialsError, toGap } from "./errors.js";
import {
  isProbeName,
  linuxCommands,
  PROBE_BUDGET_SECONDS,
  type ProbePlan,
  windowsCommands,
} from "./probe-script.js";

// The opt-in client probe (issue 14): on the --from instance, through SSM Run Command, resolve the service's names,
// connect to every address on the service's ports and try a TLS handshake. Loaded only when a probe is asked for.

/** Who asked for the probe and on which instance. */
export interface ProbeTarget {
  instanceId: string;
  requestedBy: string;
}

/** How GetCommandInvocation is polled: a bounded number of times, `intervalMs` apart (tests pass a fake sleep). */
export interface PollOptions {
  intervalMs?: number;
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_POLL = { intervalMs: 1_000, maxPolls: 15 };
const PENDING = new Set(["Pending", "InProgress", "Delayed"]);
const OUTPUT_MAX = 24_000;

/** The SSM client of a probe, instrumented like the diagnosis's other clients (counted, time-limited). */
export function createSsmClient(options: ClientOptions): SSMClient {
  const client = new SSMClient({
    region: options.region,
    retryMode: "standard",
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  instrumentClient(client.middlewareStack, options);
  return client;
}

/**
 * What the probe tests for this snapshot: the service's private DNS name (a leading `*.` dropped) and the endpoint's
 * regional name, on the service's ports, with a TLS handshake on 443 when the service listens there.
 */
export function probePlan(snapshot: Snapshot): ProbePlan {
  const endpoint = snapshot.endpoint;
  const names = [
    snapshot.service?.privateDnsName,
    endpoint?.dnsEntries.find((entry) => /^vpce-[0-9a-f]+-[0-9a-z]+\./i.test(entry.dnsName))?.dnsName,
  ]
    .filter((name): name is string => Boolean(name))
    .map((name) => name.toLowerCase().replace(/\.$/, "").replace(/^\*\./, ""))
    .filter((name, index, all) => isProbeName(name) && all.indexOf(name) === index);
  const ports = servicePortsOf(snapshot).ports.slice(0, 4);
  return { names, ports, ...(ports.includes(443) ? { tlsPort: 443 } : {}) };
}

/** Runs the probe on the instance and records what happened; failed calls become `probe` gaps in `gaps`. */
export async function probeInstance(
  ssm: SSMClient,
  target: ProbeTarget,
  plan: ProbePlan,
  gaps: Gap[],
  poll: PollOptions = {},
): Promise<Probe> {
  const base: Probe = { ...target, names: plan.names, ports: plan.ports };
  const info = await call(gaps, "ssm:DescribeInstanceInformation", () =>
    ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: "InstanceIds", Values: [target.instanceId] }],
      }),
    ),
  );
  if (!info) return base;
  const instance = info.InstanceInformationList?.find((entry) => entry.InstanceId === target.instanceId);
  if (!instance) return { ...base, managed: false };
  const managed: Probe = { ...base, ...describe(instance), managed: true };
  const why = whyNotSent(managed, plan);
  if (why) return { ...managed, notSent: why };
  const document = managed.platform === "Windows" ? "AWS-RunPowerShellScript" : "AWS-RunShellScript";
  const commands = document === "AWS-RunShellScript" ? linuxCommands(plan) : windowsCommands(plan);
  const sent = await call(gaps, "ssm:SendCommand", () =>
    ssm.send(
      new SendCommandCommand({
        DocumentName: document,
        InstanceIds: [target.instanceId],
        Parameters: { commands, executionTimeout: [String(PROBE_BUDGET_SECONDS)] },
        TimeoutSeconds: 30,
        Comment: `vpce-doctor client probe asked by ${target.requestedBy}`.slice(0, 100),
      }),
    ),
  );
  const commandId = sent?.Command?.CommandId;
  if (!commandId) return { ...managed, document };
  const answer = await pollInvocation(ssm, commandId, target.instanceId, gaps, poll);
  return { ...managed, document, commandId, ...answer };
}

function describe(instance: InstanceInformation): Partial<Probe> {
  return {
    ...(instance.PingStatus ? { pingStatus: instance.PingStatus } : {}),
    ...(instance.PlatformType ? { platform: instance.PlatformType } : {}),
  };
}

function whyNotSent(probe: Probe, plan: ProbePlan): string | undefined {
  if (probe.pingStatus && probe.pingStatus !== "Online") {
    return `the SSM agent on ${probe.instanceId} is not online (PingStatus ${probe.pingStatus})`;
  }
  if (probe.platform !== "Linux" && probe.platform !== "Windows") {
    return `the probe runs on Linux and Windows; ${probe.instanceId} reports platform ${probe.platform ?? "unknown"}`;
  }
  if (plan.names.length === 0)
    return "neither the service's private DNS name nor the endpoint's regional name is known";
  if (plan.ports.length === 0) return "the service's ports are not known";
  return undefined;
}

/** GetCommandInvocation until the command ends or `maxPolls` answers said it is still running ("NoAnswer"). */
async function pollInvocation(
  ssm: SSMClient,
  commandId: string,
  instanceId: string,
  gaps: Gap[],
  options: PollOptions,
): Promise<Partial<Probe>> {
  const { intervalMs, maxPolls } = { ...DEFAULT_POLL, ...options };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let poll = 0; poll < maxPolls; poll += 1) {
    await sleep(intervalMs);
    const answer = await invocation(ssm, commandId, instanceId, gaps);
    if (answer === "failed") return {};
    if (answer === "pending" || PENDING.has(answer.Status ?? "Pending")) continue;
    return finished(answer);
  }
  return { status: "NoAnswer", statusDetails: `still running after ${maxPolls} polls` };
}

async function invocation(
  ssm: SSMClient,
  commandId: string,
  instanceId: string,
  gaps: Gap[],
): Promise<GetCommandInvocationCommandOutput | "pending" | "failed"> {
  const action = "ssm:GetCommandInvocation";
  try {
    return await untilDeadline(action, () =>
      ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })),
    );
  } catch (error) {
    // Just after SendCommand, SSM may not know the invocation yet.
    if (errorName(error) === "InvocationDoesNotExist") return "pending";
    record(gaps, action, error);
    return "failed";
  }
}

function finished(answer: GetCommandInvocationCommandOutput): Partial<Probe> {
  return {
    status: answer.Status ?? "Unknown",
    ...(answer.StatusDetails ? { statusDetails: answer.StatusDetails } : {}),
    output: (answer.StandardOutputContent ?? "").slice(0, OUTPUT_MAX),
    ...(answer.StandardErrorContent ? { error: answer.StandardErrorContent.slice(0, 500) } : {}),
  };
}

async function call<T>(gaps: Gap[], action: string, send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await untilDeadline(action, send);
  } catch (error) {
    record(gaps, action, error);
    return undefined;
  }
}

function record(gaps: Gap[], action: string, error: unknown): void {
  if (isCredentialsError(error))
    throw new CredentialsError(credentialsProblem(error, action), { cause: error });
  gaps.push(toGap("probe", action, error));
}
