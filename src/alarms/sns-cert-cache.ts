import { X509Certificate } from "node:crypto";
import type { Checked } from "./sns-message.js";

// Signing certificates by URL, built so that unsigned traffic cannot turn the bot into a fetcher: a certificate
// that verified a message ("in use") is evicted only by another one in use; URLs never fetched before spend a
// small budget (a burst, then one a minute), at most a few fetches run at once, and a failure is remembered
// for a minute. A fetch in flight is shared by concurrent messages.

/** Downloads the PEM text at an https URL. */
export type FetchCertificate = (url: string) => Promise<string>;

/** Signing certificates are a couple of kilobytes; anything far larger is not one. */
const MAX_PEM_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/** The default FetchCertificate: node's fetch, https only, no redirects, 5 s timeout, 64 KiB at most. */
export async function fetchCertificateOverHttps(url: string): Promise<string> {
  if (new URL(url).protocol !== "https:") throw new Error("certificates are fetched over https only");
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (Number(response.headers.get("content-length") ?? 0) > MAX_PEM_BYTES)
    throw new Error("response too large");
  const text = await response.text();
  if (text.length > MAX_PEM_BYTES) throw new Error("response too large");
  return text;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, " ").trim().slice(0, 200) || "unknown error";
}

async function load(fetchCertificate: FetchCertificate, url: string): Promise<Checked<X509Certificate>> {
  let pem: unknown;
  try {
    pem = await fetchCertificate(url);
  } catch (error) {
    return { ok: false, reason: `could not fetch the signing certificate: ${oneLine(error)}` };
  }
  if (typeof pem !== "string") return { ok: false, reason: "the signing certificate fetch returned no text" };
  try {
    return { ok: true, value: new X509Certificate(pem) };
  } catch {
    return { ok: false, reason: "the signing certificate is not a PEM X.509 certificate" };
  }
}

/** A certificate, or a one-line reason; `retryable` when it was not even tried (busy), so SNS should redeliver. */
export type CertificateResult =
  | { ok: true; value: X509Certificate }
  | { ok: false; reason: string; retryable?: boolean };

/** Tuning of `CertificateCache`; the limits have defaults. */
export interface CertificateCacheOptions {
  fetchCertificate: FetchCertificate;
  /** How long a fetched certificate is reused. */
  ttlMs: number;
  /** How many certificates in use are kept at most. */
  maxEntries: number;
  clock: () => number;
  /** Fetches running at once at most (default 2); more are refused as retryable. */
  maxConcurrentFetches?: number;
  /** How long a failed URL is refused without a new fetch (default 60 s). */
  failureTtlMs?: number;
  /** New URLs fetched in a burst (default 4), then one per `newUrlEveryMs` (default 60 s). */
  newUrlBurst?: number;
  newUrlEveryMs?: number;
}

interface Cached {
  certificate: X509Certificate;
  expiresAt: number;
}

/** Fetched but not yet confirmed certificates kept at most, and failed URLs remembered at most. */
const MAX_UNCONFIRMED = 8;
const MAX_FAILED = 1_024;

/** Signing certificates by URL with the limits described at the top of this file. */
export class CertificateCache {
  private readonly inUse = new Map<string, Cached>();
  private readonly unconfirmed = new Map<string, Cached>();
  private readonly failed = new Map<string, number>();
  private readonly pending = new Map<string, Promise<CertificateResult>>();
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly options: CertificateCacheOptions) {
    this.tokens = options.newUrlBurst ?? 4;
    this.refilledAt = options.clock();
  }

  /** The certificate at `url`: cached, shared with a fetch in flight, fetched if the limits allow; never rejects. */
  get(url: string): Promise<CertificateResult> {
    const now = this.options.clock();
    const cached = this.cached(url, now);
    if (cached) return Promise.resolve({ ok: true, value: cached });
    const pending = this.pending.get(url);
    if (pending) return pending;
    const refusal = this.refusal(url, now);
    if (refusal) return Promise.resolve(refusal);
    const loading = load(this.options.fetchCertificate, url).then((result) => this.settle(url, result));
    this.pending.set(url, loading);
    return loading;
  }

  /** Marks `url`'s certificate as in use (it verified a message): kept, and evicted only by another in use. */
  confirm(url: string): void {
    const entry = this.inUse.get(url) ?? this.unconfirmed.get(url);
    if (!entry) return;
    this.unconfirmed.delete(url);
    this.inUse.delete(url);
    this.inUse.set(url, entry);
    while (this.inUse.size > this.options.maxEntries) this.inUse.delete(this.inUse.keys().next().value!);
  }

  /** How many certificates are cached, in use or not. */
  get size(): number {
    return this.inUse.size + this.unconfirmed.size;
  }

  private cached(url: string, now: number): X509Certificate | undefined {
    const used = this.inUse.get(url);
    if (used && now < used.expiresAt) {
      this.inUse.delete(url);
      this.inUse.set(url, used);
      return used.certificate;
    }
    const fetched = this.unconfirmed.get(url);
    return fetched && now < fetched.expiresAt ? fetched.certificate : undefined;
  }

  private refusal(url: string, now: number): CertificateResult | undefined {
    const failedUntil = this.failed.get(url);
    if (failedUntil !== undefined && now < failedUntil)
      return { ok: false, reason: "the signing certificate could not be fetched a moment ago" };
    if (this.pending.size >= (this.options.maxConcurrentFetches ?? 2))
      return { ok: false, reason: "too many signing certificates are being fetched", retryable: true };
    // A certificate in use is refreshed at its TTL without spending the budget for new URLs.
    if (!this.inUse.has(url) && !this.takeToken(now))
      return { ok: false, reason: "too many new signing certificate URLs lately", retryable: true };
    return undefined;
  }

  private takeToken(now: number): boolean {
    const burst = this.options.newUrlBurst ?? 4;
    const every = this.options.newUrlEveryMs ?? 60_000;
    const earned = Math.floor((now - this.refilledAt) / every);
    if (earned > 0) {
      this.tokens = Math.min(burst, this.tokens + earned);
      this.refilledAt = this.tokens === burst ? now : this.refilledAt + earned * every;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private settle(url: string, result: Checked<X509Certificate>): CertificateResult {
    this.pending.delete(url);
    const now = this.options.clock();
    if (!result.ok) {
      this.failed.delete(url);
      this.failed.set(url, now + (this.options.failureTtlMs ?? 60_000));
      if (this.failed.size > MAX_FAILED) this.failed.delete(this.failed.keys().next().value!);
      return result;
    }
    const entry: Cached = { certificate: result.value, expiresAt: now + this.options.ttlMs };
    if (this.inUse.has(url)) this.inUse.set(url, entry);
    else {
      this.unconfirmed.delete(url);
      this.unconfirmed.set(url, entry);
      if (this.unconfirmed.size > MAX_UNCONFIRMED)
        this.unconfirmed.delete(this.unconfirmed.keys().next().value!);
    }
    return result;
  }
}
