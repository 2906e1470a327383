/**
 * Tenant isolation on random worlds (fast-check): random organisations, users, partner→client
 * relations and TLP-marked documents with random recipients. For every user, everything the API
 * shows — document list (all pages), detail, download, export; organisations, contacts, assets — is
 * compared with what the TLP 2.0 rule allows, computed twice: by `canSeeMarked` (the code) and by an
 * oracle written here from the rule's words in policy.ts. Data is inserted through the repositories;
 * reads go through HTTP, so the SQL form of the rule (tlpVisibilitySql) is what is tested.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSeeMarked } from '../../src/modules/access/policy.ts';
import type { Actor, OrganisationKind } from '../../src/modules/access/actor.ts';
import type { Role } from '../../src/modules/access/permissions.ts';
import { TLP_LEVELS, type Tlp } from '../../src/lib/tlp.ts';
import { randomToken, sha256 } from '../../src/modules/identity/secrets.ts';
import * as identityRepo from '../../src/modules/identity/identity.repository.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import * as documentRepo from '../../src/modules/documents/document.repository.ts';
import { usersFor } from '../../src/modules/distribution/audience.repository.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { makeOrganisation, makeUser } from '../helpers/factories.ts';

let t: TestApp;
let certId: string;
beforeAll(async () => {
  t = await createTestApp();
  certId = (await makeOrganisation(t, 'cert')).id;
});
afterAll(async () => t?.close());

// ---- the random world, as plain numbers (indices are taken modulo what exists, so shrinking works)

const worldArb = fc.record({
  orgs: fc.array(fc.constantFrom<Exclude<OrganisationKind, 'cert'>>('participant', 'partner', 'vendor'), { minLength: 1, maxLength: 5 }),
  users: fc.array(fc.record({ org: fc.nat(), second: fc.boolean() }), { minLength: 1, maxLength: 6 }),
  relations: fc.array(fc.record({ partner: fc.nat(), client: fc.nat() }), { maxLength: 4 }),
  docs: fc.array(
    fc.record({
      owner: fc.nat(),
      tlp: fc.constantFrom(...TLP_LEVELS),
      recipients: fc.array(fc.record({ org: fc.nat(), person: fc.option(fc.nat(), { nil: null }) }), { maxLength: 3 }),
      // Rows written at nearly the same moment, as concurrent requests write them: within a few
      // milliseconds, often in the same one, sometimes in the same microsecond.
      micros: fc.integer({ min: 0, max: 2999 }),
    }),
    { maxLength: 7 },
  ),
  pageSize: fc.integer({ min: 1, max: 4 }),
});
type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

interface WOrg {
  id: string;
  kind: OrganisationKind;
  name: string;
}
interface WUser {
  id: string;
  role: Role;
  org: WOrg;
  creds: Credentials;
}
interface WDoc {
  id: string;
  owner: string;
  tlp: Tlp;
  recipients: { organisationId: string; userId: string | null }[];
  content: string;
}
interface World {
  tag: string;
  orgs: WOrg[]; // the CERT first
  users: WUser[];
  /** partner id → client ids */
  relations: { partner: string; client: string }[];
  docs: WDoc[];
  pageSize: number;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

function rolesOf(kind: OrganisationKind): [Role, Role] {
  // Written out here, not taken from rolesForOrganisationKind.
  if (kind === 'cert') return ['cert-admin', 'cert-analyst'];
  if (kind === 'participant') return ['participant-admin', 'participant-member'];
  return ['partner', 'partner'];
}

async function directSession(userId: string): Promise<Credentials> {
  const token = randomToken();
  const csrf = randomToken(24);
  await identityRepo.insertSession(t.system.db, { tokenHash: sha256(token), userId, stage: 'full', csrfToken: csrf, ip: null, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) });
  return { cookie: `wp_session=${token}`, csrf };
}

