import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { actorCtx, makeCertTeam, productInState, sampleContent, type CertTeam } from '../helpers/products.ts';
import * as publication from '../../src/modules/advisories/publication.service.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';

let t: TestApp;
let team: CertTeam;
let author: Credentials;
let reviewer: Credentials;
let admin: Credentials;
let participant: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  author = await login(t, team.author);
  reviewer = await login(t, team.reviewers[0]);
  admin = await login(t, team.reviewers[1]);
  participant = await makeUser(t, (await makeOrganisation(t, 'participant')).id, 'participant-admin');
});
afterAll(async () => t.close());

const content = () => JSON.parse(JSON.stringify(sampleContent())) as Record<string, unknown>;

describe('drafting', () => {
  it('every save is a version; a save from a stale version is a conflict that names who saved', async () => {
    const created = await call(t, 'POST', '/api/v1/advisories', author, { kind: 'advisory', tlp: 'GREEN', content: content() });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const first = await call(t, 'PUT', `/api/v1/advisories/${id}/draft`, author, { baseVersion: 1, tlp: 'GREEN', content: content() });
    expect(first.json()).toEqual({ version: 2 });
    // A second analyst still has version 1 open and saves: warned, not overwritten.
    const stale = await call(t, 'PUT', `/api/v1/advisories/${id}/draft`, reviewer, { baseVersion: 1, tlp: 'AMBER', content: content() });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('draft_conflict');
    expect(stale.json().error.details.currentVersion).toBe(2);
    expect(stale.json().error.details.savedBy).toBe(team.author.email);
    const versions = await call(t, 'GET', `/api/v1/advisories/${id}/versions`, author);
    expect(versions.json<{ version: number }[]>().map((v) => v.version)).toEqual([2, 1]);
    const detail = await call(t, 'GET', `/api/v1/advisories/${id}`, author);
    expect(detail.json().draft.tlp).toBe('GREEN');
  });

  it('an invalid CVSS vector is a field error that names the metric', async () => {
    const c = content();
    (c.vulnerabilities as { cvssV3?: string }[])[0]!.cvssV3 = 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    const res = await call(t, 'POST', '/api/v1/advisories', author, { kind: 'advisory', tlp: 'GREEN', content: c });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details.issues[0].field).toBe('content.vulnerabilities.0.cvssV3');
    expect(res.json().error.message).toMatch(/AV/);
  });

  it('refuses TLP:RED without recipients and vulnerabilities in an info message', async () => {
    const red = await call(t, 'POST', '/api/v1/advisories', author, { kind: 'advisory', tlp: 'RED', content: content() });
    expect(red.statusCode).toBe(400);
    expect(red.json().error.details.issues[0].field).toBe('recipients');
    const info = await call(t, 'POST', '/api/v1/advisories', author, { kind: 'info', tlp: 'GREEN', content: content() });
    expect(info.statusCode).toBe(400);
    expect(info.json().error.code).toBe('vulnerabilities_not_allowed');
  });

  it('participants cannot create drafts nor learn that one exists', async () => {
    const p = await login(t, participant);
    expect((await call(t, 'POST', '/api/v1/advisories', p, { kind: 'advisory', tlp: 'GREEN', content: content() })).statusCode).toBe(403);
    const draft = await productInState(t, team, 'draft');
    expect((await call(t, 'GET', `/api/v1/advisories/${draft.id}`, p)).statusCode).toBe(404);
    const list = await call(t, 'GET', '/api/v1/advisories?limit=200', p);
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(draft.id);
  });
});

