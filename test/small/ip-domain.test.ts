import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAsn, parseIpRange } from '../../src/lib/ip.ts';
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
