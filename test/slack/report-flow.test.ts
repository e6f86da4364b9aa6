import { describe, expect, it } from "vitest";
import type { AccountConfig } from "../../src/config/schema.js";
import { createLogger } from "../../src/log.js";
import { ReportFlow } from "../../src/slack/report-flow.js";
import { MemoryReportStore } from "../../src/state/report-store.js";
import { healthyInterfaceSnapshot } from "../support/snapshot-factory.js";

// The pacing of diagnoses: at most N per account and M in all, however many arrive at once.

function fakeClient() {
  let ts = 0;
  const client = {
    chat: {
      postMessage: async (args: { channel: string }) => ({
        ok: true,
        channel: args.channel,
        ts: `${++ts}.0`,
      }),
      update: async () => ({ ok: true }),
    },
  };
  return client as never;
}

describe("ReportFlow pacing", () => {
  it("runs at most perAccount diagnoses of one account at once, and other accounts beside them", async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const flow = new ReportFlow({
      store: new MemoryReportStore(),
      logger: createLogger({}, "silent"),
      perAccount: 2,
      concurrency: 16,
      collect: async (_request, account) => {
        const key = account!.alias;
        active.set(key, (active.get(key) ?? 0) + 1);
        peak.set(key, Math.max(peak.get(key) ?? 0, active.get(key)!));
        await new Promise((r) => setTimeout(r, 10));
        active.set(key, active.get(key)! - 1);
        return healthyInterfaceSnapshot();
      },
    });
    const prod: AccountConfig = { alias: "prod", id: "111122223333" };
    const dev: AccountConfig = { alias: "dev", id: "444455556666" };
    const request = {
      endpointId: "vpce-0a1b2c3d4e5f60718",
      region: "us-east-1",
      windowHours: 1,
      requester: "U1",
    };
    await Promise.all(
      [prod, prod, prod, prod, prod, dev, dev, dev].map((account) =>
        flow.postNew(fakeClient(), "C1", { ...request, account: account.alias }, account, "test"),
      ),
    );
    expect(peak.get("prod")).toBe(2);
    expect(peak.get("dev")).toBe(2);
  });
});
