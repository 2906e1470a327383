import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeOrganisation, makeUser } from '../helpers/factories.ts';
import type { ActorRole } from './policy-table.ts';
import type { CvdPartyKind } from '../../src/db/schema-cvd.ts';
import type { CvdCaseOut, PartyViewOut } from '../../src/modules/cvd/cvd.schema.ts';
import { storeAttachment } from '../../src/modules/cvd/attachments.ts';
import { newToken } from '../../src/modules/cvd/finder-link.ts';
import { issueTicket } from '../../src/modules/cvd/form-guard.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { makeCertTeam, productInState } from '../helpers/products.ts';

/**
 * The access-matrix requests for coordinated vulnerability disclosure. A CVD case is the CERT's and
 * its parties': "own" is a case the actor's organisation is a party to (a participant as participant,
 * a partner as the manufacturer; for CERT staff, who are no party, a case of their home participant),
 * "other" a case of the foreign organisation only, which does not exist for the actor. Each party
 * organisation has one case set up with something of everything (the finder, who did not agree to be
 * named, with a message and a file; a file the CERT passed on to the party; a CERT note) for the read
 * routes and their checks; every change is made on a fresh case of its own.
 *
 * The public pages are open to all; the token in a private link is what grants, and each request
 * gets a link (and case) of its own.
 *
 * Attachments go to the matrix app's evidence folder (made temporary by the incidents world). The
 * matrix app's PUBLIC_URL becomes an https one (a security.txt may point at https only); its cookies
 * stay as the app was started (config.secure is not touched).
 */

export type Target = 'own' | 'other' | null;
export interface CvdActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  /** A form of the public pages: the encoded body, with its content type in `headers`. */
  rawBody?: Buffer;
  headers?: Record<string, string>;
}
export interface CvdCase {
  targeted: boolean;
  build(a: CvdActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: CvdActor, target: Target) => void;
  redirects?: true;
}

let t: TestApp;
/** A participant the scope check and a declared product point at, never a party to begin with. */
let bystander: string;
let certUserId: string;
/** A published TLP:CLEAR advisory, for the CVE record of a case that points at it. */
let publishedAdvisory: string;
const kindOf = new Map<string, string>();
/** Every case made here, with the organisations that are a party to it. */
const partiesOfCase = new Map<string, Set<string>>();

interface SeededCase {
  id: string;
  /** The party row of the organisation. */
  partyId: string;
  /** A file the CERT handed in and passed on to the organisation's party. */
  sharedFileId: string;
  /** The finder's file, never passed on (the finder did not agree). */
  finderFileId: string;
}
const seeded = new Map<string, SeededCase>();

