import { describe, expect, it } from 'vitest';
import { evaluateDmarc, evaluateDmarcPolicy } from '../../src/modules/monitoring/checks.ts';
import { parseServer } from '../../src/modules/monitoring/dns-client.ts';
import {
  buildQuery,
  decodeMessage,
  DnsFormatError,
  EDNS_DO,
  encodeMessage,
  FLAG,
  RCODE,
  rcodeOf,
  readDnskey,
  readDs,
  readName,
  RR,
  rrsigCovers,
  type DnsMessage,
} from '../../src/modules/monitoring/dns-wire.ts';
import { evaluateDnssec, keyTag, zoneOf, type DnssecFacts, type RrsetView } from '../../src/modules/monitoring/dnssec.ts';

/** The pure parts of the DNS checks: the DMARC organisational-domain fallback, the wire format, the DNSSEC verdict. */

describe('DMARC with the organisational domain (RFC 7489 6.6.3)', () => {
  const own = (txt: string[]) => ({ name: '_dmarc.shop.hosp.example', txt });
  const org = (txt: string[]) => ({ name: '_dmarc.hosp.example', txt });

  it("a name's own record decides when it has one; the parent is not asked", () => {
    expect(evaluateDmarcPolicy(own(['v=DMARC1; p=quarantine']), org(['v=DMARC1; p=reject; sp=none']))).toEqual({
      record: '_dmarc.shop.hosp.example',
      policy: 'quarantine',
      problem: null,
    });
    // Two records at the name end the search: no fallback.
    expect(evaluateDmarcPolicy(own(['v=DMARC1; p=none', 'v=DMARC1; p=reject']), org(['v=DMARC1; p=reject'])).problem).toMatchObject({
      type: 'dmarc-missing',
      detail: '2 DMARC records at _dmarc.shop.hosp.example: receivers ignore them all.',
      evidence: { record: '_dmarc.shop.hosp.example' },
    });
  });

  it("without one, the organisational domain's sp= applies, else its p=", () => {
    expect(evaluateDmarcPolicy(own(['some-verification=x']), org(['v=DMARC1; p=reject; sp=quarantine']))).toEqual({
      record: '_dmarc.hosp.example',
      policy: 'quarantine',
      problem: null,
    });
    expect(evaluateDmarcPolicy(own([]), org(['v=DMARC1; p=reject; rua=mailto:d@hosp.example']))).toEqual({
      record: '_dmarc.hosp.example',
      policy: 'reject',
      problem: null,
    });
    expect(evaluateDmarcPolicy(own([]), org(['v=DMARC1;p=none;SP=Reject'])).policy).toBe('reject');
  });

  it('says which records were read when neither covers the name', () => {
    expect(evaluateDmarcPolicy(own([]), org([])).problem).toEqual({
      type: 'dmarc-missing',
      detail: "No DMARC record at _dmarc.shop.hosp.example, nor at the organisational domain's _dmarc.hosp.example.",
      evidence: { checked: '_dmarc.shop.hosp.example', record: '_dmarc.hosp.example', txt: '' },
    });
    expect(evaluateDmarcPolicy(own([]), org(['v=DMARC1; p=reject; sp=bogus'])).problem).toMatchObject({
      type: 'dmarc-missing',
      detail: expect.stringMatching(/_dmarc\.hosp\.example, which applies to shop\.hosp\.example, has no valid subdomain policy/),
      evidence: { checked: '_dmarc.shop.hosp.example', record: '_dmarc.hosp.example' },
    });
    expect(evaluateDmarcPolicy(own([]), org(['v=DMARC1; sp=reject'])).problem?.detail).toBe(
      'The DMARC record at _dmarc.hosp.example has no valid policy (p=none, quarantine or reject).',
    );
  });

  it('the organisational domain itself has nothing to fall back on', () => {
    expect(evaluateDmarcPolicy({ name: '_dmarc.hosp.example', txt: [] }, null).problem?.detail).toBe('No DMARC record at _dmarc.hosp.example.');
    // An sp= only matters below the organisational domain.
    expect(evaluateDmarc(['v=DMARC1; p=reject; sp=bogus'])).toBeNull();
  });
});

