import { createHash, randomUUID } from "node:crypto";
import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { ChannelQueue } from "../alarms/channel-queue.js";
import { addMember, newStorm, type StormMember, type StormState } from "../alarms/storm-state.js";
import { RateLimiter } from "../aws/rate-limit.js";
import { renderStorm, renderStormExport } from "../render/slack-storm.js";
import type { SlackMessage } from "../render/slack-types.js";
import type { StateStore } from "../state/state-store.js";

// One thread per alarm storm, kept in the StateStore so every replica adds to the same one. Adding an endpoint is a
// short locked read-modify-write; the thread is then brought up to date by one flusher at a time (a token in the
// store), at most once per `editEveryMs`, posting new replies in the channel's paced turn and editing the rest
// within chat.update's own limit. An add resolves once a flush has shown its endpoint in Slack.

/** Which storm: one channel, account and region. */
export interface StormWhere {
  channel: string;
  accountId: string;
  accountAlias: string;
  region: string;
}

/** What the storm threads need; the timings have production defaults. */
export interface StormThreadsDeps {
  client: webApi.WebClient;
  state: StateStore;
  /** The channel's paced posts (shared with the other alarm posts). */
  queue: ChannelQueue;
  logger: Logger;
  clock?: () => number;
  /** At most one edit of the thread's messages per this many ms (default 2,000). */
  editEveryMs?: number;
  /** A storm stays open this long after its last alarm (default 10 minutes). */
  openMs?: number;
  /** More than this many endpoints alarming in a channel within `windowMs` is a storm, counted over all replicas (default 5). */
  threshold?: number;
  /** Default 60,000: a sliding minute. */
  windowMs?: number;
  /** chat.update is Slack's Tier 3 (50+ a minute): edits are paced to this many a second (default 50/60). */
  editsPerSecond?: number;
}

const STATE_TTL_MS = 24 * 3_600_000;
const LOCK_MS = 10_000;
const FLUSH_LEASE_MS = 60_000;
const RETRY_MS = 25;
const LOCK_TRIES = 800;

/** The storm threads of this process, over a store shared with the other replicas. */
export class StormThreads {
  private readonly owner = randomUUID();
  private readonly edits: RateLimiter;
  /** Per storm id: endpoints added here and not yet shown, and the flush timer. */
  private readonly pending = new Map<string, { waiters: Map<string, Waiter[]>; timer?: NodeJS.Timeout }>();

  constructor(private readonly deps: StormThreadsDeps) {
    this.edits = new RateLimiter(deps.editsPerSecond ?? 50 / 60, 1);
  }

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Records an endpoint alarming in a channel at `at`, in the count every replica shares. */
  async record(channel: string, endpointId: string, at: number): Promise<void> {
    await this.locked(`count:${channel}`, async () => {
      const seen = await this.seen(channel, at);
      seen[endpointId] = at;
      await this.deps.state.put(`stormseen:${channel}`, JSON.stringify(seen), this.deps.windowMs ?? 60_000);
    });
  }

  /**
   * True when the channel is in a storm at `at`: a storm thread is open there for this account and region, or more
   * than the threshold of endpoints alarmed in the channel within the window, on any replica.
   */
  async inStorm(where: StormWhere, at: number): Promise<boolean> {
    if ((await this.deps.state.get(pointerKey(where))) !== undefined) return true;
    return Object.keys(await this.seen(where.channel, at)).length > (this.deps.threshold ?? 5);
  }

  /** The endpoints that alarmed in the channel within the window before `at`, with when. */
  private async seen(channel: string, at: number): Promise<Record<string, number>> {
    const text = await this.deps.state.get(`stormseen:${channel}`);
    const seen = text === undefined ? {} : (JSON.parse(text) as Record<string, number>);
    const since = at - (this.deps.windowMs ?? 60_000);
    for (const [id, last] of Object.entries(seen)) if (last <= since) delete seen[id];
    return seen;
  }

  /** Adds a diagnosed endpoint to the open storm (opening one if none is); resolves once Slack shows it. */
  async join(where: StormWhere, member: StormMember): Promise<void> {
    const id = await this.open(where);
    await this.locked(id, async () => {
      const state = (await this.read(id)) ?? newStorm({ id, ...where, openedAt: this.now() });
      addMember(state, member);
      await this.write(state);
    });
    const shown = new Promise<void>((resolve, reject) => {
      const storm = this.pendingOf(id);
      const list = storm.waiters.get(member.endpointId) ?? [];
      list.push({ resolve, reject });
      storm.waiters.set(member.endpointId, list);
    });
    this.schedule(id, 0);
    await shown;
  }

  /** The storm's export files, or undefined when it is no longer stored. */
  async exportOf(id: string): Promise<{ csv: string; json: string; state: StormState } | undefined> {
    const state = await this.read(id);
    return state ? { ...renderStormExport(state), state } : undefined;
  }