/** Builds the world in the database: fresh organisations and users, and only this run's documents. */
async function realise(spec: WorldSpec): Promise<World> {
  const db = t.system.db;
  const tag = randomBytes(5).toString('hex');
  // Each run starts without documents, so the expected lists are exactly this run's.
  await db.deleteFrom('tlp_recipients').where('object_type', '=', 'document').execute();
  await db.deleteFrom('documents').execute();

  const base = new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 1e9)).toISOString();
  const orgs: WOrg[] = [{ id: certId, kind: 'cert', name: '' }];
  for (const [i, kind] of spec.orgs.entries()) {
    const name = `${kind} ${tag} ${i}`;
    const row = await orgRepo.insertOrganisation(db, { kind, name, shortName: null, segment: kind === 'participant' ? 'hospital' : null, membershipStatus: 'active', memberSince: null, memberUntil: null });
    // Organisations created within the same few milliseconds, like the documents.
    await sql`UPDATE organisations SET created_at = ${base}::timestamptz + ${(i * 7) % 3}::int * interval '1 microsecond' WHERE id = ${row.id}`.execute(db);
    orgs.push({ id: row.id, kind, name });
  }

  // Relations run from a partner to a participant: drawn from those two lists, so most worlds have some.
  const relations: World['relations'] = [];
  const partners = orgs.filter((o) => o.kind === 'partner');
  const participants = orgs.filter((o) => o.kind === 'participant');
  for (const r of partners.length && participants.length ? spec.relations : []) {
    const partner = pick(partners, r.partner);
    const client = pick(participants, r.client);
    if (relations.some((x) => x.partner === partner.id && x.client === client.id)) continue;
    relations.push({ partner: partner.id, client: client.id });
  }
  for (const partner of new Set(relations.map((r) => r.partner))) {
    await orgRepo.setClients(db, partner, relations.filter((r) => r.partner === partner).map((r) => r.client));
  }

  const users: WUser[] = [];
  for (const u of spec.users) {
    const org = pick(orgs, u.org);
    const role = rolesOf(org.kind)[u.second ? 1 : 0];
    const made = await makeUser(t, org.id, role, { totp: false });
    users.push({ id: made.id, role, org, creds: await directSession(made.id) });
  }

  // Every organisation gets a contact, and participants and partners an asset that overlaps the others'.
  for (const org of orgs) {
    await contactRepo.insertContact(db, org.id, {
      name: `Contact of ${org.name}`,
      email: `contact-${tag}-${org.id.slice(0, 8)}@test.example`,
      kind: 'function',
      roles: [],
      languages: ['nl'],
      phone: null,
      subscriptions: [],
      pgp_public_key: null,
      pgp_fingerprint: null,
      pgp_user_ids: null,
      pgp_expires_at: null,
      user_id: null,
    });
    if (org.kind === 'participant' || org.kind === 'partner') {
      const n = normaliseAsset({ type: 'domain', value: `shared-${tag}.example`, includeSubdomains: true });
      if ('error' in n) throw new Error(n.error);
      await assetRepo.insertAsset(db, org.id, n.asset, null, 'approved');
    }
  }

  const docs: WDoc[] = [];
  for (const d of spec.docs) {
    const owner = pick(orgs, d.owner).id;
    const recipients: WDoc['recipients'] = [];
    for (const r of d.recipients) {
      const org = pick(orgs, r.org);
      const people = users.filter((u) => u.org.id === org.id);
      // Only TLP:RED names people; a named person is one of the named organisation's users.
      const userId = d.tlp === 'RED' && r.person !== null && people.length ? pick(people, r.person).id : null;
      if (!recipients.some((x) => x.organisationId === org.id && x.userId === userId)) recipients.push({ organisationId: org.id, userId });
    }
    // As the API demands: AMBER and above name at least one recipient.
    if (d.tlp !== 'CLEAR' && d.tlp !== 'GREEN' && recipients.length === 0) recipients.push({ organisationId: pick(orgs, d.owner + 1).id, userId: null });
    const content = `content ${randomBytes(6).toString('hex')}`;
    const id = await documentRepo.insertDocument(db, {
      owner,
      title: `Doc ${tag}`,
      description: '',
      tlp: d.tlp,
      fileName: 'doc.txt',
      mediaType: 'text/plain',
      content: new TextEncoder().encode(content),
      createdBy: null,
      recipients,
    });
    await sql`UPDATE documents SET created_at = ${base}::timestamptz + ${d.micros}::int * interval '1 microsecond' WHERE id = ${id}`.execute(db);
    docs.push({ id, owner, tlp: d.tlp, recipients, content });
  }
  return { tag, orgs, users, relations, docs, pageSize: spec.pageSize };
}

// ---- the two statements of the rule

function actorOf(u: WUser, w: World): Actor {
  return {
    userId: u.id,
    email: `${u.id}@test.example`,
    role: u.role,
    organisationId: u.org.id,
    organisationKind: u.org.kind,
    clientOrganisationIds: w.relations.filter((r) => r.partner === u.org.id).map((r) => r.client),
    partnerOrganisationIds: w.relations.filter((r) => r.client === u.org.id).map((r) => r.partner),
    sessionId: 'session',
    tokenId: null,
    tokenPermissions: null,
  };
}

