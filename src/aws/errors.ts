import type { Gap } from "../diagnosis/snapshot.js";

/** Raised when the credentials themselves are unusable: no diagnosis can run, the CLI exits 2. */
export class CredentialsError extends Error {
  override name = "CredentialsError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "OptInRequired",
]);
const THROTTLED = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "RateExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "PriorRequestNotComplete",
]);
const BAD_CREDENTIALS = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "AuthFailure",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "CredentialsProviderError",
]);

/** The error's AWS name (`Code` for EC2's XML errors, `name` otherwise). */
export function errorName(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { Code?: unknown; name?: unknown; code?: unknown };
    for (const candidate of [e.Code, e.name, e.code]) {
      if (typeof candidate === "string" && candidate !== "Error") return candidate;
    }
  }
  return "Error";
}

/** The error's message on one line, without request ids or encoded authorisation blobs. */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw
    .replace(/Encoded authorization failure message: \S+/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

/** True for the errors that mean "this principal may not do that". */
export function isAccessDenied(error: unknown): boolean {
  return DENIED.has(errorName(error));
}

/** True for the errors that mean the credentials are expired, unknown or malformed. */
export function isCredentialsError(error: unknown): boolean {
  return BAD_CREDENTIALS.has(errorName(error));
}

/** One actionable sentence for unusable credentials, by what went wrong with them. */
export function credentialsProblem(error: unknown, iamAction: string): string {
  const name = errorName(error);
  if (name === "CredentialsProviderError") {
    return "no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), run where an instance or task role applies, or use --account with a role";
  }
  if (name.startsWith("ExpiredToken")) {
    return `the AWS credentials have expired (${iamAction}): refresh them (for example aws sso login) and rerun`;
  }
  return `AWS rejected the credentials (${iamAction}: ${name}): ${errorMessage(error)}; check the access key, the profile and the clock`;
}

/** Normalises an SDK failure into a snapshot gap for one field and the IAM action that failed. */
export function toGap(source: string, iamAction: string, error: unknown): Gap {
  const name = errorName(error);
  const normalised = DENIED.has(name) ? "AccessDenied" : THROTTLED.has(name) ? "Throttling" : name;
  const requestId = requestIdOf(error);
  return {
    source,
    iamAction,
    error: normalised,
    message: errorMessage(error),
    ...(requestId ? { requestId } : {}),
  };
}

// The SDK puts the request id of an answered call in $metadata; a timeout or a socket error has none.
function requestIdOf(error: unknown): string | undefined {
  const metadata = (error as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata;
  const id = metadata?.requestId;
  return typeof id === "string" && /^[A-Za-z0-9-]{8,64}$/.test(id) ? id : undefined;
}
