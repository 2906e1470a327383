import type { Readable } from 'node:stream';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, notFound } from '#server/errors.ts';
import { matcherFor } from './constituency.service.ts';
import type { ConstituencyMatcher } from './constituency.ts';
import * as findingsRepo from './finding.repository.ts';
import * as repo from './report.repository.ts';
import { ReportUnreadable, matchRows, withoutNul, type FindingCandidate, type ReportRow, type RowSink } from './report-rows.ts';
import { parseShadowserver } from './shadowserver.ts';
import { parseNmapXml } from './nmap.ts';
import { parseMappedCsv, type CsvMapping } from './mapped-csv.ts';
import type { FailedRowsQuery, ReportListQuery } from './monitoring.schema.ts';

export type ReceivedVia = 'upload' | 'folder' | 'mail' | 'schedule' | 'manual';

/**
 * Writes what a parser reads: rows matched to participants become findings, unreadable rows are kept
 * with their reason, and the report row counts everything. Each batch commits on its own, so a crash
 * halfway keeps what was stored and a second delivery of the same report merges into it.
 */
export class FindingWriter implements RowSink {
  readonly counts: repo.ReportCounts = { rowsTotal: 0, rowsMatched: 0, rowsUnmatched: 0, rowsFailed: 0, findingsNew: 0, findingsReopened: 0 };

  constructor(
    private readonly ctx: Ctx,
    private readonly matcher: ConstituencyMatcher,
    private readonly reportId: string,
    private readonly source: string,
  ) {}

  /** The batch being written while the parser reads the next one (one in flight, never more). */
  private inFlight: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  async rows(batch: ReportRow[]): Promise<void> {
    const { candidates, unmatched } = matchRows(this.matcher, batch, { reportId: this.reportId });
    this.counts.rowsTotal += batch.length;
    this.counts.rowsUnmatched += unmatched;
    this.counts.rowsMatched += batch.length - unmatched;
    await this.finish();
    this.inFlight = this.store(candidates).catch((err: unknown) => {
      this.failure = err instanceof Error ? err : new Error(String(err));
    });
  }

