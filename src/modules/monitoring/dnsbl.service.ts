import ipaddr from 'ipaddr.js';
import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { record } from '#modules/audit/audit.service.ts';
import { matcherFor } from './constituency.service.ts';
import type { ConstituencyAsset } from './constituency.ts';
import { checkZone, type LookupResult } from './dnsbl.ts';
import * as findingsRepo from './finding.repository.ts';
import { DnsblConfig } from './monitoring.schema.ts';
import * as repo from './report.repository.ts';
import { matchRows, type ReportRow } from './report-rows.ts';
import * as schedule from './schedule.repository.ts';
import { amsterdamDay } from './working-days.ts';

export const dnsblSourceName = (zone: string) => `dnsbl:${zone}`;

/**
 * What a blacklist is asked about: every address of the declared IPv4 ranges (up to the configured
 * number per range, the lowest first), single declared IPv6 addresses (a /64 cannot be walked), and
 * the declared domain names.
 */
export function blacklistSubjects(assets: readonly ConstituencyAsset[], maxPerRange: number): { ips: string[]; domains: string[]; truncated: string[] } {
  const ips = new Set<string>();
  const domains = new Set<string>();
  const truncated: string[] = [];
  for (const a of assets) {
    if (a.type === 'domain') domains.add(a.value);
    if (a.type !== 'ip_range') continue;
    const [addr, prefix] = ipaddr.parseCIDR(a.value.includes('/') ? a.value : `${a.value}/${a.value.includes(':') ? 128 : 32}`);
    if (addr.kind() === 'ipv6') {
      if (prefix === 128) ips.add(addr.toString());
      else truncated.push(a.value);
      continue;
    }
    const base = addr.toByteArray().reduce((n, b) => n * 256 + b, 0);
    const size = 2 ** (32 - prefix);
    if (size > maxPerRange) truncated.push(a.value);
    for (let i = 0; i < Math.min(size, maxPerRange); i++) {
      const n = base + i;
      ips.add(`${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`);
    }
  }
  return { ips: [...ips], domains: [...domains], truncated };
}

export interface DnsblRunSummary {
  zone: string;
  reportId: string;
  checked: number;
  listed: number;
  errors: number;
  queries: number;
  skippedForBudget: number;
  findingsNew: number;
  findingsReopened: number;
}

/** Looks the given subjects up in one zone and stores listings as findings of their owners. */
async function runZone(
  ctx: Ctx,
  source: { id: string; config: DnsblConfig },
  subjects: readonly string[],
  via: 'schedule' | 'manual',
): Promise<DnsblRunSummary> {
  const spec = source.config;
  const { config } = ctx.services;
  const day = amsterdamDay();
  const run = await checkZone(spec, subjects, {
    servers: config.monitoring.dnsServers,
    concurrency: config.monitoring.dnsConcurrency,
    timeoutMs: config.monitoring.dnsTimeoutMs,
    reserve: (zone, n) => schedule.reserveQueries(ctx.services.database.db, zone, day, n, spec.dailyBudget),
  });
  const name = dnsblSourceName(spec.zone);
  const reportId = await repo.insertReport(ctx.db, {
    sourceId: source.id,
    sourceKind: 'dnsbl',
    reportType: spec.zone,
    fileName: '',
    via,
    createdBy: ctx.actor?.userId ?? null,
  });
  const now = Date.now();
  const listed = run.results.filter((r): r is Extract<LookupResult, { outcome: 'listed' }> => r.outcome === 'listed');
  const errors = run.results.filter((r): r is Extract<LookupResult, { outcome: 'error' }> => r.outcome === 'error');
  const rows: ReportRow[] = listed.map((r, i) => {
    const isIp = /^[\d.]+$/.test(r.subject) || r.subject.includes(':');
    return {
      line: i + 1,
      ip: isIp ? r.subject : '',
      host: isIp ? '' : r.subject,
      asn: null,
      port: 0,
      seenAt: now,
      type: spec.findingType,
      severity: spec.severity,
      evidence: { zone: spec.zone, answers: r.codes.join(', '), reason: r.reason ?? '' },
    };
  });
  const matcher = await matcherFor(ctx);
  const { candidates, unmatched } = matchRows(matcher, rows, { reportId });
  const stored = candidates.length
    ? await inTransaction(ctx, (tx) => findingsRepo.upsertFindings(tx.db, name, candidates))
    : { inserted: 0, reopened: 0, updated: 0 };
  await repo.insertFailedRows(
    ctx.db,
    reportId,
    errors.map((e, i) => ({ line: i + 1, raw: e.subject, reason: e.error })),
  );
  const lastError =
    errors[0]?.error ?? (run.skippedForBudget ? `The daily budget of ${spec.dailyBudget} queries is spent: ${run.skippedForBudget} not checked.` : null);
  await repo.updateReport(ctx.db, reportId, {
    rowsTotal: run.results.length,
    rowsMatched: listed.length - unmatched,
    rowsUnmatched: run.results.length - listed.length + unmatched - errors.length,
    rowsFailed: errors.length,
    findingsNew: stored.inserted,
    findingsReopened: stored.reopened,
  });
  await repo.recordSourceRun(ctx.db, source.id, { rows: run.results.length, errors: errors.length + (run.skippedForBudget ? 1 : 0), lastError });
  return {
    zone: spec.zone,
    reportId,
    checked: run.results.length,
    listed: listed.length,
    errors: errors.length,
    queries: run.queries,
    skippedForBudget: run.skippedForBudget,
    findingsNew: stored.inserted,
    findingsReopened: stored.reopened,
  };
}

