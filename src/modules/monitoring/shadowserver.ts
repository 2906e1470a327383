import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Severity } from '#db/schema-monitoring.ts';
import { SHADOWSERVER_REPORTS, type ShadowserverReport } from './shadowserver-reports.ts';
import { NUL_REASON, ReportUnreadable, parseUtcTimestamp, timestampProblem, type ReportRow, type RowSink } from './report-rows.ts';

const BY_TYPE = new Map(SHADOWSERVER_REPORTS.map((r) => [r.type, r]));
// Longest first, so 'scan_http_vulnerable' wins over 'scan_http' in a file name.
const TYPES_LONGEST_FIRST = [...BY_TYPE.keys()].sort((a, b) => b.length - a.length);
const SEVERITIES = new Set<Severity>(['info', 'low', 'medium', 'high', 'critical']);

export interface Detection {
  report: ShadowserverReport;
  by: 'file name' | 'columns';
}

/**
 * The report type from Shadowserver's file name convention ('2026-11-27-scan_rdp-netherlands-geo.csv')
 * or, failing that, from the header: the known report whose columns match best (most of its columns
 * present, few strangers). Null when nothing fits well enough to trust.
 */
export function detectReportType(fileName: string, header: readonly string[]): Detection | null {
  const name = basename(fileName)
    .toLowerCase()
    .replace(/\.csv$/, '');
  const rest = name.replace(/^\d{4}-\d{2}-\d{2}-/, '');
  for (const type of TYPES_LONGEST_FIRST) {
    if (rest === type || rest.startsWith(`${type}-`)) return { report: BY_TYPE.get(type)!, by: 'file name' };
  }
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  let best: { report: ShadowserverReport; score: number } | null = null;
  for (const report of SHADOWSERVER_REPORTS) {
    const shared = report.columns.filter((c) => columns.has(c)).length;
    const score = shared / (report.columns.length + columns.size - shared);
    if (!best || score > best.score) best = { report, score };
  }
  return best && best.score >= 0.6 ? { report: best.report, by: 'columns' } : null;
}

/** Which columns carry the system concerned, its port and when it was seen, per report layout. */
interface Layout {
  ip: number;
  asn: number;
  host: number;
  port: number;
  time: number;
  severity: number;
}

function layoutOf(header: readonly string[], report: ShadowserverReport): Layout {
  const at = (...names: string[]) => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  // In event reports the participant's system is the source (an infected machine calling a sinkhole),
  // and its source port says nothing: such findings are about the host.
  const isEvent = report.type.startsWith('event');
  return {
    ip: at(isEvent ? 'src_ip' : 'ip'),
    asn: at(isEvent ? 'src_asn' : 'asn'),
    host: at(isEvent ? 'src_hostname' : 'hostname', 'website', 'http_host'),
    port: isEvent ? -1 : at('port'),
    time: at('timestamp', 'date_published'),
    severity: at('severity'),
  };
}

export interface ParseSummary {
  report: ShadowserverReport;
  detectedBy: Detection['by'];
  unknownColumns: string[];
  rows: number;
  failed: number;
  header: string[];
}

/**
 * Reads a Shadowserver CSV as a stream, keyed on its header row: each row becomes a ReportRow handed
 * to the sink in batches, or a failed row with its reason. Columns the schema does not know are kept
 * in the evidence and listed. Memory stays at one batch whatever the file's size.
 */
