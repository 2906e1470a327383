import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpRange } from '#lib/ip.ts';
import { compileMispRegex, compileWarninglist, parseWarninglist, type Warninglist, type WarninglistType } from '#modules/zdn/warninglist.ts';

/** A list as MISP writes it; only documentation addresses and reserved names. */
function misp(type: WarninglistType, list: string[], matching_attributes: string[] = []) {
  return { name: `test ${type}`, version: 20260101, description: 'test list', matching_attributes, type, list };
}

function compiled(type: WarninglistType, list: string[], matching: string[] = []) {
  const parsed = parseWarninglist(misp(type, list, matching));
  if (!parsed.ok) throw new Error(parsed.error);
  return compileWarninglist(parsed.list);
}

describe('parseWarninglist', () => {
  it('reads the MISP format into our shape', () => {
    const parsed = parseWarninglist(misp('hostname', [' portal.example ', '', 'labs.test'], ['hostname']));
    expect(parsed).toEqual({
      ok: true,
      list: {
        name: 'test hostname',
        version: 20260101,
        description: 'test list',
        type: 'hostname',
        matchingAttributes: ['hostname'],
        entries: ['portal.example', 'labs.test'],
      },
    });
  });

  it('accepts JSON text and a list without matching_attributes', () => {
    const { matching_attributes: _dropped, ...rest } = misp('string', ['a']);
    const parsed = parseWarninglist(JSON.stringify(rest));
    expect(parsed.ok && parsed.list.matchingAttributes).toEqual([]);
  });

  it.each([
    ['not an object', 'just text', /not JSON/],
    ['an array', [], /\(root\)/],
    ['an unknown type', { ...misp('string', []), type: 'glob' }, /type: .*"string"/],
    ['a missing list', { ...misp('string', []), list: undefined }, /list: /],
    ['a list of numbers', { ...misp('cidr', []), list: [1, 2] }, /list\.0: /],
    ['a fractional version', { ...misp('string', []), version: 1.5 }, /version: /],
    ['an empty name', { ...misp('string', []), name: '  ' }, /name: must not be empty/],
    ['matching_attributes as a string', { ...misp('string', []), matching_attributes: 'ip-src' }, /matching_attributes: /],
  ])('refuses %s with a readable error', (_label, input, message) => {
    const parsed = parseWarninglist(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(message);
      expect(parsed.error).not.toMatch(/\[object Object\]/);
    }
  });

  it('reads the demo lists', () => {
    for (const file of ['warninglist-healthcare.json', 'warninglist-resolvers.json']) {
      const parsed = parseWarninglist(JSON.parse(readFileSync(new URL(`../../src/modules/demo/${file}`, import.meta.url), 'utf8')));
      expect(parsed.ok, file).toBe(true);
    }
  });
});

