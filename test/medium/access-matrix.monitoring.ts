import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { shadowserverCsv } from '../helpers/shadowserver.ts';
import type { MatrixActor, Target } from './access-matrix.distribution.ts';
import { upsertFindings } from '../../src/modules/monitoring/finding.repository.ts';
import * as reportRepo from '../../src/modules/monitoring/report.repository.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';

/**
 * The access-matrix requests for monitoring. Findings are about one participant's systems: each is
 * inserted for the target organisation (so "own" means "about the actor's own organisation", and the
 * CERT sees all); stats name the target organisation. Reports, sources, blacklist and feed runs, the working-day
 * calendar, the owner look-up and the sector overview are the CERT's alone. Every blacklist zone made
 * here is disabled, so a manual run checks nothing and answers [].
 */

interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}
export interface MonitoringCase {
  targeted: boolean;
  build(a: MatrixActor, target: Target): Promise<Req>;
  rowOrgs?: (body: unknown) => string[];
  check?: (res: LightMyRequestResponse, a: MatrixActor, target: Target) => void;
}

let t: TestApp;
/** The participant that owns RANGE (the address the owner look-up and the uploaded report name). */
let rangeOwner: string;
/** A report on file, to read back. */
let reportId: string;
const unique = () => randomBytes(4).toString('hex');
const org = (a: MatrixActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const RANGE = '198.51.100.0/25';
let subjectCounter = 0;
/** A fresh documentation address per finding, so every finding is a new one (not merged into an earlier). */
const freshSubject = () => `2001:db8::${(++subjectCounter).toString(16)}`;
const RDP_FILE = '2026-11-26-scan_rdp-netherlands-geo.csv';

/** Participants' findings to list, a range the first participant owns, and a report on file. */
export async function setupMonitoringWorld(app: TestApp, participants: string[]): Promise<void> {
  t = app;
  rangeOwner = participants[0]!;
  const n = normaliseAsset({ type: 'ip_range', value: RANGE, includeSubdomains: false });
  if ('error' in n) throw new Error(n.error);
  await assetRepo.insertAsset(t.system.db, rangeOwner, n.asset, null, 'approved');
  for (const o of participants) await finding(o);
  reportId = await reportRepo.insertReport(t.system.db, { sourceId: null, sourceKind: 'shadowserver', reportType: 'scan_rdp', fileName: RDP_FILE, via: 'upload', createdBy: null });
  await reportRepo.insertFailedRows(t.system.db, reportId, [
    { line: 3, raw: 'not,a,row', reason: 'Matrix: unreadable.' },
    { line: 5, raw: 'nor,this', reason: 'Matrix: unreadable.' },
  ]);
}

/** A new finding about the organisation's systems (status 'new'); returns its id. */
async function finding(organisationId: string): Promise<string> {
  const subject = freshSubject();
  await upsertFindings(t.system.db, 'Matrix scan', [
    { organisationId, assetId: null, type: 'open-rdp', subject, port: 3389, severity: 'high', seenAt: Date.now(), evidence: { banner: 'RDP' } },
  ]);
  const row = await t.system.db
    .selectFrom('monitoring_findings')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('subject', '=', subject)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function disabledZone(): Promise<string> {
  return reportRepo.insertSource(t.system.db, { kind: 'dnsbl', name: `dnsbl:bl-${unique()}.test`, config: { zone: `bl-${unique()}.test`, target: 'ip' }, enabled: false });
}

let feedDir: string | null = null;
/** A disabled blocklist source reading an empty file of the feed folder: running it fetches nothing and stores nothing. */
async function emptyFeed(): Promise<string> {
  if (!feedDir) {
    // The matrix app's feed folder becomes a temporary one (not ./data/feeds of the checkout).
    feedDir = await mkdtemp(path.join(os.tmpdir(), 'wachtpost-matrix-feeds-'));
    t.services.config.monitoring.feedDir = feedDir;
    await writeFile(path.join(feedDir, 'matrix-empty.txt'), '# nothing listed\n');
  }
  return reportRepo.insertSource(t.system.db, { kind: 'blocklist', name: `blocklist:matrix-${unique()}`, config: { file: 'matrix-empty.txt', format: 'plain' }, enabled: false });
}

const body = <T>(res: LightMyRequestResponse) => res.json<T>();

export const MONITORING_CASES = {
  'GET /api/v1/monitoring/findings': {
    targeted: false,
    // Findings are made all through the matrix: ask for enough to reach the set-up ones of every organisation.
    build: async () => ({ method: 'GET', url: '/api/v1/monitoring/findings?limit=500' }),
    rowOrgs: (b) => (b as { items: { organisationId: string }[] }).items.map((f) => f.organisationId),
  },
  'GET /api/v1/monitoring/findings/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/monitoring/findings/${await finding(org(a, target))}` }),
    check: (res, a, target) => expect(body<{ organisationId: string; history: unknown[] }>(res)).toMatchObject({ organisationId: org(a, target), history: [expect.anything()] }),
  },
  'POST /api/v1/monitoring/findings/:id/status': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/monitoring/findings/${await finding(org(a, target))}/status`, body: { status: 'acknowledged', note: 'Looking into it.' } }),
    check: (res, a, target) => expect(body(res)).toMatchObject({ organisationId: org(a, target), status: 'acknowledged' }),
  },
  'GET /api/v1/monitoring/stats': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/monitoring/stats?organisationId=${org(a, target)}` }),
    check: (res, a, target) => expect(body<{ organisationId: string }>(res).organisationId).toBe(org(a, target)),
  },
  'GET /api/v1/monitoring/overview': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/monitoring/overview' }) },
  'POST /api/v1/monitoring/reports': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/monitoring/reports',
      body: {
        format: 'shadowserver',
        fileName: RDP_FILE,
        content: shadowserverCsv('scan_rdp', [{ timestamp: '2026-11-26 03:12:45', severity: 'high', ip: '198.51.100.10', protocol: 'tcp', port: '3389', asn: '', geo: 'NL' }]),
      },
    }),
    check: (res) => expect(body(res)).toMatchObject({ reportType: 'scan_rdp', rowsTotal: 1, rowsMatched: 1, rowsFailed: 0 }),
  },
  'GET /api/v1/monitoring/reports': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/monitoring/reports?limit=1' }),
    check: (res) => expect(body<{ items: { id: string }[] }>(res).items).toHaveLength(1),
  },
  'GET /api/v1/monitoring/reports/:id': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/monitoring/reports/${reportId}` }),
    check: (res) => expect(body<{ id: string }>(res).id).toBe(reportId),
  },
  'GET /api/v1/monitoring/reports/:id/failed-rows': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/monitoring/reports/${reportId}/failed-rows?limit=1` }),
    check: (res) => expect(body(res)).toEqual({ items: [{ line: 3, raw: 'not,a,row', reason: 'Matrix: unreadable.' }], nextCursor: expect.any(String) }),
  },
  'GET /api/v1/monitoring/sources': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/monitoring/sources' }) },
  'POST /api/v1/monitoring/sources': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/monitoring/sources', body: { kind: 'dnsbl', config: { zone: `bl-${unique()}.test`, target: 'ip' }, enabled: false } }),
    check: (res) => expect(body(res)).toMatchObject({ kind: 'dnsbl', enabled: false }),
  },
  'PATCH /api/v1/monitoring/sources/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/monitoring/sources/${await disabledZone()}`, body: { enabled: false } }),
  },
  'POST /api/v1/monitoring/sources/:id/run': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/monitoring/sources/${await emptyFeed()}/run` }),
    check: (res) => expect(body(res)).toMatchObject({ kind: 'blocklist', rowsTotal: 0, error: null }),
  },
  'POST /api/v1/monitoring/dnsbl/run': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/monitoring/dnsbl/run', body: {} }),
    check: (res) => expect(body(res)).toEqual([]),
  },
  'GET /api/v1/monitoring/calendar': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/monitoring/calendar?year=2026' }),
    check: (res) => expect(body<{ year: number }>(res).year).toBe(2026),
  },
  'PUT /api/v1/monitoring/calendar': {
    targeted: false,
    build: async () => ({ method: 'PUT', url: '/api/v1/monitoring/calendar', body: { day: '2026-12-02', working: false, note: 'x' } }),
    check: (res) => expect(body<{ days: unknown[] }>(res).days).toContainEqual(expect.objectContaining({ day: '2026-12-02', working: false, overridden: true })),
  },
  'GET /api/v1/monitoring/owner': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/monitoring/owner?value=198.51.100.1' }),
    check: (res) => expect(body(res)).toEqual([expect.objectContaining({ organisationId: rangeOwner, asset: RANGE })]),
  },
} satisfies Record<string, MonitoringCase>;
