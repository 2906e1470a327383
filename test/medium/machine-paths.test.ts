import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/*
 * The web app's page answers every unknown GET path (its own client-side routes), but the machine
 * interfaces (API, TAXII, MISP feed) answer unknown paths with an error a program can read, and
 * TAXII speaks its protocol at the edges: 406 for a version it does not speak, 401 with a challenge.
 */
let t: TestApp;
let webDir: string;

beforeAll(async () => {
  webDir = await mkdtemp(path.join(os.tmpdir(), 'wachtpost-web-'));
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>Wachtpost</title>');
  t = await createTestApp({}, { webDir });
});
afterAll(async () => {
  await t?.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('paths of the web app and of the machine interfaces', () => {
  it('serves the web page for client-side routes only', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/zdn/indicators' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const url of ['/taxii2', '/taxii2/other/', '/taxii2/zdn/collections', '/feeds/misp', '/feeds/misp/nothing/here', '/api/v1/nothing']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/json/);
      expect(JSON.stringify(res.json()), url).toContain('route_not_found');
    }
    expect(JSON.stringify((await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections' })).json())).toContain('TAXII paths end in a slash: /taxii2/zdn/collections/');
  });

  it('TAXII: 406 for a client that speaks only another version, 401 with a challenge naming Basic and Bearer', async () => {
    const accept = async (value: string) => (await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: value } })).statusCode;
    expect(await accept('application/taxii+json;version=2.0')).toBe(406);
    expect(await accept('application/taxii+json; version=2.0, text/html')).toBe(406);
    expect(await accept('application/taxii+json;version=2.1')).toBe(200);
    expect(await accept('application/taxii+json; version=2.1')).toBe(200);
    expect(await accept('application/taxii+json')).toBe(200);
    expect(await accept('application/taxii+json;version=2.0, */*;q=0.1')).toBe(200);
    const unauthenticated = await t.app.inject({
      method: 'POST',
      url: '/taxii2/zdn/collections/zdn-participants/objects/',
      headers: { accept: 'application/taxii+json;version=2.1', 'content-type': 'application/taxii+json;version=2.1' },
      payload: '{"objects":[]}',
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['www-authenticate']).toMatch(/Basic realm=.*Bearer/);
    // Nothing found is one envelope, whether the filter could never match or matched nothing.
    for (const query of ['', '?match[spec_version]=2.0', '?match[id]=not-a-stix-id']) {
      const empty = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/public/objects/${query}`, headers: { accept: 'application/taxii+json;version=2.1' } });
      expect(empty.statusCode, query).toBe(200);
      expect(empty.json(), query).toEqual({ more: false });
    }
  });
});