export async function parseShadowserver(input: Readable | string, fileName: string, sink: RowSink, batchSize = 5000): Promise<ParseSummary> {
  const parser = parse({ bom: true, skip_empty_lines: true, skip_records_with_error: true, raw: true, info: true });
  const failedPending: { line: number; raw: string; reason: string }[] = [];
  parser.on('skip', (err: Error & { lines?: number; raw?: string }) => {
    failedPending.push({ line: err.lines ?? 0, raw: (err.raw ?? '').slice(0, 4000), reason: err.message });
  });
  if (typeof input === 'string') {
    parser.end(input);
  } else {
    input.pipe(parser);
    input.on('error', (err) => parser.destroy(err));
  }
  let header: string[] | null = null;
  let layout: Layout | null = null;
  let summary: ParseSummary | null = null;
  let batch: ReportRow[] = [];
  const flush = async () => {
    if (failedPending.length) await sink.failed(failedPending.splice(0));
    if (batch.length) await sink.rows(batch);
    batch = [];
  };
  for await (const chunk of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    const { record, raw } = chunk;
    const line = chunk.info.lines;
    if (!header) {
      if (raw.includes('\0')) throw new ReportUnreadable('The header row contains a NUL character: this is not a Shadowserver CSV report.');
      header = record.map((h) => h.trim().toLowerCase());
      const detection = detectReportType(fileName, header);
      if (!detection)
        throw new ReportUnreadable(
          `Neither the file name '${basename(fileName)}' nor its columns (${header.slice(0, 8).join(', ')}…) match a known Shadowserver report.`,
        );
      const known = new Set(detection.report.columns);
      summary = { report: detection.report, detectedBy: detection.by, unknownColumns: header.filter((h) => !known.has(h)), rows: 0, failed: 0, header };
      layout = layoutOf(header, detection.report);
      await sink.header?.(header);
      if (layout.ip < 0 && layout.host < 0) throw new ReportUnreadable(`The ${detection.report.type} report has no column naming the system (ip or hostname).`);
      continue;
    }
    summary!.rows++;
    const row = raw.includes('\0') ? NUL_REASON : toRow(record, header, layout!, summary!.report);
    if (typeof row === 'string') failedPending.push({ line, raw: raw.replace(/\r?\n$/, '').slice(0, 4000), reason: row });
    else batch.push({ ...row, line, raw: raw.replace(/\r?\n$/, '') });
    if (batch.length >= batchSize || failedPending.length >= batchSize) await flush();
  }
  if (!summary) throw new ReportUnreadable('The file is empty: a Shadowserver report starts with its header row.');
  await flush();
  summary.failed = sink.failedCount();
  return summary;
}

/** One row → what matching needs, or the reason it cannot be read. */
function toRow(record: string[], header: readonly string[], layout: Layout, report: ShadowserverReport): Omit<ReportRow, 'line'> | string {
  const ip = layout.ip >= 0 ? record[layout.ip]!.trim() : '';
  const host = layout.host >= 0 ? hostOf(record[layout.host]!.trim()) : '';
  if (!ip && !host) return 'The row names no system: its ip and hostname are empty.';
  const timeText = layout.time >= 0 ? record[layout.time]!.trim() : '';
  const seenAt = timeText ? parseUtcTimestamp(timeText) : NaN;
  if (!timeText) return 'The row has no timestamp.';
  const timeProblem = timestampProblem(timeText, seenAt);
  if (timeProblem) return timeProblem;
  const portText = layout.port >= 0 ? record[layout.port]!.trim() : '';
  const port = portText ? Number(portText) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `The port '${portText.slice(0, 20)}' is not a port number.`;
  const severityText = layout.severity >= 0 ? record[layout.severity]!.trim().toLowerCase() : '';
  const severity = SEVERITIES.has(severityText as Severity) ? (severityText as Severity) : report.severity;
  const asnText = layout.asn >= 0 ? record[layout.asn]!.trim() : '';
  // The row itself is kept as its raw line (see toRow's caller); the header makes it readable again.
  return { ip, host, asn: asnText ? Number(asnText) : null, port, seenAt, type: report.finding, severity, evidence: {} };
}

/** The host name in a cell that may hold a URL (ransomware victims' 'website': 'https://www.example.nl/'). */
function hostOf(cell: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(cell)) return cell;
  try {
    return new URL(cell).hostname;
  } catch {
    return cell;
  }
}