  /** Waits for the batch in flight; a failed write fails the report here, not silently. */
  async finish(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  async store(candidates: readonly FindingCandidate[]): Promise<void> {
    if (!candidates.length) return;
    const r = await inTransaction(this.ctx, (tx) => findingsRepo.upsertFindings(tx.db, this.source, candidates));
    this.counts.findingsNew += r.inserted;
    this.counts.findingsReopened += r.reopened;
  }

  async failed(rows: { line: number; raw: string; reason: string }[]): Promise<void> {
    this.counts.rowsTotal += rows.length;
    this.counts.rowsFailed += rows.length;
    await repo.insertFailedRows(
      this.ctx.db,
      this.reportId,
      rows.map((r) => ({ line: r.line, raw: withoutNul(r.raw), reason: withoutNul(r.reason) })),
    );
  }

  failedCount(): number {
    return this.counts.rowsFailed;
  }

  async header(columns: string[]): Promise<void> {
    await repo.updateReport(this.ctx.db, this.reportId, { ...this.counts, columns });
  }
}

export interface ReportInput {
  format: 'shadowserver' | 'nmap' | 'csv';
  fileName: string;
  content: string | Readable;
  via: ReceivedVia;
  /** For 'csv': the source whose saved column mapping reads the file. */
  sourceId?: string;
  /** For 'mail': the sender and Message-ID the report keeps. */
  mail?: { from: string; messageId: string };
}

/** An analyst uploads a report (Shadowserver CSV, nmap XML, or a CSV of a source with a saved mapping). */
export async function uploadReport(ctx: Ctx, input: ReportInput) {
  authorize(ctx.actor, 'monitoring:write');
  return ingestReport(ctx, input);
}

/** Reads a report into findings, from any way it arrived (upload, watched folder, intake mail). */
export async function ingestReport(ctx: Ctx, input: ReportInput) {
  const matcher = await matcherFor(ctx);
  let sourceName: string;
  let sourceId: string;
  let mapping: CsvMapping | null = null;
  if (input.format === 'csv') {
    const source = input.sourceId ? await repo.findSource(ctx.db, input.sourceId) : undefined;
    if (!source || source.kind !== 'csv')
      throw badRequest('csv_source_required', 'A CSV report needs the id of a CSV source with a saved column mapping (sourceId).');
    sourceName = source.name;
    sourceId = source.id;
    mapping = source.config as unknown as CsvMapping;
  } else {
    sourceName = input.format === 'shadowserver' ? 'Shadowserver' : 'nmap scans';
    sourceId = await repo.ensureSource(ctx.db, input.format, sourceName);
  }
  const reportId = await repo.insertReport(ctx.db, {
    sourceId,
    sourceKind: input.format,
    reportType: input.format,
    fileName: input.fileName,
    via: input.via,
    createdBy: ctx.actor?.userId ?? null,
    mail: input.mail,
  });
  const writer = new FindingWriter(ctx, matcher, reportId, sourceName);
  let reportType: string = input.format;
  let unknownColumns: string[] = [];
  let detectedBy: string | null = null;
  try {
    if (input.format === 'shadowserver') {
      const summary = await parseShadowserver(input.content, input.fileName, writer);
      await writer.finish();
      reportType = summary.report.type;
      unknownColumns = summary.unknownColumns;
      detectedBy = summary.detectedBy;
    } else if (input.format === 'nmap') {
      await parseNmapXml(typeof input.content === 'string' ? input.content : await readAll(input.content), writer);
      await writer.finish();
      reportType = 'nmap';
    } else {
      const summary = await parseMappedCsv(input.content, mapping!, writer);
      await writer.finish();
      unknownColumns = summary.unknownColumns;
      reportType = mapping!.findingType;
    }
  } catch (err) {
    // Count what the batch still in flight stored before the report is closed as unreadable.
    await writer.finish().catch(() => undefined);
    await repo.updateReport(ctx.db, reportId, { ...writer.counts, reportType: 'unreadable' });
    await repo.recordSourceRun(ctx.db, sourceId, { rows: writer.counts.rowsTotal, errors: 1, lastError: err instanceof Error ? err.message : String(err) });
    if (err instanceof ReportUnreadable) throw new AppError('bad_request', 'report_unreadable', err.message);
    if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('CSV_'))
      throw new AppError('bad_request', 'report_unreadable', `The file is not valid CSV: ${err.message}`);
    throw err;
  }
  await repo.updateReport(ctx.db, reportId, { ...writer.counts, reportType, unknownColumns });
  await repo.recordSourceRun(ctx.db, sourceId, { rows: writer.counts.rowsTotal, errors: writer.counts.rowsFailed, lastError: null });
  await record(ctx, {
    action: 'monitoring.report.ingested',
    targetType: 'monitoring_report',
    targetId: reportId,
    details: { ...writer.counts, reportType, fileName: input.fileName, via: input.via },
  });
  return { id: reportId, reportType, detectedBy, unknownColumns, ...writer.counts };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The reports received, newest first, a page at a time. */
export async function listReports(ctx: Ctx, query: ReportListQuery) {
  authorize(ctx.actor, 'monitoring:write');
  const page = await repo.listReports(ctx.db, query);
  return { items: page.rows.map(presentReport), nextCursor: page.nextCursor };
}

/** The size of the first page of failed rows a report's detail carries. */
const FAILED_ROWS_FIRST_PAGE = 50;

/** One report with the first page of its unreadable rows, the cursor of the next, and how many there are. */
export async function getReport(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'monitoring:write');
  const row = await repo.findReport(ctx.db, id);
  if (!row) throw notFound('report');
  const [failed, total] = await Promise.all([repo.failedRows(ctx.db, id, { limit: FAILED_ROWS_FIRST_PAGE }), repo.countFailedRows(ctx.db, id)]);
  return { ...presentReport(row), failedRows: failed.rows, failedRowsNextCursor: failed.nextCursor, failedRowsTotal: total };
}

/** A report's unreadable rows by line, a page at a time. */
export async function listFailedRows(ctx: Ctx, id: string, query: FailedRowsQuery) {
  authorize(ctx.actor, 'monitoring:write');
  if (!(await repo.findReport(ctx.db, id))) throw notFound('report');
  const page = await repo.failedRows(ctx.db, id, query);
  return { items: page.rows, nextCursor: page.nextCursor };
}

function presentReport(r: NonNullable<Awaited<ReturnType<typeof repo.findReport>>>) {
  return {
    id: r.id,
    sourceKind: r.source_kind,
    reportType: r.report_type,
    fileName: r.file_name,
    receivedVia: r.received_via,
    rowsTotal: r.rows_total,
    rowsMatched: r.rows_matched,
    rowsUnmatched: r.rows_unmatched,
    rowsFailed: r.rows_failed,
    findingsNew: r.findings_new,
    findingsReopened: r.findings_reopened,
    unknownColumns: r.unknown_columns,
    mail: r.mail_message_id ? { from: r.mail_from ?? '', messageId: r.mail_message_id } : null,
    createdAt: r.created_at.toISOString(),
  };
}
