import type { Ctx } from '#server/context.ts';
import { changeStatus } from '#modules/monitoring/finding.service.ts';
import { ingestReport } from '#modules/monitoring/report.service.ts';
import { shadowserverCsv } from '#modules/monitoring/shadowserver-csv.ts';
import * as reportRepo from '#modules/monitoring/report.repository.ts';
import * as findingRepo from '#modules/monitoring/finding.repository.ts';

/**
 * Monitoring's demo: two Shadowserver reports of the past days read into findings of the demo
 * participants (by address, AS number or name), one finding acknowledged and one resolved, and a
 * DNSBL zone configured but switched off (the demo must not query the internet). Only documentation
 * addresses, AS numbers and .example names.
 */
const daysAgo = (d: number, hour = 3) => {
  const at = new Date(Date.now() - d * 86_400_000);
  at.setUTCHours(hour, 12, 45, 0);
  return at.toISOString().replace('T', ' ').slice(0, 19);
};

export async function loadDemoMonitoring(analyst: Ctx, as: (email: string) => Promise<Ctx>): Promise<void> {
  await reportRepo.insertSource(analyst.db, {
    kind: 'dnsbl',
    name: 'dnsbl:bl.dnsbl.example',
    enabled: false,
    config: { zone: 'bl.dnsbl.example', target: 'ip', listedCodes: ['127.0.0.2-127.0.0.11'], dailyBudget: 100_000, perSecond: 50, findingType: 'blacklisted', severity: 'medium' },
  });
  const scan = (type: string, ip: string, asn: string, port: string, when: string, extra: Record<string, string> = {}) => ({ timestamp: when, severity: '', ip, protocol: 'tcp', port, asn, geo: 'NL', ...extra, _type: type });
  const rows = [
    scan('scan_rdp', '192.0.2.10', '64500', '3389', daysAgo(6), { hostname: 'rdp-gw.ziekenhuis-noord.example', subject_common_name: 'rdp-gw' }),
    scan('scan_rdp', '198.51.100.40', '', '3389', daysAgo(12), { subject_common_name: 'linde-ts01' }),
    scan('scan_rdp', '192.0.2.250', '64510', '3389', daysAgo(1)),
  ];
  const byType = (type: string) => rows.filter((r) => r._type === type).map(({ _type, ...r }) => r);
  await ingestReport(analyst, { format: 'shadowserver', fileName: `${daysAgo(1).slice(0, 10)}-scan_rdp-netherlands-geo.csv`, content: shadowserverCsv('scan_rdp', byType('scan_rdp')), via: 'upload' });
  await ingestReport(analyst, {
    format: 'shadowserver',
    fileName: `${daysAgo(1).slice(0, 10)}-scan_exchange-netherlands-geo.csv`,
    content: shadowserverCsv('scan_exchange', [{ timestamp: daysAgo(2), severity: 'critical', ip: '192.0.2.25', protocol: 'tcp', port: '443', asn: '64500', hostname: 'mail.ziekenhuis-noord.example', version: '15.1.2507.6', servername: 'EXCH01', url: 'https://mail.ziekenhuis-noord.example/owa/' }]),
    via: 'upload',
  });
  await ingestReport(analyst, {
    format: 'shadowserver',
    fileName: `${daysAgo(1).slice(0, 10)}-scan_postgres-netherlands-geo.csv`,
    content: shadowserverCsv('scan_postgres', [{ timestamp: daysAgo(3), severity: 'high', ip: '203.0.113.12', protocol: 'tcp', port: '5432', asn: '64502', version: '13.4' }]),
    via: 'upload',
  });
  await ingestReport(analyst, {
    format: 'shadowserver',
    fileName: `${daysAgo(1).slice(0, 10)}-event4_sinkhole_http-netherlands-geo.csv`,
    content: shadowserverCsv('event4_sinkhole_http', [
      { timestamp: daysAgo(1, 22), protocol: 'tcp', src_ip: '2001:db8:100::25', src_port: '50112', src_asn: '64501', severity: 'high', dst_ip: '198.51.100.200', dst_port: '80', infection: 'qakbot', family: 'qakbot', http_host: 'c2.lockzorg.example' },
      { timestamp: daysAgo(1, 23), protocol: 'tcp', src_ip: '203.0.113.40', src_port: '61001', severity: 'high', dst_ip: '198.51.100.200', dst_port: '80', infection: 'lockzorg', family: 'lockzorg' },
    ]),
    via: 'upload',
  });
  const noord = await as('ciso@ziekenhuis-noord.example');
  const rdp = (await findingRepo.listFindings(noord.db, { organisationIds: [noord.actor!.organisationId], type: 'open-rdp', limit: 5 })).rows[0];
  if (rdp) await changeStatus(noord, rdp.id, { status: 'acknowledged', note: 'De RDP-gateway gaat achter de VPN; gepland voor vrijdag.' });
  const linde = (await findingRepo.listFindings(analyst.db, { organisationIds: null, type: 'open-rdp', q: '198.51.100.40', limit: 5 })).rows[0];
  if (linde) await changeStatus(analyst, linde.id, { status: 'resolved', note: 'De Linde meldt per telefoon: poort 3389 dicht.' });
}