async function enabledZones(ctx: Ctx, only?: readonly string[]) {
  const sources = await repo.listSources(ctx.db, 'dnsbl');
  return sources
    .filter((s) => s.enabled && (!only || only.includes(s.id)))
    .map((s) => {
      const parsed = DnsblConfig.safeParse(s.config);
      return parsed.success ? { id: s.id, config: parsed.data } : null;
    })
    .filter((s): s is { id: string; config: DnsblConfig } => s !== null);
}

/** Checks every participant's declared addresses and names against every enabled zone. */
export async function runDnsblChecks(ctx: Ctx, via: 'schedule' | 'manual', only?: readonly string[]): Promise<DnsblRunSummary[]> {
  const zones = await enabledZones(ctx, only);
  if (!zones.length) return [];
  const subjects = blacklistSubjects(await repo.constituencyAssets(ctx.db), ctx.services.config.monitoring.maxAddressesPerRange);
  const out: DnsblRunSummary[] = [];
  for (const zone of zones) {
    out.push(await runZone(ctx, zone, zone.config.target === 'ip' ? subjects.ips : subjects.domains, via));
  }
  await record(ctx, {
    action: 'monitoring.dnsbl.run',
    targetType: 'monitoring_source',
    targetId: null,
    details: { via, zones: out.map((z) => ({ zone: z.zone, checked: z.checked, listed: z.listed, errors: z.errors })), truncatedRanges: subjects.truncated },
  });
  return out;
}

/**
 * Looks again at blacklist findings a participant resolved: still listed reopens the finding (its
 * new sighting is after the resolution), delisted leaves it resolved. Either way the history says so.
 */
export async function recheckResolved(ctx: Ctx): Promise<number> {
  const due = await findingsRepo.recheckDue(ctx.db, 'dnsbl:');
  if (!due.length) return 0;
  const zones = await enabledZones(ctx);
  for (const f of due) {
    const zoneNames = f.sources.filter((s) => s.startsWith('dnsbl:')).map((s) => s.slice('dnsbl:'.length));
    let stillListed = false;
    let answered = 0;
    const asked = zones.filter((z) => zoneNames.includes(z.config.zone));
    for (const zone of asked) {
      const r = await runZone(ctx, zone, [f.subject], 'manual');
      if (r.listed > 0) stillListed = true;
      if (r.errors === 0 && r.skippedForBudget === 0) answered++;
    }
    // Only zones that answered can clear a listing: an error, a spent budget or a zone switched off
    // leaves the re-check pending instead of calling the problem fixed.
    if (!stillListed && (asked.length === 0 || answered < asked.length)) continue;
    await inTransaction(ctx, async (tx) => {
      await findingsRepo.clearRecheck(tx.db, f.id);
      await findingsRepo.insertEvent(tx.db, {
        findingId: f.id,
        kind: 'recheck',
        source: zoneNames.map(dnsblSourceName).join(', '),
        note: stillListed ? 'Re-check: still listed; the finding is open again.' : 'Re-check: no longer listed.',
      });
    });
  }
  return due.length;
}
