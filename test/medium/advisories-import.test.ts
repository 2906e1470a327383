import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login } from '../helpers/factories.ts';
import { makeCertTeam, sampleContent } from '../helpers/products.ts';
import { toCsaf } from '../../src/modules/advisories/csaf/csaf-export.ts';

/**
 * CSAF import through the API: pasted JSON, a document from an allow-listed provider (a server on
 * loopback stands in for the provider), and the refusals: an invalid document names its failed
 * tests; a host that is not allowed, and a redirect, are refused before anything is stored.
 */

let t: TestApp;
let analyst: Credentials;
let provider: Server;
let providerUrl = '';

function document(trackingId: string) {
  const now = new Date().toISOString();
  return toCsaf(
    sampleContent(),
    { kind: 'advisory', identifier: trackingId, tlp: 'AMBER+STRICT', revisions: [{ number: 1, date: now, summary: 'Initial.' }], initialReleaseDate: now, currentReleaseDate: now, status: 'final', selfUrl: `https://vendor.example/${trackingId}` },
    { name: 'Example Vendor PSIRT', namespace: 'https://vendor.example', contactDetails: 'psirt@vendor.example' },
  );
}

beforeAll(async () => {
  provider = createServer((req, res) => {
    if (req.url === '/csaf/ext-2026-0002.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(document('EXT-2026-0002')));
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: 'http://198.51.100.7/csaf/x.json' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  t = await createTestApp({ CSAF_IMPORT_ALLOWED_HOSTS: '127.0.0.1' });
  analyst = await login(t, (await makeCertTeam(t)).author);
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => provider.close(resolve));
});

describe('CSAF import', () => {
  it('pasted JSON becomes a draft that keeps vulnerabilities, products, scores, marking and source', async () => {
    const res = await call(t, 'POST', '/api/v1/advisories/import', analyst, { document: JSON.stringify(document('EXT-2026-0001')) });
    expect(res.statusCode).toBe(201);
    const detail = (await call(t, 'GET', `/api/v1/advisories/${res.json<{ id: string }>().id}`, analyst)).json<{
      status: string;
      importSource: { trackingId: string; publisher: string };
      draft: { tlp: string; content: { vulnerabilities: { cve: string; cvssV3: string | null; cvssV4: string | null }[]; products: { id: string }[] } };
    }>();
    expect(detail.status).toBe('draft');
    expect(detail.importSource).toMatchObject({ trackingId: 'EXT-2026-0001', publisher: 'Example Vendor PSIRT' });
    expect(detail.draft.tlp).toBe('AMBER+STRICT');
    const original = sampleContent();
    expect(detail.draft.content.vulnerabilities.map((v) => [v.cve, v.cvssV3 ?? null, v.cvssV4 ?? null])).toEqual(original.vulnerabilities.map((v) => [v.cve, v.cvssV3 ?? null, v.cvssV4 ?? null]));
    expect(detail.draft.content.products.map((p) => p.id)).toEqual(original.products.map((p) => p.id));
  });

  it('an invalid document is refused with the failed tests named, and nothing is stored', async () => {
    const doc = document('EXT-2026-0003') as unknown as { vulnerabilities: { product_status: Record<string, string[]> }[] };
    doc.vulnerabilities[0]!.product_status = { known_affected: ['NO-SUCH-PRODUCT'] };
    const before = await t.system.db.selectFrom('products').select('id').execute();
    const res = await call(t, 'POST', '/api/v1/advisories/import', analyst, { document: doc });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('csaf_invalid');
    expect(res.json<{ error: { details: { failures: { test: string }[] } } }>().error.details.failures.map((f) => f.test)).toContain('6.1.1');
    expect(await t.system.db.selectFrom('products').select('id').execute()).toHaveLength(before.length);
    const junk = await call(t, 'POST', '/api/v1/advisories/import', analyst, { document: '{not json' });
    expect(junk.json().error.code).toBe('import_not_json');
  });

  it('imports from an allow-listed provider by URL and records the URL', async () => {
    const res = await call(t, 'POST', '/api/v1/advisories/import', analyst, { url: `${providerUrl}/csaf/ext-2026-0002.json`, tlp: 'GREEN' });
    expect(res.statusCode).toBe(201);
    const detail = (await call(t, 'GET', `/api/v1/advisories/${res.json<{ id: string }>().id}`, analyst)).json<{ importSource: { url: string; trackingId: string }; draft: { tlp: string } }>();
    expect(detail.importSource).toMatchObject({ url: `${providerUrl}/csaf/ext-2026-0002.json`, trackingId: 'EXT-2026-0002' });
    expect(detail.draft.tlp).toBe('GREEN');
  });

  it('refuses hosts that are not allowed, redirects, and missing documents', async () => {
    const other = await call(t, 'POST', '/api/v1/advisories/import', analyst, { url: 'https://csaf.vendor.example/x.json' });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.code).toBe('import_host_not_allowed');
    const moved = await call(t, 'POST', '/api/v1/advisories/import', analyst, { url: `${providerUrl}/moved` });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.code).toBe('import_fetch_failed');
    const missing = await call(t, 'POST', '/api/v1/advisories/import', analyst, { url: `${providerUrl}/nothing.json` });
    expect(missing.json().error.code).toBe('import_fetch_failed');
    const both = await call(t, 'POST', '/api/v1/advisories/import', analyst, { url: `${providerUrl}/x.json`, document: {} });
    expect(both.statusCode).toBe(400);
  });
});
