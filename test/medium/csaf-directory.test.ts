import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';
import { testdataDir, testdataPath } from '../helpers/testdata.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { validateCsaf } from '../../src/modules/advisories/csaf/csaf-validate.ts';

/**
 * Our CSAF trusted-provider directory, read the way a CSAF downloader reads it: provider metadata
 * (valid against the OASIS provider schema), security.txt, ROLIE feed, index.txt and changes.csv,
 * then each document with its hashes and its signature, checked by GnuPG.
 */

const PUBLIC_URL = 'https://cert.example';
let t: TestApp;
let team: CertTeam;
let published: { id: string; identifier: string | null };

const readSchema = (name: string) => JSON.parse(readFileSync(testdataPath('csaf-2.0/json_schema', name), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL });
  await ensureSigningKey(t.system);
  team = await makeCertTeam(t);
  published = await productInState(t, team, 'published', { tlp: 'CLEAR' });
});
afterAll(async () => t.close());

const path = (url: string) => url.replace(PUBLIC_URL, '');

describe('the CSAF provider directory', () => {
  it.skipIf(testdataDir() === null)('provider-metadata.json is valid against the OASIS provider schema and points at our feeds and key', async () => {
    const res = await call(t, 'GET', '/.well-known/csaf/provider-metadata.json', null);
    expect(res.statusCode).toBe(200);
    const meta = res.json<{ canonical_url: string; role: string; distributions: { rolie: { feeds: { url: string; tlp_label: string }[] } }[]; public_openpgp_keys: { fingerprint: string; url: string }[] }>();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // The CSAF schema refers to FIRST's CVSS schemas; the corpus carries them, so nothing is fetched.
    // They are draft-04 schemas with plain keywords: without their $schema line the 2020 validator reads them.
    for (const name of ['cvss-v2.0.json', 'cvss-v3.0.json', 'cvss-v3.1.json']) {
      const { $schema: _draft, id: _id, ...cvss } = readSchema(`../referenced_schema/first/${name}`);
      ajv.addSchema(cvss, `https://www.first.org/cvss/${name}`);
    }
    ajv.addSchema(readSchema('csaf_json_schema.json'));
    const valid = ajv.validate(readSchema('provider_json_schema.json'), meta);
    expect(ajv.errors ?? [], 'provider-metadata.json against provider_json_schema.json').toEqual([]);
    expect(valid).toBe(true);
    expect(meta.canonical_url).toBe(`${PUBLIC_URL}/.well-known/csaf/provider-metadata.json`);
    expect(meta.role).toBe('csaf_trusted_provider');
    expect(meta.distributions.flatMap((d) => d.rolie.feeds.map((f) => f.tlp_label)).sort()).toEqual(['AMBER', 'GREEN', 'RED', 'WHITE']);
    expect(meta.public_openpgp_keys).toHaveLength(1);
    const key = await call(t, 'GET', path(meta.public_openpgp_keys[0]!.url), null);
    expect(key.body).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('security.txt names the provider metadata on a CSAF: line', async () => {
    const res = await call(t, 'GET', '/.well-known/security.txt', null);
    expect(res.body).toMatch(new RegExp(`^CSAF: ${PUBLIC_URL}/.well-known/csaf/provider-metadata.json$`, 'm'));
    expect(res.body).toMatch(/^Contact: /m);
    expect(res.body).toMatch(/^Expires: \d{4}-\d{2}-\d{2}T/m);
  });

  it('feed, index and changes lead to a document whose hashes match and whose signature GnuPG accepts', async () => {
    const feed = (await call(t, 'GET', '/.well-known/csaf/white/feed-tlp-white.json', null)).json<{
      feed: { category: { term: string }[]; entry: { id: string; link: { rel: string; href: string }[]; content: { src: string }; format: { version: string } }[] };
    }>().feed;
    expect(feed.category[0]!.term).toBe('csaf');
    const entry = feed.entry.find((e) => e.id === published.identifier);
    expect(entry).toBeDefined();
    expect(entry!.format.version).toBe('2.0');
    const self = entry!.link.find((l) => l.rel === 'self')!.href;
    // §5.1 file name and §7.1.11 year folder, from the tracking id.
    const year = new Date().getUTCFullYear();
    expect(self).toBe(`${PUBLIC_URL}/.well-known/csaf/white/${year}/${published.identifier!.toLowerCase()}.json`);
    const relative = self.split('/white/')[1]!;
    expect((await call(t, 'GET', '/.well-known/csaf/white/index.txt', null)).body.split('\n')).toContain(relative);
    const changes = (await call(t, 'GET', '/.well-known/csaf/white/changes.csv', null)).body.split('\n')[0]!;
    expect(changes).toMatch(new RegExp(`^"${relative}","\\d{4}-\\d{2}-\\d{2}T[^"]+Z"$`));

    const doc = await call(t, 'GET', path(self), null);
    expect(doc.headers['content-type']).toMatch(/application\/json/);
    const bytes = doc.rawPayload;
    const sha256 = (await call(t, 'GET', `${path(self)}.sha256`, null)).body;
    const sha512 = (await call(t, 'GET', `${path(self)}.sha512`, null)).body;
    expect(sha256.split(/\s+/)[0]).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(sha512.split(/\s+/)[0]).toBe(createHash('sha512').update(bytes).digest('hex'));
    const validation = await validateCsaf(JSON.parse(bytes.toString('utf8')));
    expect(validation.failures).toEqual([]);

    if (!gpgAvailable()) {
      console.warn('Skipping the GnuPG check: gpg is not installed (apt-get install -y gnupg).');
      return;
    }
    const signature = (await call(t, 'GET', `${path(self)}.asc`, null)).body;
    const meta = (await call(t, 'GET', '/.well-known/csaf/provider-metadata.json', null)).json<{ public_openpgp_keys: { url: string }[] }>();
    const key = (await call(t, 'GET', path(meta.public_openpgp_keys[0]!.url), null)).body;
    const verified = await gpgVerify(key, bytes, signature);
    expect(verified.ok, verified.output).toBe(true);
    const tampered = await gpgVerify(key, Buffer.concat([bytes, Buffer.from(' ')]), signature);
    expect(tampered.ok).toBe(false);
  });

  it('a document name outside the directory rules is a 400, an unknown one a 404', async () => {
    expect((await call(t, 'GET', '/.well-known/csaf/white/2026/../../etc.json', null)).statusCode).toBeGreaterThanOrEqual(400);
    expect((await call(t, 'GET', '/.well-known/csaf/purple/index.txt', null)).statusCode).toBe(400);
    expect((await call(t, 'GET', '/.well-known/csaf/white/2026/Upper.json', null)).statusCode).toBe(400);
    expect((await call(t, 'GET', '/.well-known/csaf/white/2026/wp-1999-0001.json', null)).statusCode).toBe(404);
  });
});
