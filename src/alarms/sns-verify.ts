import { createVerify, type X509Certificate } from "node:crypto";
import { CertificateCache, type FetchCertificate, fetchCertificateOverHttps } from "./sns-cert-cache.js";
import { checkSigningCertUrl } from "./sns-cert-url.js";
import { parseSnsMessage, type SnsMessage, snsStringToSign } from "./sns-message.js";

// Verifies that a message POSTed to the SNS webhook (or read from SQS) was signed by Amazon SNS, following
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html.

/** Downloads a signing certificate's PEM text. */
export type { FetchCertificate } from "./sns-cert-cache.js";
/** An SNS message (Notification, SubscriptionConfirmation or UnsubscribeConfirmation) with its signed fields. */
export type { SnsMessage } from "./sns-message.js";

/**
 * What `SnsVerifier.verify` answers: the checked message, or a one-line reason it was refused; `retryable` when
 * the certificate was not even fetched (too many fetches lately), so a genuine message should come again later.
 */
export type SnsVerification =
  | { ok: true; message: SnsMessage }
  | { ok: false; reason: string; retryable?: boolean };

/** Options of `SnsVerifier`; every one has a production default. */
export interface SnsVerifierOptions {
  /** Downloads a certificate; default: node's fetch, https only, 5 s timeout. */
  fetchCertificate?: (url: string) => Promise<string>;
  /** How long a downloaded certificate is reused; default 1 hour. */
  cacheTtlMs?: number;
  /** How many certificate URLs are cached at most; default 32. */
  maxCachedCertificates?: number;
  /** Milliseconds since the epoch, for the cache and the certificate's validity dates; default Date.now. */
  clock?: () => number;
  /** Certificate fetches at once at most; default 2. */
  maxConcurrentFetches?: number;
  /** How long a URL whose fetch failed is refused without fetching; default 60 s. */
  failureTtlMs?: number;
  /** URLs never fetched before: a burst of this many (default 4), then one per `newUrlEveryMs` (default 60 s). */
  newUrlBurst?: number;
  newUrlEveryMs?: number;
}

/** A signature must be standard base64 of a whole number of blocks (2048-bit RSA: 344 characters). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_SIGNATURE_LENGTH = 2048;

function signatureMatches(message: SnsMessage, certificate: X509Certificate): boolean {
  const algorithm = message.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256";
  const verifier = createVerify(algorithm);
  verifier.update(snsStringToSign(message), "utf8");
  return verifier.verify(certificate.publicKey, message.Signature, "base64");
}

function validAt(certificate: X509Certificate, now: number): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return from <= now && now <= to;
}

/** Checks SNS message signatures: fields, SignatureVersion, certificate URL, certificate, signature; never throws. */
export class SnsVerifier {
  private readonly certificates: CertificateCache;
  private readonly clock: () => number;

  constructor(options: SnsVerifierOptions = {}) {
    const ttl = options.cacheTtlMs ?? 60 * 60 * 1000;
    const max = options.maxCachedCertificates ?? 32;
    if (!(ttl >= 0) || !Number.isInteger(max) || max < 1) {
      throw new RangeError("cacheTtlMs must be >= 0 and maxCachedCertificates an integer >= 1");
    }
    this.clock = options.clock ?? Date.now;
    const fetchCertificate: FetchCertificate = options.fetchCertificate ?? fetchCertificateOverHttps;
    this.certificates = new CertificateCache({
      fetchCertificate,
      ttlMs: ttl,
      maxEntries: max,
      clock: this.clock,
      maxConcurrentFetches: options.maxConcurrentFetches,
      failureTtlMs: options.failureTtlMs,
      newUrlBurst: options.newUrlBurst,
      newUrlEveryMs: options.newUrlEveryMs,
    });
  }

  /** Verifies one message body (parsed JSON); answers ok with a copy of its SNS fields, or a reason. */
  async verify(body: unknown): Promise<SnsVerification> {
    try {
      return await this.check(body);
    } catch (error) {
      const detail = error instanceof Error ? error.name : typeof error;
      return { ok: false, reason: `verification failed unexpectedly (${detail})` };
    }
  }

  private async check(body: unknown): Promise<SnsVerification> {
    const parsed = parseSnsMessage(body);
    if (!parsed.ok) return parsed;
    const message = parsed.value;
    if (message.Signature.length > MAX_SIGNATURE_LENGTH || !BASE64.test(message.Signature)) {
      return { ok: false, reason: "Signature is not base64" };
    }
    const url = checkSigningCertUrl(message.SigningCertURL);
    if (!url.ok) return url;
    const certificate = await this.certificates.get(url.value.href);
    if (!certificate.ok) return certificate;
    if (certificate.value.publicKey.asymmetricKeyType !== "rsa") {
      return { ok: false, reason: "the signing certificate does not hold an RSA key" };
    }
    if (!signatureMatches(message, certificate.value)) {
      return {
        ok: false,
        reason: `signature does not match the message (SignatureVersion ${message.SignatureVersion})`,
      };
    }
    if (!validAt(certificate.value, this.clock())) {
      const { validFrom, validTo } = certificate.value;
      return { ok: false, reason: `the signing certificate is valid only from ${validFrom} to ${validTo}` };
    }
    this.certificates.confirm(url.value.href);
    return { ok: true, message };
  }
}
