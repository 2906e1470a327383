import { Resolver } from 'node:dns/promises';
import tls from 'node:tls';
import { getDomain } from 'tldts';
import { isAllowedHost, makeLookup, safeGet, UnsafeTargetError, type AddressResolver } from '#lib/safe-http.ts';
import { DnsQueryError } from './dns-client.ts';
import { checkDnssec } from './dnssec.ts';

/**
 * The CERT's own checks of participants' declared domain names: the TLS certificate on the web
 * server, security.txt (RFC 9116), and SPF, DMARC and DNSSEC in DNS. Each check answers with the
 * problems it found (each one a finding), 'n/a' when the name has no such service, or an error when
 * it could not tell. The decisions are pure functions of what was read, so they can be tested on
 * their own.
 *
 * DNSSEC needs DS and DNSKEY questions and the AD and CD bits, which node:dns does not offer: it is
 * asked through the same resolvers by a small client of our own (dnssec.ts, dns-client.ts).
 */

export const CHECK_KINDS = ['tls', 'security-txt', 'dns'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface CheckProblem {
  type:
    | 'tls-certificate-expiring'
    | 'security-txt-missing'
    | 'security-txt-invalid'
    | 'spf-missing'
    | 'spf-invalid'
    | 'dmarc-missing'
    | 'dnssec-missing'
    | 'dnssec-invalid';
  detail: string;
  evidence: Record<string, string>;
}

export type CheckOutcome = { outcome: 'checked'; problems: CheckProblem[] } | { outcome: 'n/a'; reason: string } | { outcome: 'error'; error: string };

export interface CheckEnv {
  /** Resolvers ('host' or 'host:port'); empty: the system's. */
  dnsServers: readonly string[];
  timeoutMs: number;
  /** Hosts (or host:port) that may be contacted although they are not public. */
  allowedHosts: readonly string[];
  now?: Date;
  /** Extra trust anchors for HTTPS (a private CA); the system's otherwise. */
  ca?: string;
  /** The port security.txt is fetched from (443 but in tests). */
  httpsPort?: number;
}

/** Names that do not exist or have no server on the port: nothing to check, not an error. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
const errCode = (err: unknown) => (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : '');
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function resolverFor(env: CheckEnv): Resolver {
  const r = new Resolver({ timeout: env.timeoutMs, tries: 2 });
  if (env.dnsServers.length) r.setServers([...env.dnsServers]);
  return r;
}

/** Addresses of a name through the configured resolvers (A, then AAAA). */
export function addressResolver(env: CheckEnv): AddressResolver {
  const r = resolverFor(env);
  return async (host) => {
    const absentIsEmpty = (err: unknown): string[] => {
      if (ABSENT.has(errCode(err))) return [];
      throw err;
    };
    const v4 = await r.resolve4(host).catch(absentIsEmpty);
    if (v4.length) return v4;
    const v6 = await r.resolve6(host).catch(absentIsEmpty);
    if (!v6.length) throw Object.assign(new Error(`${host} has no address.`), { code: 'ENOTFOUND' });
    return v6;
  };
}

// --- TLS certificate ---------------------------------------------------------------------------

export interface PeerCertificate {
  validFrom: Date;
  validTo: Date;
  subject: string;
  issuer: string;
  /** Why the chain or the name does not verify, or null when it does. */
  authorizationError: string | null;
}

/** Expired, not yet valid, untrusted or for another name, or fewer than `warnDays` days left: a problem. */
export function tlsVerdict(cert: PeerCertificate, warnDays: number, now: Date): CheckProblem | null {
  const daysLeft = Math.floor((cert.validTo.getTime() - now.getTime()) / 86_400_000);
  const evidence = {
    validFrom: cert.validFrom.toISOString(),
    validTo: cert.validTo.toISOString(),
    daysLeft: String(daysLeft),
    subject: cert.subject,
    issuer: cert.issuer,
    ...(cert.authorizationError ? { verifyError: cert.authorizationError } : {}),
  };
  if (cert.validTo.getTime() <= now.getTime()) return { type: 'tls-certificate-expiring', detail: `The certificate expired on ${evidence.validTo}.`, evidence };
  if (cert.validFrom.getTime() > now.getTime())
    return { type: 'tls-certificate-expiring', detail: `The certificate is not valid before ${evidence.validFrom}.`, evidence };
  if (cert.authorizationError) return { type: 'tls-certificate-expiring', detail: `The certificate does not verify: ${cert.authorizationError}.`, evidence };
  if (daysLeft < warnDays) return { type: 'tls-certificate-expiring', detail: `The certificate expires in ${daysLeft} days (${evidence.validTo}).`, evidence };
  return null;
}

const dn = (o: Record<string, string | string[]> | undefined) =>
  o
    ? Object.entries(o)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ')
    : '';

/** Connects to the name's TLS port and reads the certificate it presents (with the verification result). */
export function readPeerCertificate(domain: string, port: number, env: CheckEnv): Promise<PeerCertificate> {
  const allowed = isAllowedHost(new URL(`https://${domain}:${port}`), env.allowedHosts);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: domain,
      port,
      servername: domain,
      rejectUnauthorized: false,
      lookup: makeLookup(addressResolver(env), !allowed),
      timeout: env.timeoutMs,
      ...(env.ca ? { ca: env.ca } : {}),
    });
    const timer = setTimeout(() => socket.destroy(new Error(`No TLS handshake with ${domain}:${port} within ${env.timeoutMs / 1000} s.`)), env.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const c = socket.getPeerCertificate();
      socket.end();
      if (!c || !c.valid_to) return reject(new Error(`${domain}:${port} presented no certificate.`));
      const authErr = socket.authorized ? null : socket.authorizationError ? String(socket.authorizationError) : 'not trusted';
      // The chain may verify while the name does not: check the name too.
      const nameErr = authErr ? null : tls.checkServerIdentity(domain, c);
      resolve({
        validFrom: new Date(c.valid_from),
        validTo: new Date(c.valid_to),
        subject: dn(c.subject as unknown as Record<string, string>),
        issuer: dn(c.issuer as unknown as Record<string, string>),
        authorizationError: authErr ?? (nameErr ? nameErr.message : null),
      });
    });
    socket.once('timeout', () => socket.destroy(new Error(`No TLS handshake with ${domain}:${port} within ${env.timeoutMs / 1000} s.`)));
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function checkTls(domain: string, opts: { port: number; warnDays: number }, env: CheckEnv): Promise<CheckOutcome> {
  let cert: PeerCertificate;
  try {
    cert = await readPeerCertificate(domain, opts.port, env);
  } catch (err) {
    if (ABSENT.has(errCode(err))) return { outcome: 'n/a', reason: `No TLS service at ${domain}:${opts.port} (${errCode(err)}).` };
    return { outcome: 'error', error: `${domain}:${opts.port}: ${errText(err)}` };
  }
  const problem = tlsVerdict(cert, opts.warnDays, env.now ?? new Date());
  return { outcome: 'checked', problems: problem ? [problem] : [] };
}

