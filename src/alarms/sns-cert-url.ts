import type { Checked } from "./sns-message.js";

// Where SNS signing certificates may come from: https://sns.<region>.amazonaws.com/<name>.pem in the aws and
// aws-us-gov partitions (e.g. sns.us-gov-west-1.amazonaws.com), https://sns.<region>.amazonaws.com.cn/... in aws-cn.
// The region label must look like a region (letters, dashes, a number): the looser [a-z0-9-]+ of the AWS SDK
// validators also admits S3 virtual hosts such as sns.s3-us-west-2.amazonaws.com, which anyone owning a bucket named
// "sns" could serve.

/** The SNS API hosts that serve signing certificates; group 1 is the region, group 2 the China suffix. */
export const SNS_CERT_HOST = /^sns\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(\.cn)?$/;

const MAX_URL_LENGTH = 2048;

function hostReason(host: string): string | undefined {
  const match = SNS_CERT_HOST.exec(host);
  if (!match)
    return `SigningCertURL host "${host}" is not an Amazon SNS host (sns.<region>.amazonaws.com[.cn])`;
  const china = match[1]!.startsWith("cn-");
  if (china !== (match[2] !== undefined)) {
    return `SigningCertURL host "${host}" pairs region ${match[1]} with the wrong partition domain`;
  }
  return undefined;
}

/** Checks a SigningCertURL: https, an SNS host, no userinfo, port, query or fragment, a path ending in .pem. */
export function checkSigningCertUrl(raw: string): Checked<URL> {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: "SigningCertURL is too long" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "SigningCertURL is not a URL" };
  }
  if (url.protocol !== "https:")
    return { ok: false, reason: `SigningCertURL must use https, not ${url.protocol}` };
  if (url.username !== "" || url.password !== "")
    return { ok: false, reason: "SigningCertURL carries credentials" };
  if (url.port !== "") return { ok: false, reason: `SigningCertURL names port ${url.port}` };
  const badHost = hostReason(url.hostname);
  if (badHost) return { ok: false, reason: badHost };
  if (url.search !== "" || url.hash !== "")
    return { ok: false, reason: "SigningCertURL has a query or fragment" };
  if (!url.pathname.endsWith(".pem"))
    return { ok: false, reason: "SigningCertURL path does not end with .pem" };
  return { ok: true, value: url };
}
