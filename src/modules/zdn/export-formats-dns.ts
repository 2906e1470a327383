import { parseIpRange, type ParsedRange } from '#lib/ip.ts';

/**
 * The name and address checks the ZDN exports share, and the DNS RPZ zone. Kept apart from
 * export-formats.ts only for size; pure functions, no I/O.
 */

/** One LDH label (RFC 952/1123 host names): letters, digits, hyphens, no hyphen at either end. */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The value as a strict LDH name (lower case, no trailing dot), or null. Anything else (an underscore,
 * a space, a wildcard, Unicode) is refused rather than repaired: these names go into zone files, rules
 * and block lists, where a "repaired" name would block something nobody reported. At least two labels
 * (a bare 'com' would block a whole TLD) and a non-numeric last label (so '192.0.2.1' is no name).
 */
export function ldhName(value: string): string | null {
  // ASCII first, then lower case: 'K' (U+212A KELVIN SIGN) lower-cases to an ASCII 'k'.
  if (!/^[A-Za-z0-9.-]+$/.test(value)) return null;
  const name = value.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => LDH_LABEL.test(l))) return null;
  return /^\d+$/.test(labels[labels.length - 1] ?? '') ? null : name;
}

export interface IpIndicator {
  range: ParsedRange;
  /** Network address (host bits cleared), RFC 5952 for IPv6. */
  address: string;
  prefix: number;
  /** The address alone for one host, else address/prefix. */
  text: string;
}

/**
 * An address or range in canonical form, or null. Ranges wider than /8 (IPv4) or /16 (IPv6) are refused:
 * no IoC is that wide, and in a blocking feed (RPZ, EDL) such a typo would cut hospitals off from a
 * large part of the internet.
 */
export function ipIndicator(value: string): IpIndicator | null {
  const range = parseIpRange(value);
  if (!range) return null;
  const [address = '', bits = ''] = range.cidr.split('/');
  const prefix = Number(bits);
  const full = range.version === 4 ? 32 : 128;
  if (prefix < (range.version === 4 ? 8 : 16)) return null;
  return { range, address, prefix, text: prefix === full ? address : range.cidr };
}

/**
 * RPZ IP trigger owner (draft-vixie-dnsop-dns-rpz §4.2): prefix length, then the address reversed;
 * IPv4 by octet, IPv6 by 16-bit word in hex without leading zeros, the longest run of two or more
 * zero words written 'zz' (as RFC 5952 would write '::'). 2001:db8::/32 → 32.zz.db8.2001.rpz-ip
 */
export function rpzIpOwner(ip: IpIndicator): string {
  if (ip.range.version === 4) return `${ip.prefix}.${ip.address.split('.').reverse().join('.')}.rpz-ip`;
  // range.start is the network address as 32 hex digits.
  const words = (ip.range.start.match(/.{4}/g) ?? []).map((w) => parseInt(w, 16).toString(16));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (words[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = Math.max(j, i + 1);
  }
  const parts = best < 0 ? words : [...words.slice(0, best), 'zz', ...words.slice(best + bestLength)];
  return `${ip.prefix}.${parts.reverse().join('.')}.rpz-ip`;
}

/** The zone origin, absolute and lower case; a bad origin is operator configuration, so it throws. */
export function rpzOrigin(input = 'rpz.wachtpost.example.'): string {
  const name = ldhName(input);
  if (!name) throw new RangeError(`RPZ origin ${JSON.stringify(input)} is not a host name such as rpz.example.org.`);
  return `${name}.`;
}

/**
 * Zone head. The serial is generatedAt in Unix seconds rather than YYYYMMDDnn: it rises with every
 * generation (one a second) without a counter kept anywhere, which this pure function cannot keep, and
 * fits RFC 1982 serial arithmetic until 2106. SOA/NS point at localhost as RPZ zones customarily do:
 * the zone is transferred or loaded, never queried by name.
 */
export function rpzHead(origin: string, generatedAt: Date): string[] {
  const serial = Math.floor(generatedAt.getTime() / 1000);
  return ['$TTL 300', `$ORIGIN ${origin}`, `@ IN SOA localhost. hostmaster.localhost. ${serial} 3600 600 604800 300`, '@ IN NS localhost.'];
}

/**
 * Records for one indicator, owners relative to $ORIGIN, action NXDOMAIN ('CNAME .'). A name gets
 * itself and its subdomains; an address or range is a response-IP trigger. Anything that does not
 * pass ldhName or ipIndicator gives no records, so one bad row never breaks the zone.
 */
export function rpzRecords(type: string, value: string, origin: string): string[] {
  if (type === 'domain' || type === 'hostname') {
    const name = ldhName(value);
    // Wire length of '*.<name>.<origin>' must stay within 255 octets (text length + 1).
    if (!name || `*.${name}.${origin}`.length + 1 > 255) return [];
    return [`${name} CNAME .`, `*.${name} CNAME .`];
  }
  if (type === 'ipv4' || type === 'ipv6' || type === 'cidr') {
    const ip = ipIndicator(value);
    return ip ? [`${rpzIpOwner(ip)} CNAME .`] : [];
  }
  return [];
}