describe('compileWarninglist by list type', () => {
  it('string: exact match, case-insensitive for names and hashes only', () => {
    const match = compiled('string', ['Portal.Example', 'd41d8cd98f00b204e9800998ecf8427e', 'Mozilla/5.0 (Test)']);
    expect(match('domain', 'portal.example')).toBe(true);
    expect(match('domain', 'www.portal.example')).toBe(false);
    expect(match('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe(true);
    expect(match('user-agent', 'Mozilla/5.0 (Test)')).toBe(true);
    expect(match('user-agent', 'mozilla/5.0 (test)')).toBe(false);
  });

  it('substring: the value contains an entry', () => {
    const match = compiled('substring', ['.test', 'zorgportaal']);
    expect(match('hostname', 'login.ZORGPORTAAL.example')).toBe(true);
    expect(match('url', 'https://cdn.example.test/app.js')).toBe(true);
    expect(match('domain', 'labs.example')).toBe(false);
  });

  it('hostname: the name itself or any subdomain, also the host of a URL or an e-mail address', () => {
    const match = compiled('hostname', ['labs.example', '.nictiz.example', 'Zorgportaal.Example.']);
    expect(match('domain', 'labs.example')).toBe(true);
    expect(match('hostname', 'a.b.labs.example')).toBe(true);
    expect(match('hostname', 'www.nictiz.example.')).toBe(true);
    expect(match('hostname', 'zorgportaal.example')).toBe(true);
    expect(match('domain', 'evillabs.example')).toBe(false);
    expect(match('domain', 'labs.example.test')).toBe(false);
    expect(match('url', 'https://results.labs.example:8443/report?id=1')).toBe(true);
    expect(match('url', 'labs.example/path')).toBe(true);
    expect(match('url', 'https://labs.example.test/')).toBe(false);
    expect(match('email', 'lab@labs.example')).toBe(true);
  });

  it('hostname: an address never matches by its trailing "labels"', () => {
    const match = compiled('hostname', ['2.0.192', '198.51.100.7']);
    expect(match('ipv4', '1.2.0.192')).toBe(false);
    expect(match('ipv4', '198.51.100.7')).toBe(true);
  });

  it('cidr: addresses and networks inside a listed network, IPv4 and IPv6', () => {
    const match = compiled('cidr', ['192.0.2.0/24', '198.51.100.128/25', '2001:db8:1::/48', 'not-a-network', '203.0.113.300']);
    expect(match.invalidEntries).toEqual(['not-a-network', '203.0.113.300']);
    expect(match('ipv4', '192.0.2.1')).toBe(true);
    expect(match('ipv4', '198.51.100.200')).toBe(true);
    expect(match('ipv4', '198.51.100.127')).toBe(false);
    expect(match('ipv4', '203.0.113.9')).toBe(false);
    expect(match('ipv6', '2001:DB8:1:ffff::1')).toBe(true);
    expect(match('ipv6', '2001:db8:2::1')).toBe(false);
    expect(match('cidr', '192.0.2.128/25')).toBe(true);
    // Only partly inside: not covered by the list.
    expect(match('cidr', '198.51.100.0/24')).toBe(false);
    expect(match('cidr', '2001:db8::/32')).toBe(false);
    expect(match('url', 'http://192.0.2.8/x')).toBe(true);
    expect(match('url', 'http://[2001:db8:1::8]:8080/x')).toBe(true);
    expect(match('ipv4', 'ziekenhuis.example')).toBe(false);
  });

  it('cidr: nested and adjacent networks keep single-network semantics', () => {
    const match = compiled('cidr', ['192.0.2.0/25', '192.0.2.128/25', '192.0.2.64/26', '192.0.2.0/28']);
    expect(match('ipv4', '192.0.2.70')).toBe(true);
    expect(match('cidr', '192.0.2.0/26')).toBe(true);
    // Covered by two adjacent entries together, inside neither alone.
    expect(match('cidr', '192.0.2.0/24')).toBe(false);
  });

  it('regex: /…/flags and bare patterns, invalid and unsupported entries skipped and counted', () => {
    const match = compiled('regex', ['/^mail\\d+\\.ziekenhuis\\.example$/i', '^[a-f0-9]{32}$', '/(unclosed/', '/x/x', '/^a++$/', '/a/ii']);
    // '/x/x' uses PCRE extended mode and '/^a++$/' a possessive quantifier; JavaScript has neither.
    expect(match.invalidEntries).toEqual(['/(unclosed/', '/x/x', '/^a++$/', '/a/ii']);
    expect(match('hostname', 'MAIL12.ziekenhuis.example')).toBe(true);
    expect(match('hostname', 'www.ziekenhuis.example')).toBe(false);
    expect(match('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toBe(true);
    expect(compileMispRegex('/a\\/b/')?.test('a/b')).toBe(true);
    expect(compileMispRegex('(?<=a')).toBeNull();
  });
});

describe('matching_attributes', () => {
  it('applies a list only to our types whose MISP types it names', () => {
    const match = compiled('string', ['ziekenhuis.example', '192.0.2.1'], ['domain']);
    expect(match('domain', 'ziekenhuis.example')).toBe(true);
    expect(match('hostname', 'ziekenhuis.example')).toBe(true);
    expect(match('url', 'ziekenhuis.example')).toBe(false);
    expect(match('ipv4', '192.0.2.1')).toBe(false);
  });

  it('maps composite and renamed MISP types', () => {
    expect(compiled('string', ['192.0.2.1'], ['ip-dst|port'])('ipv4', '192.0.2.1')).toBe(true);
    expect(compiled('string', ['CVE-2021-44228'], ['vulnerability'])('cve', 'cve-2021-44228')).toBe(true);
    expect(compiled('string', ['AS64500'], ['AS'])('asn', 'AS64500')).toBe(true);
    expect(compiled('string', ['a.exe'], ['filename|sha256'])('filename', 'a.exe')).toBe(true);
    expect(compiled('string', ['a@labs.example'], ['email-dst'])('email', 'a@labs.example')).toBe(true);
    expect(compiled('string', ['a@labs.example'], ['email-dst'])('email-subject', 'a@labs.example')).toBe(false);
  });

  it('applies a list without matching_attributes to every type', () => {
    const match = compiled('substring', ['example']);
    expect(match('ja4', 't13d1516h2_example')).toBe(true);
    expect(match('yara', 'rule example {}')).toBe(true);
  });
});

describe('a 10 000-network CIDR list', () => {
  const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  // Deterministic networks of /16 to /30 spread over the whole IPv4 space, so they nest and overlap.
  const networks: string[] = [];
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  while (networks.length < 10_000) networks.push(`${ipv4(next())}/${16 + (next() % 15)}`);
  const list: Warninglist = { name: 'big', version: 1, description: '', type: 'cidr', matchingAttributes: [], entries: networks };
  const ranges = networks.map((n) => parseIpRange(n)!);
  const naive = (value: string) => {
    const r = parseIpRange(value)!;
    return ranges.some((e) => e.start <= r.start && r.end <= e.end);
  };
  const match = compileWarninglist(list);

  it('agrees with a linear scan on random addresses and networks', () => {
    // Addresses near a listed network hit it often enough to test both answers.
    const nearListed = fc.tuple(fc.integer({ min: 0, max: networks.length - 1 }), fc.integer({ min: -70_000, max: 70_000 })).map(([i, d]) => {
      const base = parseIpRange(networks[i]!)!.cidr.split('/')[0]!;
      const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      return ipv4(Math.min(2 ** 32 - 1, Math.max(0, n + d)));
    });
    const seen = { hit: 0, miss: 0 };
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), nearListed), fc.integer({ min: 8, max: 32 }), (ip, prefix) => {
        const expected = naive(ip);
        seen[expected ? 'hit' : 'miss']++;
        expect(match('ipv4', ip)).toBe(expected);
        expect(match('cidr', `${ip}/${prefix}`)).toBe(naive(`${ip}/${prefix}`));
      }),
      { numRuns: 1500 },
    );
    // Both answers must have been exercised, or the comparison proves little.
    expect(seen.hit).toBeGreaterThan(50);
    expect(seen.miss).toBeGreaterThan(50);
  });

  it('matches every listed network and is fast', () => {
    const started = performance.now();
    const missed = networks.filter((n) => !match('cidr', n));
    // Generous bound: a linear scan per lookup takes seconds here, the binary search milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(missed).toEqual([]);
  });
});
