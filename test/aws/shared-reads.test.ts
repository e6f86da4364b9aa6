import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { collectVpc } from "../../src/aws/collectors/vpc.js";
import { type CollectContext, sharedRead } from "../../src/aws/context.js";
import { countCalls, createCallCounter } from "../../src/aws/middleware.js";
import { SharedReads } from "../../src/aws/shared-reads.js";
import { awsError, testClients, testContext } from "./collectors/telemetry-context.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function counting<T>(value: T) {
  const load = async () => {
    load.calls += 1;
    return value;
  };
  load.calls = 0;
  return load;
}

describe("SharedReads", () => {
  it("shares one in-flight load between concurrent callers of a key", async () => {
    const reads = new SharedReads();
    const pending = deferred<string>();
    let calls = 0;
    const load = () => {
      calls += 1;
      return pending.promise;
    };
    const first = reads.get("k", load);
    const second = reads.get("k", load);
    const other = reads.get("other", async () => "x");
    pending.resolve("v");
    expect(await Promise.all([first, second, other])).toEqual(["v", "v", "x"]);
    expect(calls).toBe(1);
  });

  it("reuses a settled value until the TTL, counted from when it settled", async () => {
    let now = 0;
    const reads = new SharedReads({ ttlMs: 60_000, clock: () => now });
    const load = counting("v");
    await reads.get("k", load);
    now = 59_999;
    await reads.get("k", load);
    expect(load.calls).toBe(1);
    now = 60_000;
    await reads.get("k", load);
    expect(load.calls).toBe(2);
  });

  it("keeps a slow load shared past the TTL while it is still in flight", async () => {
    let now = 0;
    const reads = new SharedReads({ ttlMs: 1_000, clock: () => now });
    const pending = deferred<string>();
    let calls = 0;
    const load = () => {
      calls += 1;
      return pending.promise;
    };
    const first = reads.get("k", load);
    now = 5_000;
    const second = reads.get("k", load);
    pending.resolve("v");
    expect(await Promise.all([first, second])).toEqual(["v", "v"]);
    expect(calls).toBe(1);
  });

  it("gives a rejection to the callers waiting on it, and does not cache it", async () => {
    const reads = new SharedReads();
    const pending = deferred<string>();
    const first = reads.get("k", () => pending.promise);
    const second = reads.get("k", async () => "unused");
    pending.reject(awsError("UnauthorizedOperation"));
    await expect(first).rejects.toThrow("UnauthorizedOperation");
    await expect(second).rejects.toThrow("UnauthorizedOperation");
    expect(reads.size).toBe(0);
    const load = counting("v");
    expect(await reads.get("k", load)).toBe("v");
    expect(load.calls).toBe(1);
  });

  it("turns a load that throws synchronously into a rejection", async () => {
    const reads = new SharedReads();
    await expect(
      reads.get("k", () => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
  });

  it("holds at most maxEntries, dropping the oldest first", async () => {
    const reads = new SharedReads({ maxEntries: 3 });
    for (const key of ["a", "b", "c", "d"]) await reads.get(key, async () => key);
    expect(reads.size).toBe(3);
    const a = counting("a2");
    const d = counting("d2");
    expect(await reads.get("d", d)).toBe("d");
    expect(await reads.get("a", a)).toBe("a2");
    expect([a.calls, d.calls]).toEqual([1, 0]);
    expect(reads.size).toBe(3);
  });

  it("prunes expired entries when a new key is loaded", async () => {
    let now = 0;
    const reads = new SharedReads({ ttlMs: 10, clock: () => now });
    await reads.get("a", async () => 1);
    await reads.get("b", async () => 2);
    now = 10;
    await reads.get("c", async () => 3);
    expect(reads.size).toBe(1);
  });
});

describe("sharedRead", () => {
  function context(reads: SharedReads | undefined, scope = "111122223333:us-east-1"): CollectContext {
    const ctx = testContext(testClients());
    if (reads) ctx.shared = { reads, scope };
    return ctx;
  }

  it("calls directly when the context shares nothing", async () => {
    const call = counting("v");
    await sharedRead(context(undefined), "k", call);
    await sharedRead(context(undefined), "k", call);
    expect(call.calls).toBe(2);
  });

  it("shares within one account and region only", async () => {
    const reads = new SharedReads();
    const call = counting("v");
    await sharedRead(context(reads), "k", call);
    await sharedRead(context(reads), "k", call);
    await sharedRead(context(reads, "444455556666:us-east-1"), "k", call);
    await sharedRead(context(reads, "111122223333:eu-west-1"), "k", call);
    expect(call.calls).toBe(3);
  });

  it("retries with its own call when the shared call failed on the other diagnosis's credentials", async () => {
    const reads = new SharedReads();
    const pending = deferred<string>();
    const first = sharedRead(context(reads), "k", () => pending.promise);
    const own = counting("mine");
    const second = sharedRead(context(reads), "k", own);
    pending.reject(awsError("ExpiredTokenException"));
    await expect(first).rejects.toThrow("ExpiredTokenException");
    expect(await second).toBe("mine");
    expect(own.calls).toBe(1);
  });

  it("passes any other shared failure on, for each caller to record as its own gap", async () => {
    const reads = new SharedReads();
    const pending = deferred<string>();
    const first = sharedRead(context(reads), "k", () => pending.promise);
    const own = counting("mine");
    const second = sharedRead(context(reads), "k", own);
    pending.reject(awsError("UnauthorizedOperation"));
    await expect(first).rejects.toThrow("UnauthorizedOperation");
    await expect(second).rejects.toThrow("UnauthorizedOperation");
    expect(own.calls).toBe(0);
  });
});

describe("call counting with shared reads", () => {
  const VPC = "vpc-0123456789abcdef0";
  const XMLNS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
  const VPCS = `<DescribeVpcsResponse ${XMLNS}><requestId>r</requestId><vpcSet><item><vpcId>${VPC}</vpcId><cidrBlock>10.0.0.0/16</cidrBlock></item></vpcSet></DescribeVpcsResponse>`;
  const attribute = (name: string) =>
    `<DescribeVpcAttributeResponse ${XMLNS}><requestId>r</requestId><vpcId>${VPC}</vpcId><${name}><value>true</value></${name}></DescribeVpcAttributeResponse>`;

  /** The clients of one diagnosis: a real EC2 client counting into its own counter, answered over fake HTTP. */
  function diagnosis(reads: SharedReads, sent: string[]) {
    const counter = createCallCounter();
    const ec2 = new EC2Client({
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: { body?: unknown }) => {
          const body = String(request.body);
          sent.push(body.match(/Action=(\w+)/)?.[1] ?? "?");
          await sleep(10);
          const xml = body.includes("Action=DescribeVpcs&")
            ? VPCS
            : attribute(body.includes("enableDnsSupport") ? "enableDnsSupport" : "enableDnsHostnames");
          const response = Readable.from([Buffer.from(xml)]);
          return { response: { statusCode: 200, headers: { "content-type": "text/xml" }, body: response } };
        },
      },
    });
    ec2.middlewareStack.use(countCalls(counter));
    const ctx = testContext({ ...testClients(), ec2 });
    ctx.shared = { reads, scope: "111122223333:us-east-1" };
    return { ctx, counter };
  }

  it("counts a shared HTTP call only for the diagnosis that made it", async () => {
    const reads = new SharedReads();
    const sent: string[] = [];
    const first = diagnosis(reads, sent);
    const second = diagnosis(reads, sent);
    const [a, b] = await Promise.all([collectVpc(first.ctx, VPC), collectVpc(second.ctx, VPC)]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ id: VPC, cidrsIpv4: ["10.0.0.0/16"], enableDnsSupport: true });
    expect(sent.sort()).toEqual(["DescribeVpcAttribute", "DescribeVpcAttribute", "DescribeVpcs"]);
    expect(first.counter).toEqual({
      count: 3,
      byAction: { "ec2:DescribeVpcs": 1, "ec2:DescribeVpcAttribute": 2 },
    });
    expect(second.counter).toEqual({ count: 0, byAction: {} });
  });
});