describe('DNS wire format', () => {
  it('builds a recursive query with EDNS0, DO and AD, and CD when asked', () => {
    const q = decodeMessage(buildQuery(0x1234, 'Hosp.Example.', RR.DNSKEY, { cd: true }));
    expect(q).toMatchObject({ id: 0x1234, questions: [{ name: 'hosp.example', type: RR.DNSKEY, class: 1 }], answers: [], authorities: [] });
    expect(q.flags & (FLAG.RD | FLAG.AD | FLAG.CD | FLAG.QR)).toBe(FLAG.RD | FLAG.AD | FLAG.CD);
    expect(q.additionals).toEqual([{ name: '', type: RR.OPT, class: 1232, ttl: EDNS_DO, data: Buffer.alloc(0) }]);
    expect(decodeMessage(buildQuery(1, '', RR.DNSKEY)).questions[0]?.name).toBe('');
    expect(decodeMessage(buildQuery(1, 'x.test', RR.DS)).flags & FLAG.CD).toBe(0);
  });

  it('round-trips a message and reads compressed names', () => {
    const m: DnsMessage = {
      id: 7,
      flags: FLAG.QR | FLAG.RD | FLAG.RA | FLAG.AD | RCODE.NXDOMAIN,
      questions: [{ name: 'a.hosp.example', type: RR.DS, class: 1 }],
      answers: [{ name: 'a.hosp.example', type: RR.DS, class: 1, ttl: 60, data: Buffer.from([1, 2, 13, 2, 9]) }],
      authorities: [{ name: 'hosp.example', type: RR.SOA, class: 1, ttl: 60, data: Buffer.from([0, 0]) }],
      additionals: [],
    };
    const back = decodeMessage(encodeMessage(m));
    expect(back).toEqual(m);
    expect(rcodeOf(back)).toBe(RCODE.NXDOMAIN);

    // 'www' + a pointer to 'hosp.example' at offset 2.
    const buf = Buffer.concat([
      Buffer.from([0, 0, 4]),
      Buffer.from('hosp'),
      Buffer.from([7]),
      Buffer.from('example'),
      Buffer.from([0, 3]),
      Buffer.from('WWW'),
      Buffer.from([0xc0, 2]),
    ]);
    expect(readName(buf, 16)).toEqual({ name: 'www.hosp.example', end: 22 });
  });

  it('rejects malformed messages instead of looping or reading past the end', () => {
    const loop = Buffer.concat([Buffer.alloc(12), Buffer.from([0xc0, 12])]);
    loop.writeUInt16BE(1, 4);
    expect(() => decodeMessage(loop)).toThrow(DnsFormatError);
    expect(() => decodeMessage(Buffer.alloc(5))).toThrow(/Shorter than a DNS header/);
    const truncated = encodeMessage({
      id: 1,
      flags: 0,
      questions: [],
      answers: [{ name: 'x.test', type: RR.TXT, class: 1, ttl: 1, data: Buffer.from([3, 97, 98, 99]) }],
      authorities: [],
      additionals: [],
    });
    expect(() => decodeMessage(truncated.subarray(0, truncated.length - 2))).toThrow(/runs past/);
    expect(() => buildQuery(1, `${'a'.repeat(64)}.test`, RR.DS)).toThrow(/1-63 octets/);
  });

  it('reads the fixed parts of DS, DNSKEY and RRSIG, and computes key tags as RFC 4034 does', () => {
    expect(readDs(Buffer.from([0xec, 0x45, 5, 1, 0xaa]))).toEqual({ keyTag: 60485, algorithm: 5, digestType: 1 });
    expect(readDnskey(Buffer.from([1, 1, 3, 13, 0xaa]))).toEqual({ flags: 257, protocol: 3, algorithm: 13, sep: true });
    const rrsig = Buffer.alloc(20);
    rrsig.writeUInt16BE(RR.DNSKEY, 0);
    expect(rrsigCovers(rrsig)).toBe(RR.DNSKEY);
    expect(() => readDs(Buffer.from([1]))).toThrow(DnsFormatError);
    // Worked by hand: 0x0101 + 0x030d + 0xaabb + 0xcc00 = 0x17ac9, folded: 0x7aca.
    expect(keyTag(Buffer.from([0x01, 0x01, 0x03, 0x0d, 0xaa, 0xbb, 0xcc]))).toBe(0x7aca);
    // The example key of RFC 4034 section 5.4 (dskey.example.com, key id 60485).
    const rfcKey =
      'AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==';
    expect(keyTag(Buffer.concat([Buffer.from([1, 0, 3, 5]), Buffer.from(rfcKey, 'base64')]))).toBe(60485);
  });

  it('takes resolvers in the forms node:dns accepts', () => {
    expect(parseServer('192.0.2.53')).toEqual({ host: '192.0.2.53', port: 53 });
    expect(parseServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseServer('2001:db8::53')).toEqual({ host: '2001:db8::53', port: 53 });
    expect(parseServer('[2001:db8::53]:5353')).toEqual({ host: '2001:db8::53', port: 5353 });
    expect(() => parseServer('resolver.example')).toThrow(/not a resolver address/);
  });
});

