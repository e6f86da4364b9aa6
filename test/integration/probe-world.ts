import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import type { FixtureClients, World } from "./world.js";

// The client probe against moto: a recording proxy in front of moto_server sees every HTTP request the product
// sends (so a test can prove that a diagnosis without --probe sends no SSM call, and read the session policies),
// answers DescribeInstanceInformation itself (moto does not implement it), and can stand in for the role's
// tag condition (AccessDenied on SendCommand) or a command still running (InProgress).

/** One request the product sent, as the proxy saw it. */
export interface Recorded {
  /** "AmazonSSM.SendCommand" for JSON protocols, "AssumeRole" for query protocols, else the path. */
  operation: string;
  body: string;
}

/** What the proxy answers instead of moto. */
export interface ProxyState {
  /** DescribeInstanceInformation's list (moto does not implement it); empty: not a managed node. */
  managed: { InstanceId: string; PingStatus: string; PlatformType: string }[];
  /** SendCommand refused as the role's `ssm:resourceTag` condition would refuse an untagged instance. */
  denySendCommand?: boolean;
  /** GetCommandInvocation says InProgress, as for a command that has not finished. */
  stillRunning?: boolean;
}

/** The proxy, what it recorded, and what it answers. */
export interface RecordingProxy {
  url: string;
  recorded: Recorded[];
  state: ProxyState;
  /** The recorded SSM operations, e.g. ["DescribeInstanceInformation", "SendCommand"]. */
  ssmCalls(): string[];
  /** The session policy of every AssumeRole, parsed. */
  sessionPolicies(): { Statement: { Sid: string; Action: string[] }[] }[];
  close(): Promise<void>;
}

/** Starts the recording proxy in front of `motoUrl` on a free loopback port. */
export async function startRecordingProxy(motoUrl: string): Promise<RecordingProxy> {
  const recorded: Recorded[] = [];
  const state: ProxyState = { managed: [] };
  const server: Server = createServer((req, res) => {
    handle(req, res, motoUrl, recorded, state).catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    recorded,
    state,
    ssmCalls: () =>
      recorded
        .filter((r) => r.operation.startsWith("AmazonSSM."))
        .map((r) => r.operation.slice("AmazonSSM.".length)),
    sessionPolicies: () =>
      recorded
        .filter((r) => r.operation === "AssumeRole")
        .map((r) => JSON.parse(new URLSearchParams(r.body).get("Policy") ?? "{}")),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  motoUrl: string,
  recorded: Recorded[],
  state: ProxyState,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const target = req.headers["x-amz-target"];
  const operation =
    typeof target === "string" ? target : (new URLSearchParams(body).get("Action") ?? req.url ?? "/");
  recorded.push({ operation, body });
  const own = ownAnswer(operation, state);
  if (own) {
    res.writeHead(own.status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(own.body));
    return;
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(
      ([key]) =>
        !["host", "content-length", "connection"].includes(key) && typeof req.headers[key] === "string",
    ),
  ) as Record<string, string>;
  const answer = await fetch(`${motoUrl}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
  });
  const text = await answer.text();
  res
    .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/xml" })
    .end(text);
}

function ownAnswer(operation: string, state: ProxyState): { status: number; body: unknown } | undefined {
  if (operation === "AmazonSSM.DescribeInstanceInformation") {
    return { status: 200, body: { InstanceInformationList: state.managed } };
  }
  if (operation === "AmazonSSM.SendCommand" && state.denySendCommand) {
    return {
      status: 400,
      body: {
        __type: "AccessDeniedException",
        message:
          "User is not authorized to perform: ssm:SendCommand on resource: instance (no vpce-doctor-probe tag)",
      },
    };
  }
  if (operation === "AmazonSSM.GetCommandInvocation" && state.stillRunning) {
    return {
      status: 200,
      body: { Status: "InProgress", StatusDetails: "InProgress", StandardOutputContent: "" },
    };
  }
  return undefined;
}

/** Launches an instance in the world's client subnet (moto runs nothing: it is a record). */
export async function launchClient(clients: FixtureClients, world: World): Promise<string> {
  const out = await clients.ec2.send(
    new RunInstancesCommand({
      ImageId: "ami-12c6146b",
      MinCount: 1,
      MaxCount: 1,
      InstanceType: "t3.micro",
      SubnetId: world.clientSubnet,
      SecurityGroupIds: [world.clientGroup],
    }),
  );
  return out.Instances![0]!.InstanceId!;
}
