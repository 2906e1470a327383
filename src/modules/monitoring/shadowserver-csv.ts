import { SHADOWSERVER_REPORTS } from './shadowserver-reports.ts';

/**
 * Writes a Shadowserver-format CSV of a report type from its published column list: the demo's
 * sample reports, the tests' and the benchmark's. Columns not given are empty.
 */
export function shadowserverCsv(type: string, rows: readonly Record<string, string>[], extraColumns: readonly string[] = []): string {
  const report = SHADOWSERVER_REPORTS.find((r) => r.type === type);
  if (!report) throw new Error(`unknown report type ${type}`);
  const columns = [...report.columns, ...extraColumns];
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}
