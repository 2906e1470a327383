import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeUser } from '../helpers/factories.ts';
import { addContact } from '../helpers/distribution.ts';
import type { ActorRole } from './policy-table.ts';
import type { DigestStatus } from '../../src/db/schema-digests.ts';
import * as repo from '../../src/modules/digests/digest.repository.ts';
import { digestTitles, periodBounds } from '../../src/modules/digests/digest-period.ts';
import type { DigestSnapshot } from '../../src/modules/digests/digest-content.ts';
import type { DigestDetailOut, DigestPageOut } from '../../src/modules/digests/digest.schema.ts';
import type { z } from 'zod';

/**
 * The access-matrix requests of the digests module. Every change acts on a fresh digest of a period
 * of its own. The archive's detail is read by everyone logged in: the sent digest holds one
 * AMBER+STRICT entry for the actor's organisation (for CERT staff: their home participant) and one
 * for the foreign one; the check is that a reader gets exactly their own, the CERT both.
 */

type Target = 'own' | 'other' | null;
interface DigestActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}
interface DigestCase {
  targeted: boolean;
  build(a: DigestActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: DigestActor, target: Target) => void;
}

let t: TestApp;
let certOrg = '';
let otherAnalyst = '';
let contactId = '';
let serial = 0;
const unique = () => randomBytes(4).toString('hex');

/** A period no other digest of the run uses. */
function nextPeriod(kind: 'week' | 'month'): string {
  const n = serial++;
  return kind === 'week'
    ? `${2101 + Math.floor(n / 50)}-W${String((n % 50) + 1).padStart(2, '0')}`
    : `${2301 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

async function freshDigest(kind: 'week' | 'month', status: DigestStatus = 'draft', links = 0): Promise<{ id: string; entries: string[] }> {
  const period = nextPeriod(kind);
  const titles = digestTitles(kind, period);
  const row = await repo.insertDigest(t.system.db, {
    kind,
    period,
    startsAt: periodBounds(kind, period).start,
    title: titles.nl,
    titleEn: titles.en,
    scheduledAt: null,
  });
  const entries = await repo.appendEntries(
    t.system.db,
    row.id,
    Array.from({ length: links }, (_, i) => ({
      kind: 'link' as const,
      productId: null,
      title: `Link ${i} ${unique()}`,
      url: 'https://background.example/read',
      sourceName: '',
      summary: '',
      tlp: 'CLEAR' as const,
      storyId: null,
      addedBy: null,
    })),
  );
  // Written and submitted by another analyst, so every CERT actor of the matrix is a second pair of eyes.
  if (status !== 'draft')
    await repo.updateDigest(t.system.db, row.id, {
      status,
      author_id: otherAnalyst,
      last_edited_by: otherAnalyst,
      submitted_by: status === 'in_review' ? otherAnalyst : null,
    });
  return { id: row.id, entries };
}

/** A sent week's digest with an AMBER+STRICT media entry for each of two organisations. */
async function sentDigest(home: string, foreign: string): Promise<{ id: string; homeTitle: string; foreignTitle: string }> {
  const { id } = await freshDigest('week');
  const row = (await repo.findDigest(t.system.db, id))!;
  const entry = (n: string, org: string) => ({
    id: `${n}-${unique()}`,
    kind: 'media' as const,
    productId: null,
    productKind: null,
    identifier: null,
    title: `For ${n} ${unique()}`,
    titleEn: null,
    summary: '',
    summaryEn: null,
    url: null,
    sourceName: 'Matrix',
    tlp: 'AMBER+STRICT' as const,
    recipients: [org],
    ownerOrganisationId: certOrg,
    urgency: null,
    vendors: [],
    publishedAt: null,
    updated: false,
  });
  const mine = entry('home', home);
  const theirs = entry('foreign', foreign);
  const snapshot: DigestSnapshot = {
    content: {
      digestId: id,
      kind: 'week',
      period: row.period,
      title: row.title,
      titleEn: row.title_en,
      introduction: 'Matrix',
      commentary: '',
      entries: [mine, theirs],
      figures: null,
      certName: 'CERT',
      archiveUrl: `http://localhost/digests/${id}`,
    },
    recipients: { contacts: 0, organisations: 0, encrypted: 0, held: 0, classes: 0, withoutEntries: 0 },
    sentAt: new Date().toISOString(),
  };
  await repo.updateDigest(t.system.db, id, { status: 'sent', sent_at: new Date(), snapshot: JSON.stringify(snapshot) });
  return { id, homeTitle: mine.title, foreignTitle: theirs.title };
}

const isCert = (a: DigestActor) => a.role === 'cert-admin' || a.role === 'cert-analyst';
const lastSent = new Map<string, { homeTitle: string; foreignTitle: string }>();
const detail = (res: LightMyRequestResponse) => res.json<DigestDetailOut>();