// --- security.txt (RFC 9116) ------------------------------------------------------------------

export interface SecurityTxtVerdict {
  valid: boolean;
  problems: string[];
  contact: string[];
  expires: string | null;
}

/** Removes an OpenPGP cleartext signature's armour, keeping the signed text (RFC 9116 section 2.3). */
function unsign(text: string): string {
  const m = /-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n-----BEGIN PGP SIGNATURE-----/.exec(text);
  return m ? m[1]!.replace(/^- /gm, '') : text;
}

/**
 * Judges a security.txt by RFC 9116: at least one Contact (a URI), exactly one Expires (an RFC 3339
 * date-time) that is in the future. A date more than a year ahead is noted but not a problem (the
 * RFC recommends less).
 */
export function evaluateSecurityTxt(text: string, now: Date): SecurityTxtVerdict {
  const problems: string[] = [];
  const contact: string[] = [];
  const expires: string[] = [];
  for (const raw of unsign(text).split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!m) {
      problems.push(`Unreadable line: '${line.slice(0, 80)}'.`);
      continue;
    }
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'contact') {
      if (/^(mailto:|https:|tel:)\S+$/i.test(value)) contact.push(value);
      else problems.push(`Contact '${value.slice(0, 80)}' is not a mailto:, https: or tel: URI.`);
    }
    if (field === 'expires') expires.push(value);
  }
  if (!contact.length) problems.push('No Contact field.');
  if (!expires.length) problems.push('No Expires field.');
  if (expires.length > 1) problems.push('More than one Expires field.');
  const exp = expires[0] ?? null;
  if (exp) {
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(exp) ? new Date(exp) : null;
    if (!at || Number.isNaN(at.getTime())) problems.push(`Expires '${exp.slice(0, 60)}' is not an RFC 3339 date-time.`);
    else if (at.getTime() <= now.getTime()) problems.push(`The file expired on ${exp}.`);
  }
  return { valid: problems.length === 0, problems, contact, expires: exp };
}

