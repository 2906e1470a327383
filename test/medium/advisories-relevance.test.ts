import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';

let t: TestApp;
let team: CertTeam;

beforeAll(async () => {
  t = await createTestApp();
  await ensureSigningKey(t.system);
  team = await makeCertTeam(t);
});
afterAll(async () => t.close());

async function declare(orgId: string, product: Record<string, unknown>) {
  const cert = await login(t, team.reviewers[1]);
  const res = await call(t, 'POST', `/api/v1/organisations/${orgId}/assets`, cert, { type: 'product', product });
  expect(res.statusCode).toBe(201);
}

describe('relevant to you', () => {
  it('flags a product for the participant that declared it (in range), not for others, and filters on it', async () => {
    const inRange = await makeOrganisation(t, 'participant');
    const newer = await makeOrganisation(t, 'participant');
    const other = await makeOrganisation(t, 'participant');
    await declare(inRange.id, { vendor: 'MedTech Devices B.V.', product: 'InfuCare Pump', version: '4.2', medicalDevice: true, model: 'IC-400' });
    await declare(newer.id, { vendor: 'MedTech Devices', product: 'InfuCare pump', version: '4.4' });
    await declare(other.id, { vendor: 'Example Imaging', product: 'PACS Server', version: '7.1' });
    const { id } = await productInState(t, team, 'published'); // InfuCare pump <4.3.1, affected

    const expectations: [string, boolean][] = [
      [inRange.id, true],
      [newer.id, false],
      [other.id, false],
    ];
    for (const [orgId, relevant] of expectations) {
      const creds = await login(t, await makeUser(t, orgId, 'participant-member'));
      expect((await call(t, 'GET', `/api/v1/advisories/${id}`, creds)).json().relevant).toBe(relevant);
      const all = await call(t, 'GET', '/api/v1/advisories?limit=200', creds);
      expect(all.json<{ items: { id: string; relevant: boolean }[] }>().items.find((i) => i.id === id)?.relevant).toBe(relevant);
      const filtered = await call(t, 'GET', '/api/v1/advisories?relevant=true&limit=200', creds);
      expect(filtered.json<{ items: { id: string }[] }>().items.some((i) => i.id === id)).toBe(relevant);
    }
  });

  it('a product declared after publication becomes relevant when the CERT approves it', async () => {
    const { id } = await productInState(t, team, 'published');
    const org = await makeOrganisation(t, 'participant');
    const admin = await makeUser(t, org.id, 'participant-admin');
    const creds = await login(t, admin);
    const proposed = await call(t, 'POST', `/api/v1/organisations/${org.id}/assets`, creds, { type: 'product', product: { vendor: 'MedTech Devices', product: 'InfuCare pump' } });
    expect(proposed.json().status).toBe('proposed');
    expect((await call(t, 'GET', `/api/v1/advisories/${id}`, creds)).json().relevant).toBe(false);
    const cert = await login(t, team.reviewers[1]);
    expect((await call(t, 'POST', `/api/v1/assets/${proposed.json<{ id: string }>().id}/approve`, cert)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/advisories/${id}`, creds)).json().relevant).toBe(true);
  });
});