export const DIGEST_CASES = {
  'GET /api/v1/digests': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/digests?limit=100' }),
    check: (res, a) => {
      const items = res.json<z.infer<typeof DigestPageOut>>().items;
      expect(items.length).toBeGreaterThan(0);
      // Readers see the archive of sent digests only.
      if (!isCert(a)) expect(items.every((d) => d.status === 'sent')).toBe(true);
    },
  },
  'POST /api/v1/digests': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/digests', body: { kind: 'month', period: nextPeriod('month').replace(/^23/, '20') } }),
    check: (res) => expect(detail(res).status).toBe('draft'),
  },
  'GET /api/v1/digests/:id': {
    targeted: false,
    build: async (a) => {
      const d = await sentDigest(a.home, a.foreign);
      lastSent.set(a.role + a.home, d);
      return { method: 'GET', url: `/api/v1/digests/${d.id}` };
    },
    check: (res, a) => {
      const titles = detail(res).entries.map((e) => e.title);
      const d = lastSent.get(a.role + a.home)!;
      expect(titles).toContain(d.homeTitle);
      if (isCert(a)) expect(titles).toContain(d.foreignTitle);
      else expect(titles).not.toContain(d.foreignTitle);
    },
  },
  'PATCH /api/v1/digests/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/digests/${(await freshDigest('week')).id}`, body: { introduction: 'Deze week **veel** nieuws.' } }),
    check: (res) => expect(detail(res).introductionHtml).toContain('<strong>veel</strong>'),
  },
  'PUT /api/v1/digests/:id/order': {
    targeted: false,
    build: async () => {
      const d = await freshDigest('week', 'draft', 2);
      return { method: 'PUT', url: `/api/v1/digests/${d.id}/order`, body: { entryIds: [...d.entries].reverse() } };
    },
  },
  'POST /api/v1/digests/:id/entries': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: `/api/v1/digests/${(await freshDigest('week')).id}/entries`,
      body: { kind: 'link', title: 'Achtergrond', url: 'https://background.example/x' },
    }),
  },
  'DELETE /api/v1/digests/:id/entries/:entryId': {
    targeted: false,
    build: async () => {
      const d = await freshDigest('week', 'draft', 1);
      return { method: 'DELETE', url: `/api/v1/digests/${d.id}/entries/${d.entries[0]}` };
    },
  },
  'POST /api/v1/digests/:id/assemble': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('week')).id}/assemble` }),
  },
  'POST /api/v1/digests/:id/hold': { targeted: false, build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('week')).id}/hold` }) },
  'POST /api/v1/digests/:id/release': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('week', 'held')).id}/release` }),
  },
  'POST /api/v1/digests/:id/submit': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('month')).id}/submit` }),
  },
  'POST /api/v1/digests/:id/send': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('week', 'draft', 1)).id}/send` }),
    check: (res) => expect(detail(res).status).toBe('sent'),
  },
  'POST /api/v1/digests/:id/approve': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/digests/${(await freshDigest('month', 'in_review')).id}/approve` }),
    check: (res) => expect(detail(res).status).toBe('approved'),
  },
  'GET /api/v1/digests/:id/recipients': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/digests/${(await freshDigest('week', 'draft', 1)).id}/recipients` }),
    check: (res) => expect(res.json<{ recipients: { contactId: string }[] }>().recipients.map((r) => r.contactId)).toContain(contactId),
  },
  'GET /api/v1/digests/:id/preview': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/digests/${(await freshDigest('week', 'draft', 1)).id}/preview?contactId=${contactId}` }),
    check: (res) => expect(res.json<{ html: string }>().html).toContain('Link 0'),
  },
} satisfies Record<string, DigestCase>;

export async function setupDigestWorld(app: TestApp, orgs: { cert: string; participants: string[] }): Promise<void> {
  t = app;
  certOrg = orgs.cert;
  otherAnalyst = (await makeUser(t, orgs.cert, 'cert-analyst')).id;
  contactId = (await addContact(t, orgs.participants[0]!, { email: `digest-${unique()}@hospital-a.example`, subscriptions: ['end_of_week'] })).id;
  // Something in every reader's archive.
  const first = await freshDigest('week');
  await repo.updateDigest(t.system.db, first.id, {
    status: 'sent',
    sent_at: new Date(),
    snapshot: JSON.stringify({
      content: {
        digestId: first.id,
        kind: 'week',
        period: '2101-W01',
        title: 'Archief',
        titleEn: 'Archive',
        introduction: '',
        commentary: '',
        entries: [],
        figures: null,
        certName: 'CERT',
        archiveUrl: 'http://localhost',
      },
      recipients: { contacts: 0, organisations: 0, encrypted: 0, held: 0, classes: 0, withoutEntries: 0 },
      sentAt: new Date().toISOString(),
    } satisfies DigestSnapshot),
  });
}
