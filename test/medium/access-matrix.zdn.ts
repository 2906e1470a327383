import { randomBytes, randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/test-app.ts';
import type { MatrixActor, Target } from './access-matrix.distribution.ts';
import * as eventRepo from '../../src/modules/zdn/event.repository.ts';
import * as indicatorRepo from '../../src/modules/zdn/indicator.repository.ts';
import { valueRow } from '../../src/modules/zdn/ingest.service.ts';
import type { Tlp } from '../../src/lib/tlp.ts';

/**
 * The access-matrix requests for the detection network. Events and indicators are the CERT's,
 * marked TLP:AMBER+STRICT for the target organisation (so "own" means "named", as for documents);
 * adding indicators targets an event the target organisation owns; TAXII reads the participants'
 * collection (a partner's is its own; see zdn.test.ts).
 */

interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  stream?: boolean;
}
export interface ZdnCase {
  targeted: boolean;
  build(a: MatrixActor, target: Target): Promise<Req>;
}

let t: TestApp;
let certOrg: string;
const unique = () => randomBytes(4).toString('hex');
const org = (a: MatrixActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const TAXII = 'application/taxii+json;version=2.1';

export async function setupZdnWorld(app: TestApp): Promise<void> {
  t = app;
  certOrg = (await t.system.db.selectFrom('organisations').select('id').where('kind', '=', 'cert').executeTakeFirstOrThrow()).id;
  await t.system.db.insertInto('zdn_warninglists').values({ name: `Matrix list ${unique()}`, type: 'string', entries: ['benign.example'] }).execute();
}

async function event(owner: string, tlp: Tlp, recipients: string[]): Promise<string> {
  return eventRepo.insertEvent(t.system.db, {
    owner,
    title: `Matrix event ${unique()}`,
    description: '',
    tlp,
    threatLevel: 4,
    analysis: 0,
    tags: [],
    sourceAnonymous: false,
    origin: 'api',
    createdBy: null,
    recipients: recipients.map((organisationId) => ({ organisationId })),
  });
}

/** An indicator in a CERT event marked AMBER+STRICT for the target organisation; returns its id and value. */
async function indicator(a: MatrixActor, target: Target, status: 'active' | 'held' = 'active'): Promise<{ id: string; value: string }> {
  const eventId = await event(certOrg, 'AMBER+STRICT', [org(a, target)]);
  const value = `c2-${unique()}.example`;
  const ids = await indicatorRepo.upsertValues(t.system.db, [valueRow('domain', value)]);
  const [row] = await indicatorRepo.upsertIndicators(t.system.db, [
    {
      eventId,
      valueId: ids.get(indicatorRepo.valueKey('domain', value))!,
      owner: certOrg,
      forDetection: true,
      tlp: 'AMBER+STRICT',
      pap: 'GREEN',
      confidence: 50,
      firstSeen: null,
      lastSeen: null,
      validUntil: null,
      validUntilGiven: true,
      tags: [],
      comment: '',
      status,
      warning: status === 'held' ? 'On warninglist: matrix' : null,
      createdBy: null,
    },
  ]);
  return { id: row!.id, value };
}

async function statusOf(a: MatrixActor, target: Target): Promise<string> {
  const row = await t.system.db.insertInto('zdn_taxii_status').values({ organisation_id: org(a, target), result: JSON.stringify({ status: 'complete', total_count: 0 }) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

const mispEvent = () => ({ Event: { uuid: randomUUID(), info: `Matrix ${unique()}`, Tag: [{ name: 'tlp:green' }], Attribute: [{ type: 'domain', value: `m-${unique()}.example` }] } });
const stixBundle = () => ({
  type: 'bundle',
  id: `bundle--${randomUUID()}`,
  objects: [{ type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-11-28T00:00:00.000Z', modified: '2026-11-28T00:00:00.000Z', pattern: `[domain-name:value = 's-${unique()}.example']`, pattern_type: 'stix', valid_from: '2026-11-28T00:00:00Z' }],
});
const taxii = (url: string, extra: Partial<Req> = {}): ZdnCase => ({ targeted: false, build: async () => ({ method: 'GET', url, headers: { accept: TAXII }, ...extra }) });

export const ZDN_CASES = {
  'GET /api/v1/zdn/events': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/events' }) },
  'POST /api/v1/zdn/events': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/zdn/events', body: { title: `Phishing wave ${unique()}`, tlp: 'GREEN' } }) },
  'GET /api/v1/zdn/events/:id': { targeted: true, build: async (a, target) => ({ method: 'GET', url: `/api/v1/zdn/events/${await event(certOrg, 'AMBER+STRICT', [org(a, target)])}` }) },
  'GET /api/v1/zdn/events/:id/stix': { targeted: true, build: async (a, target) => ({ method: 'GET', url: `/api/v1/zdn/events/${await event(certOrg, 'AMBER+STRICT', [org(a, target)])}/stix` }) },
  'POST /api/v1/zdn/events/:id/indicators': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/zdn/events/${await event(org(a, target), 'AMBER+STRICT', [org(a, target)])}/indicators`,
      body: { indicators: [{ type: 'ipv4', value: '192.0.2.77' }] },
    }),
  },
  'GET /api/v1/zdn/indicators': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/indicators' }) },
  'GET /api/v1/zdn/indicators/:id': { targeted: true, build: async (a, target) => ({ method: 'GET', url: `/api/v1/zdn/indicators/${(await indicator(a, target)).id}` }) },
  'POST /api/v1/zdn/indicators/:id/review': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/zdn/indicators/${(await indicator(a, target, 'held')).id}/review`, body: { decision: 'approve' } }),
  },
  'POST /api/v1/zdn/indicators/:id/sightings': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/zdn/indicators/${(await indicator(a, target)).id}/sightings`, body: { kind: 'seen' } }),
  },
  'POST /api/v1/zdn/sightings': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: '/api/v1/zdn/sightings', body: { type: 'domain', value: (await indicator(a, target)).value, kind: 'blocked' } }),
  },
  'POST /api/v1/zdn/import/misp': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/zdn/import/misp', body: mispEvent() }) },
  'POST /api/v1/zdn/import/stix': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/zdn/import/stix?tlp=GREEN', body: stixBundle() }) },
  'POST /api/v1/zdn/import/csv': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/zdn/import/csv', body: { title: 'Matrix CSV', tlp: 'GREEN', csv: `type,value\ndomain,csv-${unique()}.example\n` } }) },
  'POST /api/v1/zdn/extract': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/zdn/extract', body: { text: 'C2 at hxxp://evil[.]example/gate' } }) },
  'GET /api/v1/zdn/exports/:format': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/exports/csv' }) },
  'GET /api/v1/zdn/hits': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/hits' }) },
  'GET /api/v1/zdn/warninglists': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/warninglists' }) },
  'POST /api/v1/zdn/warninglists': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/zdn/warninglists', body: { name: `Matrix ${unique()}`, version: 1, description: '', matching_attributes: ['domain'], type: 'string', list: ['benign.example'] } }),
  },
  'PATCH /api/v1/zdn/warninglists/:id': {
    targeted: false,
    build: async () => {
      const row = await t.system.db.insertInto('zdn_warninglists').values({ name: `Matrix ${unique()}`, type: 'string', entries: ['x.example'] }).returning('id').executeTakeFirstOrThrow();
      return { method: 'PATCH', url: `/api/v1/zdn/warninglists/${row.id}`, body: { enabled: false } };
    },
  },
  'GET /api/v1/zdn/stream': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/zdn/stream', stream: true }) },

  'GET /taxii2/': taxii('/taxii2/'),
  'GET /taxii2/zdn/': taxii('/taxii2/zdn/'),
  'GET /taxii2/zdn/collections/': taxii('/taxii2/zdn/collections/'),
  'GET /taxii2/zdn/collections/:collectionId/': taxii('/taxii2/zdn/collections/zdn-participants/'),
  'GET /taxii2/zdn/collections/:collectionId/objects/': taxii('/taxii2/zdn/collections/zdn-participants/objects/'),
  'POST /taxii2/zdn/collections/:collectionId/objects/': taxii('/taxii2/zdn/collections/zdn-participants/objects/', {
    method: 'POST',
    headers: { accept: TAXII, 'content-type': TAXII },
    body: { objects: stixBundle().objects },
  }),
  'GET /taxii2/zdn/collections/:collectionId/manifest/': taxii('/taxii2/zdn/collections/zdn-participants/manifest/'),
  'GET /taxii2/zdn/collections/:collectionId/objects/:objectId/': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/indicator--${(await indicator(a, target)).id}/`, headers: { accept: TAXII } }),
  },
  'GET /taxii2/zdn/collections/:collectionId/objects/:objectId/versions/': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/indicator--${(await indicator(a, target)).id}/versions/`, headers: { accept: TAXII } }),
  },
  'GET /taxii2/zdn/status/:statusId/': { targeted: true, build: async (a, target) => ({ method: 'GET', url: `/taxii2/zdn/status/${await statusOf(a, target)}/`, headers: { accept: TAXII } }) },

  'GET /feeds/misp/manifest.json': { targeted: false, build: async () => ({ method: 'GET', url: '/feeds/misp/manifest.json' }) },
  'GET /feeds/misp/hashes.csv': { targeted: false, build: async () => ({ method: 'GET', url: '/feeds/misp/hashes.csv' }) },
  'GET /feeds/misp/:file': {
    targeted: true,
    build: async (a, target) => {
      const { id } = await indicator(a, target);
      const row = await t.system.db.selectFrom('zdn_indicators').select('event_id').where('id', '=', id).executeTakeFirstOrThrow();
      return { method: 'GET', url: `/feeds/misp/${row.event_id}.json` };
    },
  },
  'POST /feeds/misp/events/restSearch': { targeted: false, build: async () => ({ method: 'POST', url: '/feeds/misp/events/restSearch', body: { returnFormat: 'json' } }) },
} satisfies Record<string, ZdnCase>;