export async function checkSecurityTxt(domain: string, env: CheckEnv): Promise<CheckOutcome> {
  const url = `https://${domain}${env.httpsPort && env.httpsPort !== 443 ? `:${env.httpsPort}` : ''}/.well-known/security.txt`;
  let res;
  try {
    res = await safeGet(url, {
      allowedHosts: env.allowedHosts,
      timeoutMs: env.timeoutMs,
      maxBytes: 64 * 1024,
      resolve: addressResolver(env),
      ...(env.ca ? { ca: env.ca } : {}),
    });
  } catch (err) {
    if (ABSENT.has(errCode(err))) return { outcome: 'n/a', reason: `No web server at ${domain} (${errCode(err)}).` };
    if (err instanceof UnsafeTargetError) return { outcome: 'error', error: err.message };
    return { outcome: 'error', error: `${url}: ${errText(err)}` };
  }
  if (res.status === 404 || res.status === 410)
    return {
      outcome: 'checked',
      problems: [{ type: 'security-txt-missing', detail: `${url} answers ${res.status}.`, evidence: { url, status: String(res.status) } }],
    };
  if (res.status !== 200) return { outcome: 'error', error: `${url} answered ${res.status}.` };
  const verdict = evaluateSecurityTxt(res.body.toString('utf8'), env.now ?? new Date());
  if (verdict.valid) return { outcome: 'checked', problems: [] };
  return {
    outcome: 'checked',
    problems: [{ type: 'security-txt-invalid', detail: verdict.problems.join(' '), evidence: { url, problems: verdict.problems.join(' ') } }],
  };
}

// --- SPF and DMARC ---------------------------------------------------------------------------

/** The SPF verdict on a name's TXT records (each record as its joined strings). */
export function evaluateSpf(txt: readonly string[]): CheckProblem | null {
  const spf = txt.filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
  if (!spf.length) return { type: 'spf-missing', detail: 'No SPF record (TXT "v=spf1 …").', evidence: { txt: txt.join(' | ').slice(0, 1000) } };
  if (spf.length > 1)
    return {
      type: 'spf-invalid',
      detail: `${spf.length} SPF records: receivers treat that as a permanent error (RFC 7208 4.5).`,
      evidence: { spf: spf.join(' | ') },
    };
  return null;
}

const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
type DmarcPolicy = (typeof DMARC_POLICIES)[number];
const asPolicy = (v: string | undefined): DmarcPolicy | null => DMARC_POLICIES.find((p) => p === v?.toLowerCase()) ?? null;

/** The TXT records at one _dmarc name. */
export interface DmarcLookup {
  /** '_dmarc.<name>'. */
  name: string;
  txt: readonly string[];
}

export interface DmarcVerdict {
  /** The _dmarc name whose record decides (the organisational domain's when the name has none). */
  record: string;
  /** The policy that applies to the name, or null when none does. */
  policy: DmarcPolicy | null;
  problem: CheckProblem | null;
}

const dmarcRecords = (txt: readonly string[]) => txt.filter((t) => /^v=DMARC1\s*(;|$)/i.test(t.trim()));

/** The tags of a DMARC record (RFC 7489 section 6.4), names in lower case. */
function dmarcTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(part);
    if (m) tags.set(m[1]!.toLowerCase(), m[2]!);
  }
  return tags;
}

/**
 * The DMARC verdict for a name (RFC 7489 section 6.6.3): one "v=DMARC1" record with a policy (p=)
 * at _dmarc.<name>; when there is no DMARC record there, the receiver asks the organisational
 * domain (`organisational`, null when the name is that domain itself) and applies its sp=, or p=
 * without one. Several records at the name end the search (receivers ignore them all), as does a
 * record without a valid policy (read as p=none by receivers only when it asks for reports).
 */
