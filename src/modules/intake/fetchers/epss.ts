import { gunzipSync } from 'node:zlib';
import { getOk } from './http.ts';
import type { EpssScore, HttpGet } from './types.ts';

/**
 * FIRST's daily EPSS file (epss_scores-YYYY-MM-DD.csv.gz, or the same CSV not compressed): a first
 * line `#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000`, the header
 * `cve,epss,percentile`, then one line per CVE. Gzip is recognised by its magic bytes (1f 8b), not by
 * the name or the Content-Type.
 *
 * Malformed lines are not skipped: the file is refused with an error naming the first bad line, so a
 * damaged or truncated download never replaces good scores with a partial set.
 */

export interface EpssFile {
  /** E.g. "v2025.03.14". */
  modelVersion: string;
  /** The day the scores are for, YYYY-MM-DD. */
  scoreDate: string;
  scores: EpssScore[];
}

/** The most a decompressed file may hold (the real one is about 10 MB for 300,000 CVEs). */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

const CVE = /^CVE-\d{4}-\d{4,}$/;
const NUMBER = /^\d*\.?\d+(?:[eE][+-]?\d+)?$/;

export function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

/** Parses the file (gzipped or not); `where` names it in errors. */
export function parseEpss(body: Buffer, where: string): EpssFile {
  let data = body;
  if (isGzip(body)) {
    try {
      data = gunzipSync(body, { maxOutputLength: MAX_CSV_BYTES });
    } catch (err) {
      throw new Error(`The EPSS file ${where} is gzipped but cannot be decompressed: ${err instanceof Error ? err.message : String(err)}.`);
    }
  }
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const meta = /^#model_version:\s*([^,\s]+)\s*,\s*score_date:\s*(\d{4}-\d{2}-\d{2})(?:[T ][^,]*)?\s*$/.exec(lines[0] ?? '');
  if (!meta) throw new Error(`The EPSS file ${where} does not start with "#model_version:…,score_date:…" (line 1 is "${(lines[0] ?? '').slice(0, 80)}").`);
  const header = (lines[1] ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (header.join(',') !== 'cve,epss,percentile') throw new Error(`The EPSS file ${where} has no header "cve,epss,percentile" on line 2 (found "${(lines[1] ?? '').slice(0, 80)}").`);
  const scores: EpssScore[] = [];
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const [cve, epss, percentile, extra] = line.split(',').map((f) => f.trim());
    const bad = (why: string) => new Error(`The EPSS file ${where} has a malformed line ${i + 1} (${why}): "${line.slice(0, 80)}".`);
    if (extra !== undefined) throw bad('more than three fields');
    if (!cve || !CVE.test(cve.toUpperCase())) throw bad('no CVE id in the first field');
    if (epss === undefined || !NUMBER.test(epss)) throw bad('the EPSS score is not a number');
    if (percentile === undefined || !NUMBER.test(percentile)) throw bad('the percentile is not a number');
    const e = Number(epss);
    const p = Number(percentile);
    if (!(e >= 0 && e <= 1) || !(p >= 0 && p <= 1)) throw bad('a value lies outside 0…1');
    scores.push({ cve: cve.toUpperCase(), epss: e, percentile: p });
  }
  return { modelVersion: meta[1]!, scoreDate: meta[2]!, scores };
}

/** Fetches and parses the daily EPSS file at `url`. */
export async function readEpss(get: HttpGet, url: string): Promise<EpssFile> {
  const res = await getOk(get, url, 'EPSS file');
  return parseEpss(res.body, url);
}
