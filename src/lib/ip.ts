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
