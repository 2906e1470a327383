import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { record } from '#modules/audit/audit.service.ts';
import { checkTargetUrl, ResponseTooLargeError, safeGet, UnsafeTargetError } from '#lib/safe-http.ts';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { parseFeed } from './blocklist.ts';
import { checkDns, checkSecurityTxt, checkTls, type CheckEnv, type CheckOutcome } from './checks.ts';
import { matcherFor } from './constituency.service.ts';
import * as findingsRepo from './finding.repository.ts';
import { BlocklistConfig, CheckConfig } from './monitoring.schema.ts';
import * as repo from './report.repository.ts';
import { ReportUnreadable, type ReportRow } from './report-rows.ts';
import { FindingWriter } from './report.service.ts';

/**
 * Blocklist feeds and the CERT's own checks as sources: each run fetches (or reads) the feed, or
 * checks every declared domain name, stores what concerns a participant as findings through the
 * same writer as uploaded reports, keeps a report row of the run and the source's health.
 */

export const blocklistSourceName = (name: string) => `blocklist:${name}`;
export const checkSourceName = (check: string) => `check:${check}`;

export interface SourceRunSummary {
  sourceId: string;
  name: string;
  kind: string;
  reportId: string | null;
  /** Feed entries read, or domain names checked. */
  checked: number;
  rowsTotal: number;
  rowsMatched: number;
  rowsUnmatched: number;
  rowsFailed: number;
  findingsNew: number;
  findingsReopened: number;
  /** Why the run did not complete (the feed could not be fetched or read), or null. */
  error: string | null;
}

/** The feed could not be fetched or read; `refused` when SSRF rules or the size limit said no. */
export class FeedError extends Error {
  constructor(
    message: string,
    readonly code: 'feed_target_refused' | 'feed_too_large' | 'feed_unavailable' | 'feed_unreadable',
  ) {
    super(message);
  }
}

type Source = { id: string; name: string; kind: string; config: unknown };

const BATCH = 2000;

/** Checks a feed URL as it is saved: https (or an allowed host), no credentials, no non-public literal address. */
export function checkFeedUrl(ctx: Ctx, url: string): string {
  const checked = checkTargetUrl(url, ctx.services.config.monitoring.feedAllowedHosts);
  if (!checked.ok) throw badRequest('feed_url_forbidden', checked.reason, { field: 'config.url' });
  return checked.url.toString();
}

/** The feed file's absolute path, which must stay inside the feed folder (also through symbolic links). */
async function feedPath(ctx: Ctx, file: string): Promise<string> {
  const dir = path.resolve(ctx.services.config.monitoring.feedDir);
  const full = path.resolve(dir, file);
  if (!full.startsWith(dir + path.sep)) throw new FeedError(`The feed file must be inside the feed folder (${dir}).`, 'feed_target_refused');
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    throw new FeedError(`The feed file ${file} does not exist in the feed folder.`, 'feed_unavailable');
  }
  const realDir = await realpath(dir).catch(() => dir);
  if (!real.startsWith(realDir + path.sep)) throw new FeedError('The feed file points outside the feed folder.', 'feed_target_refused');
  return real;
}

async function loadFeed(ctx: Ctx, config: BlocklistConfig): Promise<string> {
  const { feedAllowedHosts, feedMaxBytes, feedTimeoutMs } = ctx.services.config.monitoring;
  if (config.file) {
    const p = await feedPath(ctx, config.file);
    const s = await stat(p);
    if (!s.isFile()) throw new FeedError(`${config.file} is not a file.`, 'feed_unavailable');
    if (s.size > feedMaxBytes) throw new FeedError(`${config.file} has ${s.size} bytes; the limit is ${feedMaxBytes}.`, 'feed_too_large');
    return readFile(p, 'utf8');
  }
  let res;
  try {
    res = await safeGet(config.url!, { allowedHosts: feedAllowedHosts, timeoutMs: feedTimeoutMs, maxBytes: feedMaxBytes });
  } catch (err) {
    if (err instanceof UnsafeTargetError) throw new FeedError(err.message, 'feed_target_refused');
    if (err instanceof ResponseTooLargeError) throw new FeedError(err.message, 'feed_too_large');
    throw new FeedError(`The feed could not be fetched: ${err instanceof Error ? err.message : String(err)}`, 'feed_unavailable');
  }
  if (res.status !== 200) throw new FeedError(`The feed answered ${res.status}.`, 'feed_unavailable');
  return res.body.toString('utf8');
}

