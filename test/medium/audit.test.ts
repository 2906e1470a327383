import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { verifyChain } from '../../src/modules/audit/audit.service.ts';

let t: TestApp;
let admin: Credentials;
let hospital: Credentials;
let hospitalId: string;

beforeAll(async () => {
  t = await createTestApp();
  const cert = await makeOrganisation(t, 'cert');
  admin = await login(t, await makeUser(t, cert.id, 'cert-admin'));
  hospitalId = (await makeOrganisation(t, 'participant')).id;
  hospital = await login(t, await makeUser(t, hospitalId, 'participant-admin'));
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('records who did what, from where, with the request id', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${hospitalId}/contacts`,
      headers: { cookie: hospital.cookie!, 'x-csrf-token': hospital.csrf!, 'content-type': 'application/json', 'user-agent': 'audit-test/1.0' },
      payload: JSON.stringify({ name: 'Audited', email: 'audited@test.example' }),
    });
    expect(res.statusCode).toBe(201);
    const list = await call(t, 'GET', `/api/v1/audit?action=contact.create&targetId=${res.json().id}`, admin);
    const [entry] = list.json().items;
    expect(entry).toMatchObject({ action: 'contact.create', outcome: 'success', actorOrganisationId: hospitalId, userAgent: 'audit-test/1.0', ip: '127.0.0.1' });
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records refused attempts as denied', async () => {
    const res = await call(t, 'GET', '/api/v1/audit', hospital);
    expect(res.statusCode).toBe(403);
    const denied = await call(t, 'GET', '/api/v1/audit?limit=5', admin);
    expect(denied.json().items.some((e: { outcome: string; action: string }) => e.outcome === 'denied' && e.action === 'GET /api/v1/audit')).toBe(true);
  });

  it('records reads of TLP:AMBER and above, not of CLEAR', async () => {
    const make = async (tlp: string) =>
      (
        await call(t, 'POST', '/api/v1/documents', admin, {
          title: `doc ${tlp}`,
          tlp,
          recipients: tlp === 'CLEAR' ? [] : [{ organisationId: hospitalId }],
          fileName: 'a.txt',
          mediaType: 'text/plain',
          contentBase64: Buffer.from('hello').toString('base64'),
        })
      ).json<{ id: string }>().id;
    const amber = await make('AMBER');
    const clear = await make('CLEAR');
    expect((await call(t, 'GET', `/api/v1/documents/${amber}`, hospital)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/documents/${clear}`, hospital)).statusCode).toBe(200);
    const reads = (await call(t, 'GET', '/api/v1/audit?action=document.read&limit=50', admin)).json().items.map((e: { targetId: string }) => e.targetId);
    expect(reads).toContain(amber);
    expect(reads).not.toContain(clear);
  });

  it('exports CSV and JSON with the same entries, neutralising spreadsheet formulas', async () => {
    await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospital, { name: '=HYPERLINK("x")', email: 'formula@test.example' });
    const csv = await call(t, 'GET', '/api/v1/audit/export?format=csv&action=contact.create', admin);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="wachtpost-audit-/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,at,actor_email/);
    const json = await call(t, 'GET', '/api/v1/audit/export?format=json&action=contact.create', admin);
    expect(JSON.parse(json.body)).toHaveLength(lines.length - 1);
    expect((await call(t, 'GET', '/api/v1/audit/export?format=xml', admin)).statusCode).toBe(400);
  });

  it('verifies the chain, and detects a changed entry, a removed entry and a removed tail', async () => {
    const ok = await call(t, 'GET', '/api/v1/audit/verify', admin);
    expect(ok.json()).toMatchObject({ ok: true, firstBadSeq: null });
    expect(ok.json().checked).toBeGreaterThan(5);
    const db = t.system.db;
    const rows = await db.selectFrom('audit_log').select(['seq', 'action']).orderBy('seq').execute();
    const victim = rows[3]!;

    await sql`UPDATE audit_log SET action = 'nothing.happened' WHERE seq = ${victim.seq}`.execute(db);
    const changed = await verifyChain(t.system);
    expect(changed).toMatchObject({ ok: false, firstBadSeq: victim.seq });
    expect(changed.problem).toMatch(/changed/);
    await sql`UPDATE audit_log SET action = ${victim.action} WHERE seq = ${victim.seq}`.execute(db);
    expect((await verifyChain(t.system)).ok).toBe(true);

    await sql`DELETE FROM audit_log WHERE seq = ${victim.seq}`.execute(db);
    const removed = await verifyChain(t.system);
    expect(removed.ok).toBe(false);
    expect(removed.problem).toMatch(/removed/);
  });

  it('detects removal of the newest entries', async () => {
    const fresh = await createTestApp();
    try {
      const cert = await makeOrganisation(fresh, 'cert');
      const a = await login(fresh, await makeUser(fresh, cert.id, 'cert-admin'));
      await call(fresh, 'POST', '/api/v1/organisations', a, { kind: 'vendor', name: 'Tail test' });
      expect((await verifyChain(fresh.system)).ok).toBe(true);
      const last = await fresh.system.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await sql`DELETE FROM audit_log WHERE seq = ${last.seq}`.execute(fresh.system.db);
      const r = await verifyChain(fresh.system);
      expect(r.ok).toBe(false);
      expect(r.problem).toMatch(/at the end were removed/);
    } finally {
      await fresh.close();
    }
  });
});
