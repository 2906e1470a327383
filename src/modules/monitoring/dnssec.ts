import { getDomain } from 'tldts';
import type { CheckProblem } from './checks.ts';
import { DnsQueryError, queryDns, type DnsClientOptions } from './dns-client.ts';
import { FLAG, normaliseName, RCODE, RCODE_NAMES, rcodeOf, readDnskey, readDs, RR, rrsigCovers, type DnsMessage } from './dns-wire.ts';

/**
 * DNSSEC of a declared domain's zone, as the configured resolver sees it.
 *
 * What is checked: the zone that holds the name (the SOA's owner), whether its parent publishes a
 * DS record and the zone a DNSKEY set, whether at least one DS names a DNSKEY (key tag and
 * algorithm), and, when the resolver validates, whether it does so for this zone: a SERVFAIL that
 * goes away when validation is switched off (the CD bit) is a validation failure, and a signed zone
 * whose DNSKEY answer comes without the AD bit was not validated either.
 *
 * What is not: signatures and DS digests are not verified here (that is the validating resolver's
 * work; with a non-validating one only the presence of the records is judged), nor signature
 * expiry ahead of time, nor NSEC/NSEC3, nor the signing of other names in the zone. Whether the
 * resolver validates is learnt from a name known to be signed: the root's DNSKEY set.
 */

/** The name whose answer tells whether the resolver validates: the root is signed and is every validator's trust anchor. */
export const DNSSEC_CONTROL = '';

export interface RrsetView {
  /** 'bogus': SERVFAIL, but an answer with checking disabled (CD), so the resolver's validation failed. */
  status: 'ok' | 'nxdomain' | 'bogus';
  /** Short descriptions of the records, e.g. 'tag 2371 alg 13 digest 2'. */
  records: string[];
  /** Key tag and algorithm of each record, to match DS to DNSKEY. */
  keys: { tag: number; algorithm: number }[];
  /** An RRSIG over the set came with it. */
  signed: boolean;
  /** The resolver set the AD bit: it validated the answer. */
  ad: boolean;
}

export interface DnssecFacts {
  zone: string;
  ds: RrsetView;
  dnskey: RrsetView;
  /** The resolver set AD on the control's answer. */
  validating: boolean;
}