function emptySummary(s: Source, reportId: string | null): SourceRunSummary {
  return {
    sourceId: s.id,
    name: s.name,
    kind: s.kind,
    reportId,
    checked: 0,
    rowsTotal: 0,
    rowsMatched: 0,
    rowsUnmatched: 0,
    rowsFailed: 0,
    findingsNew: 0,
    findingsReopened: 0,
    error: null,
  };
}

/** Fetches (or reads) one feed and stores the entries in participants' declared assets as findings. */
export async function runBlocklist(ctx: Ctx, source: Source, via: 'schedule' | 'manual'): Promise<SourceRunSummary> {
  const config = BlocklistConfig.parse(source.config);
  const reportId = await repo.insertReport(ctx.db, {
    sourceId: source.id,
    sourceKind: 'blocklist',
    reportType: config.format,
    fileName: config.url ?? config.file ?? '',
    via,
    createdBy: ctx.actor?.userId ?? null,
  });
  const summary = emptySummary(source, reportId);
  const writer = new FindingWriter(ctx, await matcherFor(ctx), reportId, source.name);
  try {
    const text = await loadFeed(ctx, config);
    const parsed = parseFeed(config.format, text, { type: config.findingType, severity: config.severity, seenAt: Date.now() });
    for (let i = 0; i < parsed.rows.length; i += BATCH) await writer.rows(parsed.rows.slice(i, i + BATCH));
    // The writer stores one batch while the next is matched: wait for the last before counting.
    await writer.finish();
    for (let i = 0; i < parsed.failed.length; i += BATCH) await writer.failed(parsed.failed.slice(i, i + BATCH));
    summary.checked = parsed.rows.length + parsed.failed.length;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await writer.finish().catch(() => undefined);
    await repo.updateReport(ctx.db, reportId, { ...writer.counts, reportType: 'unreadable' });
    await repo.recordSourceRun(ctx.db, source.id, { rows: writer.counts.rowsTotal, errors: 1, lastError: message });
    if (err instanceof FeedError) throw err;
    if (err instanceof ReportUnreadable) throw new FeedError(message, 'feed_unreadable');
    throw err;
  }
  await repo.updateReport(ctx.db, reportId, { ...writer.counts });
  await repo.recordSourceRun(ctx.db, source.id, { rows: writer.counts.rowsTotal, errors: writer.counts.rowsFailed, lastError: null });
  return { ...summary, ...writer.counts };
}

function checkEnv(ctx: Ctx): CheckEnv {
  const m = ctx.services.config.monitoring;
  return { dnsServers: m.dnsServers, timeoutMs: Math.max(m.dnsTimeoutMs, 5000), allowedHosts: m.feedAllowedHosts };
}

function runOne(config: CheckConfig, domain: string, env: CheckEnv): Promise<CheckOutcome> {
  if (config.check === 'tls') return checkTls(domain, { port: config.port, warnDays: config.warnDays }, env);
  if (config.check === 'security-txt') return checkSecurityTxt(domain, env);
  return checkDns(domain, env);
}

/** Runs a check over the given names (default: every declared domain name) and stores the problems as findings. */
export async function runCheck(
  ctx: Ctx,
  source: Source,
  via: 'schedule' | 'manual',
  only?: readonly string[],
): Promise<SourceRunSummary & { problems: number }> {
  const config = CheckConfig.parse(source.config);
  const domains = only ?? [...new Set((await repo.constituencyAssets(ctx.db)).filter((a) => a.type === 'domain').map((a) => a.value.toLowerCase()))].sort();
  const reportId = await repo.insertReport(ctx.db, {
    sourceId: source.id,
    sourceKind: 'check',
    reportType: config.check,
    fileName: '',
    via,
    createdBy: ctx.actor?.userId ?? null,
  });
  const writer = new FindingWriter(ctx, await matcherFor(ctx), reportId, source.name);
  const env = checkEnv(ctx);
  const now = Date.now();
  const rows: ReportRow[] = [];
  const failed: { line: number; raw: string; reason: string }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < domains.length) {
      const i = next++;
      const domain = domains[i]!;
      const outcome = await runOne(config, domain, env);
      if (outcome.outcome === 'error') failed.push({ line: i + 1, raw: domain, reason: outcome.error });
      if (outcome.outcome !== 'checked') continue;
      for (const p of outcome.problems)
        rows.push({
          line: i + 1,
          ip: '',
          host: domain,
          asn: null,
          port: config.check === 'tls' ? config.port : 0,
          seenAt: now,
          type: p.type,
          severity: p.type === 'tls-certificate-expiring' && p.evidence.daysLeft && Number(p.evidence.daysLeft) < 0 ? atLeast(config.severity, 'medium') : config.severity,
          evidence: { check: config.check, detail: p.detail, ...p.evidence },
        });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, Math.max(1, domains.length)) }, lane));
  await writer.rows(rows);
  await writer.finish();
  await writer.failed(failed.sort((a, b) => a.line - b.line));
  await repo.updateReport(ctx.db, reportId, { ...writer.counts });
  await repo.recordSourceRun(ctx.db, source.id, { rows: domains.length, errors: failed.length, lastError: failed[0]?.reason ?? null });
  return { ...emptySummary(source, reportId), ...writer.counts, checked: domains.length, problems: rows.length };
}

