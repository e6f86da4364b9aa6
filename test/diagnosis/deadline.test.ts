import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { collectSnapshot } from "../../src/aws/collect.js";
import { createCallCounter } from "../../src/aws/middleware.js";
import { RateLimiter } from "../../src/aws/rate-limit.js";
import {
  DidNotAnswer,
  limitCall,
  startDeadline,
  untilDeadline,
  waitingOn,
  withDeadline,
} from "../../src/diagnosis/deadline.js";
import type { DiagnosisRequest } from "../../src/diagnosis/request.js";
import { runDiagnosis } from "../../src/diagnosis/run.js";
import { IDS } from "../support/snapshot-factory.js";

// A black-holed AWS: a TCP server on 127.0.0.1 that accepts every connection and never answers.

let server: Server;
const sockets: Socket[] = [];
const request: DiagnosisRequest = {
  endpointId: IDS.endpoint,
  region: "us-east-1",
  windowHours: 1,
  requester: "U1",
};

beforeAll(async () => {
  server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  vi.stubEnv("AWS_ENDPOINT_URL", `http://127.0.0.1:${port}`);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function stalledCollect(callTimeoutMs: number) {
  return (r: DiagnosisRequest) => {
    const counter = createCallCounter();
    const clients = createClients({
      region: r.region,
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
      counter,
      maxAttempts: 1,
      callTimeoutMs,
    });
    const input = { endpointId: r.endpointId, region: r.region, accountId: IDS.account, windowHours: 1 };
    return collectSnapshot({ ...input, now: new Date() }, clients, {
      counter,
      limiter: new RateLimiter(1000, 100),
    });
  };
}

describe("a diagnosis against an AWS that never answers", () => {
  it("tells what it waits on, then reports the calls that did not answer as gaps, never a pass", async () => {
    const slow: string[][] = [];
    const started = Date.now();
    const { report } = await runDiagnosis(request, {
      collect: stalledCollect(400),
      deadlines: { callTimeoutMs: 400, totalMs: 5_000, slowNoticeMs: 150 },
      onSlow: (calls) => slow.push(calls),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(slow).toHaveLength(1);
    expect(slow[0]).toContain("ec2:DescribeVpcEndpoints");
    const endpointGap = report.gaps.find((gap) => gap.source === "endpoint")!;
    expect(endpointGap).toMatchObject({ error: "DidNotAnswer" });
    expect(endpointGap.message).toBe("ec2:DescribeVpcEndpoints did not answer within 400 ms");
    expect(report.verdict.status).toBe("unknown");
    expect(report.checks.find((c) => c.id === "endpoint-exists")!.status).toBe("unknown");
  });

  it("ends at the diagnosis's deadline even when a call's own limit is longer", async () => {
    const started = Date.now();
    const { report } = await runDiagnosis(request, {
      collect: stalledCollect(60_000),
      deadlines: { callTimeoutMs: 60_000, totalMs: 500, slowNoticeMs: 100 },
    });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(report.gaps.map((gap) => gap.message)).toContain(
      "ec2:DescribeVpcEndpoints did not answer within 500 ms",
    );
    expect(report.verdict.status).toBe("unknown");
  });
});

describe("the deadline's parts", () => {
  it("gives up a collection that never reaches AWS after the deadline and a grace, naming what hung", async () => {
    vi.useFakeTimers();
    try {
      const never = new Promise<never>(() => {});
      const done = runDiagnosis(request, {
        collect: () => never,
        deadlines: { callTimeoutMs: 10_000, totalMs: 25_000, slowNoticeMs: 8_000 },
      });
      await vi.advanceTimersByTimeAsync(27_000);
      const { report } = await done;
      expect(report.gaps[0]).toMatchObject({ source: "endpoint", error: "DidNotAnswer" });
      expect(report.gaps[0]!.message).toBe("sts:AssumeRole did not answer within 25 s");
      expect(report.verdict.status).toBe("unknown");
    } finally {
      vi.useRealTimers();
    }
  });

  it("lists the calls in flight and forgets them once they settle", async () => {
    vi.useFakeTimers();
    try {
      const deadline = startDeadline({ callTimeoutMs: 10_000, totalMs: 25_000, slowNoticeMs: 8_000 });
      let release: () => void = () => {};
      const call = withDeadline(deadline, () =>
        limitCall("ec2:DescribeNetworkAcls", () => new Promise<void>((r) => (release = r))),
      );
      expect(waitingOn(deadline)).toEqual(["ec2:DescribeNetworkAcls"]);
      release();
      await call;
      expect(waitingOn(deadline)).toEqual([]);
      const hung = withDeadline(deadline, () =>
        limitCall("ec2:DescribeSubnets", () => new Promise(() => {})),
      );
      const failed = expect(hung).rejects.toThrow("ec2:DescribeSubnets did not answer within 10 s");
      await vi.advanceTimersByTimeAsync(10_000);
      await failed;
      const queued = withDeadline(deadline, () =>
        untilDeadline("cloudtrail:LookupEvents", () => new Promise(() => {})),
      );
      const late = expect(queued).rejects.toBeInstanceOf(DidNotAnswer);
      await vi.advanceTimersByTimeAsync(15_000);
      await late;
    } finally {
      vi.useRealTimers();
    }
  });
});