/** The key tag of a DNSKEY's data (RFC 4034 appendix B), as a DS names it. */
export function keyTag(dnskeyData: Buffer): number {
  let ac = 0;
  for (let i = 0; i < dnskeyData.length; i++) ac += i & 1 ? dnskeyData[i]! : dnskeyData[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

const zoneLabel = (zone: string) => zone || '.';

/** The DNSSEC verdict on what the resolver said about the zone. */
export function evaluateDnssec(f: DnssecFacts): CheckProblem | null {
  const zone = zoneLabel(f.zone);
  const evidence = {
    zone,
    ds: f.ds.records.join('; ') || 'none',
    dnskey: f.dnskey.records.join('; ') || 'none',
    dnskeySigned: f.dnskey.signed ? 'yes' : 'no',
    resolverValidates: f.validating ? 'yes' : 'no',
    ad: f.dnskey.ad ? 'set' : 'not set',
  };
  if (f.ds.status === 'bogus' || f.dnskey.status === 'bogus')
    return {
      type: 'dnssec-invalid',
      detail: `The resolver fails to validate ${zone} (SERVFAIL, but it answers with checking disabled): a signature or the chain of trust is broken, and validating resolvers cannot reach the name.`,
      evidence: { ...evidence, servfail: [f.ds.status === 'bogus' ? 'DS' : '', f.dnskey.status === 'bogus' ? 'DNSKEY' : ''].filter(Boolean).join(', ') },
    };
  const hasDs = f.ds.records.length > 0;
  const hasKey = f.dnskey.records.length > 0;
  if (!hasDs && !hasKey) return { type: 'dnssec-missing', detail: `${zone} is not signed: no DS record at the parent and no DNSKEY in the zone.`, evidence };
  if (!hasDs)
    return {
      type: 'dnssec-missing',
      detail: `${zone} has DNSKEY records but the parent has no DS record: there is no chain of trust, so validators treat the zone as unsigned.`,
      evidence,
    };
  if (!hasKey)
    return {
      type: 'dnssec-invalid',
      detail: `The parent has a DS record for ${zone} but the zone has no DNSKEY: validating resolvers fail every name in it.`,
      evidence,
    };
  if (!f.ds.keys.some((d) => f.dnskey.keys.some((k) => k.tag === d.tag && k.algorithm === d.algorithm)))
    return {
      type: 'dnssec-invalid',
      detail: `No DS record at the parent names a DNSKEY of ${zone} (key tag and algorithm): a key rollover left the parent behind, and validating resolvers fail the zone.`,
      evidence,
    };
  if (f.validating && !f.dnskey.ad)
    return {
      type: 'dnssec-invalid',
      detail: `${zone} is signed but the validating resolver did not mark its DNSKEY answer authenticated (no AD bit): an algorithm it does not support, or signatures that do not verify.`,
      evidence,
    };
  return null;
}

// --- asking the resolver -------------------------------------------------------------------------

function describe(type: number, data: Buffer): { text: string; tag: number; algorithm: number } {
  if (type === RR.DS) {
    const ds = readDs(data);
    return { text: `tag ${ds.keyTag} alg ${ds.algorithm} digest ${ds.digestType}`, tag: ds.keyTag, algorithm: ds.algorithm };
  }
  const key = readDnskey(data);
  const tag = keyTag(data);
  return { text: `${key.sep ? 'KSK' : 'ZSK'} tag ${tag} alg ${key.algorithm}`, tag, algorithm: key.algorithm };
}

const TYPE_NAMES: Record<number, string> = { [RR.SOA]: 'SOA', [RR.DS]: 'DS', [RR.DNSKEY]: 'DNSKEY' };

/** One question; a SERVFAIL is asked again with CD to tell a validation failure from a broken server. */
async function ask(name: string, type: number, opts: DnsClientOptions): Promise<{ view: RrsetView; message: DnsMessage }> {
  const what = `${zoneLabel(name)} ${TYPE_NAMES[type] ?? type}`;
  let message = await queryDns(name, type, opts);
  let bogus = false;
  if (rcodeOf(message) === RCODE.SERVFAIL) {
    message = await queryDns(name, type, { ...opts, cd: true });
    if (rcodeOf(message) === RCODE.SERVFAIL) throw new DnsQueryError(`${what}: SERVFAIL, also with checking disabled.`, 'EBADRESP');
    bogus = true;
  }
  const rcode = rcodeOf(message);
  if (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN) throw new DnsQueryError(`${what}: ${RCODE_NAMES[rcode] ?? `rcode ${rcode}`}.`, 'EBADRESP');
  const own = normaliseName(name);
  const described = message.answers.filter((r) => r.name === own && r.type === type && type !== RR.SOA).map((r) => describe(type, r.data));
  return {
    message,
    view: {
      status: bogus ? 'bogus' : rcode === RCODE.NXDOMAIN ? 'nxdomain' : 'ok',
      records: described.map((d) => d.text),
      keys: described.map(({ tag, algorithm }) => ({ tag, algorithm })),
      signed: message.answers.some((r) => r.type === RR.RRSIG && r.name === own && rrsigCovers(r.data) === type),
      ad: !bogus && (message.flags & FLAG.AD) !== 0,
    },
  };
}

/**
 * The zone holding `name`: the owner of the SOA in the answer (an apex) or in the authority
 * section (a name inside a zone). Without one, or with one that is not the name or above it under
 * its registrable domain (an alias elsewhere), the name itself is taken as the zone.
 */
export function zoneOf(name: string, soa: DnsMessage): string {
  const own = normaliseName(name);
  const registrable = getDomain(own, { allowPrivateDomains: true });
  const owner = [...soa.answers, ...soa.authorities].find((r) => r.type === RR.SOA)?.name;
  if (owner === undefined) return own;
  const inside = owner === own || own.endsWith(`.${owner}`);
  const belowRegistrable = !registrable || owner === registrable || owner.endsWith(`.${registrable}`);
  return inside && belowRegistrable ? owner : own;
}

/** The DNSSEC verdict on a name, or null when the name does not exist (nothing to sign). Throws when the resolver cannot tell. */
export async function checkDnssec(name: string, opts: DnsClientOptions): Promise<CheckProblem | null> {
  const [control, soa] = await Promise.all([queryDns(DNSSEC_CONTROL, RR.DNSKEY, opts), ask(name, RR.SOA, opts)]);
  if (soa.view.status === 'nxdomain') return null;
  const zone = zoneOf(name, soa.message);
  const [ds, dnskey] = await Promise.all([ask(zone, RR.DS, opts), ask(zone, RR.DNSKEY, opts)]);
  const validating = rcodeOf(control) === RCODE.NOERROR && (control.flags & FLAG.AD) !== 0 && control.answers.some((r) => r.type === RR.DNSKEY);
  const facts: DnssecFacts = { zone, ds: ds.view, dnskey: dnskey.view, validating };
  // A SERVFAIL for the name itself that the CD bit lifts is a validation failure too.
  if (soa.view.status === 'bogus' && facts.dnskey.status === 'ok') facts.dnskey = { ...facts.dnskey, status: 'bogus' };
  return evaluateDnssec(facts);
}
