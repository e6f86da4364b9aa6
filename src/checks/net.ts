import ipaddr from "ipaddr.js";

// Address arithmetic shared by the network checks, on top of ipaddr.js.

type Parsed = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(cidr: string): Parsed | undefined {
  try {
    if (cidr.includes("/")) return ipaddr.parseCIDR(cidr);
    const address = ipaddr.parse(cidr);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  } catch {
    return undefined;
  }
}

/** True when `cidr` parses as an IPv4 or IPv6 address or CIDR block. */
export function isCidr(cidr: string): boolean {
  return parseCidr(cidr) !== undefined;
}

/** 4 or 6 for an address or CIDR, undefined when it does not parse. */
export function ipVersion(cidr: string): 4 | 6 | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return undefined;
  return parsed[0].kind() === "ipv4" ? 4 : 6;
}

/** True when every address of `inner` lies within `outer` (same family only). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o[0].kind() !== i[0].kind()) return false;
  return i[1] >= o[1] && i[0].match(o);
}

/** True when the two blocks share at least one address (same family only). */
export function cidrOverlaps(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}
