import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';

const publicKey = readFileSync(new URL('../fixtures/contact-public-key.asc', import.meta.url), 'utf8');
const expiredKey = readFileSync(new URL('../fixtures/expired-public-key.asc', import.meta.url), 'utf8');

let t: TestApp;
let analyst: Credentials;
let hospitalAdmin: Credentials;
let hospitalId: string;
let otherHospitalId: string;

beforeAll(async () => {
  t = await createTestApp();
  const cert = await makeOrganisation(t, 'cert');
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  hospitalId = (await makeOrganisation(t, 'participant', 'Ziekenhuis Test')).id;
  otherHospitalId = (await makeOrganisation(t, 'participant', 'Ander Ziekenhuis')).id;
  hospitalAdmin = await login(t, await makeUser(t, hospitalId, 'participant-admin'));
});
afterAll(async () => t?.close());

describe('organisations', () => {
  it('registers a participant with a segment and refuses one without', async () => {
    const ok = await call(t, 'POST', '/api/v1/organisations', analyst, {
      kind: 'participant',
      name: 'GGZ Test',
      segment: 'mental_health',
      memberSince: '2026-01-01',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'participant', segment: 'mental_health', memberSince: '2026-01-01', membershipStatus: 'active' });
    const bad = await call(t, 'POST', '/api/v1/organisations', analyst, { kind: 'participant', name: 'Zonder segment' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed' });
    expect(bad.json().error.message).toMatch(/segment/);
    const dup = await call(t, 'POST', '/api/v1/organisations', analyst, { kind: 'vendor', name: 'ggz test' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('organisation_name_taken');
  });

  it('lets a partner act for named participant clients only', async () => {
    const res = await call(t, 'POST', '/api/v1/organisations', analyst, { kind: 'partner', name: 'MSSP Test', clientOrganisationIds: [hospitalId] });
    expect(res.statusCode).toBe(201);
    expect(res.json().clientOrganisationIds).toEqual([hospitalId]);
    const wrong = await call(t, 'POST', '/api/v1/organisations', analyst, { kind: 'vendor', name: 'Vendor Test', clientOrganisationIds: [hospitalId] });
    expect(wrong.json().error.code).toBe('clients_only_for_partners');
  });

  it('shows a participant only its own organisation, in lists and by id', async () => {
    const list = await call(t, 'GET', '/api/v1/organisations?limit=200', hospitalAdmin);
    expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([hospitalId]);
    expect((await call(t, 'GET', `/api/v1/organisations/${otherHospitalId}`, hospitalAdmin)).statusCode).toBe(404);
  });

  it('paginates with a keyset cursor and refuses a forged cursor', async () => {
    const first = await call(t, 'GET', '/api/v1/organisations?limit=2', analyst);
    const body = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(body.items).toHaveLength(2);
    const second = await call(t, 'GET', `/api/v1/organisations?limit=2&cursor=${body.nextCursor}`, analyst);
    const ids = second.json<{ items: { id: string }[] }>().items.map((o) => o.id);
    expect(ids.some((id) => body.items.some((o) => o.id === id))).toBe(false);
    const forged = await call(t, 'GET', '/api/v1/organisations?cursor=bm9wZQ', analyst);
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('invalid_cursor');
  });
});

describe('contacts', () => {
  it('stores a contact with a validated OpenPGP key and shows its fingerprint and expiry', async () => {
    const res = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, {
      name: 'Security officer',
      email: 'security@ziekenhuis-test.example',
      kind: 'function',
      roles: ['ciso', 'on_call'],
      languages: ['nl', 'en'],
      phone: '+31 30 123 4567',
      subscriptions: ['advisories', 'operational_alerts', 'zdn'],
      pgpPublicKey: publicKey,
    });
    expect(res.statusCode).toBe(201);
    const contact = res.json();
    expect(contact.pgp.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(contact.pgp.userIds[0]).toContain('security@ziekenhuis-noord.example');
    expect(contact.pgp.expired).toBe(false);
    expect(contact.subscriptions).toEqual(['advisories', 'operational_alerts', 'zdn']);
  });

  it('refuses a key that is not a key, an expired key, and a private key, each with its reason', async () => {
    const base = { name: 'K', email: `k${Date.now()}@ziekenhuis-test.example` };
    const garbage = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, { ...base, pgpPublicKey: 'hello' });
    expect(garbage.json().error.code).toBe('pgp_key_invalid');
    const expired = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, { ...base, pgpPublicKey: expiredKey });
    expect(expired.json().error.code).toBe('pgp_key_expired');
    const priv = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, {
      ...base,
      pgpPublicKey: '-----BEGIN PGP PRIVATE KEY BLOCK-----\nxx',
    });
    expect(priv.json().error.code).toBe('pgp_private_key');
  });

  it('refuses an invalid e-mail and an unknown subscription with the field named', async () => {
    const res = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, {
      name: 'X',
      email: 'not-an-address',
      subscriptions: ['spam'],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['email']));
  });

  it('changes only what a patch names: languages and subscriptions stay as they were', async () => {
    const made = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/contacts`, hospitalAdmin, {
      name: 'SOC',
      email: 'soc-patch@ziekenhuis.example',
      languages: ['en'],
      subscriptions: ['advisories', 'operational_alerts'],
      onlyRelevant: true,
    });
    expect(made.statusCode, made.body).toBe(201);
    const patched = await call(t, 'PATCH', `/api/v1/contacts/${made.json().id}`, hospitalAdmin, { phone: '+31 30 123 4567' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      phone: '+31 30 123 4567',
      languages: ['en'],
      subscriptions: ['advisories', 'operational_alerts'],
      onlyRelevant: true,
      kind: 'person',
    });
  });

  it('does not let a participant admin touch another organisation’s contacts', async () => {
    const other = await call(t, 'POST', `/api/v1/organisations/${otherHospitalId}/contacts`, analyst, { name: 'Other', email: 'sec@ander.example' });
    expect(other.statusCode).toBe(201);
    expect((await call(t, 'GET', `/api/v1/organisations/${otherHospitalId}/contacts`, hospitalAdmin)).statusCode).toBe(404);
    expect((await call(t, 'PATCH', `/api/v1/contacts/${other.json().id}`, hospitalAdmin, { name: 'Hijacked' })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/v1/contacts/${other.json().id}`, hospitalAdmin)).statusCode).toBe(404);
  });
});

