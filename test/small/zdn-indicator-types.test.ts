import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VALIDITY_DAYS,
  INDICATOR_TYPES,
  type IndicatorType,
  extractIndicators,
  fromMispAttribute,
  isIndicatorType,
  mispTypeFor,
  normaliseIndicator,
  refang,
  stixPattern,
} from '#modules/zdn/indicator-types.ts';
import { testdataDir, testdataPath } from '../helpers/testdata.ts';

// Only documentation addresses and names: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
// AS64496–AS64511, *.example, *.test.

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
const YARA = 'rule Demo_Dropper {\n  strings:\n    $a = "evil{" ascii\n    $h = { 4D 5A }\n    $r = /ab{2}c/\n  condition:\n    any of them // }\n}';
const SIGMA = 'title: Suspicious child of winword\nlogsource:\n  product: windows\ndetection:\n  selection:\n    ParentImage|endswith: winword.exe\n  condition: selection\n';

const ok = (type: IndicatorType, raw: string) => {
  const r = normaliseIndicator(type, raw);
  if ('error' in r) throw new Error(r.error);
  return r.value;
};
const error = (type: IndicatorType, raw: string) => {
  const r = normaliseIndicator(type, raw);
  return 'error' in r ? r.error : `accepted as ${r.value}`;
};

describe('INDICATOR_TYPES', () => {
  it('recognises exactly its own names', () => {
    for (const t of INDICATOR_TYPES) expect(isIndicatorType(t)).toBe(true);
    for (const v of ['IPV4', 'ip', '', null, 4, undefined, 'ip-dst']) expect(isIndicatorType(v)).toBe(false);
  });
  it('has a default validity for every type', () => {
    expect(Object.keys(DEFAULT_VALIDITY_DAYS).sort()).toEqual([...INDICATOR_TYPES].sort());
    expect(DEFAULT_VALIDITY_DAYS).toMatchObject({ ipv4: 30, ipv6: 30, url: 90, domain: 180, hostname: 180, md5: null, sha256: null, yara: null, sigma: null, cve: null });
  });
});

