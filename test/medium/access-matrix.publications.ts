import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import type { ActorRole } from './policy-table.ts';
import type { Tlp } from '../../src/lib/tlp.ts';
import * as repo from '../../src/modules/publications/publication.repository.ts';
import type { PublicationDetailOut, PublicationOut } from '../../src/modules/publications/publication.schema.ts';

/**
 * The access-matrix requests of the publications module. Publications are the CERT's; a reader's
 * "own" target is a published AMBER+STRICT publication naming the actor's organisation (for CERT
 * staff, their home participant), "other" one naming only the foreign organisation, which does not
 * exist for the actor. Every change is made on a fresh publication. Versions are uploaded PDFs, so
 * no request here needs Chromium.
 */

type Target = 'own' | 'other' | null;
interface PublicationActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  rawBody?: Buffer;
  headers?: Record<string, string>;
}
interface PublicationCase {
  targeted: boolean;
  build(a: PublicationActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: PublicationActor, target: Target) => void;
}

let t: TestApp;
let certOrg = '';
const unique = () => randomBytes(4).toString('hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const org = (a: PublicationActor, target: Target) => (target === 'other' ? a.foreign : a.home);

/** A publication straight through the repository, with one uploaded version; published unless told otherwise. */
async function freshPublication(opts: { tlp?: Tlp; recipients?: string[]; published?: boolean } = {}): Promise<string> {
  const db = t.system.db;
  const id = await repo.insertPublication(db, certOrg, null, {
    kind: 'factsheet',
    title: `Matrix ${unique()}`,
    summary: 'matrix',
    tags: ['matrix'],
    language: 'nl',
    tlp: opts.tlp ?? 'GREEN',
    audience: 'community',
    audienceSegments: [],
    audienceContactRoles: [],
    reviewBy: '2020-01-01',
  });
  await repo.replaceRecipients(
    db,
    id,
    (opts.recipients ?? []).map((organisationId) => ({ organisationId })),
  );
  await repo.insertVersion(db, {
    publicationId: id,
    version: 1,
    source: 'upload',
    markdown: null,
    fileName: 'matrix-v1.pdf',
    pdf: PDF,
    sha256: createHash('sha256').update(PDF).digest('hex'),
    changeNote: '',
    createdBy: null,
  });
  if (opts.published ?? true) await repo.markPublished(db, id, 1, new Date());
  await repo.refreshSearch(db, id);
  return id;
}
const strictFor = (a: PublicationActor, target: Target) => freshPublication({ tlp: 'AMBER+STRICT', recipients: [org(a, target)] });

function multipartPdf(): Pick<Req, 'rawBody' | 'headers'> {
  const boundary = `----matrix${unique()}`;
  const rawBody = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { rawBody, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const isPdf = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
  expect(res.rawPayload.equals(PDF)).toBe(true);
};

export const PUBLICATION_CASES = {
  'GET /api/v1/publications': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/publications?limit=200' }),
    check: (res) => expect(res.json<{ items: PublicationOut[] }>().items.length).toBeGreaterThan(0),
  },
  'GET /api/v1/publications/review-due': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/publications/review-due' }),
    check: (res) => expect(res.json<PublicationOut[]>().length).toBeGreaterThan(0),
  },
  'POST /api/v1/publications/preview': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/publications/preview', body: { markdown: '## Kop' } }),
  },
  'POST /api/v1/publications': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/publications',
      body: { kind: 'factsheet', title: `Nieuw ${unique()}`, language: 'nl', tlp: 'GREEN', markdown: 'Tekst' },
    }),
  },
  'GET /api/v1/publications/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/publications/${await strictFor(a, target)}` }),
    check: (res) => expect(res.json<PublicationDetailOut>().tlp).toBe('AMBER+STRICT'),
  },
  'PATCH /api/v1/publications/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/publications/${await freshPublication()}`, body: { title: 'Gewijzigd' } }),
  },
  'POST /api/v1/publications/:id/versions': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/publications/${await freshPublication()}/versions`, body: { markdown: 'Versie twee' } }),
  },
  'POST /api/v1/publications/:id/versions/upload': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/publications/${await freshPublication()}/versions/upload`, ...multipartPdf() }),
    check: (res) => expect(res.json<{ version: number }>().version).toBe(2),
  },
  'POST /api/v1/publications/:id/publish': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/publications/${await freshPublication({ published: false })}/publish`, body: {} }),
  },
  'POST /api/v1/publications/:id/withdraw': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/publications/${await freshPublication()}/withdraw`, body: { reason: 'verouderd' } }),
  },
  'GET /api/v1/publications/:id/download': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/publications/${await strictFor(a, target)}/download` }),
    check: isPdf,
  },
  'GET /api/v1/publications/:id/versions/:version/download': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/publications/${await freshPublication()}/versions/1/download` }),
    check: isPdf,
  },
  'GET /public/publications': { targeted: false, build: async () => ({ method: 'GET', url: '/public/publications' }) },
  'GET /public/publications/:id': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/public/publications/${await freshPublication({ tlp: 'CLEAR' })}` }),
  },
  'GET /public/publications/:id/pdf': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/public/publications/${await freshPublication({ tlp: 'CLEAR' })}/pdf` }),
    check: isPdf,
  },
  'GET /feeds/publications.atom': { targeted: false, build: async () => ({ method: 'GET', url: '/feeds/publications.atom' }) },
} satisfies Record<string, PublicationCase>;

export async function setupPublicationWorld(app: TestApp, orgs: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  certOrg = orgs.cert;
  // Something for every reader's list, and a review that is due.
  await freshPublication({ tlp: 'GREEN' });
}
