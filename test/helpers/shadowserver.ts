import { SHADOWSERVER_REPORTS } from '../../src/modules/monitoring/shadowserver-reports.ts';

/** A Shadowserver-format CSV written by us from the published column list of a report type. */
export function shadowserverCsv(type: string, rows: readonly Record<string, string>[], extraColumns: readonly string[] = []): string {
  const report = SHADOWSERVER_REPORTS.find((r) => r.type === type);
  if (!report) throw new Error(`unknown report type ${type}`);
  const columns = [...report.columns, ...extraColumns];
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}