const unique = () => randomBytes(4).toString('hex');
const org = (a: CvdActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const isCert = (a: CvdActor) => a.role === 'cert-admin' || a.role === 'cert-analyst';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const body = <T>(res: LightMyRequestResponse) => res.json<T>();

const SEED_TITLE = 'CVD matrix seed';
const FINDER_NAME = 'Matrix Vinder';
const FINDER_EMAIL = 'matrix.vinder@finder.example';
const FINDER_MESSAGE = 'FINDER-ONLY: here is my proof of concept';
const FINDER_FILE = 'matrix-poc.py';
const SHARED_FILE = 'advice-for-party.txt';
const SHARED_CONTENT = Buffer.from('apply the vendor patch of Friday');
const INTERNAL_NOTE = 'CERT-ONLY note: the finder is a known researcher';
const PRODUCT = { vendor: 'Matrixmed', product: 'InfuMatrix', model: 'IM-1' };

// ---- direct factories

/** The party kind an organisation takes in a case: participants as such, others as the manufacturer. */
const partyKind = (organisationId: string): Exclude<CvdPartyKind, 'finder'> => (kindOf.get(organisationId) === 'participant' ? 'participant' : 'manufacturer');

async function insertCase(organisationId: string, o: { title?: string; product?: boolean } = {}): Promise<{ id: string; partyId: string; finderId: string }> {
  const row = await t.system.db
    .insertInto('cvd_cases')
    .values({
      reference: `CVD-MX-${unique()}`,
      intake: 'analyst',
      target_kind: o.product ? 'product' : 'website',
      target: o.product ? null : `https://portal-${unique()}.example`,
      vendor: o.product ? PRODUCT.vendor : null,
      product: o.product ? PRODUCT.product : null,
      model: o.product ? PRODUCT.model : null,
      title: o.title ?? `CVD matrix case ${unique()}`,
      description: 'A reflected cross-site scripting flaw in the login page of the portal.',
      first_response_due: new Date(Date.now() + 5 * 86_400_000),
      disclosure_due: '2027-03-01',
      finder_shares_identity: false,
      finder_shares_attachments: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const finder = await t.system.db
    .insertInto('cvd_parties')
    .values({ case_id: row.id, kind: 'finder', name: FINDER_NAME, email: FINDER_EMAIL, token_hash: newToken().hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  const party = await t.system.db
    .insertInto('cvd_parties')
    .values({ case_id: row.id, kind: partyKind(organisationId), organisation_id: organisationId, name: `Party ${unique()}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  partiesOfCase.set(row.id, new Set([organisationId]));
  return { id: row.id, partyId: party.id, finderId: finder.id };
}
const freshCase = (a: CvdActor, target: Target, o: { product?: boolean } = {}) => insertCase(org(a, target), o);

async function attachment(caseId: string, o: { partyId: string | null; fileName: string; content: Buffer; sharedWith?: string[] }): Promise<string> {
  const stored = await storeAttachment(t.services, Readable.from([o.content]));
  const row = await t.system.db
    .insertInto('cvd_attachments')
    .values({
      case_id: caseId,
      party_id: o.partyId,
      file_name: o.fileName,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      storage_name: stored.storageName,
      encrypted: stored.encrypted,
      shared_with: o.sharedWith ?? [],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A case of the organisation with something of everything: the finder's side, the party's, the CERT's own. */
async function seedCase(organisationId: string): Promise<SeededCase> {
  const c = await insertCase(organisationId, { title: `${SEED_TITLE} ${unique()}` });
  await t.system.db
    .insertInto('cvd_messages')
    .values([
      { case_id: c.id, party_id: c.finderId, direction: 'in', body: FINDER_MESSAGE, author_user_id: null },
      { case_id: c.id, party_id: c.partyId, direction: 'out', body: 'Can you confirm the issue?', author_user_id: certUserId },
      { case_id: c.id, party_id: null, direction: 'note', body: INTERNAL_NOTE, author_user_id: certUserId },
    ])
    .execute();
  const finderFileId = await attachment(c.id, { partyId: c.finderId, fileName: FINDER_FILE, content: Buffer.from(`print("poc ${unique()}")`) });
  const sharedFileId = await attachment(c.id, { partyId: null, fileName: SHARED_FILE, content: SHARED_CONTENT, sharedWith: [c.partyId] });
  return { id: c.id, partyId: c.partyId, sharedFileId, finderFileId };
}
const seededCase = (a: CvdActor, target: Target): SeededCase => seeded.get(org(a, target))!;

/**
 * The organisations that take part (participants, partners) each get a set-up case; a bystander
 * participant declares the product the product cases name; a CERT analyst writes the notes.
 */
export async function setupCvdWorld(app: TestApp, world: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  certUserId = (await makeUser(t, world.cert, 'cert-analyst')).id;
  for (const o of world.participants) kindOf.set(o, 'participant');
  for (const o of world.partners) kindOf.set(o, 'partner');
  bystander = (await makeOrganisation(t, 'participant', `CVD bystander ${unique()}`)).id;
  kindOf.set(bystander, 'participant');
  const n = normaliseAsset({ type: 'product', includeSubdomains: false, product: { ...PRODUCT, medicalDevice: true } });
  if ('error' in n) throw new Error(n.error);
  await assetRepo.insertAsset(t.system.db, bystander, n.asset, null, 'approved');
  for (const o of [...world.participants, ...world.partners]) seeded.set(o, await seedCase(o));
  t.services.config.publicUrl = 'https://wachtpost.test';
  await ensureSigningKey(t.system);
  publishedAdvisory = (await productInState(t, await makeCertTeam(t), 'published', { tlp: 'CLEAR' })).id;
}

/** A private link of its own: a fresh case of the home organisation with the finder (and an outside party) on it. */
async function privateLink(a: CvdActor, o: { outside?: boolean } = {}): Promise<{ token: string; fileId: string }> {
  const c = await insertCase(a.home, { title: `Link case ${unique()}` });
  const link = newToken();
  if (o.outside)
    await t.system.db
      .insertInto('cvd_parties')
      .values({ case_id: c.id, kind: 'manufacturer', name: 'Outside PSIRT', email: `psirt-${unique()}@vendor.example`, token_hash: link.hash })
      .execute();
  else await t.system.db.updateTable('cvd_parties').set({ token_hash: link.hash }).where('id', '=', c.finderId).execute();
  const fileId = await attachment(c.id, { partyId: c.finderId, fileName: FINDER_FILE, content: SHARED_CONTENT });
  await t.system.db
    .insertInto('cvd_messages')
    .values({ case_id: c.id, party_id: null, direction: 'note', body: INTERNAL_NOTE, author_user_id: certUserId })
    .execute();
  return { token: link.token, fileId };
}

const form = (fields: Record<string, string>): Pick<Req, 'rawBody' | 'headers'> => ({
  rawBody: Buffer.from(new URLSearchParams(fields).toString()),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
/** Back to the case page after a form post, with what was sent. */
const backToCase = (sent: string) => (res: LightMyRequestResponse) =>
  expect(String(res.headers.location)).toMatch(new RegExp(`^/cvd/case/[A-Za-z0-9_-]{43}\\?sent=${sent}#`));

// ---- checks

/** Nothing of the finder (who did not agree), nor the CERT's notes, in what a party is answered. */
function nothingOfTheFinder(res: LightMyRequestResponse): void {
  for (const secret of [FINDER_NAME, FINDER_EMAIL, FINDER_MESSAGE, FINDER_FILE, INTERNAL_NOTE]) expect(res.body).not.toContain(secret);
}

/** A party's view of the case: its own channel, the file passed on to it, no finder. */
function partyView(res: LightMyRequestResponse, a: CvdActor, target: Target, caseId: string): void {
  const v = body<PartyViewOut>(res);
  expect(v.id).toBe(caseId);
  expect(v.finder).toBeNull();
  expect(v.party.kind).toBe(partyKind(org(a, target)));
  nothingOfTheFinder(res);
}

export const CVD_CASES = {
  'GET /api/v1/cvd/cases': {
    targeted: false,
    build: async () => ({ method: 'GET', url: `/api/v1/cvd/cases?limit=200&q=${encodeURIComponent(SEED_TITLE)}` }),
    check: (res, a) => {
      const ids = body<{ items: { id: string }[] }>(res).items.map((c) => c.id);
      expect(
        ids.every((id) => partiesOfCase.has(id)),
        'a listed case was not made by the matrix',
      ).toBe(true);
      expect(ids).toContain(seeded.get(a.home)!.id);
      if (isCert(a)) expect(ids).toContain(seeded.get(a.foreign)!.id);
      else {
        // A party: only the cases its organisation is a party to.
        expect(ids.every((id) => partiesOfCase.get(id)!.has(a.user!.organisationId))).toBe(true);
        expect(ids).not.toContain(seeded.get(a.foreign)!.id);
      }
      nothingOfTheFinder(res);
    },
  },
  'POST /api/v1/cvd/cases': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/cvd/cases',
      body: {
        targetKind: 'website',
        target: `https://www.${unique()}.example/login`,
        title: 'Reported by phone: open redirect on the login page',
        description: 'The return parameter of the login page redirects to any host without a check.',
        finderName: 'Bellende Vinder',
        finderEmail: 'bellende.vinder@finder.example',
        language: 'en',
      },
    }),
    check: (res) => {
      const r = body<{ case: CvdCaseOut; link: string }>(res);
      partiesOfCase.set(r.case.id, new Set());
      expect(r.link).toMatch(/\/cvd\/case\/[A-Za-z0-9_-]{43}$/);
      expect(r.case.parties.map((p) => p.kind)).toEqual(['finder']);
    },
  },
  'GET /api/v1/cvd/dashboard': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/cvd/dashboard' }),
    check: (res) => expect(body<{ counts: Record<string, number> }>(res).counts['received']).toBeGreaterThan(0),
  },
  'GET /api/v1/cvd/cases/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/cvd/cases/${seededCase(a, target).id}` }),
    // The CERT's view: every channel, the finder and the notes.
    check: (res, a, target) => {
      const c = body<CvdCaseOut>(res);
      expect(c.id).toBe(seededCase(a, target).id);
      expect(c.parties.find((p) => p.kind === 'finder')).toMatchObject({ name: FINDER_NAME, email: FINDER_EMAIL });
      expect(c.messages.map((m) => m.body)).toContain(INTERNAL_NOTE);
      expect(c.attachments.map((x) => x.id)).toContain(seededCase(a, target).finderFileId);
    },
  },
  'PATCH /api/v1/cvd/cases/:id': {
    targeted: true,
    build: async (a, target) => ({
      method: 'PATCH',
      url: `/api/v1/cvd/cases/${(await freshCase(a, target)).id}`,
      body: { status: 'triaged', cweId: 'CWE-79' },
    }),
    check: (res) => expect(body<CvdCaseOut>(res)).toMatchObject({ status: 'triaged', cweId: 'CWE-79' }),
  },
  'POST /api/v1/cvd/cases/:id/scope-check': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/cvd/cases/${(await freshCase(a, target, { product: true })).id}/scope-check` }),
    check: (res) => expect(body<CvdCaseOut>(res).scope.organisations).toEqual([expect.objectContaining({ id: bystander, via: 'product' })]),
  },
  'POST /api/v1/cvd/cases/:id/parties': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/cvd/cases/${(await freshCase(a, target)).id}/parties`,
      body: { kind: 'manufacturer', name: 'Matrix PSIRT', email: `psirt-${unique()}@vendor.example`, language: 'en' },
    }),
    check: (res) => expect(body<{ privateLink: string | null }>(res).privateLink).toMatch(/\/cvd\/case\/[A-Za-z0-9_-]{43}$/),
  },
  'POST /api/v1/cvd/cases/:id/parties/from-scope': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target);
      const scope = {
        organisations: [{ id: bystander, name: 'CVD bystander', via: 'domain', matched: 'bystander.example' }],
        checkedAt: new Date().toISOString(),
      };
      await t.system.db
        .updateTable('cvd_cases')
        .set({ scope: JSON.stringify(scope) })
        .where('id', '=', c.id)
        .execute();
      return { method: 'POST', url: `/api/v1/cvd/cases/${c.id}/parties/from-scope` };
    },
    check: (res) => expect(body<CvdCaseOut>(res).parties.map((p) => p.organisationId)).toContain(bystander),
  },
  'POST /api/v1/cvd/cases/:id/parties/from-products': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/cvd/cases/${(await freshCase(a, target, { product: true })).id}/parties/from-products` }),
    check: (res) => {
      const r = body<{ case: CvdCaseOut; added: number }>(res);
      expect(r.added).toBe(1);
      expect(r.case.parties.map((p) => p.organisationId)).toContain(bystander);
    },
  },
  'PATCH /api/v1/cvd/cases/:id/parties/:partyId': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target);
      return { method: 'PATCH', url: `/api/v1/cvd/cases/${c.id}/parties/${c.partyId}`, body: { status: 'acknowledged' } };
    },
    check: (res, a, target) => expect(body<CvdCaseOut>(res).parties.find((p) => p.organisationId === org(a, target))?.status).toBe('acknowledged'),
  },
  'POST /api/v1/cvd/cases/:id/parties/:partyId/link': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target);
      const outside = await t.system.db
        .insertInto('cvd_parties')
        .values({ case_id: c.id, kind: 'manufacturer', name: 'Outside PSIRT', email: `psirt-${unique()}@vendor.example`, token_hash: newToken().hash })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { method: 'POST', url: `/api/v1/cvd/cases/${c.id}/parties/${outside.id}/link` };
    },
    check: (res) => expect(body<{ privateLink: string | null }>(res).privateLink).toMatch(/\/cvd\/case\/[A-Za-z0-9_-]{43}$/),
  },
  'POST /api/v1/cvd/cases/:id/messages': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target);
      return { method: 'POST', url: `/api/v1/cvd/cases/${c.id}/messages`, body: { partyId: c.partyId, body: 'Please confirm the issue on your portal.' } };
    },
    check: (res) => expect(body<CvdCaseOut>(res).messages.map((m) => [m.direction, m.body])).toEqual([['out', 'Please confirm the issue on your portal.']]),
  },
  'POST /api/v1/cvd/cases/:id/notes': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/cvd/cases/${(await freshCase(a, target)).id}/notes`,
      body: { body: 'Looks like last year’s case.' },
    }),
    check: (res) => expect(body<CvdCaseOut>(res).messages.map((m) => [m.direction, m.partyId])).toEqual([['note', null]]),
  },
  'GET /api/v1/cvd/cases/:id/attachments/:attachmentId': {
    targeted: true,
    build: async (a, target) => {
      const c = seededCase(a, target);
      return { method: 'GET', url: `/api/v1/cvd/cases/${c.id}/attachments/${c.sharedFileId}` };
    },
    check: (res) => {
      expect(res.rawPayload.equals(SHARED_CONTENT)).toBe(true);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    },
  },
  'POST /api/v1/cvd/cases/:id/attachments/:attachmentId/share': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target);
      const file = await attachment(c.id, { partyId: null, fileName: 'cert-advice.txt', content: Buffer.from(`advice ${unique()}`) });
      return { method: 'POST', url: `/api/v1/cvd/cases/${c.id}/attachments/${file}/share`, body: { partyId: c.partyId } };
    },
    check: (res) => {
      const c = body<CvdCaseOut>(res);
      const party = c.parties.find((p) => p.kind !== 'finder')!;
      expect(c.attachments.map((x) => x.sharedWith)).toEqual([[party.id]]);
    },
  },

  // --- a party's own channel
  'GET /api/v1/cvd/party-cases/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/cvd/party-cases/${seededCase(a, target).id}` }),
    check: (res, a, target) => {
      const c = seededCase(a, target);
      partyView(res, a, target, c.id);
      const v = body<PartyViewOut>(res);
      expect(v.messages.map((m) => [m.direction, m.author])).toEqual([['out', 'CERT']]);
      // The file passed on, naming neither who handed it in nor who else got it; never the finder's.
      expect(v.attachments.map((x) => [x.id, x.fileName, x.sha256, x.partyId, x.sharedWith])).toEqual([
        [c.sharedFileId, SHARED_FILE, sha256(SHARED_CONTENT), null, []],
      ]);
    },
  },
  'POST /api/v1/cvd/party-cases/:id/messages': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/cvd/party-cases/${(await freshCase(a, target)).id}/messages`,
      body: { body: 'Confirmed; a fix ships on Friday.' },
    }),
    check: (res) => {
      expect(body<PartyViewOut>(res).messages.map((m) => [m.direction, m.body])).toEqual([['in', 'Confirmed; a fix ships on Friday.']]);
      nothingOfTheFinder(res);
    },
  },
  'PATCH /api/v1/cvd/party-cases/:id': {
    targeted: true,
    build: async (a, target) => ({
      method: 'PATCH',
      url: `/api/v1/cvd/party-cases/${(await freshCase(a, target)).id}`,
      body: { status: 'fix_planned', sharesIdentity: true },
    }),
    // Agreeing to be named does not name the finder, who did not agree.
    check: (res) => {
      expect(body<PartyViewOut>(res)).toMatchObject({ party: { status: 'fix_planned', sharesIdentity: true }, finder: null });
      nothingOfTheFinder(res);
    },
  },
  'GET /api/v1/cvd/party-cases/:id/attachments/:attachmentId': {
    targeted: true,
    build: async (a, target) => {
      const c = seededCase(a, target);
      return { method: 'GET', url: `/api/v1/cvd/party-cases/${c.id}/attachments/${c.sharedFileId}` };
    },
    check: (res) => {
      expect(res.rawPayload.equals(SHARED_CONTENT)).toBe(true);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    },
  },

  // --- disclosure and delegation
  'POST /api/v1/cvd/cases/:id/advisory': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/cvd/cases/${(await freshCase(a, target)).id}/advisory`, body: {} }),
    check: (res) => {
      const r = body<{ case: CvdCaseOut; productId: string }>(res);
      expect(r.case.advisory).toEqual({ id: r.productId, identifier: null, status: 'draft' });
    },
  },
  'GET /api/v1/cvd/cases/:id/cve-record': {
    targeted: true,
    build: async (a, target) => {
      const c = await freshCase(a, target, { product: true });
      await t.system.db.updateTable('cvd_cases').set({ cve_id: 'CVE-2026-50001', advisory_id: publishedAdvisory }).where('id', '=', c.id).execute();
      return { method: 'GET', url: `/api/v1/cvd/cases/${c.id}/cve-record` };
    },
    check: (res) => {
      expect(body<{ cveMetadata: { cveId: string } }>(res).cveMetadata.cveId).toBe('CVE-2026-50001');
      nothingOfTheFinder(res);
    },
  },
  'PUT /api/v1/cvd/delegations/:organisationId': {
    targeted: true,
    build: async (a, target) => ({ method: 'PUT', url: `/api/v1/cvd/delegations/${org(a, target)}`, body: { delegated: true } }),
    check: (res, a, target) => expect(body(res)).toMatchObject({ organisationId: org(a, target), delegated: true }),
  },
  'GET /api/v1/organisations/:id/security-txt': {
    targeted: true,
    build: async (a, target) => {
      // Recorded directly (a partner never delegates; the rule on reading the file is what is tried here).
      await t.system.db.updateTable('organisations').set({ cvd_delegated: true }).where('id', '=', org(a, target)).execute();
      return { method: 'GET', url: `/api/v1/organisations/${org(a, target)}/security-txt` };
    },
    check: (res, a, target) => expect(res.body).toContain(`Contact: https://wachtpost.test/cvd?org=${org(a, target)}`),
  },

  // --- the public pages
  'GET /cvd': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/cvd?lang=en' }),
    check: (res) => expect(res.body).toMatch(/name="ticket" value="[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/),
  },
  'POST /cvd': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/cvd',
      // A form served a minute ago (a person's pace), sent by a program: answered with JSON.
      ...form({
        ticket: await issueTicket(t.system, 'en', Date.now() - 60_000),
        lang: 'en',
        targetKind: 'website',
        target: `https://www.${unique()}.example/`,
        title: 'Directory listing on the web server',
        description: 'The uploads folder lists every file, including patient letters.',
      }),
    }),
    check: (res) => {
      expect(res.statusCode).toBe(201);
      expect(body<{ token: string; link: string }>(res).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    },
  },
  'GET /cvd/pgp-key.asc': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/cvd/pgp-key.asc' }),
    check: (res) => expect(res.body).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----'),
  },
  'GET /cvd/assets/:name': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/cvd/assets/cvd-form.js' }),
    check: (res) => expect(String(res.headers['content-type'])).toContain('text/javascript'),
  },
  'GET /cvd/acknowledgements': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/cvd/acknowledgements?lang=en' }),
    check: (res) => expect(String(res.headers['content-type'])).toContain('text/html'),
  },
  'GET /cvd/case/:token': {
    targeted: false,
    build: async (a) => {
      const l = await privateLink(a);
      return { method: 'GET', url: `/cvd/case/${l.token}?lang=en` };
    },
    // The finder's own case; never the CERT's notes.
    check: (res) => {
      expect(String(res.headers['cache-control'])).toBe('no-store');
      expect(res.body).toContain('Link case ');
      expect(res.body).toContain(FINDER_FILE);
      expect(res.body).not.toContain(INTERNAL_NOTE);
    },
  },
  'POST /cvd/case/:token/messages': {
    targeted: false,
    redirects: true,
    build: async (a) => ({
      method: 'POST',
      url: `/cvd/case/${(await privateLink(a)).token}/messages`,
      ...form({ body: 'One more detail: the flaw also works on the staging host.' }),
    }),
    check: backToCase('message'),
  },
  'POST /cvd/case/:token/consent': {
    targeted: false,
    redirects: true,
    build: async (a) => ({ method: 'POST', url: `/cvd/case/${(await privateLink(a)).token}/consent`, ...form({ sharesIdentity: 'true' }) }),
    check: backToCase('consent'),
  },
  'POST /cvd/case/:token/status': {
    targeted: false,
    redirects: true,
    build: async (a) => ({ method: 'POST', url: `/cvd/case/${(await privateLink(a, { outside: true })).token}/status`, ...form({ status: 'fix_planned' }) }),
    check: backToCase('status'),
  },
  'GET /cvd/case/:token/attachments/:attachmentId': {
    targeted: false,
    build: async (a) => {
      const l = await privateLink(a);
      return { method: 'GET', url: `/cvd/case/${l.token}/attachments/${l.fileId}` };
    },
    check: (res) => {
      expect(res.rawPayload.equals(SHARED_CONTENT)).toBe(true);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    },
  },
} satisfies Record<string, CvdCase>;
