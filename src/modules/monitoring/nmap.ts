import { XMLParser } from 'fast-xml-parser';
import type { Severity } from '#db/schema-monitoring.ts';
import { ReportUnreadable, type ReportRow, type RowSink } from './report-rows.ts';

/** What an open port means, by nmap's service name; anything else open is an 'open-port' of note. */
const SERVICE_FINDINGS: Record<string, { type: string; severity: Severity }> = {
  'ms-wbt-server': { type: 'open-rdp', severity: 'high' },
  'microsoft-ds': { type: 'open-smb', severity: 'high' },
  'netbios-ssn': { type: 'open-smb', severity: 'high' },
  telnet: { type: 'open-telnet', severity: 'high' },
  vnc: { type: 'open-vnc', severity: 'high' },
  ftp: { type: 'open-ftp', severity: 'medium' },
  mysql: { type: 'exposed-database', severity: 'high' },
  postgresql: { type: 'exposed-database', severity: 'high' },
  'ms-sql-s': { type: 'exposed-database', severity: 'high' },
  mongodb: { type: 'exposed-database', severity: 'high' },
  elasticsearch: { type: 'exposed-database', severity: 'high' },
  snmp: { type: 'open-snmp', severity: 'medium' },
  domain: { type: 'open-resolver', severity: 'medium' },
  dicom: { type: 'exposed-dicom', severity: 'critical' },
  hl7: { type: 'exposed-hl7', severity: 'critical' },
};

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

interface NmapPort {
  '@_protocol'?: string;
  '@_portid'?: string;
  state?: { '@_state'?: string };
  service?: { '@_name'?: string; '@_product'?: string; '@_version'?: string };
}
interface NmapHost {
  '@_starttime'?: string;
  '@_endtime'?: string;
  address?: { '@_addr'?: string; '@_addrtype'?: string } | { '@_addr'?: string; '@_addrtype'?: string }[];
  hostnames?: { hostname?: { '@_name'?: string } | { '@_name'?: string }[] };
  ports?: { port?: NmapPort | NmapPort[] };
}

/**
 * nmap's XML output (-oX): every open port of every host becomes a row; hosts without an address are
 * kept as failed rows. A document that is not nmap output is refused whole.
 */
export async function parseNmapXml(xml: string, sink: RowSink): Promise<void> {
  const parser = new XMLParser({ ignoreAttributes: false, processEntities: false, allowBooleanAttributes: true });
  let doc: { nmaprun?: { '@_start'?: string; host?: NmapHost | NmapHost[] } };
  try {
    doc = parser.parse(xml) as typeof doc;
  } catch (err) {
    throw new ReportUnreadable(`The file is not XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!doc.nmaprun) throw new ReportUnreadable('The file is not nmap XML output: it has no <nmaprun> element (run nmap with -oX).');
  const runStart = Number(doc.nmaprun['@_start'] ?? 0) * 1000;
  const rows: ReportRow[] = [];
  const failed: { line: number; raw: string; reason: string }[] = [];
  asArray(doc.nmaprun.host).forEach((host, index) => {
    const addresses = asArray(host.address);
    const ip = addresses.find((a) => a['@_addrtype'] === 'ipv4' || a['@_addrtype'] === 'ipv6')?.['@_addr'] ?? '';
    const hostName = asArray(host.hostnames?.hostname)[0]?.['@_name'] ?? '';
    if (!ip) {
      failed.push({ line: index + 1, raw: JSON.stringify(host).slice(0, 4000), reason: 'The host has no IPv4 or IPv6 address.' });
      return;
    }
    const seenAt = Number(host['@_endtime'] ?? host['@_starttime'] ?? 0) * 1000 || runStart || Date.now();
    for (const port of asArray(host.ports?.port)) {
      if (port.state?.['@_state'] !== 'open') continue;
      const name = port.service?.['@_name'] ?? '';
      const finding = SERVICE_FINDINGS[name] ?? { type: 'open-port', severity: 'low' as Severity };
      rows.push({
        line: index + 1,
        ip,
        host: hostName,
        asn: null,
        port: Number(port['@_portid'] ?? 0),
        seenAt,
        type: finding.type,
        severity: finding.severity,
        evidence: {
          protocol: port['@_protocol'] ?? '',
          port: port['@_portid'] ?? '',
          service: name,
          product: [port.service?.['@_product'], port.service?.['@_version']].filter(Boolean).join(' '),
          hostname: hostName,
        },
      });
    }
  });
  if (failed.length) await sink.failed(failed);
  for (let i = 0; i < rows.length; i += 5000) await sink.rows(rows.slice(i, i + 5000));
}