/** Runs one blocklist or check source. */
export async function runSource(ctx: Ctx, source: Source, via: 'schedule' | 'manual'): Promise<SourceRunSummary> {
  if (source.kind === 'blocklist') return runBlocklist(ctx, source, via);
  const { problems: _problems, ...summary } = await runCheck(ctx, source, via);
  return summary;
}

/**
 * Every enabled blocklist feed, then every enabled check (the daily run, after the DNSBL checks).
 * A feed that fails is recorded in its health and the run goes on with the next.
 */
export async function runFeedsAndChecks(ctx: Ctx, via: 'schedule' | 'manual'): Promise<SourceRunSummary[]> {
  const sources = [...(await repo.listSources(ctx.db, 'blocklist')), ...(await repo.listSources(ctx.db, 'check'))].filter((s) => s.enabled);
  const out: SourceRunSummary[] = [];
  for (const s of sources) {
    try {
      out.push(await runSource(ctx, s, via));
    } catch (err) {
      ctx.services.log.warn({ source: s.name, err }, 'monitoring source run failed');
      out.push({ ...emptySummary(s, null), error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (out.length)
    await record(ctx, {
      action: 'monitoring.sources.run',
      targetType: 'monitoring_source',
      targetId: null,
      details: { via, sources: out.map((o) => ({ name: o.name, checked: o.checked, findingsNew: o.findingsNew, error: o.error })) },
    });
  return out;
}

/** Maps a feed failure of a manual run to the API's answer (the failure is in the source's health either way). */
export function feedErrorToApp(err: unknown): unknown {
  if (!(err instanceof FeedError)) return err;
  return new AppError('bad_request', err.code, err.message);
}

/**
 * Looks again at check findings a participant resolved: the check runs for that name; still failing
 * reopens the finding (its new sighting is after the resolution), passing leaves it resolved.
 */
export async function recheckResolvedChecks(ctx: Ctx): Promise<number> {
  const due = await findingsRepo.recheckDue(ctx.db, 'check:');
  if (!due.length) return 0;
  const sources = (await repo.listSources(ctx.db, 'check')).filter((s) => s.enabled);
  for (const f of due) {
    const names = f.sources.filter((s) => s.startsWith('check:'));
    for (const s of sources.filter((x) => names.includes(x.name))) await runCheck(ctx, s, 'manual', [f.subject]);
    // A problem still there was stored again after the resolution, which reopened the finding.
    const status = await findingsRepo.findingStatus(ctx.db, f.id);
    const still = status !== null && status !== 'resolved';
    await inTransaction(ctx, async (tx) => {
      await findingsRepo.clearRecheck(tx.db, f.id);
      await findingsRepo.insertEvent(tx.db, {
        findingId: f.id,
        kind: 'recheck',
        source: names.join(', '),
        note: still ? 'Re-check: the problem is still there; the finding is open again.' : 'Re-check: the problem is gone.',
      });
    });
  }
  return due.length;
}

const SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical'] as const;
type SeverityName = (typeof SEVERITY_ORDER)[number];
/** The more severe of the configured severity and a floor (an expired certificate is at least medium). */
function atLeast(configured: SeverityName, floor: SeverityName): SeverityName {
  return SEVERITY_ORDER.indexOf(configured) >= SEVERITY_ORDER.indexOf(floor) ? configured : floor;
}
