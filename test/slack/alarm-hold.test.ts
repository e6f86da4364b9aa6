import type { webApi } from "@slack/bolt";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChannelQueue } from "../../src/alarms/channel-queue.js";
import { StormDetector } from "../../src/alarms/storm.js";
import type { StormMember } from "../../src/alarms/storm-state.js";
import { parseConfig } from "../../src/config/load.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import { createAlarmIntake } from "../../src/slack/alarm-intake.js";
import type { ReportFlow } from "../../src/slack/report-flow.js";
import type { StormThreads } from "../../src/slack/storm-thread.js";
import { MemoryAlarmMemory } from "../../src/state/alarm-memory.js";
import type { ReportStore } from "../../src/state/report-store.js";
import { healthyInterfaceSnapshot } from "../support/snapshot-factory.js";
import { alarmConfig, signedAlarm } from "../support/sns-alarm.js";

// The hold before a new endpoint's alarm may open a root of its own, on fake timers: the first alarms of a storm
// wait and join its thread instead of opening lone roots; a lone alarm is posted once its hold is over.

let published: string[];
let joined: string[];
let intake: ReturnType<typeof createAlarmIntake>;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-01-14T09:00:00Z") });
  published = [];
  joined = [];
  const flow = {
    prepare: async (request: { endpointId: string }) => ({
      report: { ...diagnoseSnapshot(healthyInterfaceSnapshot()), endpointId: request.endpointId },
      snapshot: {},
      startedAt: 0,
    }),
    publish: async (_client: unknown, _channel: string, request: { endpointId: string }) => {
      published.push(request.endpointId);
      return { id: "r", placement: { channel: "C", rootTs: "1.1", replies: {} } };
    },
  } as unknown as ReportFlow;
  const storms = {
    record: async () => {},
    inStorm: async () => false,
    join: async (_where: unknown, member: StormMember) => {
      joined.push(member.endpointId);
    },
  } as unknown as StormThreads;
  intake = createAlarmIntake({
    config: parseConfig(alarmConfig()),
    client: {} as webApi.WebClient,
    flow,
    store: { get: async () => undefined } as unknown as ReportStore,
    memory: new MemoryAlarmMemory(),
    queue: new ChannelQueue({ intervalMs: 0 }),
    storm: new StormDetector({ threshold: 2 }),
    storms,
    holdMs: 2_000,
    logger: pino({ level: "silent" }),
    parseOptions: {},
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const endpoint = (i: number) => `vpce-0${String(i).repeat(16)}`;

describe("the hold before a lone root", () => {
  it("lets the first alarms of a storm join its thread instead of opening roots of their own", async () => {
    const answers: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 4; i += 1) {
      answers.push(intake(signedAlarm({ endpointId: endpoint(i) }), "https"));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(joined).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(answers);
    expect(published).toEqual([]);
    expect(joined.sort()).toEqual([1, 2, 3, 4].map(endpoint));
  });

  it("posts a lone alarm's root once its hold is over, not before", async () => {
    const answer = intake(signedAlarm({ endpointId: endpoint(1) }), "https");
    await vi.advanceTimersByTimeAsync(1_900);
    expect(published).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await expect(answer).resolves.toEqual({ kind: "posted" });
    expect(published).toEqual([endpoint(1)]);
    expect(joined).toEqual([]);
  });
});
