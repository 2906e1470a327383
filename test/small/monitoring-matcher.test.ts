import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpRange } from '../../src/lib/ip.ts';
import { PrefixTable, ipv4ToNumber } from '../../src/lib/prefix-table.ts';
import { ConstituencyMatcher, type ConstituencyAsset } from '../../src/modules/monitoring/constituency.ts';

let n = 0;
function asset(organisationId: string, type: ConstituencyAsset['type'], value: string, includeSubdomains = false): ConstituencyAsset {
  const range = type === 'ip_range' ? parseIpRange(value) : null;
  if (type === 'ip_range' && !range) throw new Error(`bad range ${value}`);
  return {
    assetId: `asset-${++n}`,
    organisationId,
    type,
    value: range?.cidr ?? value,
    includeSubdomains,
    rangeStart: range?.start ?? null,
    rangeEnd: range?.end ?? null,
  };
}
const orgs = (owners: { organisationId: string }[]) => owners.map((o) => o.organisationId).sort();

describe('constituency matcher', () => {
  const matcher = ConstituencyMatcher.build([
    asset('hospital', 'ip_range', '198.51.100.0/24'),
    asset('lab', 'ip_range', '198.51.100.128/25'),
    asset('lab-room', 'ip_range', '198.51.100.192/28'),
    asset('shared-a', 'ip_range', '203.0.113.0/26'),
    asset('shared-b', 'ip_range', '203.0.113.0/26'),
    asset('edge', 'ip_range', '255.255.255.0/24'),
    asset('zero', 'ip_range', '0.0.0.0/8'),
    asset('v6', 'ip_range', '2001:db8::/32'),
    asset('v6-ward', 'ip_range', '2001:db8:ab::/48'),
    asset('asn', 'asn', 'AS64500'),
    asset('hospital', 'domain', 'ziekenhuis.example', true),
    asset('portal-only', 'domain', 'portal.zorg.example', false),
    asset('zorg', 'domain', 'zorg.example', true),
    asset('idn', 'domain', 'xn--zekenhuis-g5a.example', true),
    asset('apex-only', 'domain', 'apex.example', false),
  ]);

  it('answers the most specific of nested ranges, and both owners of a shared one', () => {
    expect(orgs(matcher.ownersOfIp('198.51.100.1'))).toEqual(['hospital']);
    expect(orgs(matcher.ownersOfIp('198.51.100.130'))).toEqual(['lab']);
    expect(orgs(matcher.ownersOfIp('198.51.100.200'))).toEqual(['lab-room']);
    // Past the innermost range the enclosing one takes over again.
    expect(orgs(matcher.ownersOfIp('198.51.100.208'))).toEqual(['lab']);
    expect(orgs(matcher.ownersOfIp('198.51.100.127'))).toEqual(['hospital']);
    expect(orgs(matcher.ownersOfIp('203.0.113.5'))).toEqual(['shared-a', 'shared-b']);
    expect(matcher.ownersOfIp('203.0.113.64')).toEqual([]);
    expect(matcher.ownersOfIp('192.0.2.1')).toEqual([]);
  });

  it('handles the first and last addresses of the IPv4 space', () => {
    expect(orgs(matcher.ownersOfIp('255.255.255.255'))).toEqual(['edge']);
    expect(orgs(matcher.ownersOfIp('0.0.0.0'))).toEqual(['zero']);
    expect(matcher.ownersOfIp('1.0.0.0')).toEqual([]);
  });

  it('matches IPv6 with nesting, and IPv4-mapped IPv6 as IPv4', () => {
    expect(orgs(matcher.ownersOfIp('2001:db8::1'))).toEqual(['v6']);
    expect(orgs(matcher.ownersOfIp('2001:db8:ab:1::5'))).toEqual(['v6-ward']);
    expect(orgs(matcher.ownersOfIp('2001:db8:ac::5'))).toEqual(['v6']);
    expect(matcher.ownersOfIp('2001:db9::1')).toEqual([]);
    expect(orgs(matcher.ownersOfIp('::ffff:198.51.100.200'))).toEqual(['lab-room']);
    expect(orgs(matcher.ownersOfIp('::ffff:c633:64c8'))).toEqual(['lab-room']);
  });

  it('matches AS numbers in any spelling', () => {
    expect(orgs(matcher.ownersOfAsn(64500))).toEqual(['asn']);
    expect(orgs(matcher.ownersOf('AS64500'))).toEqual(['asn']);
    expect(orgs(matcher.ownersOf('as 64500'))).toEqual(['asn']);
    expect(matcher.ownersOfAsn(64501)).toEqual([]);
  });

  it('matches domains with and without subdomains, the closest declaration first', () => {
    expect(orgs(matcher.ownersOfDomain('ziekenhuis.example'))).toEqual(['hospital']);
    expect(orgs(matcher.ownersOfDomain('mail.intern.ziekenhuis.example.'))).toEqual(['hospital']);
    expect(orgs(matcher.ownersOfDomain('portal.zorg.example'))).toEqual(['portal-only']);
    // portal.zorg.example was declared without subdomains: its children fall to zorg.example.
    expect(orgs(matcher.ownersOfDomain('a.portal.zorg.example'))).toEqual(['zorg']);
    expect(orgs(matcher.ownersOfDomain('apex.example'))).toEqual(['apex-only']);
    expect(matcher.ownersOfDomain('www.apex.example')).toEqual([]);
    expect(matcher.ownersOfDomain('other.example')).toEqual([]);
  });

  it('matches IDN names in Unicode or punycode, and never on a public suffix', () => {
    expect(orgs(matcher.ownersOfDomain('zíekenhuis.example'))).toEqual(['idn']);
    expect(orgs(matcher.ownersOfDomain('www.ZÍEKENHUIS.example'))).toEqual(['idn']);
    const nl = ConstituencyMatcher.build([asset('bad', 'domain', 'co.uk', true), asset('good', 'domain', 'ziekenhuis.co.uk', true)]);
    expect(nl.ownersOfDomain('other.co.uk')).toEqual([]);
    expect(orgs(nl.ownersOfDomain('www.ziekenhuis.co.uk'))).toEqual(['good']);
    expect(matcher.ownersOfDomain('not a name')).toEqual([]);
  });

  it('an empty constituency owns nothing', () => {
    const empty = ConstituencyMatcher.build([]);
    expect(empty.ownersOfIp('198.51.100.1')).toEqual([]);
    expect(empty.ownersOfIp('2001:db8::1')).toEqual([]);
    expect(empty.ownersOfDomain('ziekenhuis.example')).toEqual([]);
  });
});

