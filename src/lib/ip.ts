import ipaddr from 'ipaddr.js';

export interface ParsedRange {
  /** Canonical CIDR text: network address and prefix, IPv6 in RFC 5952 form. */
  cidr: string;
  version: 4 | 6;
  /** First and last address as 32 hex digits in IPv6 space (IPv4 mapped to ::ffff:0:0/96). */
  start: string;
  end: string;
}

function toHex(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Parses an address or CIDR range, normalising the host bits away ('192.0.2.7/24' → '192.0.2.0/24').
 * Returns null when the input is not an IP range.
 */
export function parseIpRange(input: string): ParsedRange | null {
  const text = input.trim();
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (text.includes('/')) {
      [addr, prefix] = ipaddr.parseCIDR(text);
    } else {
      addr = ipaddr.parse(text);
      prefix = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return null;
  }
  // Strict dotted quads only: ipaddr.js also accepts forms like '0x7f.1' that nobody means.
  if (addr.kind() === 'ipv4' && !/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(text)) return null;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    prefix = Math.max(0, prefix - 96);
  }
  const bytes = addr.toByteArray();
  const first = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  const last = first.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b | (0xff >> keep);
  });
  const version = addr.kind() === 'ipv4' ? 4 : 6;
  const network = version === 4 ? ipaddr.fromByteArray(first).toString() : (ipaddr.fromByteArray(first) as ipaddr.IPv6).toRFC5952String();
  const mapped = (b: number[]) => (version === 4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...b] : b);
  return { cidr: `${network}/${prefix}`, version, start: toHex(mapped(first)), end: toHex(mapped(last)) };
}

/** 'AS64500', 'as 64500' or '64500' → 'AS64500'; null when not a 32-bit AS number. */
export function parseAsn(input: string): string | null {
  const m = /^\s*(?:AS\s*)?(\d{1,10})\s*$/i.exec(input);
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  return n > 0 && n <= 4294967295 ? `AS${n}` : null;
}

/**
 * Plain IPv6 text (hex groups and colons, at most one '::', no embedded IPv4, no zone) as its eight
 * 16-bit groups; null for anything else, which callers hand to ipaddr.js. Bulk paths (a report of a
 * million rows) read addresses here: ipaddr.js's regular expressions cost several times as much.
 */
export function plainIpv6Groups(text: string): number[] | null {
  const n = text.length;
  if (n < 2 || n > 39) return null;
  const head: number[] = [];
  let tail: number[] | null = null;
  let value = 0;
  let digits = 0;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    // Only '::' may open an address.
    if (text.charCodeAt(1) !== 58) return null;
    tail = [];
    i = 2;
  }
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      if (digits === 0) return null;
      (tail ?? head).push(value);
      value = 0;
      digits = 0;
      if (text.charCodeAt(i + 1) === 58) {
        if (tail) return null;
        tail = [];
        i++;
      } else if (i + 1 === n) return null;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0 || ++digits > 4) return null;
    value = value * 16 + d;
  }
  if (digits > 0) (tail ?? head).push(value);
  if (!tail) return head.length === 8 ? head : null;
  // '::' stands for at least one group of zeros.
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return null;
  for (let z = 0; z < zeros; z++) head.push(0);
  for (const g of tail) head.push(g);
  return head;
}

/** The IPv4 address (a uint32) of an IPv4-mapped IPv6 address (::ffff:a.b.c.d), -1 for any other. */
export function mappedIpv4OfGroups(groups: readonly number[]): number {
  for (let i = 0; i < 5; i++) if (groups[i] !== 0) return -1;
  return groups[5] === 0xffff ? groups[6]! * 65536 + groups[7]! : -1;
}

/** Eight 16-bit groups as RFC 5952 text: lower-case, no leading zeros, the longest run of two or more zero groups (the first of equals) as '::'. */
export function ipv6GroupsText(groups: readonly number[]): string {
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  return bestAt < 0 ? hex(0, 8) : `${hex(0, bestAt)}::${hex(bestAt + bestLength, 8)}`;
}

/** Eight 16-bit groups as one 128-bit number. */
export function ipv6GroupsBigInt(groups: readonly number[]): bigint {
  const word = (i: number) => BigInt(groups[i]! * 65536 + groups[i + 1]!);
  return (word(0) << 96n) | (word(2) << 64n) | (word(4) << 32n) | word(6);
}

/** An IPv4 address given as a uint32, as a dotted quad. */
export function ipv4Text(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