  /** The open storm's id, refreshing how long it stays open; a new one when none is (one replica wins). */
  private async open(where: StormWhere): Promise<string> {
    const key = pointerKey(where);
    const openMs = this.deps.openMs ?? 10 * 60_000;
    let id = await this.deps.state.get(key);
    if (id === undefined) {
      const mine = `${where.channel}|${where.accountId}|${where.region}|${this.now()}`;
      id = (await this.deps.state.putIfAbsent(key, mine, openMs)) ? mine : await this.deps.state.get(key);
    }
    const open = id ?? `${where.channel}|${where.accountId}|${where.region}|${this.now()}`;
    await this.deps.state.put(key, open, openMs);
    return open;
  }

  private pendingOf(id: string) {
    let storm = this.pending.get(id);
    if (!storm) {
      storm = { waiters: new Map() };
      this.pending.set(id, storm);
    }
    return storm;
  }

  private schedule(id: string, delayMs: number): void {
    const storm = this.pendingOf(id);
    if (storm.timer) return;
    storm.timer = setTimeout(() => {
      storm.timer = undefined;
      void this.tryFlush(id);
    }, delayMs);
  }

  /** Flushes when this replica holds the storm's flush token; otherwise tries again a little later. */
  private async tryFlush(id: string): Promise<void> {
    const storm = this.pendingOf(id);
    const token = `stormflush:${id}`;
    if (!(await this.deps.state.putIfAbsent(token, this.owner, FLUSH_LEASE_MS))) {
      this.schedule(id, Math.min(500, this.deps.editEveryMs ?? 2_000));
      return;
    }
    const waiting = [...storm.waiters.entries()];
    storm.waiters.clear();
    try {
      const state = await this.flush(id);
      for (const [endpointId, list] of waiting) {
        if (state?.entries[endpointId]) for (const w of list) w.resolve();
        else storm.waiters.set(endpointId, [...(storm.waiters.get(endpointId) ?? []), ...list]);
      }
      // The token stays taken for the edit interval, so no replica edits these messages again sooner.
      await this.deps.state.put(token, this.owner, this.deps.editEveryMs ?? 2_000);
    } catch (error) {
      this.deps.logger.error(
        { storm: id, err: (error as Error).message },
        "storm thread could not be updated",
      );
      for (const [, list] of waiting) for (const w of list) w.reject(error as Error);
      await this.deps.state.delete(token);
    }
    if (storm.waiters.size > 0) this.schedule(id, this.deps.editEveryMs ?? 2_000);
    else if (!storm.timer) this.pending.delete(id);
  }

  /** Posts what is new and edits what changed since the last flush; returns the state it showed. */
  private async flush(id: string): Promise<StormState | undefined> {
    const state = await this.read(id);
    if (!state) return undefined;
    const messages = renderStorm(state);
    const posted = {
      ...state.posted,
      replies: { ...state.posted.replies },
      shown: { ...state.posted.shown },
    };
    const root = messages[0]!;
    if (!posted.rootTs) {
      posted.rootTs = await this.post(state.channel, root.message);
      posted.shown.root = hash(root.message);
      await this.savePosted(id, posted);
    }
    for (const { key, message } of messages.slice(1)) {
      const ts = posted.replies[key];
      if (!ts) posted.replies[key] = await this.post(state.channel, message, posted.rootTs);
      else if (posted.shown[key] !== hash(message)) await this.update(state.channel, ts, message);
      posted.shown[key] = hash(message);
    }
    if (posted.shown.root !== hash(root.message)) {
      await this.update(state.channel, posted.rootTs, root.message);
      posted.shown.root = hash(root.message);
    }
    await this.savePosted(id, posted);
    return state;
  }

  private async savePosted(id: string, posted: StormState["posted"]): Promise<void> {
    await this.locked(id, async () => {
      const state = await this.read(id);
      if (!state) return;
      state.posted = posted;
      await this.write(state);
    });
  }

  private async post(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    const out = await this.deps.queue.enqueue(channel, () =>
      this.deps.client.chat.postMessage({
        channel,
        ...message,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return out.ts!;
  }

  private async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.edits.take();
    await this.deps.client.chat.update({ channel, ts, ...message });
  }

  /** Runs `fn` holding the storm's lock (a conditional insert with a lease), waiting for it in short steps. */
  private async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const key = `stormlock:${id}`;
    for (let tries = 0; !(await this.deps.state.putIfAbsent(key, this.owner, LOCK_MS)); tries += 1) {
      if (tries >= LOCK_TRIES) throw new Error(`storm ${id} stayed locked`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await this.deps.state.delete(key);
    }
  }

  private async read(id: string): Promise<StormState | undefined> {
    const text = await this.deps.state.get(`storm:${id}`);
    return text === undefined ? undefined : (JSON.parse(text) as StormState);
  }

  private async write(state: StormState): Promise<void> {
    await this.deps.state.put(`storm:${state.id}`, JSON.stringify(state), STATE_TTL_MS);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

function pointerKey(where: StormWhere): string {
  return `stormopen:${JSON.stringify([where.channel, where.accountId, where.region])}`;
}

function hash(message: SlackMessage): string {
  return createHash("sha256").update(JSON.stringify(message)).digest("base64");
}
