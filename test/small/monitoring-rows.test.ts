import { describe, expect, it } from 'vitest';
import { parseIpRange } from '../../src/lib/ip.ts';
import { classify, queryName } from '../../src/modules/monitoring/dnsbl.ts';
import { ConstituencyMatcher } from '../../src/modules/monitoring/constituency.ts';
import { matchRows, parseUtcTimestamp, type ReportRow, type RowSink } from '../../src/modules/monitoring/report-rows.ts';
import { parseShadowserver } from '../../src/modules/monitoring/shadowserver.ts';
import { shadowserverCsv } from '../../src/modules/monitoring/shadowserver-csv.ts';

const spec = { zone: 'bl.test', target: 'ip' as const, listedCodes: [], perSecond: 10 };

describe('DNSBL answers', () => {
  it('take refusals inside 127/8 for errors, never for listings', () => {
    expect(classify('192.0.2.1', ['127.0.0.2'], spec)).toMatchObject({ outcome: 'listed' });
    for (const refusal of ['127.255.255.254', '127.255.255.252', '127.0.0.1']) {
      expect(classify('192.0.2.1', [refusal], spec)).toMatchObject({ outcome: 'error', error: expect.stringContaining('refusal') });
    }
    expect(classify('192.0.2.1', ['192.0.2.99'], spec)).toMatchObject({ outcome: 'error' });
    expect(classify('192.0.2.1', ['127.0.0.12'], { ...spec, listedCodes: ['127.0.0.2-127.0.0.11'] })).toMatchObject({ outcome: 'error' });
  });

  it('ask for reversed octets, reversed nibbles and names under the zone', () => {
    expect(queryName('192.0.2.1', 'bl.test')).toBe('1.2.0.192.bl.test');
    expect(queryName('2001:db8::1', 'bl.test')).toBe(`1.0.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.bl.test`);
    expect(queryName('Ziekenhuis.Example.', 'dbl.test')).toBe('ziekenhuis.example.dbl.test');
  });
});

describe('matching rows', () => {
  const range = parseIpRange('2001:db8:ab::/48')!;
  const matcher = ConstituencyMatcher.build([{ assetId: 'a1', organisationId: 'org', type: 'ip_range', value: range.cidr, includeSubdomains: false, rangeStart: range.start, rangeEnd: range.end }]);
  const row = (ip: string): ReportRow => ({ line: 1, ip, host: '', asn: null, port: 3389, seenAt: 0, type: 'open-rdp', severity: 'high', evidence: {} });

  it('gives every spelling of an IPv6 address one subject, so they are one finding', () => {
    const { candidates } = matchRows(matcher, [row('2001:DB8:AB:0::1'), row('2001:db8:ab::1'), row('2001:0db8:00ab:0000:0000:0000:0000:0001')]);
    expect(candidates.map((c) => c.subject)).toEqual(['2001:db8:ab::1']);
  });

  it('reads an IPv4-mapped address, in either spelling, as the IPv4 address', () => {
    const v4 = parseIpRange('192.0.2.0/24')!;
    const both = ConstituencyMatcher.build([
      { assetId: 'a1', organisationId: 'org', type: 'ip_range', value: range.cidr, includeSubdomains: false, rangeStart: range.start, rangeEnd: range.end },
      { assetId: 'a2', organisationId: 'org4', type: 'ip_range', value: v4.cidr, includeSubdomains: false, rangeStart: v4.start, rangeEnd: v4.end },
    ]);
    const { candidates, unmatched } = matchRows(both, [row('::ffff:c000:207'), row('::ffff:192.0.2.7'), row('2001:db8:ac::1')]);
    expect(candidates.map((c) => [c.organisationId, c.subject])).toEqual([['org4', '192.0.2.7']]);
    expect(unmatched).toBe(1);
  });
});

describe('report times', () => {
  it("read a time without a zone as UTC, whatever the server's own zone", () => {
    expect(parseUtcTimestamp('2026-11-26 03:12:45')).toBe(Date.UTC(2026, 10, 26, 3, 12, 45));
    expect(parseUtcTimestamp('2026-11-26T03:12:45')).toBe(Date.UTC(2026, 10, 26, 3, 12, 45));
    expect(parseUtcTimestamp('2026-11-26T03:12:45Z')).toBe(Date.UTC(2026, 10, 26, 3, 12, 45));
    expect(parseUtcTimestamp('2026-11-26 04:12:45+01:00')).toBe(Date.UTC(2026, 10, 26, 3, 12, 45));
    expect(parseUtcTimestamp('2026-11-26')).toBe(Date.UTC(2026, 10, 26));
    expect(parseUtcTimestamp('yesterday')).toBeNaN();
  });

  it('keep a row dated in the future as failed, with the reason, and read the others', async () => {
    const future = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const soon = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const csv = shadowserverCsv('scan_rdp', [
      { timestamp: '2026-11-26 03:12:45', ip: '192.0.2.10', port: '3389' },
      { timestamp: future, ip: '192.0.2.11', port: '3389' },
      { timestamp: '2099-01-01 00:00:00', ip: '192.0.2.12', port: '3389' },
      // A sender's clock a little ahead is no reason to drop its row.
      { timestamp: soon, ip: '192.0.2.13', port: '3389' },
    ]);
    const read: ReportRow[] = [];
    const failed: { line: number; reason: string }[] = [];
    const sink: RowSink = {
      rows: async (batch) => void read.push(...batch),
      failed: async (rows) => void failed.push(...rows),
      failedCount: () => failed.length,
    };
    await parseShadowserver(csv, '2026-11-27-scan_rdp-test.csv', sink);
    expect(read.map((r) => r.ip)).toEqual(['192.0.2.10', '192.0.2.13']);
    expect(failed.map((f) => [f.line, f.reason])).toEqual([
      [3, `The timestamp '${future}' lies in the future.`],
      [4, "The timestamp '2099-01-01 00:00:00' lies in the future."],
    ]);
  });

  it('read the host of a victim whose website is given as a URL', async () => {
    const csv = shadowserverCsv('ransomware_victim', [
      { timestamp: '2026-11-26 03:12:45', website: 'https://www.ziekenhuis-noord.example/', date_published: '2026-11-26' },
      { timestamp: '2026-11-26 03:12:45', website: 'zorg-zuid.example', date_published: '2026-11-26' },
    ]);
    const read: ReportRow[] = [];
    const sink: RowSink = { rows: async (batch) => void read.push(...batch), failed: async () => undefined, failedCount: () => 0 };
    await parseShadowserver(csv, '2026-11-27-ransomware_victim-test.csv', sink);
    expect(read.map((r) => r.host)).toEqual(['www.ziekenhuis-noord.example', 'zorg-zuid.example']);
  });
});
