import { X509Certificate } from "node:crypto";
import type { Checked } from "./sns-message.js";

// Signing certificates by URL: fetched once, parsed once, kept for a TTL in a bounded map. A fetch in flight is
// shared by concurrent messages; a failure is never cached.

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

interface Entry {
  expiresAt: number;
  certificate: Promise<Checked<X509Certificate>>;
}

/** Parsed signing certificates by URL, each kept `ttlMs`, at most `maxEntries` (least recently used leave first). */
export class CertificateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetchCertificate: FetchCertificate,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number,
  ) {}

  /** The certificate at `url`, from the cache while fresh, else fetched; never rejects. */
  get(url: string): Promise<Checked<X509Certificate>> {
    const now = this.clock();
    const hit = this.entries.get(url);
    this.entries.delete(url);
    if (hit && now < hit.expiresAt) {
      this.entries.set(url, hit);
      return hit.certificate;
    }
    this.makeRoom(now);
    const entry: Entry = { expiresAt: now + this.ttlMs, certificate: load(this.fetchCertificate, url) };
    this.entries.set(url, entry);
    void entry.certificate.then((result) => {
      if (!result.ok && this.entries.get(url) === entry) this.entries.delete(url);
    });
    return entry.certificate;
  }

  /** How many URLs are cached (fresh or not yet swept). */
  get size(): number {
    return this.entries.size;
  }

  private makeRoom(now: number): void {
    for (const [url, entry] of this.entries) {
      if (now >= entry.expiresAt) this.entries.delete(url);
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
