import { describe, expect, it } from 'vitest';
import { matchAssets, type LocatedIndicator } from '../../src/modules/zdn/hits.service.ts';
import { valueRow } from '../../src/modules/zdn/ingest.service.ts';
import { parseIpRange } from '../../src/lib/ip.ts';
import type { NetworkAsset } from '../../src/modules/zdn/hits.repository.ts';

const range = (id: string, cidr: string): NetworkAsset => {
  const r = parseIpRange(cidr)!;
  return { id, organisation_id: `org-${id}`, type: 'ip_range', value: r.cidr, include_subdomains: false, range_start: r.start, range_end: r.end };
};
const domain = (id: string, value: string, include_subdomains: boolean): NetworkAsset => ({ id, organisation_id: `org-${id}`, type: 'domain', value, include_subdomains, range_start: null, range_end: null });
const located = (type: 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'hostname' | 'url' | 'sha256', value: string): LocatedIndicator => {
  const v = valueRow(type, value);
  return { id: 'i', tlp: 'GREEN', type, value, rangeStart: v.rangeStart, rangeEnd: v.rangeEnd, host: v.host };
};
const assets = [range('a', '198.51.100.0/27'), range('b', '2001:db8:100::/48'), domain('c', 'ziekenhuis-noord.example', true), domain('d', 'lab.example', false)];
const hits = (i: LocatedIndicator) => matchAssets(i, assets).map((a) => a.id);

describe('which declared networks an indicator falls inside', () => {
  it('addresses and ranges by overlap, IPv4 and IPv6', () => {
    expect(hits(located('ipv4', '198.51.100.31'))).toEqual(['a']);
    expect(hits(located('ipv4', '198.51.100.32'))).toEqual([]);
    expect(hits(located('cidr', '198.51.100.16/28'))).toEqual(['a']);
    expect(hits(located('cidr', '198.51.100.0/24'))).toEqual(['a']); // a wider range still overlaps the declared one
    expect(hits(located('ipv6', '2001:db8:100:ffff::1'))).toEqual(['b']);
    expect(hits(located('ipv6', '2001:db8:101::1'))).toEqual([]);
  });

  it('names: the declared domain, its subdomains only where declared so, and URL hosts', () => {
    expect(hits(located('domain', 'ziekenhuis-noord.example'))).toEqual(['c']);
    expect(hits(located('hostname', 'vpn.ziekenhuis-noord.example'))).toEqual(['c']);
    expect(hits(located('url', 'https://vpn.ziekenhuis-noord.example/x'))).toEqual(['c']);
    expect(hits(located('hostname', 'evil-ziekenhuis-noord.example'))).toEqual([]);
    expect(hits(located('hostname', 'mail.lab.example'))).toEqual([]);
    expect(hits(located('domain', 'lab.example'))).toEqual(['d']);
    expect(hits(located('sha256', 'a'.repeat(64)))).toEqual([]);
  });
});