/** The index of the longest prefix holding the address, by brute force. */
function longestMatch(prefixes: readonly { start: number; end: number; len: number }[], ip: number): number | undefined {
  let best: number | undefined;
  let bestLen = -1;
  prefixes.forEach((p, i) => {
    if (ip >= p.start && ip <= p.end && p.len > bestLen) {
      best = i;
      bestLen = p.len;
    }
  });
  return best;
}

describe('prefix table', () => {
  const prefixArb = fc.record({ addr: fc.integer({ min: 0, max: 0xffffffff }), len: fc.integer({ min: 0, max: 32 }) }).map(({ addr, len }) => {
    const size = 2 ** (32 - len);
    const start = Math.floor(addr / size) * size;
    return { start, end: start + size - 1, len };
  });

  it('agrees with a brute-force longest-prefix match on random nested ranges', () => {
    fc.assert(
      fc.property(
        fc.array(prefixArb, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 50 }),
        (prefixes, probes) => {
          const unique = [...new Map(prefixes.map((p) => [`${p.start}/${p.len}`, p])).values()];
          const table = PrefixTable.build(unique.map((p, i) => ({ start: p.start, end: p.end, value: i })));
          // Probe the edges of every range too, where an off-by-one would show.
          const all = [...probes, ...unique.flatMap((p) => [p.start, p.end, Math.max(0, p.start - 1), Math.min(0xffffffff, p.end + 1)])];
          for (const ip of all) {
            expect(table.lookup4(ip)).toBe(longestMatch(unique, ip));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with brute force where many ranges crowd into one slot of the index', () => {
    // Long prefixes inside one /22: every boundary falls inside the same slot, so lookups there go
    // through the search instead of the slot's stored answer.
    const crowded = fc.record({ addr: fc.integer({ min: 0xc0000000, max: 0xc00003ff }), len: fc.integer({ min: 22, max: 32 }) }).map(({ addr, len }) => {
      const size = 2 ** (32 - len);
      const start = Math.floor(addr / size) * size;
      return { start, end: start + size - 1, len };
    });
    fc.assert(
      fc.property(fc.array(crowded, { minLength: 1, maxLength: 300 }), (prefixes) => {
        const unique = [...new Map(prefixes.map((p) => [`${p.start}/${p.len}`, p])).values()];
        const table = PrefixTable.build(unique.map((p, i) => ({ start: p.start, end: p.end, value: i })));
        for (let ip = 0xc0000000 - 2; ip <= 0xc0000400 + 2; ip++) {
          expect(table.lookup4(ip)).toBe(longestMatch(unique, ip));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('finds the ranges a network touches: the most specific one holding it all, and all inside it', () => {
    fc.assert(
      fc.property(fc.array(prefixArb, { maxLength: 60 }), prefixArb, (prefixes, net) => {
        const unique = [...new Map(prefixes.map((p) => [`${p.start}/${p.len}`, p])).values()];
        const table = PrefixTable.build(unique.map((p, i) => ({ start: p.start, end: p.end, value: i })));
        const inside = unique.flatMap((p, i) => (p.start >= net.start && p.start <= net.end ? [i] : []));
        const holding = unique.flatMap((p, i) => (p.start <= net.start && p.end >= net.end ? [{ i, len: p.len }] : [])).sort((a, b) => b.len - a.len)[0];
        const expected = [...new Set([...inside, ...(holding ? [holding.i] : [])])].sort((a, b) => a - b);
        expect(table.overlapping4(net.start, net.end).sort((a, b) => a - b)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('names every participant with addresses in a listed network, once', () => {
    const m = ConstituencyMatcher.build([
      asset('wide', 'ip_range', '198.51.100.0/24'),
      asset('inner', 'ip_range', '198.51.100.64/27'),
      asset('shared', 'ip_range', '198.51.100.64/27'),
      asset('v6', 'ip_range', '2001:db8:1::/48'),
    ]);
    const orgs = (cidr: string) => m.ownersOfNetwork(cidr).map((o) => o.organisationId).sort();
    expect(orgs('198.51.100.0/25')).toEqual(['inner', 'shared', 'wide']);
    expect(orgs('198.51.100.128/25')).toEqual(['wide']);
    expect(orgs('198.51.100.64/28')).toEqual(['inner', 'shared']);
    expect(orgs('192.0.2.0/24')).toEqual([]);
    expect(orgs('2001:db8::/32')).toEqual(['v6']);
    expect(orgs('2001:db8:1:2::/64')).toEqual(['v6']);
    expect(orgs('not a network')).toEqual([]);
  });

  it('reads dotted quads strictly', () => {
    expect(ipv4ToNumber('192.0.2.1')).toBe(3221225985);
    expect(ipv4ToNumber('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToNumber('256.0.0.1')).toBeNull();
    expect(ipv4ToNumber('1.2.3')).toBeNull();
    expect(ipv4ToNumber('1.2.3.x')).toBeNull();
  });
});
