import ipaddr from "ipaddr.js";

// Exact set arithmetic on addresses and ports, for "which part is not covered" answers:
// a set is a sorted list of disjoint inclusive [first, last] integer intervals.

/** Sorted, disjoint, non-adjacent inclusive intervals of integers (addresses or ports). */
export type Ranges = readonly (readonly [bigint, bigint])[];

/** A set of IP addresses of one family. */
export interface AddressSet {
  readonly family: 4 | 6;
  readonly ranges: Ranges;
}

/** Sorts and merges overlapping or adjacent intervals. */
export function normalizeRanges(ranges: readonly (readonly [bigint, bigint])[]): Ranges {
  const sorted = ranges.filter(([a, b]) => a <= b).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) {
      if (b > last[1]) last[1] = b;
    } else {
      out.push([a, b]);
    }
  }
  return out;
}

/** Every integer in `a` or `b`. */
export function unionRanges(a: Ranges, b: Ranges): Ranges {
  return normalizeRanges([...a, ...b]);
}

// Math.min/max do not take bigints.
function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
function bigMin(a: bigint, b: bigint): bigint {
  return a > b ? b : a;
}

/** Every integer in both `a` and `b`. */
export function intersectRanges(a: Ranges, b: Ranges): Ranges {
  const out: [bigint, bigint][] = [];
  for (const [a1, a2] of a) {
    for (const [b1, b2] of b) {
      const lo = bigMax(a1, b1);
      const hi = bigMin(a2, b2);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return normalizeRanges(out);
}

/** Every integer in `a` that is not in `b`. */
export function subtractRanges(a: Ranges, b: Ranges): Ranges {
  let rest: [bigint, bigint][] = a.map(([x, y]) => [x, y]);
  for (const [b1, b2] of b) {
    const next: [bigint, bigint][] = [];
    for (const [x, y] of rest) {
      if (b2 < x || b1 > y) {
        next.push([x, y]);
        continue;
      }
      if (x < b1) next.push([x, b1 - 1n]);
      if (y > b2) next.push([b2 + 1n, y]);
    }
    rest = next;
  }
  return normalizeRanges(rest);
}

/** An inclusive port interval as a one-interval range set. */
export function portRange(from: number, to: number): Ranges {
  return normalizeRanges([[BigInt(from), BigInt(to)]]);
}

/** "443", "1024-2000", or "1024-2000, 3000-65535". */
export function formatPorts(ports: Ranges): string {
  return ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function fromBigInt(value: bigint, family: 4 | 6): string {
  const length = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < length; i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The set of addresses in an address or CIDR block (host bits ignored), undefined when it does not parse. */
export function cidrSet(cidr: string): AddressSet | undefined {
  try {
    const [address, prefix] = cidr.includes("/") ? ipaddr.parseCIDR(cidr) : [ipaddr.parse(cidr), undefined];
    const family = address.kind() === "ipv4" ? 4 : 6;
    const bits = bitsOf(family);
    const length = BigInt(bits - (prefix ?? bits));
    const size = 1n << length;
    const start = (toBigInt(address.toByteArray()) >> length) << length;
    return { family, ranges: [[start, start + size - 1n]] };
  } catch {
    return undefined;
  }
}

/** The canonical CIDR of an address or block: "10.0.3.7" -> "10.0.3.7/32", "10.0.3.7/16" -> "10.0.0.0/16". */
export function canonicalCidr(cidr: string): string | undefined {
  const set = cidrSet(cidr);
  return set ? toCidrs(set)[0] : undefined;
}

/** The empty set of one family. */
export function emptySet(family: 4 | 6): AddressSet {
  return { family, ranges: [] };
}

/** True when the set holds no address. */
export function isEmptySet(set: AddressSet): boolean {
  return set.ranges.length === 0;
}

/** Addresses in `a` or `b` (`b` is ignored when of the other family). */
export function union(a: AddressSet, b: AddressSet): AddressSet {
  return a.family === b.family ? { family: a.family, ranges: unionRanges(a.ranges, b.ranges) } : a;
}

/** Addresses in both `a` and `b` (empty across families). */
export function intersect(a: AddressSet, b: AddressSet): AddressSet {
  return a.family === b.family
    ? { family: a.family, ranges: intersectRanges(a.ranges, b.ranges) }
    : emptySet(a.family);
}

/** Addresses in `a` and not in `b` (`a` unchanged across families). */
export function subtract(a: AddressSet, b: AddressSet): AddressSet {
  return a.family === b.family ? { family: a.family, ranges: subtractRanges(a.ranges, b.ranges) } : a;
}

/** True when every address of `inner` is in `outer`. */
export function covers(outer: AddressSet, inner: AddressSet): boolean {
  return isEmptySet(subtract(inner, outer));
}

/** The fewest CIDR blocks that make up the set, in address order. */
export function toCidrs(set: AddressSet): string[] {
  const bits = bitsOf(set.family);
  const out: string[] = [];
  for (const [first, last] of set.ranges) {
    let start = first;
    while (start <= last) {
      let length = 0;
      while (
        length < bits &&
        (start & ((1n << BigInt(length + 1)) - 1n)) === 0n &&
        start + (1n << BigInt(length + 1)) - 1n <= last
      ) {
        length++;
      }
      out.push(`${fromBigInt(start, set.family)}/${bits - length}`);
      start += 1n << BigInt(length);
    }
  }
  return out;
}

/** The set as CIDRs joined for a sentence, at most `limit` of them and "...and N more". */
export function formatSet(set: AddressSet, limit = 6): string {
  const cidrs = toCidrs(set);
  if (cidrs.length <= limit) return cidrs.join(", ");
  return `${cidrs.slice(0, limit).join(", ")} ...and ${cidrs.length - limit} more`;
}
