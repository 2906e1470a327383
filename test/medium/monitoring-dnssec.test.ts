import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rrsigData, soaData, startSignedDns, type SignedDns } from '../helpers/dnssec-server.ts';
import { checkDns } from '../../src/modules/monitoring/checks.ts';
import { DnsQueryError, queryDns } from '../../src/modules/monitoring/dns-client.ts';
import { RR } from '../../src/modules/monitoring/dns-wire.ts';
import { checkDnssec, keyTag } from '../../src/modules/monitoring/dnssec.ts';

/**
 * The DNS checks through a resolver: a stand-in on 127.0.0.1 (test/helpers/dnssec-server.ts, built
 * on the checks' own wire code) answers as a recursive resolver would, for a signed zone (DS,
 * DNSKEY, RRSIG, AD), an unsigned one and broken ones. Only .example/.test names.
 */

const key = (flags: number, fill: number) => Buffer.concat([Buffer.from([flags >> 8, flags & 0xff, 3, 13]), Buffer.alloc(64, fill)]);
const KSK = key(257, 1);
const ZSK = key(256, 2);
const OTHER_KSK = key(257, 3);
function ds(dnskey: Buffer): Buffer {
  const b = Buffer.alloc(36, 0xcd);
  b.writeUInt16BE(keyTag(dnskey), 0);
  b[2] = dnskey[3]!;
  b[3] = 2;
  return b;
}
/** A zone as a resolver returns it once resolved: SOA, DS, DNSKEY and their RRSIGs. */
const signedZone = (zone: string, opts: { secure?: boolean; dsOf?: Buffer } = {}) => ({
  secure: opts.secure ?? true,
  TXT: ['v=spf1 -all'],
  records: {
    [RR.SOA]: [soaData(zone)],
    [RR.DS]: [ds(opts.dsOf ?? KSK)],
    [RR.DNSKEY]: [KSK, ZSK],
    [RR.RRSIG]: [rrsigData(RR.DNSKEY, zone, keyTag(KSK)), rrsigData(RR.SOA, zone, keyTag(ZSK)), rrsigData(RR.TXT, zone, keyTag(ZSK))],
  },
});

let dns: SignedDns;
const opts = () => ({ servers: [dns.server], timeoutMs: 2000 });
const validating = (on: boolean) => {
  dns.names['']!.secure = on;
};

beforeAll(async () => {
  dns = await startSignedDns({
    '': { records: { [RR.DNSKEY]: [key(257, 9)], [RR.RRSIG]: [rrsigData(RR.DNSKEY, '', 20326)] } },
    'signed.example': signedZone('signed.example'),
    '_dmarc.signed.example': { secure: true, TXT: ['v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@signed.example'] },
    'shop.signed.example': { secure: true, zone: 'signed.example', TXT: ['v=spf1 -all'] },
    'unsigned.test': { TXT: ['v=spf1 mx -all'], records: { [RR.SOA]: [soaData('unsigned.test')] } },
    'mail.unsigned.test': { zone: 'unsigned.test', TXT: ['v=spf1 mx -all'] },
    'keys-only.example': { records: { [RR.SOA]: [soaData('keys-only.example')], [RR.DNSKEY]: [KSK] } },
    'orphan-ds.example': { records: { [RR.SOA]: [soaData('orphan-ds.example')], [RR.DS]: [ds(KSK)] } },
    'stale-ds.example': signedZone('stale-ds.example', { dsOf: OTHER_KSK }),
    'insecure.example': signedZone('insecure.example', { secure: false }),
    'bogus.example': { ...signedZone('bogus.example', { secure: false }), bogus: true },
    'big.example': { ...signedZone('big.example'), truncate: true },
  });
});

afterAll(async () => {
  await dns?.stop();
});