/**
 * TLP 2.0 as policy.ts words it, written independently of the code: CLEAR: anyone. GREEN: the
 * community (the CERT, its participants and its partners; not vendors). AMBER: named organisations,
 * the clients of a named partner, and the CERT. AMBER+STRICT: named organisations and the CERT. RED:
 * only the named organisations or people. The owner's organisation always sees its own.
 */
function oracle(u: WUser, d: WDoc, w: World): boolean {
  const cert = u.role === 'cert-admin' || u.role === 'cert-analyst';
  const named = d.recipients.some((r) => r.organisationId === u.org.id && (r.userId === null || r.userId === u.id));
  const clientOfNamedPartner = d.recipients.some((r) => r.userId === null && w.relations.some((rel) => rel.partner === r.organisationId && rel.client === u.org.id));
  if (d.tlp === 'CLEAR' || d.owner === u.org.id) return true;
  if (d.tlp === 'GREEN') return ['cert', 'participant', 'partner'].includes(u.org.kind);
  if (d.tlp === 'AMBER') return cert || named || clientOfNamedPartner;
  if (d.tlp === 'AMBER+STRICT') return cert || named;
  return named;
}

// ---- reading through the API

async function allPages<T extends { id: string }>(path: string, creds: Credentials, pageSize: number, what: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(t, 'GET', `${path}${sep}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, creds);
    expect(res.statusCode, `${what}: ${res.body}`).toBe(200);
    const body = res.json<{ items: T[]; nextCursor: string | null }>();
    expect(body.items.length).toBeLessThanOrEqual(pageSize);
    rows.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error(`${what}: more than 200 pages, the cursor does not advance`);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

async function checkDocuments(u: WUser, w: World): Promise<void> {
  const who = `${u.role} of a ${u.org.kind}`;
  const actor = actorOf(u, w);
  const expected: string[] = [];
  for (const d of w.docs) {
    const mine = oracle(u, d, w);
    // The code's rule and the written rule agree.
    expect(canSeeMarked(actor, { tlp: d.tlp, ownerOrganisationId: d.owner, recipients: d.recipients }), `canSeeMarked vs the TLP rule: ${who}, ${d.tlp} ${JSON.stringify(d)}`).toBe(mine);
    if (mine) expected.push(d.id);
  }
  expected.sort();

  const listed = await allPages<{ id: string }>('/api/v1/documents', u.creds, w.pageSize, `documents as ${who}`);
  expect(ids(listed), `document list (pages of ${w.pageSize}) as ${who}`).toEqual(expected);

  const exported = await call(t, 'GET', '/api/v1/documents/export', u.creds);
  expect(exported.statusCode).toBe(200);
  expect(ids(exported.json<{ id: string }[]>()), `document export as ${who}`).toEqual(expected);

  for (const d of w.docs) {
    const visible = expected.includes(d.id);
    const detail = await call(t, 'GET', `/api/v1/documents/${d.id}`, u.creds);
    expect(detail.statusCode, `detail of a ${d.tlp} document as ${who}`).toBe(visible ? 200 : 404);
    const download = await call(t, 'GET', `/api/v1/documents/${d.id}/download`, u.creds);
    expect(download.statusCode, `download of a ${d.tlp} document as ${who}`).toBe(visible ? 200 : 404);
    if (visible) expect(download.body).toBe(d.content);
    else expect(download.body).not.toContain(d.content);
  }
}

async function checkTenantData(u: WUser, w: World): Promise<void> {
  const who = `${u.role} of a ${u.org.kind}`;
  const cert = u.org.kind === 'cert';
  const runOrgs = w.orgs.filter((o) => o.kind !== 'cert');
  // A partner's own record lists the clients it acts for: that relation is its own, not another tenant's data.
  const ownClients = w.relations.filter((r) => r.partner === u.org.id).map((r) => r.client);
  const others = w.orgs.filter((o) => o.id !== u.org.id && !ownClients.includes(o.id));
  /** No answer to a participant or partner mentions another organisation of this world, by id or by name. */
  const noOtherTenant = (body: string, what: string) => {
    if (cert) return;
    for (const o of others) {
      expect(body, `${what} as ${who} mentions another organisation's id`).not.toContain(o.id);
      if (o.name) expect(body, `${what} as ${who} mentions another organisation's name`).not.toContain(o.name);
    }
  };

  // Organisations: the CERT sees every organisation (here: this world's, found by name), others only their own.
  const listed = await allPages<{ id: string }>(cert ? `/api/v1/organisations?q=${w.tag}` : '/api/v1/organisations', u.creds, w.pageSize, `organisations as ${who}`);
  expect(ids(listed), `organisations as ${who}`).toEqual(cert ? ids(runOrgs) : [u.org.id]);
  noOtherTenant(JSON.stringify(listed), 'GET /api/v1/organisations');

  for (const o of w.orgs) {
    const own = o.id === u.org.id;
    const detail = await call(t, 'GET', `/api/v1/organisations/${o.id}`, u.creds);
    expect(detail.statusCode, `organisation detail as ${who}`).toBe(own || cert ? 200 : 404);
    const contacts = await call(t, 'GET', `/api/v1/organisations/${o.id}/contacts`, u.creds);
    expect(contacts.statusCode, `contacts as ${who}`).toBe(own || cert ? 200 : 404);
    if (contacts.statusCode === 200) {
      const rows = contacts.json<{ items: { organisationId: string }[] }>().items;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((c) => c.organisationId === o.id)).toBe(true);
      if (own) noOtherTenant(contacts.body, 'contacts');
    } else noOtherTenant(contacts.body, 'a refused contacts request');
  }

  // Assets: participants see their own only, and of overlapping claims that there is one, not whose.
  const assetRole = u.role !== 'partner';
  const assets = await call(t, 'GET', `/api/v1/organisations/${u.org.id}/assets`, u.creds);
  expect(assets.statusCode, `own assets as ${who}`).toBe(assetRole ? 200 : 403);
  const queue = assetRole ? await allPages<{ id: string; organisationId: string; overlaps: { organisationId: string }[] }>('/api/v1/assets', u.creds, 50, `asset queue as ${who}`) : [];
  if (assetRole && !cert) {
    const rows = assets.json<{ items: { organisationId: string; overlaps: { organisationId: string; assetId: string }[] }[] }>().items;
    expect(rows.every((a) => a.organisationId === u.org.id)).toBe(true);
    if (u.org.kind === 'participant' && runOrgs.filter((o) => o.kind !== 'vendor').length > 1) expect(rows.some((a) => a.overlaps.length > 0), 'the overlap itself is shown').toBe(true);
    for (const a of rows) for (const o of a.overlaps) expect(o).toEqual({ organisationId: '', organisationName: '', assetId: '', value: '' });
    noOtherTenant(assets.body, 'own assets');
    expect(queue.every((a) => a.organisationId === u.org.id), `asset queue as ${who}`).toBe(true);
    noOtherTenant(JSON.stringify(queue), 'GET /api/v1/assets');
  }
  if (cert) {
    const inWorld = queue.filter((a) => runOrgs.some((o) => o.id === a.organisationId));
    expect(new Set(inWorld.map((a) => a.organisationId))).toEqual(new Set(runOrgs.filter((o) => o.kind !== 'vendor').map((o) => o.id)));
  }
}