describe('four eyes', () => {
  it('the author cannot approve; another analyst can; then it publishes with an identifier', async () => {
    const { id } = await productInState(t, team, 'in_review');
    const own = await call(t, 'POST', `/api/v1/advisories/${id}/approve`, author);
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toMatch(/Four eyes/);
    const ok = await call(t, 'POST', `/api/v1/advisories/${id}/approve`, reviewer);
    expect(ok.json()).toMatchObject({ status: 'approved', approvals: 1, required: 1 });
    const pub = await call(t, 'POST', `/api/v1/advisories/${id}/publish`, author);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().identifier).toMatch(new RegExp(`^WP-${new Date().getUTCFullYear()}-\\d{4}$`));
    expect(pub.json().revision).toBe(1);
  });

  it('an analyst who edited the draft cannot approve it either', async () => {
    const { id } = await productInState(t, team, 'draft');
    await call(t, 'PUT', `/api/v1/advisories/${id}/draft`, reviewer, { baseVersion: 1, tlp: 'GREEN', content: content() });
    await call(t, 'POST', `/api/v1/advisories/${id}/submit`, author, {});
    expect((await call(t, 'POST', `/api/v1/advisories/${id}/approve`, reviewer)).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/v1/advisories/${id}/approve`, admin)).json().status).toBe('approved');
  });

  it('TLP:RED and operational alerts need two approvers', async () => {
    const org = await makeOrganisation(t, 'participant');
    for (const opts of [{ kind: 'advisory' as const, tlp: 'RED' as const, recipients: [org.id] }, { kind: 'alert' as const, tlp: 'AMBER' as const, recipients: [org.id] }]) {
      const { id } = await productInState(t, team, 'in_review', opts);
      const one = await call(t, 'POST', `/api/v1/advisories/${id}/approve`, reviewer);
      expect(one.json()).toMatchObject({ status: 'in_review', approvals: 1, required: 2 });
      expect((await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer)).json().error.code).toBe('invalid_transition');
      expect((await call(t, 'POST', `/api/v1/advisories/${id}/approve`, admin)).json().status).toBe('approved');
      expect((await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer)).statusCode).toBe(200);
    }
  });

  it('saving after approval voids it', async () => {
    const { id } = await productInState(t, team, 'approved');
    await call(t, 'PUT', `/api/v1/advisories/${id}/draft`, author, { baseVersion: 1, tlp: 'GREEN', content: content() });
    const res = await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer);
    expect(res.statusCode).toBe(409);
  });
});

describe('revisions', () => {
  it('a second publication is revision 2 with a change summary; readers see history and a diff; withdrawal keeps the record', async () => {
    const { id, identifier } = await productInState(t, team, 'published');
    const c = content();
    (c.nl as { advice: string }).advice = 'Installeer firmware 4.3.2. Plaats pompen in een apart segment.';
    expect((await call(t, 'PUT', `/api/v1/advisories/${id}/draft`, author, { baseVersion: 1, tlp: 'GREEN', content: c })).statusCode).toBe(200);
    const noSummary = await call(t, 'POST', `/api/v1/advisories/${id}/submit`, author, {});
    expect(noSummary.json().error.code).toBe('change_summary_required');
    await call(t, 'POST', `/api/v1/advisories/${id}/submit`, author, { changeSummary: 'New firmware version.' });
    await call(t, 'POST', `/api/v1/advisories/${id}/approve`, reviewer);
    const second = await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer);
    expect(second.json()).toMatchObject({ identifier, revision: 2 });

    const p = await login(t, participant);
    const history = await call(t, 'GET', `/api/v1/advisories/${identifier}/revisions`, p);
    expect(history.json<{ revision: number; changeSummary: string }[]>().map((r) => [r.revision, r.changeSummary])).toEqual([
      [1, 'Initial publication.'],
      [2, 'New firmware version.'],
    ]);
    const diff = await call(t, 'GET', `/api/v1/advisories/${identifier}/diff?from=1&to=2`, p);
    expect(diff.statusCode).toBe(200);
    expect(JSON.stringify(diff.json())).toContain('4.3.2');

    const withdrawn = await call(t, 'POST', `/api/v1/advisories/${id}/withdraw`, reviewer, { reason: 'Vendor retracted the advisory.' });
    expect(withdrawn.json().revision).toBe(3);
    const after = await call(t, 'GET', `/api/v1/advisories/${identifier}`, p);
    expect(after.json().withdrawn.reason).toBe('Vendor retracted the advisory.');
    expect(after.json().published.revision).toBe(3);
    const csaf = await call(t, 'GET', `/api/v1/advisories/${identifier}/csaf`, p);
    const doc = JSON.parse(csaf.body) as { document: { tracking: { revision_history: { summary: string }[] } } };
    expect(doc.document.tracking.revision_history).toHaveLength(3);
    expect(doc.document.tracking.revision_history[2]!.summary).toMatch(/Withdrawn/);
  });

  it('identifiers count per kind and year, and concurrent first publications never share one', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => productInState(t, team, 'approved', { kind: 'info', content: sampleContent({ vulnerabilities: [] }) })));
    const ctx = await actorCtx(t, team.reviewers[0].id);
    const published = await Promise.all(ids.map((p) => publication.publish(ctx, p.id)));
    const identifiers = published.map((p) => p.identifier);
    expect(new Set(identifiers).size).toBe(4);
    for (const i of identifiers) expect(i).toMatch(/^WP-INFO-\d{4}-\d{4}$/);
  });
});

describe('publishing is all or nothing', () => {
  it('a publication that cannot be signed leaves no revision, no identifier, no delivery and no outbox row', async () => {
    const { id } = await productInState(t, team, 'approved');
    // Retire every key: signing fails inside the transaction.
    const keys = await t.system.db.selectFrom('signing_keys').select('id').where('status', '=', 'active').execute();
    await t.system.db.updateTable('signing_keys').set({ status: 'retired', retired_at: new Date() }).where('status', '=', 'active').execute();
    try {
      const before = await t.system.db.selectFrom('product_counters').selectAll().execute();
      const res = await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(600);
      const p = await t.system.db.selectFrom('products').select(['identifier', 'current_revision', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(p).toEqual({ identifier: null, current_revision: null, status: 'approved' });
      expect(await t.system.db.selectFrom('product_revisions').select('revision').where('product_id', '=', id).execute()).toEqual([]);
      expect(await t.system.db.selectFrom('outbox').select('id').where('dedupe_key', 'like', `product:${id}:%`).execute()).toEqual([]);
      expect(await t.system.db.selectFrom('deliveries').select('id').where('subject_id', '=', id).execute()).toEqual([]);
      expect(await t.system.db.selectFrom('product_counters').selectAll().execute()).toEqual(before);
    } finally {
      await t.system.db.updateTable('signing_keys').set({ status: 'active', retired_at: null }).where('id', '=', keys[0]!.id).execute();
    }
    expect((await call(t, 'POST', `/api/v1/advisories/${id}/publish`, reviewer)).statusCode).toBe(200);
    // The delivery came with the revision: its audience, and one outbox row per contact in it.
    const delivery = await t.system.db.selectFrom('deliveries').selectAll().where('subject_id', '=', id).where('revision', '=', 1).executeTakeFirstOrThrow();
    const rows = await t.system.db.selectFrom('outbox').select('kind').where('delivery_id', '=', delivery.id).where('kind', '=', 'dispatch').execute();
    expect(rows).toHaveLength(delivery.contacts);
  });
});