describe('normaliseIndicator: valid values', () => {
  const cases: [IndicatorType, string, string][] = [
    ['ipv4', ' 192.0.2.1 ', '192.0.2.1'],
    ['ipv4', '198.51.100[.]7', '198.51.100.7'],
    ['ipv4', '::ffff:203.0.113.9', '203.0.113.9'],
    ['ipv6', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    // RFC 5952 §4.2.3: the longest run of zeros is compressed; of equal runs, the first.
    ['ipv6', '2001:0db8:0000:0000:1:0:0:0', '2001:db8:0:0:1::'],
    ['ipv6', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['ipv6', '[2001:db8::a]', '2001:db8::a'],
    ['cidr', '192.0.2.7/24', '192.0.2.0/24'],
    ['cidr', '198.51.100.7/32', '198.51.100.7/32'],
    ['cidr', '203.0.113.5', '203.0.113.5/32'],
    ['cidr', '2001:DB8::1/128', '2001:db8::1/128'],
    ['cidr', '2001:db8:ab::1/48', '2001:db8:ab::/48'],
    ['domain', 'Evil.Example.', 'evil.example'],
    ['domain', 'evil[dot]example', 'evil.example'],
    ['domain', 'bücher.example', 'xn--bcher-kva.example'],
    ['hostname', 'CDN.login.Evil.test', 'cdn.login.evil.test'],
    ['url', 'hxxp://example[.]com', 'http://example.com/'],
    ['url', 'HXXPS://Evil.EXAMPLE:443/Path/../A?Q=1#Frag', 'https://evil.example/Path/../A?Q=1#Frag'],
    ['url', 'http[:]//198.51.100.7:8080/gate.php', 'http://198.51.100.7:8080/gate.php'],
    ['url', 'https://evil.example?x=%41', 'https://evil.example/?x=%41'],
    ['url', 'ftp://user:Secret@files.evil.test/a%20b.zip', 'ftp://user:Secret@files.evil.test/a%20b.zip'],
    ['url', 'http://[2001:DB8::1]/x', 'http://[2001:db8::1]/x'],
    ['email', 'user[@]example.test', 'user@example.test'],
    ['email', 'Billing.Dept@Evil.EXAMPLE', 'Billing.Dept@evil.example'],
    ['email-subject', '  Urgent: invoice [.] overdue  ', 'Urgent: invoice [.] overdue'],
    ['filename', 'factuur_2024.pdf.exe', 'factuur_2024.pdf.exe'],
    ['user-agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'],
    ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha256', SHA256.toUpperCase(), SHA256],
    ['sha512', SHA512, SHA512],
    ['ja3', '72A589DA586844D7F0818CE684948EEA', '72a589da586844d7f0818ce684948eea'],
    ['ja4', 'T13D1516H2_8DAAF6152771_B186095E22B6', 't13d1516h2_8daaf6152771_b186095e22b6'],
    ['cve', 'cve-2021-44228', 'CVE-2021-44228'],
    ['cve', 'CVE-2024-1234567', 'CVE-2024-1234567'],
    ['asn', 'as 64496', 'AS64496'],
    ['asn', '64511', 'AS64511'],
    ['yara', `${YARA.replace(/\n/g, '\r\n')}\r\n`, YARA],
    ['sigma', SIGMA, SIGMA.trim()],
  ];
  it.each(cases)('%s %j → %j', (type, raw, expected) => {
    expect(ok(type, raw)).toBe(expected);
  });
});

describe('normaliseIndicator: invalid values say why', () => {
  const cases: [IndicatorType, string, string][] = [
    ['ipv4', '999.1.1.1', "'999.1.1.1' is not an IPv4 address (octet 999 is above 255)"],
    ['ipv4', '192.0.2.256', 'octet 256 is above 255'],
    ['ipv4', 'x192.0.2.1', "'x192.0.2.1' is not an IPv4 address"],
    ['ipv4', '192.0.2', 'expected four decimal octets'],
    ['ipv4', '192.0.2.010', 'leading zero'],
    ['ipv4', '192.0.2.0/24', 'use type cidr'],
    ['ipv4', '2001:db8::1', 'use type ipv6'],
    ['ipv6', '192.0.2.1', 'use type ipv4'],
    ['ipv6', '::ffff:192.0.2.1', 'use type ipv4 with 192.0.2.1'],
    ['ipv6', '2001:db8::g', "'2001:db8::g' is not an IPv6 address"],
    ['ipv6', '2001:db8::1%eth0', 'zone index'],
    ['ipv6', '2001:db8::/32', 'use type cidr'],
    ['cidr', '192.0.2.0/33', 'prefix /33 is longer than 32 bits'],
    ['cidr', '2001:db8::/129', 'prefix /129 is longer than 128 bits'],
    ['cidr', '010.0.0.0/8', 'leading zero'],
    ['cidr', 'evil.example/24', 'is not a CIDR range'],
    ['domain', 'localhost', "'localhost' is not a domain name"],
    ['domain', '192.0.2.1', 'IP address'],
    ['domain', '999.1.1.1', "'999.1.1.1' is not a domain name"],
    ['domain', 'evil.123', 'not a valid domain name'],
    ['domain', 'bad_name.example', 'not a domain name'],
    ['domain', '-evil.example', 'not a domain name'],
    ['hostname', 'co.uk', 'public suffix'],
    ['url', 'evil.example/path', 'expected scheme://host/path'],
    ['url', 'javascript://evil.example/%0aalert(1)', "scheme 'javascript' is not http, https or ftp"],
    ['url', 'http://intranet/login', "host 'intranet' has no dot"],
    ['url', 'http://evil.example/a b', 'white space'],
    ['url', 'http://exa mple.test/', 'white space'],
    ['url', 'http://[2001:db8::g]/', 'does not parse'],
    ['email', 'user.example.test', "no '@'"],
    ['email', '@example.test', 'local part'],
    ['email', 'a b@example.test', 'local part'],
    ['email', 'user@localhost', 'the domain is not valid'],
    ['email-subject', 'line one\nline two', 'a line break'],
    ['filename', 'evil\u0000.exe', 'NUL'],
    ['user-agent', 'x'.repeat(1025), 'longer than 1024'],
    ['user-agent', '   ', 'An empty value is not a user agent.'],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427', 'expected 32 hex digits, got 31'],
    ['md5', 'z41d8cd98f00b204e9800998ecf8427e', "'z' is not one"],
    ['sha1', SHA256, 'expected 40 hex digits, got 64'],
    ['sha256', SHA256.slice(1), 'expected 64 hex digits'],
    ['sha512', SHA256, 'expected 128 hex digits'],
    ['ja3', 'abc', 'expected 32 hex digits'],
    ['ja4', 't13d1516h2_8daaf6152771', 'expected the form'],
    ['ja4', 'x13d1516h2_8daaf6152771_b186095e22b6', 'is not a JA4 fingerprint'],
    ['cve', 'CVE-21-1234', 'expected CVE-YYYY-NNNN'],
    ['cve', 'CVE-2021-123', 'expected CVE-YYYY-NNNN'],
    ['asn', 'AS0', 'is not an AS number'],
    ['asn', 'AS4294967296', 'is not an AS number'],
    ['yara', 'condition: true', "no 'rule <name>'"],
    ['yara', 'rule x { condition: true', 'braces do not balance'],
    ['yara', 'rule x } condition: true {', 'braces do not balance'],
    ['yara', `rule x { strings: $a = "${'a'.repeat(100_001)}" condition: $a }`, 'longer than 100000'],
    ['sigma', 'title: x\nlogsource: {}\n', "'title:' and 'detection:'"],
    ['sigma', 'description: title: x detection: y', "'title:' and 'detection:'"],
  ];
  const titled = cases.map(([type, raw, message]) => [type, raw.length > 48 ? `${raw.slice(0, 48)}…` : raw, raw, message] as const);
  it.each(titled)('%s %j', (type, _title, raw, message) => {
    expect(error(type, raw)).toContain(message);
  });
  it('quotes a long value shortened, without its control characters', () => {
    const message = error('email-subject', `Re:\n${'Re: '.repeat(40)}`);
    expect(message).toMatch(/^'Re: Re: Re: .{40,}…' is not an e-mail subject \(it contains a line break\)$/);
    expect(message).not.toContain('\n');
  });
  it('leaves literal text alone instead of refanging it', () => {
    expect(ok('filename', 'report[.]pdf')).toBe('report[.]pdf');
    expect(ok('user-agent', 'hxxp://agent (at) home')).toBe('hxxp://agent (at) home');
  });
});

describe('refang', () => {
  it.each([
    ['hxxp://example[.]com', 'http://example.com'],
    ['hXXps[:]//evil(.)example/a', 'https://evil.example/a'],
    ['hxxps[://]evil{.}test', 'https://evil.test'],
    ['fxp://files[.]evil.test', 'ftp://files.evil.test'],
    ['evil[dot]example', 'evil.example'],
    ['evil(DOT)example', 'evil.example'],
    ['user[@]example.test', 'user@example.test'],
    ['user(at)example.test', 'user@example.test'],
    ['192.0.2[.]1', '192.0.2.1'],
    ['198[.]51[.]100[.]7', '198.51.100.7'],
    ['no defanging here', 'no defanging here'],
    ['evil[(.)]example', 'evil.example'],
  ])('%j → %j', (input, expected) => {
    expect(refang(input)).toBe(expected);
    expect(refang(refang(input))).toBe(refang(input));
  });
});

describe('extractIndicators', () => {
  const report = `
    TLP:AMBER — Campaign against hospital billing departments (CVE-2023-4966, cve-2021-44228).
    Phishing mails from billing[@]zorgfactuur.example with subject "Openstaande factuur" link to
    hxxps://portal.zorgfactuur[.]example/invoice?id=77&ref=mail. The landing page then loads
    hxxp://198.51.100[.]23:8080/stage2.ps1 (see also https://cdn.evil.test/x).
    C2 traffic goes to 203.0.113.45 and 2001:db8:beef::45 and the range 192.0.2.0/25, announced by AS64500.
    Operators also use update-check.evil.test and the registrable name evil[dot]example.
    Payload factuur.zip drops loader.exe: SHA256 ${SHA256.toUpperCase()},
    MD5 d41d8cd98f00b204e9800998ecf8427e, JA3 72a589da586844d7f0818ce684948eea, JA4 t13d1516h2_8daaf6152771_b186095e22b6.
    Repeated: 203.0.113.45. Not indicators: version 10.0.19041.1, 999.1.1.1, as 2021 noted, time 12:30:45, e.g. stage2.payload.
  `;
  const found = extractIndicators(report);

  it('finds the indicators in order of appearance, refanged and deduplicated', () => {
    expect(found).toEqual([
      { type: 'cve', value: 'CVE-2023-4966' },
      { type: 'cve', value: 'CVE-2021-44228' },
      { type: 'email', value: 'billing@zorgfactuur.example' },
      { type: 'url', value: 'https://portal.zorgfactuur.example/invoice?id=77&ref=mail' },
      { type: 'url', value: 'http://198.51.100.23:8080/stage2.ps1' },
      { type: 'url', value: 'https://cdn.evil.test/x' },
      { type: 'ipv4', value: '203.0.113.45' },
      { type: 'ipv6', value: '2001:db8:beef::45' },
      { type: 'cidr', value: '192.0.2.0/25' },
      { type: 'asn', value: 'AS64500' },
      { type: 'hostname', value: 'update-check.evil.test' },
      { type: 'domain', value: 'evil.example' },
      { type: 'filename', value: 'factuur.zip' },
      { type: 'filename', value: 'loader.exe' },
      { type: 'sha256', value: SHA256 },
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { type: 'ja3', value: '72a589da586844d7f0818ce684948eea' },
      { type: 'ja4', value: 't13d1516h2_8daaf6152771_b186095e22b6' },
    ]);
  });

  // Decision: the host of a URL and the domain of an e-mail address are NOT reported separately. A
  // URL may sit on a compromised but legitimate site; blocking its whole host is the analyst's call.
  it('does not report the host of a URL or the domain of an address on its own', () => {
    const values = found.map((f) => f.value);
    for (const host of ['portal.zorgfactuur.example', 'zorgfactuur.example', 'cdn.evil.test', '198.51.100.23']) expect(values).not.toContain(host);
    expect(extractIndicators('see hxxps://evil[.]example/a and later evil[.]example itself')).toEqual([
      { type: 'url', value: 'https://evil.example/a' },
      { type: 'domain', value: 'evil.example' },
    ]);
  });

  it('trims prose punctuation and unbalanced brackets after a URL, keeping balanced ones', () => {
    expect(extractIndicators('(at hxxp://evil[.]example/a).')).toEqual([{ type: 'url', value: 'http://evil.example/a' }]);
    expect(extractIndicators('http://evil.example/wiki/A_(b), next')).toEqual([{ type: 'url', value: 'http://evil.example/wiki/A_(b)' }]);
  });

  // A 200 kB run once took two minutes in the e-mail finder (backtracking from every position).
  it('stays linear on long runs without separators', () => {
    for (const unit of ['a', 'a.', 'f:', '1.', 'a@', ')']) expect(extractIndicators(unit.repeat(100_000))).toEqual([]);
    expect(extractIndicators(`http://evil.example/${')'.repeat(100_000)}`)).toEqual([{ type: 'url', value: 'http://evil.example/' }]);
  });

  it('returns nothing for text without indicators', () => {
    expect(extractIndicators('Patch your systems as 2021 taught us; see section 4.2.1 and e.g. Fig.3.')).toEqual([]);
    expect(extractIndicators('')).toEqual([]);
  });
});

describe('stixPattern', () => {
  it.each<[IndicatorType, string, string]>([
    ['ipv4', '192.0.2.1', "[ipv4-addr:value = '192.0.2.1']"],
    ['ipv6', '2001:DB8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['cidr', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['cidr', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'evil.example', "[domain-name:value = 'evil.example']"],
    ['hostname', 'a.evil.example', "[domain-name:value = 'a.evil.example']"],
    ['url', 'hxxp://evil[.]example/a', "[url:value = 'http://evil.example/a']"],
    ['email', 'x@evil.example', "[email-addr:value = 'x@evil.example']"],
    ['email-subject', 'Invoice', "[email-message:subject = 'Invoice']"],
    ['filename', 'loader.exe', "[file:name = 'loader.exe']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"],
    ['sha256', SHA256, `[file:hashes.'SHA-256' = '${SHA256}']`],
    ['sha512', SHA512, `[file:hashes.'SHA-512' = '${SHA512}']`],
    ['ja3', '72a589da586844d7f0818ce684948eea', "[x-ja3:hash = '72a589da586844d7f0818ce684948eea']"],
    ['ja4', 't13d1516h2_8daaf6152771_b186095e22b6', "[x-ja4:fingerprint = 't13d1516h2_8daaf6152771_b186095e22b6']"],
    ['user-agent', 'curl/8.0', "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'curl/8.0']"],
    ['asn', 'AS64496', '[autonomous-system:number = 64496]'],
  ])('%s %s', (type, value, pattern) => {
    expect(stixPattern(type, value)).toEqual({ pattern, patternType: 'stix' });
  });

  it('passes YARA and Sigma rules through as their own pattern type; a CVE has none', () => {
    expect(stixPattern('yara', YARA)).toEqual({ pattern: YARA, patternType: 'yara' });
    expect(stixPattern('sigma', SIGMA)).toEqual({ pattern: SIGMA.trim(), patternType: 'sigma' });
    expect(stixPattern('cve', 'CVE-2021-44228')).toBeNull();
    expect(stixPattern('ipv4', '999.1.1.1')).toBeNull();
  });

  /** Reads the one string literal of a pattern back, per the STIX pattern grammar (\\ and \'). */
  const literalOf = (pattern: string) => {
    const m = /^\[[^=]+ = '((?:[^'\\]|\\[\\'])*)'\]$/.exec(pattern);
    if (!m?.[1] && m?.[1] !== '') throw new Error(`no single literal in ${pattern}`);
    return m[1].replace(/\\([\\'])/g, '$1');
  };

  it("escapes ' and \\ so that the literal round-trips", () => {
    const value = String.raw`it's C:\Users\Public\o'neil\.exe`;
    const p = stixPattern('filename', value)!;
    expect(p.pattern).toBe(String.raw`[file:name = 'it\'s C:\\Users\\Public\\o\'neil\\.exe']`);
    expect(literalOf(p.pattern)).toBe(value);
  });

  it('round-trips any single-line literal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.constantFrom<IndicatorType>('filename', 'email-subject', 'user-agent'), (s, type) => {
        const n = normaliseIndicator(type, s);
        fc.pre(!('error' in n));
        expect(literalOf(stixPattern(type, s)!.pattern)).toBe('value' in n ? n.value : '');
      }),
    );
  });
});

describe('MISP mapping', () => {
  it('exports the pairs named in the design', () => {
    expect(mispTypeFor('ipv4')).toEqual({ type: 'ip-dst', category: 'Network activity' });
    expect(mispTypeFor('email')).toEqual({ type: 'email-src', category: 'Payload delivery' });
    expect(mispTypeFor('sha256')).toEqual({ type: 'sha256', category: 'Payload delivery' });
    expect(mispTypeFor('yara')).toEqual({ type: 'yara', category: 'Payload installation' });
    expect(mispTypeFor('cve')).toEqual({ type: 'vulnerability', category: 'External analysis' });
    expect(mispTypeFor('asn').type).toBe('AS');
    expect(mispTypeFor('ja3').type).toBe('ja3-fingerprint-md5');
  });

  const dir = testdataDir();
  it.skipIf(dir === null)('uses only type/category pairs that misp/describeTypes.json allows', () => {
    const { result } = JSON.parse(readFileSync(testdataPath('misp', 'describeTypes.json'), 'utf8')) as { result: { types: string[]; category_type_mappings: Record<string, string[]> } };
    for (const ours of INDICATOR_TYPES) {
      const { type, category } = mispTypeFor(ours);
      expect(result.types, `${ours} → ${type}`).toContain(type);
      expect(result.category_type_mappings[category], `${ours} → ${type} in ${category}`).toContain(type);
    }
    // ja4 falls back to 'text' only while MISP has no JA4 type; this flags the day it gets one.
    expect(result.types.some((t) => /ja4/i.test(t)), 'MISP now has a JA4 type: map ja4 to it').toBe(false);
  });

  it.each<[string, string, { type: IndicatorType; value: string } | null]>([
    ['ip-dst', '192.0.2.1', { type: 'ipv4', value: '192.0.2.1' }],
    ['ip-src', '2001:db8::1', { type: 'ipv6', value: '2001:db8::1' }],
    ['ip-dst', '198.51.100.0/24', { type: 'cidr', value: '198.51.100.0/24' }],
    ['ip-dst', '198.51.100.9/32', { type: 'ipv4', value: '198.51.100.9' }],
    ['ip-dst', '2001:db8::9/128', { type: 'ipv6', value: '2001:db8::9' }],
    ['ip-dst', '192.0.2.999', { type: 'ipv4', value: '192.0.2.999' }],
    ['ip-src|port', '203.0.113.5|443', { type: 'ipv4', value: '203.0.113.5' }],
    ['ip-dst|port', '2001:db8::5|8443', { type: 'ipv6', value: '2001:db8::5' }],
    ['domain|ip', 'evil.example|192.0.2.1', { type: 'domain', value: 'evil.example' }],
    ['domain', 'evil.example', { type: 'domain', value: 'evil.example' }],
    ['hostname|port', 'c2.evil.example|8080', { type: 'hostname', value: 'c2.evil.example' }],
    ['url', 'http://evil.example/a', { type: 'url', value: 'http://evil.example/a' }],
    ['email-dst', 'x@evil.example', { type: 'email', value: 'x@evil.example' }],
    ['email-src', 'x@evil.example', { type: 'email', value: 'x@evil.example' }],
    ['filename|sha256', `loader.exe|${SHA256}`, { type: 'sha256', value: SHA256 }],
    ['filename|md5', 'a.exe|d41d8cd98f00b204e9800998ecf8427e', { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }],
    ['ja3-fingerprint-md5', '72a589da586844d7f0818ce684948eea', { type: 'ja3', value: '72a589da586844d7f0818ce684948eea' }],
    ['vulnerability', 'CVE-2021-44228', { type: 'cve', value: 'CVE-2021-44228' }],
    ['AS', '64496', { type: 'asn', value: '64496' }],
    ['text', 'anything', null],
    ['comment', 'anything', null],
    ['other', 'anything', null],
    ['link', 'https://evil.example/', null],
    ['snort', 'alert tcp any any -> any any', null],
    ['toString', 'x', null],
  ])('imports %s %j', (mispType, value, expected) => {
    expect(fromMispAttribute(mispType, value)).toEqual(expected);
  });

  it('hands IP text on unchanged, so that octal-looking octets are still refused', () => {
    const imported = fromMispAttribute('ip-dst', '010.0.2.1/32')!;
    expect(imported).toEqual({ type: 'ipv4', value: '010.0.2.1' });
    expect(error(imported.type, imported.value)).toContain('leading zero');
  });

  it('imports what it exports (round trip through the MISP type)', () => {
    const samples: Partial<Record<IndicatorType, string>> = { ipv4: '192.0.2.1', ipv6: '2001:db8::1', cidr: '192.0.2.0/24', domain: 'evil.example', url: 'http://evil.example/', sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', asn: 'AS64496' };
    for (const [type, value] of Object.entries(samples)) {
      const back = fromMispAttribute(mispTypeFor(type as IndicatorType).type, value)!;
      expect(normaliseIndicator(back.type, back.value)).toEqual({ value });
    }
  });
});

describe('normaliseIndicator is idempotent (property)', () => {
  const idempotent = (type: IndicatorType) => (raw: string) => {
    const first = normaliseIndicator(type, raw);
    if ('error' in first) throw new Error(`${type} ${raw}: ${first.error}`);
    expect(normaliseIndicator(type, first.value)).toEqual(first);
  };
  const byte = fc.integer({ min: 0, max: 255 });
  const hextet = fc.integer({ min: 0, max: 0xffff }).chain((n) => fc.constantFrom(n.toString(16), n.toString(16).toUpperCase(), n.toString(16).padStart(4, '0')));
  const zeroish = fc.oneof(hextet, fc.constant('0'));
  const v4 = fc.tuple(fc.constantFrom('192.0.2', '198.51.100', '203.0.113'), byte).map(([net, b]) => `${net}.${b}`);
  const v6 = fc.array(zeroish, { minLength: 6, maxLength: 6 }).map((rest) => ['2001', '0DB8', ...rest].join(':'));
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/);
  const name = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('example', 'test'), fc.boolean(), fc.boolean()).map(([labels, tld, upper, dot]) => {
    const n = `${labels.join('.')}.${tld}${dot ? '.' : ''}`;
    return upper ? n.toUpperCase() : n;
  });
  const hexOf = (n: number) => fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: n, maxLength: n }).map((a) => a.join(''));

  it('for IPv4 and IPv4 ranges', () => {
    fc.assert(fc.property(v4, idempotent('ipv4')));
    fc.assert(fc.property(v4, fc.integer({ min: 24, max: 32 }), (ip, p) => idempotent('cidr')(`${ip}/${p}`)));
  });
  it('for IPv6 and IPv6 ranges, in RFC 5952 form', () => {
    fc.assert(
      fc.property(v6, (ip) => {
        idempotent('ipv6')(ip);
        expect(ok('ipv6', ip)).toMatch(/^2001:db8:[0-9a-f:]*$/);
        expect(ok('ipv6', ip)).not.toMatch(/(^|:)0[0-9a-f]/);
      }),
    );
    fc.assert(fc.property(v6, fc.integer({ min: 32, max: 128 }), (ip, p) => idempotent('cidr')(`${ip}/${p}`)));
  });
  it('for domains, host names, URLs and addresses', () => {
    fc.assert(fc.property(name, idempotent('domain')));
    fc.assert(fc.property(name, idempotent('hostname')));
    fc.assert(fc.property(name, fc.webPath(), (host, path) => idempotent('url')(`hxxps://${host.replace(/\.$/, '').replace(/\./g, '[.]')}${path}`)));
    fc.assert(fc.property(name, label, (host, local) => idempotent('email')(`${local}[@]${host}`)));
  });
  it('for hashes and fingerprints', () => {
    for (const [type, n] of [['md5', 32], ['sha1', 40], ['sha256', 64], ['sha512', 128], ['ja3', 32]] as const) fc.assert(fc.property(hexOf(n), idempotent(type)));
  });
});
