import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { NUL_REASON, ReportUnreadable, parseUtcTimestamp, timestampProblem, type ReportRow, type RowSink } from './report-rows.ts';

/** A generic CSV source: which of its columns hold what, saved once per source by an analyst. */
export const CsvMapping = z
  .object({
    columns: z
      .object({
        ip: z.string().trim().min(1).max(100).optional(),
        hostname: z.string().trim().min(1).max(100).optional(),
        asn: z.string().trim().min(1).max(100).optional(),
        port: z.string().trim().min(1).max(100).optional(),
        timestamp: z.string().trim().min(1).max(100).optional(),
      })
      .strict()
      .refine((c) => c.ip || c.hostname, 'Map at least the ip or the hostname column.'),
    findingType: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{2,60}$/, 'A finding type is 2 to 60 lower-case letters, digits and hyphens, e.g. open-rdp.'),
    severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMapping>;

/** Reads a CSV with a saved mapping; columns the mapping does not name are kept as evidence and listed. */
export async function parseMappedCsv(input: Readable | string, mapping: CsvMapping, sink: RowSink): Promise<{ unknownColumns: string[] }> {
  const parser = parse({ bom: true, skip_empty_lines: true, skip_records_with_error: true, raw: true, info: true });
  const failed: { line: number; raw: string; reason: string }[] = [];
  parser.on('skip', (err: Error & { lines?: number; raw?: string }) =>
    failed.push({ line: err.lines ?? 0, raw: (err.raw ?? '').slice(0, 4000), reason: err.message }),
  );
  if (typeof input === 'string') parser.end(input);
  else input.pipe(parser);
  let header: string[] | null = null;
  let idx: Record<keyof CsvMapping['columns'], number> = { ip: -1, hostname: -1, asn: -1, port: -1, timestamp: -1 };
  let unknownColumns: string[] = [];
  let batch: ReportRow[] = [];
  for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    if (!header) {
      header = record.map((h) => h.trim());
      const find = (name: string | undefined) => (name ? header!.findIndex((h) => h.toLowerCase() === name.toLowerCase()) : -1);
      idx = {
        ip: find(mapping.columns.ip),
        hostname: find(mapping.columns.hostname),
        asn: find(mapping.columns.asn),
        port: find(mapping.columns.port),
        timestamp: find(mapping.columns.timestamp),
      };
      const missing = Object.entries(mapping.columns)
        .filter(([k]) => idx[k as keyof typeof idx] < 0)
        .map(([, v]) => v);
      if (missing.length) throw new ReportUnreadable(`The file lacks the mapped column(s): ${missing.join(', ')}.`);
      const mapped = new Set(Object.values(mapping.columns).map((c) => c.toLowerCase()));
      unknownColumns = header.filter((h) => !mapped.has(h.toLowerCase()));
      continue;
    }
    const cell = (i: number) => (i >= 0 ? (record[i] ?? '').trim() : '');
    const ip = cell(idx.ip);
    const host = cell(idx.hostname);
    const timeText = cell(idx.timestamp);
    const seenAt = timeText ? parseUtcTimestamp(timeText) : Date.now();
    const port = cell(idx.port) ? Number(cell(idx.port)) : 0;
    const reason = raw.includes('\0')
      ? NUL_REASON
      : !ip && !host
        ? 'The row names no system.'
        : (timestampProblem(timeText, seenAt) ?? (!Number.isInteger(port) || port < 0 || port > 65535 ? 'The port is not a port number.' : null));
    if (reason) {
      failed.push({ line: info.lines, raw: raw.slice(0, 4000), reason });
      continue;
    }
    const evidence: Record<string, string> = {};
    header.forEach((h, i) => {
      if (record[i]) evidence[h] = record[i]!;
    });
    batch.push({
      line: info.lines,
      ip,
      host,
      asn: cell(idx.asn) ? Number(cell(idx.asn).replace(/^AS/i, '')) : null,
      port,
      seenAt,
      type: mapping.findingType,
      severity: mapping.severity,
      evidence,
    });
    if (batch.length >= 5000) {
      await sink.rows(batch);
      batch = [];
    }
    if (failed.length >= 5000) await sink.failed(failed.splice(0));
  }
  if (!header) throw new ReportUnreadable('The file is empty: it needs a header row.');
  if (failed.length) await sink.failed(failed.splice(0));
  if (batch.length) await sink.rows(batch);
  return { unknownColumns };
}