describe('tenant isolation on random worlds', () => {
  it('every user sees exactly the documents TLP allows, in list, detail, download and export', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (spec) => {
        const w = await realise(spec);
        expect((await call(t, 'GET', '/api/v1/documents', null)).statusCode).toBe(401);
        for (const u of w.users) await checkDocuments(u, w);
      }),
      // Shrinking rebuilds whole worlds: it stops after the time limit with the smallest counterexample so far.
      { numRuns: 20, interruptAfterTimeLimit: 60_000 },
    );
  }, 90_000);

  it('organisations, contacts and assets never show a participant or partner another tenant', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (spec) => {
        const w = await realise({ ...spec, docs: [] });
        for (const u of w.users) await checkTenantData(u, w);
      }),
      { numRuns: 15, interruptAfterTimeLimit: 60_000 },
    );
  }, 90_000);

  it('the audience of a marked object (mail, inbox, webhooks: audienceSql) is exactly the users the TLP rule allows', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (spec) => {
        const w = await realise(spec);
        const inWorld = new Set(w.users.map((u) => u.id));
        for (const d of w.docs) {
          const audience = await usersFor(t.system.db, { tlp: d.tlp, ownerOrganisationId: d.owner, recipients: d.recipients });
          const got = audience.map((a) => a.id).filter((id) => inWorld.has(id)).sort();
          const expected = w.users.filter((u) => oracle(u, d, w)).map((u) => u.id).sort();
          expect(got, `audience of a ${d.tlp} object ${JSON.stringify(d.recipients)}`).toEqual(expected);
        }
      }),
      { numRuns: 25, interruptAfterTimeLimit: 45_000 },
    );
  }, 90_000);
});