describe('assets', () => {
  it('normalises a proposed range, queues it for approval, and the analyst approves it', async () => {
    const res = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin, { type: 'ip_range', value: '192.0.2.77/25' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ value: '192.0.2.0/25', status: 'proposed' });
    const queue = await call(t, 'GET', '/api/v1/assets?status=proposed', analyst);
    expect(queue.json().items.map((a: { id: string }) => a.id)).toContain(res.json().id);
    const approved = await call(t, 'POST', `/api/v1/assets/${res.json().id}/approve`, analyst);
    expect(approved.json().status).toBe('approved');
    const twice = await call(t, 'POST', `/api/v1/assets/${res.json().id}/approve`, analyst);
    expect(twice.json().error.code).toBe('asset_already_decided');
    // A participant cannot approve its own claims.
    const own = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin, { type: 'asn', value: 'as 64510' });
    expect(own.json().value).toBe('AS64510');
    expect((await call(t, 'POST', `/api/v1/assets/${own.json().id}/approve`, hospitalAdmin)).statusCode).toBe(403);
  });

  it('flags an overlapping claim by another organisation, naming it only to the CERT', async () => {
    await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, analyst, {
      type: 'domain',
      value: 'Ziekenhuis-Test.example.',
      includeSubdomains: true,
    });
    const claim = await call(t, 'POST', `/api/v1/organisations/${otherHospitalId}/assets`, analyst, {
      type: 'domain',
      value: 'portal.ziekenhuis-test.example',
    });
    expect(claim.json().overlaps).toEqual([expect.objectContaining({ organisationName: 'Ziekenhuis Test', value: 'ziekenhuis-test.example' })]);
    const v6a = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin, { type: 'ip_range', value: '2001:DB8:0:0:0:0:0:0/48' });
    expect(v6a.json().value).toBe('2001:db8::/48');
    const v6b = await call(t, 'POST', `/api/v1/organisations/${otherHospitalId}/assets`, analyst, { type: 'ip_range', value: '2001:db8:0:1::/64' });
    expect(v6b.json().overlaps[0].organisationName).toBe('Ziekenhuis Test');
    const mine = await call(t, 'GET', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin);
    const flagged = mine.json().items.find((a: { value: string }) => a.value === '2001:db8::/48');
    expect(flagged.overlaps).toHaveLength(1);
    expect(flagged.overlaps[0].organisationName).toBe('');
  });

  it('refuses invalid assets with the reason', async () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'ip_range', value: '300.1.1.1' }, /not an IPv4 or IPv6/],
      [{ type: 'ip_range', value: '0.0.0.0/0' }, /wider than/],
      [{ type: 'domain', value: 'nl' }, /not a valid domain|public suffix/],
      [{ type: 'domain', value: 'co.uk' }, /public suffix/],
      [{ type: 'asn', value: 'AS-X' }, /not an AS number/],
      [{ type: 'product', product: { vendor: 'V', product: 'P', cpe: 'cpe:/a:bad' } }, /CPE 2\.3/],
    ];
    for (const [body, reason] of cases) {
      const res = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toMatch(reason);
    }
  });

  it('imports from CSV: the dry run reports every refused row with its reason and writes nothing', async () => {
    const csv = [
      'type,value,include_subdomains,vendor,product,version,cpe,purl,medical_device,model',
      'ip_range,198.51.100.0/28,,,,,,,,',
      'domain,mail.ziekenhuis-import.example,yes,,,,,,,',
      'ip_range,not-an-ip,,,,,,,,',
      'product,,,MedTech,InfuCare,4.2,,,ja,IC-400',
      'toaster,x,,,,,,,,',
      'ip_range,198.51.100.0/28,,,,,,,,',
    ].join('\n');
    const before = (await call(t, 'GET', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin)).json().items.length;
    const dry = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets/import?dryRun=true`, hospitalAdmin, { csv });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, accepted: 3 });
    expect(dry.json().rejected.map((r: { line: number }) => r.line)).toEqual([4, 6, 7]);
    expect(dry.json().rejected[1].reason).toMatch(/Unknown type/);
    expect((await call(t, 'GET', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin)).json().items.length).toBe(before);
    const real = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets/import?dryRun=false`, hospitalAdmin, { csv });
    expect(real.json().accepted).toBe(3);
    const after = (await call(t, 'GET', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin)).json().items;
    expect(after.length).toBe(before + 3);
    const device = after.find((a: { type: string }) => a.type === 'product');
    expect(device.product).toMatchObject({ vendor: 'MedTech', medicalDevice: true, model: 'IC-400' });
    const badHeader = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets/import`, hospitalAdmin, { csv: 'foo,bar\n1,2' });
    expect(badHeader.json().error.code).toBe('csv_header_missing');
  });
});

describe('what a participant learns of overlapping claims', () => {
  it('only that there is one: not the other organisation, nor its exact range', async () => {
    const mine = await call(t, 'POST', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin, { type: 'ip_range', value: '198.51.100.0/24' });
    await call(t, 'POST', `/api/v1/organisations/${otherHospitalId}/assets`, analyst, { type: 'ip_range', value: '198.51.100.200/29' });
    const list = await call(t, 'GET', `/api/v1/organisations/${hospitalId}/assets`, hospitalAdmin);
    const asset = list.json().items.find((a: { id: string }) => a.id === mine.json().id);
    expect(asset.overlaps.length).toBeGreaterThan(0);
    for (const o of asset.overlaps) expect(o).toEqual({ organisationId: '', organisationName: '', assetId: '', value: '' });
    expect(JSON.stringify(list.json())).not.toContain('198.51.100.200');
  });
});