export function evaluateDmarcPolicy(own: DmarcLookup, organisational: DmarcLookup | null): DmarcVerdict {
  const mine = dmarcRecords(own.txt);
  const from = !mine.length && organisational ? organisational : own;
  const records = from === own ? mine : dmarcRecords(from.txt);
  const fallback = from !== own;
  const checked: Record<string, string> = fallback ? { checked: own.name, record: from.name } : { record: own.name };
  const missing = (detail: string, evidence: Record<string, string>): DmarcVerdict => ({
    record: from.name,
    policy: null,
    problem: { type: 'dmarc-missing', detail, evidence: { ...checked, ...evidence } },
  });
  if (records.length !== 1) {
    const txt = { txt: from.txt.join(' | ').slice(0, 1000) };
    if (records.length) return missing(`${records.length} DMARC records at ${from.name}: receivers ignore them all.`, txt);
    return missing(fallback ? `No DMARC record at ${own.name}, nor at the organisational domain's ${from.name}.` : `No DMARC record at ${own.name}.`, txt);
  }
  const tags = dmarcTags(records[0]!);
  const p = asPolicy(tags.get('p'));
  if (!p) return missing(`The DMARC record at ${from.name} has no valid policy (p=none, quarantine or reject).`, { dmarc: records[0]! });
  if (!fallback) return { record: from.name, policy: p, problem: null };
  const sp = tags.get('sp');
  if (sp === undefined) return { record: from.name, policy: p, problem: null };
  const subdomainPolicy = asPolicy(sp);
  if (!subdomainPolicy)
    return missing(
      `The DMARC record at ${from.name}, which applies to ${own.name.replace(/^_dmarc\./, '')}, has no valid subdomain policy (sp=none, quarantine or reject).`,
      {
        dmarc: records[0]!,
      },
    );
  return { record: from.name, policy: subdomainPolicy, problem: null };
}

/** The DMARC verdict on the TXT records of _dmarc.<name> alone (no organisational domain to fall back on). */
export function evaluateDmarc(txt: readonly string[], name = '_dmarc'): CheckProblem | null {
  return evaluateDmarcPolicy({ name, txt }, null).problem;
}

async function txtOf(r: Resolver, name: string): Promise<string[]> {
  try {
    return (await r.resolveTxt(name)).map((parts) => parts.join(''));
  } catch (err) {
    if (errCode(err) === 'ENODATA' || errCode(err) === 'ENOTFOUND') return [];
    throw err;
  }
}

/** Reads _dmarc.<domain>, and the organisational domain's record when that has none. */
async function dmarcOf(r: Resolver, domain: string): Promise<DmarcVerdict> {
  const own: DmarcLookup = { name: `_dmarc.${domain}`, txt: await txtOf(r, `_dmarc.${domain}`) };
  // The organisational domain by the public suffix list (RFC 7489 section 3.2), its private part
  // included: a name under a hosting suffix belongs to its own organisation, as in constituency.ts.
  const org = getDomain(domain, { allowPrivateDomains: true });
  if (dmarcRecords(own.txt).length || !org || org === domain) return evaluateDmarcPolicy(own, null);
  return evaluateDmarcPolicy(own, { name: `_dmarc.${org}`, txt: await txtOf(r, `_dmarc.${org}`) });
}

export async function checkDns(domain: string, env: CheckEnv): Promise<CheckOutcome> {
  const r = resolverFor(env);
  try {
    const [own, dmarc, dnssec] = await Promise.all([
      txtOf(r, domain),
      dmarcOf(r, domain),
      checkDnssec(domain, { servers: env.dnsServers, timeoutMs: env.timeoutMs }),
    ]);
    const problems = [evaluateSpf(own), dmarc.problem, dnssec].filter((p): p is CheckProblem => p !== null);
    return { outcome: 'checked', problems };
  } catch (err) {
    if (err instanceof DnsQueryError) return { outcome: 'error', error: `${domain}: DNSSEC: ${err.message}` };
    return { outcome: 'error', error: `${domain}: ${errCode(err) || errText(err)}` };
  }
}