describe('DNSSEC verdict', () => {
  const view = (records: string[], keys: { tag: number; algorithm: number }[], extra: Partial<RrsetView> = {}): RrsetView => ({
    status: 'ok',
    records,
    keys,
    signed: records.length > 0,
    ad: false,
    ...extra,
  });
  const ds = view(['tag 2371 alg 13 digest 2'], [{ tag: 2371, algorithm: 13 }]);
  const dnskey = view(
    ['KSK tag 2371 alg 13', 'ZSK tag 40000 alg 13'],
    [
      { tag: 2371, algorithm: 13 },
      { tag: 40000, algorithm: 13 },
    ],
  );
  const none = view([], []);
  const facts = (f: Partial<DnssecFacts>): DnssecFacts => ({ zone: 'hosp.example', ds, dnskey, validating: false, ...f });

  it('signed with a matching DS: fine without a validating resolver, and with one that sets AD', () => {
    expect(evaluateDnssec(facts({}))).toBeNull();
    expect(evaluateDnssec(facts({ validating: true, dnskey: { ...dnskey, ad: true } }))).toBeNull();
  });

  it('no DS and no DNSKEY, or keys without a DS: missing', () => {
    expect(evaluateDnssec(facts({ ds: none, dnskey: none }))).toEqual({
      type: 'dnssec-missing',
      detail: 'hosp.example is not signed: no DS record at the parent and no DNSKEY in the zone.',
      evidence: { zone: 'hosp.example', ds: 'none', dnskey: 'none', dnskeySigned: 'no', resolverValidates: 'no', ad: 'not set' },
    });
    expect(evaluateDnssec(facts({ ds: none }))).toMatchObject({
      type: 'dnssec-missing',
      detail: expect.stringMatching(/no DS record: there is no chain of trust/),
    });
  });

  it('a DS without keys, a DS naming no key, no AD from a validating resolver, or a validation SERVFAIL: invalid', () => {
    expect(evaluateDnssec(facts({ dnskey: none }))).toMatchObject({ type: 'dnssec-invalid', detail: expect.stringMatching(/no DNSKEY/) });
    expect(evaluateDnssec(facts({ ds: view(['tag 1 alg 13 digest 2'], [{ tag: 1, algorithm: 13 }]) }))).toMatchObject({
      type: 'dnssec-invalid',
      detail: expect.stringMatching(/No DS record at the parent names a DNSKEY/),
    });
    // Same tag, other algorithm: no match either.
    expect(evaluateDnssec(facts({ ds: view(['tag 2371 alg 8 digest 2'], [{ tag: 2371, algorithm: 8 }]) }))?.type).toBe('dnssec-invalid');
    expect(evaluateDnssec(facts({ validating: true }))).toMatchObject({
      type: 'dnssec-invalid',
      detail: expect.stringMatching(/did not mark its DNSKEY answer authenticated/),
      evidence: { resolverValidates: 'yes', ad: 'not set' },
    });
    expect(evaluateDnssec(facts({ validating: true, dnskey: { ...dnskey, status: 'bogus' } }))).toMatchObject({
      type: 'dnssec-invalid',
      detail: expect.stringMatching(/SERVFAIL, but it answers with checking disabled/),
      evidence: { servfail: 'DNSKEY' },
    });
  });

  it('finds the zone from the SOA, within the registrable domain', () => {
    const soaAt = (owner: string, section: 'answers' | 'authorities'): DnsMessage => ({
      id: 1,
      flags: FLAG.QR,
      questions: [],
      answers: [],
      authorities: [],
      additionals: [],
      [section]: [{ name: owner, type: RR.SOA, class: 1, ttl: 1, data: Buffer.alloc(0) }],
    });
    expect(zoneOf('hosp.example', soaAt('hosp.example', 'answers'))).toBe('hosp.example');
    expect(zoneOf('www.hosp.example', soaAt('hosp.example', 'authorities'))).toBe('hosp.example');
    // The TLD's SOA (a name that is not a zone of its own under a public suffix) or an alias elsewhere: the name itself.
    expect(zoneOf('hosp.example', soaAt('example', 'authorities'))).toBe('hosp.example');
    expect(zoneOf('www.hosp.example', soaAt('cdn.test', 'authorities'))).toBe('www.hosp.example');
    expect(zoneOf('hosp.example', { ...soaAt('x', 'answers'), answers: [] })).toBe('hosp.example');
  });
});
