import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { ipv4Text, ipv6GroupsBigInt, ipv6GroupsText, mappedIpv4OfGroups, parseAsn, parseIpRange, plainIpv6Groups } from '../../src/lib/ip.ts';
import { normaliseDomain } from '../../src/lib/domain.ts';

describe('parseIpRange', () => {
  it('normalises host bits away and writes IPv6 in RFC 5952 form', () => {
    expect(parseIpRange('192.0.2.77/25')?.cidr).toBe('192.0.2.0/25');
    expect(parseIpRange('198.51.100.7')?.cidr).toBe('198.51.100.7/32');
    expect(parseIpRange('2001:DB8:0:0:1::/64')?.cidr).toBe('2001:db8::/64');
    expect(parseIpRange('2001:db8::1')?.cidr).toBe('2001:db8::1/128');
  });
  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    const mapped = parseIpRange('::ffff:192.0.2.1');
    expect(mapped?.cidr).toBe('192.0.2.1/32');
    expect(mapped?.start).toBe(parseIpRange('192.0.2.1')?.start);
  });
  it('refuses what is not an address', () => {
    for (const bad of ['300.1.1.1', '192.0.2.0/33', '1.2.3', '0x7f.1', 'example.test', '', '2001:db8::/129']) expect(parseIpRange(bad), bad).toBeNull();
  });
  it('gives ranges whose start/end order matches containment (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), (ip, a, b) => {
        const wide = parseIpRange(`${ip}/${Math.min(a, b)}`)!;
        const narrow = parseIpRange(`${ip}/${Math.max(a, b)}`)!;
        expect(wide.start <= narrow.start && narrow.end <= wide.end).toBe(true);
        expect(wide.start <= wide.end).toBe(true);
      }),
    );
  });
});

/** What ipaddr.js, the library the fast path stands in for, makes of the same text. */
function oracle(text: string): number[] | null {
  if (!ipaddr.IPv6.isValid(text) || text.includes('.') || text.includes('%')) return null;
  return ipaddr.IPv6.parse(text).parts;
}

describe('plain IPv6 text (the bulk path beside ipaddr.js)', () => {
  const groups = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 });
  it('reads every spelling ipaddr.js reads alike, and writes the same RFC 5952 text (property)', () => {
    fc.assert(
      fc.property(groups, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), fc.boolean(), (g, from, length, upper, padded) => {
        const full = g.map((x) => (padded ? x.toString(16).padStart(4, '0') : x.toString(16)));
        const to = Math.min(8, from + length);
        // Any run of zero groups may be written as '::', whether or not it is the longest.
        const zeroRun = to - from >= 1 && g.slice(from, to).every((x) => x === 0);
        let text = zeroRun ? `${full.slice(0, from).join(':')}::${full.slice(to).join(':')}` : full.join(':');
        if (upper) text = text.toUpperCase();
        expect(plainIpv6Groups(text)).toEqual(g);
        expect(oracle(text)).toEqual(g);
        expect(ipv6GroupsText(g)).toBe(ipaddr.IPv6.parse(text).toRFC5952String());
        expect(ipv6GroupsBigInt(g)).toBe(BigInt(`0x${g.map((x) => x.toString(16).padStart(4, '0')).join('')}`));
      }),
    );
  });
  it('refuses what ipaddr.js refuses, and leaves embedded IPv4 and zones to it (property)', () => {
    const text = fc.stringMatching(/^[0-9a-fA-F:g.%]{0,41}$/);
    fc.assert(
      fc.property(text, (t) => {
        const fast = plainIpv6Groups(t);
        if (fast) expect(fast).toEqual(oracle(t));
        else if (!t.includes('.') && !t.includes('%')) expect(oracle(t)).toBeNull();
      }),
      { numRuns: 5000 },
    );
    for (const bad of ['', ':', ':::', '1:2', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '::1:', ':1::', 'g::1', '1:2:3:4:5:6:7:8::']) expect(plainIpv6Groups(bad), bad).toBeNull();
    expect(plainIpv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(plainIpv6Groups('::ffff:192.0.2.1')).toBeNull();
  });
  it('knows IPv4-mapped addresses', () => {
    expect(mappedIpv4OfGroups(plainIpv6Groups('::ffff:c000:201')!)).toBe(0xc0000201);
    expect(ipv4Text(mappedIpv4OfGroups(plainIpv6Groups('::ffff:cb00:71ff')!))).toBe('203.0.113.255');
    expect(mappedIpv4OfGroups(plainIpv6Groups('2001:db8::ffff:c000:201')!)).toBe(-1);
    expect(mappedIpv4OfGroups(plainIpv6Groups('::c000:201')!)).toBe(-1);
  });
});

describe('parseAsn', () => {
  it('accepts the usual spellings', () => {
    expect(parseAsn('AS64500')).toBe('AS64500');
    expect(parseAsn('as 64511')).toBe('AS64511');
    expect(parseAsn('64496')).toBe('AS64496');
    expect(parseAsn('AS0')).toBeNull();
    expect(parseAsn('AS4294967296')).toBeNull();
  });
});

describe('normaliseDomain', () => {
  it('lower-cases, strips the trailing dot and converts IDN to punycode', () => {
    expect(normaliseDomain('Portal.Ziekenhuis.EXAMPLE.')).toEqual({ domain: 'portal.ziekenhuis.example' });
    expect(normaliseDomain('zorg-ü.example')).toEqual({ domain: 'xn--zorg--ova.example' });
  });
  it('refuses public suffixes, addresses and junk with a reason', () => {
    expect(normaliseDomain('co.uk')).toHaveProperty('error');
    expect(normaliseDomain('192.0.2.1')).toHaveProperty('error');
    expect(normaliseDomain('-bad-.example')).toHaveProperty('error');
    expect(normaliseDomain('a..example')).toHaveProperty('error');
  });
});