describe('DNSSEC through a resolver that does not validate', () => {
  beforeAll(() => validating(false));

  it('a signed zone (DS matching a DNSKEY) passes; an unsigned one is missing', async () => {
    expect(await checkDnssec('signed.example', opts())).toBeNull();
    expect(await checkDnssec('unsigned.test', opts())).toMatchObject({
      type: 'dnssec-missing',
      evidence: { zone: 'unsigned.test', ds: 'none', dnskey: 'none', resolverValidates: 'no' },
    });
  });

  it('a name inside a zone is judged by its zone, taken from the SOA in the authority section', async () => {
    expect(await checkDnssec('shop.signed.example', opts())).toBeNull();
    expect(await checkDnssec('mail.unsigned.test', opts())).toMatchObject({ type: 'dnssec-missing', evidence: { zone: 'unsigned.test' } });
    expect(dns.log).toContain('signed.example 43 udp');
  });

  it('keys without a DS, a DS without keys, a DS naming no key', async () => {
    expect(await checkDnssec('keys-only.example', opts())).toMatchObject({ type: 'dnssec-missing', detail: expect.stringMatching(/no DS record/) });
    expect(await checkDnssec('orphan-ds.example', opts())).toMatchObject({ type: 'dnssec-invalid', detail: expect.stringMatching(/no DNSKEY/) });
    expect(await checkDnssec('stale-ds.example', opts())).toMatchObject({
      type: 'dnssec-invalid',
      evidence: { ds: `tag ${keyTag(OTHER_KSK)} alg 13 digest 2`, dnskey: `KSK tag ${keyTag(KSK)} alg 13; ZSK tag ${keyTag(ZSK)} alg 13`, dnskeySigned: 'yes' },
    });
  });

  it('a name that does not exist has nothing to sign', async () => {
    expect(await checkDnssec('nothing-here.test', opts())).toBeNull();
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    expect(await checkDnssec('big.example', opts())).toBeNull();
    expect(dns.log).toEqual(expect.arrayContaining(['big.example 48 udp', 'big.example 48 tcp', 'big.example 43 tcp']));
  });
});

describe('DNSSEC through a validating resolver (AD on the root)', () => {
  beforeAll(() => validating(true));
  afterAll(() => validating(false));

  it('a signed zone the resolver validates (AD) passes', async () => {
    expect(await checkDnssec('signed.example', opts())).toBeNull();
  });

  it('a signed zone without AD is invalid; so is one the resolver fails (SERVFAIL that CD lifts)', async () => {
    expect(await checkDnssec('insecure.example', opts())).toMatchObject({
      type: 'dnssec-invalid',
      detail: expect.stringMatching(/no AD bit/),
      evidence: { resolverValidates: 'yes', ad: 'not set' },
    });
    expect(await checkDnssec('bogus.example', opts())).toMatchObject({
      type: 'dnssec-invalid',
      detail: expect.stringMatching(/SERVFAIL, but it answers with checking disabled/),
      evidence: { zone: 'bogus.example', servfail: 'DNSKEY' },
    });
    expect(dns.log).toContain('bogus.example 48 udp cd');
  });
});

describe('the DNS check (SPF, DMARC, DNSSEC) as a source runs it', () => {
  const env = () => ({ dnsServers: [dns.server], timeoutMs: 2000, allowedHosts: [] });

  it("a subdomain without a DMARC record of its own is covered by the organisational domain's sp=", async () => {
    expect(await checkDns('shop.signed.example', env())).toEqual({ outcome: 'checked', problems: [] });
    expect(dns.log).toEqual(expect.arrayContaining(['_dmarc.shop.signed.example 16 udp', '_dmarc.signed.example 16 udp']));
  });

  it('an unsigned domain without DMARC, and its subdomain, with the records read in the evidence', async () => {
    expect(await checkDns('unsigned.test', env())).toEqual({
      outcome: 'checked',
      problems: [
        expect.objectContaining({ type: 'dmarc-missing', evidence: { record: '_dmarc.unsigned.test', txt: '' } }),
        expect.objectContaining({ type: 'dnssec-missing' }),
      ],
    });
    expect(await checkDns('mail.unsigned.test', env())).toMatchObject({
      outcome: 'checked',
      problems: [
        { type: 'dmarc-missing', evidence: { checked: '_dmarc.mail.unsigned.test', record: '_dmarc.unsigned.test' } },
        { type: 'dnssec-missing', evidence: { zone: 'unsigned.test' } },
      ],
    });
  });

  it('a resolver that does not answer is an error, not a finding', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const silent = `127.0.0.1:${sock.address().port}`;
    try {
      await expect(queryDns('signed.example', RR.DS, { servers: [silent], timeoutMs: 200, tries: 1 })).rejects.toBeInstanceOf(DnsQueryError);
      expect(await checkDns('signed.example', { dnsServers: [silent], timeoutMs: 300, allowedHosts: [] })).toMatchObject({ outcome: 'error' });
    } finally {
      await new Promise<void>((resolve) => sock.close(() => resolve()));
    }
  });
});
