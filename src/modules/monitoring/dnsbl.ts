import { Resolver } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { ipv4ToNumber } from '#lib/prefix-table.ts';

/**
 * DNS blacklist lookups as RFC 5782 describes them. An address is looked up as its reversed octets
 * (IPv4) or reversed nibbles (IPv6) under the zone, a name as itself under the zone. A listing is an
 * A record in 127.0.0.0/8 (and, where the zone documents its return codes, one of those); the TXT
 * record gives the reason. NXDOMAIN means not listed. Any other answer is an error, never a listing:
 * a zone answering outside 127/8 is telling us something else (e.g. that the resolver is refused).
 */

export interface ZoneSpec {
  zone: string;
  target: 'ip' | 'domain';
  /** Addresses or 'a-b' ranges in 127/8; empty: any 127/8 answer is a listing. */
  listedCodes: readonly string[];
  perSecond: number;
}

export type LookupResult =
  | { subject: string; outcome: 'listed'; codes: string[]; reason: string | null }
  | { subject: string; outcome: 'not_listed' }
  | { subject: string; outcome: 'error'; error: string };

/** 'b.a.zone' for IPv4 a.b, nibbles for IPv6, the name itself for domains. */
export function queryName(subject: string, zone: string): string | null {
  const v4 = ipv4ToNumber(subject);
  if (v4 !== null) return `${subject.split('.').reverse().join('.')}.${zone}`;
  if (subject.includes(':')) {
    try {
      const addr = ipaddr.IPv6.parse(subject);
      const hex = addr
        .toByteArray()
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
      return `${hex.split('').reverse().join('.')}.${zone}`;
    } catch {
      return null;
    }
  }
  return `${subject.replace(/\.$/, '').toLowerCase()}.${zone}`;
}

function inCodes(answer: string, codes: readonly string[]): boolean {
  const n = ipv4ToNumber(answer);
  if (n === null) return false;
  return codes.some((c) => {
    const [from, to] = c.split('-');
    const lo = ipv4ToNumber(from!);
    const hi = to ? ipv4ToNumber(to) : lo;
    return lo !== null && hi !== null && n >= lo && n <= hi;
  });
}

/** Classifies the A answers of one lookup. */
export function classify(subject: string, answers: readonly string[], spec: ZoneSpec): LookupResult {
  // Operators answer refusals inside 127/8 too: 127.255.255.0/24 (Spamhaus: public resolver, over
  // quota, typo in the zone) and 127.0.0.1 (never a listing per RFC 5782). Taken as listings they
  // would blacklist every address checked.
  const refusals = answers.filter((a) => a === '127.0.0.1' || a.startsWith('127.255.255.'));
  if (refusals.length) return { subject, outcome: 'error', error: `${spec.zone} answered ${refusals.join(', ')}: a refusal (resolver not allowed, quota, or a wrong zone name), not a listing` };
  const outside = answers.filter((a) => !a.startsWith('127.'));
  if (outside.length)
    return {
      subject,
      outcome: 'error',
      error: `${spec.zone} answered ${outside.join(', ')}, outside 127.0.0.0/8: not a listing (is the resolver refused by the zone?)`,
    };
  if (spec.listedCodes.length) {
    const unknown = answers.filter((a) => !inCodes(a, spec.listedCodes));
    if (unknown.length)
      return {
        subject,
        outcome: 'error',
        error: `${spec.zone} answered ${unknown.join(', ')}, which is not one of its documented return codes (${spec.listedCodes.join(', ')})`,
      };
  }
  return { subject, outcome: 'listed', codes: [...answers].sort(), reason: null };
}

/** Spaces queries to a zone's rate: each query takes the next free slot. */
class RateGate {
  private next = 0;
  constructor(private readonly perSecond: number) {}
  async wait(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

export interface CheckOptions {
  servers: readonly string[];
  concurrency: number;
  timeoutMs: number;
  /** Takes up to `n` queries from the zone's daily budget; returns how many it granted. */
  reserve(zone: string, n: number): Promise<number>;
}

export interface ZoneRun {
  results: LookupResult[];
  queries: number;
  /** Subjects left unchecked because the day's budget ran out. */
  skippedForBudget: number;
}

const NOT_LISTED_CODES = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Checks subjects against one zone, never sending more queries than the budget grants. Budget is
 * taken in slices as the run goes, so a run stopped halfway spends only what it sent.
 */
export async function checkZone(spec: ZoneSpec, subjects: readonly string[], options: CheckOptions): Promise<ZoneRun> {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length) resolver.setServers([...options.servers]);
  const gate = new RateGate(spec.perSecond);
  const results: LookupResult[] = [];
  let queries = 0;
  let granted = 0;
  let exhausted = false;
  let reserving: Promise<void> | null = null;
  let next = 0;
  // Never reserve more than this run can use (a re-check of one address takes two, not a slice).
  const slice = Math.max(1, Math.min(500, spec.perSecond * 5, subjects.length * 2));
  // Budget comes in slices, one reservation at a time: lanes wait for the same slice instead of each taking one.
  const takeOne = async (): Promise<boolean> => {
    for (;;) {
      if (granted > 0) {
        granted--;
        return true;
      }
      if (exhausted) return false;
      if (!reserving) {
        reserving = options.reserve(spec.zone, slice).then((got) => {
          granted += got;
          if (got === 0) exhausted = true;
          reserving = null;
        });
      }
      await reserving;
    }
  };
  const lane = async () => {
    while (next < subjects.length && !exhausted) {
      const subject = subjects[next++]!;
      const name = queryName(subject, spec.zone);
      if (!name) {
        results.push({ subject, outcome: 'error', error: `'${subject}' cannot be looked up in a DNS blacklist.` });
        continue;
      }
      if (!(await takeOne())) break;
      await gate.wait();
      queries++;
      let answers: string[];
      try {
        answers = await resolver.resolve4(name);
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        results.push(
          NOT_LISTED_CODES.has(code) ? { subject, outcome: 'not_listed' } : { subject, outcome: 'error', error: `${spec.zone}: ${code || String(err)}` },
        );
        continue;
      }
      const result = classify(subject, answers, spec);
      if (result.outcome === 'listed' && (await takeOne())) {
        await gate.wait();
        queries++;
        try {
          result.reason = (await resolver.resolveTxt(name)).map((parts) => parts.join('')).join(' ') || null;
        } catch {
          result.reason = null;
        }
      }
      results.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, subjects.length)) }, lane));
  // Reserved but unsent queries stay spent: giving them back could let two processes overrun together.
  return { results, queries, skippedForBudget: subjects.length - results.length };
}
