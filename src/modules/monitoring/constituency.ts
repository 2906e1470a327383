import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { getDomain } from 'tldts';
import { PrefixTable, ipv4ToNumber, type PrefixEntry } from '#lib/prefix-table.ts';
import { ipv6GroupsBigInt, mappedIpv4OfGroups, parseIpRange, plainIpv6Groups } from '#lib/ip.ts';

/** One approved asset of an active participant, as the matcher needs it. */
export interface ConstituencyAsset {
  assetId: string;
  organisationId: string;
  type: 'ip_range' | 'asn' | 'domain';
  value: string;
  includeSubdomains: boolean;
  /** 32 hex digits in IPv6 space (IPv4 mapped to ::ffff:0:0/96), for ip_range. */
  rangeStart: string | null;
  rangeEnd: string | null;
}

/** Who owns an address or name: the asset that matched and its organisation. */
export interface Owner {
  organisationId: string;
  assetId: string;
  /** The declared asset that matched ('192.0.2.0/24', 'AS64500', 'example.nl'). */
  asset: string;
}

/** Stored ranges put IPv4 in ::ffff:0:0/96: 24 hex digits of prefix, then the 8 of the address. */
const V4_MAPPED_HEX = '00000000000000000000ffff';

/** The IPv4 address of a stored 32-hex-digit bound, or -1 when it is not in ::ffff:0:0/96 (read in place: this runs a million times per build). */
function mappedIpv4(hex: string): number {
  if (hex.length !== 32 || !hex.startsWith(V4_MAPPED_HEX)) return -1;
  let n = 0;
  for (let i = 24; i < 32; i++) {
    const c = hex.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    n = n * 16 + d;
  }
  return n;
}

/** IPv6 text that is more than hex and colons (embedded IPv4, a zone), through ipaddr.js. */
function ipaddrGroups(text: string): number[] | null {
  try {
    const parsed = ipaddr.parse(text);
    return parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).parts : null;
  } catch {
    return null;
  }
}

function ownerOf(a: ConstituencyAsset): Owner {
  return { organisationId: a.organisationId, assetId: a.assetId, asset: a.value };
}

/**
 * Answers "which participant(s) own this IP, domain or AS number" from the approved assets: the
 * longest matching prefix for addresses, the AS number itself, the closest declared name for
 * domains (a parent only when it was declared with its subdomains, and never a public suffix).
 * Immutable: a change of assets builds a new one and swaps the reference.
 */
export class ConstituencyMatcher {
  readonly prefixCount: number;
  readonly buildMs: number;
  /** Owners by the asset index a range's label leads to, made when first asked for. */
  private readonly owners: (Owner[] | undefined)[];

  private constructor(
    private readonly assets: readonly ConstituencyAsset[],
    /** Values are asset indices; a range several participants declared keeps its first one. */
    private readonly prefixes: PrefixTable<number>,
    /** The other assets declaring the same range as the first one, by its index. */
    private readonly sameRange: Map<number, number[]>,
    private readonly asns: Map<number, Owner[]>,
    private readonly domains: Map<string, { exact: Owner[]; withSubdomains: Owner[] }>,
    prefixCount: number,
    buildMs: number,
  ) {
    this.prefixCount = prefixCount;
    this.buildMs = buildMs;
    this.owners = new Array<Owner[] | undefined>(assets.length);
  }

  static build(assets: readonly ConstituencyAsset[]): ConstituencyMatcher {
    const began = performance.now();
    // IPv4 ranges go into typed arrays and carry only their asset's index: a million declared ranges
    // build without a million objects. Owner objects are made for the ranges that ever match.
    let v4Count = 0;
    const v4Starts = new Uint32Array(assets.length);
    const v4Ends = new Uint32Array(assets.length);
    const v4Values: number[] = [];
    const v6: PrefixEntry<number>[] = [];
    const asns = new Map<number, Owner[]>();
    const domains = new Map<string, { exact: Owner[]; withSubdomains: Owner[] }>();
    for (let i = 0; i < assets.length; i++) {
      const a = assets[i]!;
      if (a.type === 'ip_range') {
        if (!a.rangeStart || !a.rangeEnd) continue;
        // IPv4 is stored mapped into IPv6 space; read back as plain numbers, no BigInt.
        const v4Start = mappedIpv4(a.rangeStart);
        const v4End = v4Start >= 0 ? mappedIpv4(a.rangeEnd) : -1;
        if (v4End >= 0) {
          v4Starts[v4Count] = v4Start;
          v4Ends[v4Count++] = v4End;
          v4Values.push(i);
        } else v6.push({ start: BigInt(`0x${a.rangeStart}`), end: BigInt(`0x${a.rangeEnd}`), value: i });
      } else if (a.type === 'asn') {
        const n = Number(a.value.replace(/^AS/i, ''));
        asns.set(n, [...(asns.get(n) ?? []), ownerOf(a)]);
      } else if (a.type === 'domain') {
        const entry = domains.get(a.value) ?? { exact: [], withSubdomains: [] };
        entry.exact.push(ownerOf(a));
        if (a.includeSubdomains) entry.withSubdomains.push(ownerOf(a));
        domains.set(a.value, entry);
      }
    }
    const sameRange = new Map<number, number[]>();
    const table = PrefixTable.build<number>({ starts: v4Starts.subarray(0, v4Count), ends: v4Ends.subarray(0, v4Count), values: v4Values }, v6, (kept, dropped) => {
      const others = sameRange.get(kept);
      if (others) others.push(dropped);
      else sameRange.set(kept, [dropped]);
      return kept;
    });
    return new ConstituencyMatcher(assets, table, sameRange, asns, domains, v4Count + v6.length, performance.now() - began);
  }

  /** Owners of an IPv4 address given as an unsigned 32-bit number. */
  ownersOfIpv4(ip: number): Owner[] {
    return this.ownersAt(this.prefixes.label4(ip));
  }

  /**
   * The hot path of bulk matching: which declared range holds this IPv4 address, as a number for
   * `ownersAt` (-1 for none). Reading the owners only for the rows that match keeps a scan of a
   * million rows inside the lookup structures.
   */
  rangeOfIpv4(ip: number): number {
    return this.prefixes.label4(ip);
  }

  ownersAt(range: number): Owner[] {
    const first = this.prefixes.valueAt(range);
    return first === undefined ? [] : this.ownersOfAsset(first);
  }

  private ownersOfAsset(index: number): Owner[] {
    let owners = this.owners[index];
    if (!owners) {
      owners = [index, ...(this.sameRange.get(index) ?? [])].map((i) => ownerOf(this.assets[i]!));
      this.owners[index] = owners;
    }
    return owners;
  }

  /** Owners of an address in text (IPv4, IPv6, IPv4-mapped IPv6); none for anything else. */
  ownersOfIp(text: string): Owner[] {
    const trimmed = text.trim();
    const v4 = ipv4ToNumber(trimmed);
    if (v4 !== null) return this.ownersOfIpv4(v4);
    const groups = plainIpv6Groups(trimmed) ?? ipaddrGroups(trimmed);
    return groups ? this.ownersOfIpv6(groups) : [];
  }

  /** Owners of an IPv6 address given as its eight 16-bit groups (IPv4-mapped ones as IPv4). */
  ownersOfIpv6(groups: readonly number[]): Owner[] {
    const mapped = mappedIpv4OfGroups(groups);
    if (mapped >= 0) return this.ownersOfIpv4(mapped);
    const first = this.prefixes.lookup6(ipv6GroupsBigInt(groups));
    return first === undefined ? [] : this.ownersOfAsset(first);
  }

  /**
   * Owners of any address in a network ('198.51.100.0/22'): the participant whose range holds all
   * of it, and every participant with a range inside it. A blocklist that lists a whole network
   * concerns all of them, not only the owner of its first address.
   */
  ownersOfNetwork(cidr: string): Owner[] {
    const range = parseIpRange(cidr);
    if (!range) return [];
    const first = mappedIpv4(range.start);
    const labels =
      first >= 0 ? this.prefixes.overlapping4(first, mappedIpv4(range.end)) : this.prefixes.overlapping6(BigInt(`0x${range.start}`), BigInt(`0x${range.end}`));
    const byAsset = new Map<string, Owner>();
    for (const label of labels) for (const o of this.ownersAt(label)) byAsset.set(o.assetId, o);
    return [...byAsset.values()];
  }

  ownersOfAsn(asn: number | string): Owner[] {
    const n =
      typeof asn === 'number'
        ? asn
        : Number(
            String(asn)
              .trim()
              .replace(/^AS\s*/i, ''),
          );
    return Number.isInteger(n) ? (this.asns.get(n) ?? []) : [];
  }

  /**
   * Owners of a host name: the name itself when declared, else the nearest parent declared with its
   * subdomains, up to the registrable domain (a public suffix such as 'nl' never matches).
   */
  ownersOfDomain(name: string): Owner[] {
    const ascii = domainToASCII(name.trim().toLowerCase().replace(/\.$/, ''));
    if (!ascii) return [];
    const registrable = getDomain(ascii, { allowPrivateDomains: true });
    if (!registrable) return [];
    const exact = this.domains.get(ascii);
    if (exact?.exact.length) return exact.exact;
    let at = ascii;
    while (at !== registrable) {
      at = at.slice(at.indexOf('.') + 1);
      const entry = this.domains.get(at);
      if (entry?.withSubdomains.length) return entry.withSubdomains;
    }
    return [];
  }

  /** Owners of whatever the value is: an address, an AS number or a host name. */
  ownersOf(value: string): Owner[] {
    const text = value.trim();
    if (/^AS\s*\d+$/i.test(text)) return this.ownersOfAsn(text);
    if (ipv4ToNumber(text) !== null || text.includes(':')) return this.ownersOfIp(text);
    return this.ownersOfDomain(text);
  }

  get byteSize(): number {
    return this.prefixes.byteSize;
  }
}
