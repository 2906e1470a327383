/**
 * The public, account-less side of CVD: the report form (plain, multipart with files, encrypted in
 * the "browser" with openpgp), its anti-abuse checks, the private-link pages of finder and outside
 * party, attachments as downloads, and the acknowledgements page. Real app, real database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { makeCertTeam, productInState } from '../helpers/products.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { FAILED_LOOKUP_DELAY_MS, newToken } from '../../src/modules/cvd/finder-link.ts';
import { issueTicket } from '../../src/modules/cvd/form-guard.ts';

const HTML = { accept: 'text/html,application/xhtml+xml' };
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const TOKEN_IN_LINK = /\/cvd\/case\/([A-Za-z0-9_-]{43})/;

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wp-cvd-public-'));
  t = await createTestApp({ INCIDENT_EVIDENCE_DIR: dir, CVD_FORM_MIN_SECONDS: '0', CVD_FORM_PER_HOUR: '1000' });
  await ensureSigningKey(t.system);
});
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function ticketOf(app: TestApp = t, query = ''): Promise<string> {
  const res = await app.app.inject({ method: 'GET', url: `/cvd${query}`, headers: HTML });
  const m = /name="ticket" value="([^"]+)"/.exec(res.body);
  if (!m?.[1]) throw new Error(`no ticket in the form: ${res.statusCode}`);
  return m[1];
}

/** A multipart body: `fields`, then the files, then `after` (fields a browser sends after the file input). */
function multipart(
  fields: Record<string, string>,
  files: { field?: string; name: string; type?: string; data: Buffer }[] = [],
  after: Record<string, string> = {},
) {
  const boundary = `----wp${randomBytes(8).toString('hex')}`;
  const field = ([k, v]: [string, string]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const chunks: Buffer[] = Object.entries(fields).map(field);
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'attachments'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(...Object.entries(after).map(field), Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const report = (overrides: Record<string, string> = {}) => ({
  targetKind: 'website',
  target: 'https://portaal.ziekenhuis.example/zoeken',
  title: 'SQL-injectie in het zoekveld',
  description: 'Het zoekveld van het patiëntenportaal geeft databasefouten terug bij een enkel aanhalingsteken.',
  steps: "1. Open /zoeken\n2. Zoek naar '",
  impact: 'Lezen van patiëntgegevens.',
  finderName: 'Fenna Vinder',
  finderEmail: 'fenna@finder.example',
  credit: 'name',
  lang: 'nl',
  homepage: '',
  ...overrides,
});

async function postForm(fields: Record<string, string>, opts: { app?: TestApp; headers?: Record<string, string>; html?: boolean } = {}) {
  const app = opts.app ?? t;
  const ticket = fields.ticket ?? (await ticketOf(app));
  return app.app.inject({
    method: 'POST',
    url: '/cvd',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.html === false ? {} : HTML), ...opts.headers },
    payload: new URLSearchParams({ ...fields, ticket }).toString(),
  });
}

function tokenFrom(res: LightMyRequestResponse): string {
  const m = TOKEN_IN_LINK.exec(res.body);
  if (!m?.[1]) throw new Error(`no private link in ${res.statusCode}: ${res.body.slice(0, 500)}`);
  return m[1];
}

async function newCase(overrides: Record<string, string> = {}): Promise<{ token: string; reference: string; id: string }> {
  const res = await postForm(report(overrides));
  expect(res.statusCode, res.body).toBe(201);
  const token = tokenFrom(res);
  const reference = /CVD-\d{4}-\d{4,}/.exec(res.body)?.[0] ?? '';
  const row = await t.system.db.selectFrom('cvd_cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
  return { token, reference, id: row.id };
}

const countCases = async () =>
  Number(
    (
      await t.system.db
        .selectFrom('cvd_cases')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const page = (token: string, query = '') => t.app.inject({ method: 'GET', url: `/cvd/case/${token}${query}`, headers: HTML });

// ---------------------------------------------------------------------------------------------

describe('the report form', () => {
  it('is a server-rendered page that works without scripts, with a label for every field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/cvd', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const b = res.body;
    expect(b).toContain('<html lang="nl">');
    expect(b).toContain('<form id="cvd-form" method="post" action="/cvd" enctype="multipart/form-data"');
    for (const name of [
      'target',
      'vendor',
      'product',
      'model',
      'version',
      'title',
      'description',
      'steps',
      'impact',
      'finderName',
      'finderEmail',
      'creditName',
      'attachments',
      'anonymous',
      'sharesIdentity',
    ]) {
      expect(b, name).toContain(`name="${name}"`);
    }
    // Every visible control has a label pointing at it.
    const ids = [...b.matchAll(/<(?:input|textarea|select)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(b, `label for ${id}`).toContain(`<label for="${id}"`);
    expect(b).toContain('<legend>Wat is kwetsbaar?</legend>');
    // Honeypot: out of sight, out of the tab order, hidden from screen readers, labelled "leave empty".
    expect(b).toMatch(
      /<div class="hp" aria-hidden="true"><label for="f-homepage">Laat dit veld leeg<\/label><input type="text" id="f-homepage" name="homepage" value="" tabindex="-1"/,
    );
    expect(b).toMatch(/name="ticket" value="[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/);
    // Encryption is an enhancement: the option is hidden until the script shows it, and explained without it.
    expect(b).toContain('<div id="encrypt-option" hidden>');
    expect(b).toContain('<noscript>');
    expect(b).toMatch(/<script type="module" src="\/cvd\/assets\/cvd-form\.js\?v=[0-9a-f]{16}"><\/script>/);
    expect(b).toContain('data-key="-----BEGIN PGP PUBLIC KEY BLOCK-----');
    const key = await t.app.inject({ method: 'GET', url: '/cvd/pgp-key.asc' });
    const fingerprint = (await openpgp.readKey({ armoredKey: key.body })).getFingerprint().toUpperCase();
    expect(b).toContain(fingerprint.match(/.{4}/g)!.join(' '));
    expect(b).not.toMatch(/(?:src|href|action)="(?:https?:)?\/\//); // nothing loads from elsewhere
  });

  it('speaks English with ?lang=en, links the other language, and pre-fills the organisation from ?org', async () => {
    const org = crypto.randomUUID();
    const res = await t.app.inject({ method: 'GET', url: `/cvd?lang=en&org=${org}`, headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Report a vulnerability');
    expect(res.body).toContain(`<input type="hidden" name="organisationId" value="${org}">`);
    expect(res.body).toContain(`href="/cvd?org=${org}" hreflang="nl" lang="nl">Nederlands</a>`);
    const nl = await t.app.inject({ method: 'GET', url: '/cvd', headers: HTML });
    expect(nl.body).toContain('href="/cvd?lang=en" hreflang="en" lang="en">English</a>');
    const bad = await t.app.inject({ method: 'GET', url: '/cvd?org=not-a-uuid', headers: HTML });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    const api = await t.app.inject({ method: 'GET', url: '/cvd?lang=fr' });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.code).toBe('validation_failed');
  });

  it('serves its script and the OpenPGP.js browser build as JavaScript with long cache headers, and the key', async () => {
    const form = await t.app.inject({ method: 'GET', url: '/cvd', headers: HTML });
    const script = /src="(\/cvd\/assets\/cvd-form\.js\?v=[0-9a-f]+)"/.exec(form.body)![1]!;
    const lib = /data-openpgp="([^"]+)"/.exec(form.body)![1]!;
    for (const url of [script, lib]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await t.app.inject({ method: 'GET', url: lib })).body.length).toBeGreaterThan(100_000);
    expect((await t.app.inject({ method: 'GET', url: '/cvd/assets/other.js' })).statusCode).toBe(400);
    const key = await t.app.inject({ method: 'GET', url: '/cvd/pgp-key.asc' });
    expect(key.statusCode).toBe(200);
    expect(key.headers['content-type']).toMatch(/^application\/pgp-keys/);
    expect(key.body).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
  });
});

describe('sending a report', () => {
  it('a plain urlencoded form opens a case with the finder as its first party, and shows the case number and private link', async () => {
    const res = await postForm(report());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toContain('noindex');
    expect(res.body).toContain('Uw melding is ontvangen');
    expect(res.body).toContain('Bewaar deze link goed');
    const reference = /CVD-\d{4}-\d{4,}/.exec(res.body)![0];
    const token = tokenFrom(res);
    const row = await t.system.db.selectFrom('cvd_cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      intake: 'form',
      encrypted: false,
      target_kind: 'website',
      target: 'https://portaal.ziekenhuis.example/zoeken',
      title: 'SQL-injectie in het zoekveld',
      credit: 'name',
      credit_name: 'Fenna Vinder',
      language: 'nl',
    });
    expect(row.description).toContain('patiëntenportaal');
    const finder = await t.system.db.selectFrom('cvd_parties').selectAll().where('case_id', '=', row.id).where('kind', '=', 'finder').executeTakeFirstOrThrow();
    expect(finder.token_hash).toBe(sha256(token));
    expect(finder).toMatchObject({ name: 'Fenna Vinder', email: 'fenna@finder.example' });
  });

  it('a multipart form streams its attachments into the store, hashed (an empty file input is ignored)', async () => {
    const data = Buffer.from(`GET /zoeken?q=' HTTP/1.1\r\nHost: portaal.ziekenhuis.example\r\n\r\n${randomBytes(2048).toString('hex')}`);
    const ticket = await ticketOf();
    const body = multipart({ ...report({ title: 'Met bijlage', anonymous: 'true', finderName: '', credit: 'anonymous' }), ticket }, [
      { name: 'verzoek.txt', type: 'text/plain', data },
      { name: '', data: Buffer.alloc(0) },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/cvd', headers: { ...body.headers, ...HTML }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(201);
    const reference = /CVD-\d{4}-\d{4,}/.exec(res.body)![0];
    const row = await t.system.db.selectFrom('cvd_cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Met bijlage', credit: 'anonymous', credit_name: null });
    expect(row.description).toContain('patiëntenportaal'); // multipart fields are read as UTF-8
    const finder = await t.system.db.selectFrom('cvd_parties').selectAll().where('case_id', '=', row.id).executeTakeFirstOrThrow();
    expect(finder.name).toBe('');
    const files = await t.system.db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', row.id).execute();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      file_name: 'verzoek.txt',
      content_type: 'text/plain',
      size_bytes: data.length,
      sha256: sha256(data),
      party_id: finder.id,
    });
    expect(await readFile(path.join(dir, 'cvd', files[0]!.storage_name))).toEqual(data);
  });

  it('a report encrypted in the browser to the served key is decrypted, with its files, and marked encrypted', async () => {
    const armoredKey = (await t.app.inject({ method: 'GET', url: '/cvd/pgp-key.asc' })).body;
    const file = Buffer.from('%PDF-1.4 proof of concept\n');
    const plaintext = JSON.stringify({
      report: {
        targetKind: 'product',
        vendor: 'MedTech Example',
        product: 'InfusoPomp',
        model: 'IP-200',
        title: 'Onversleutelde telnet-poort',
        description: 'De pomp heeft een open telnet-poort zonder wachtwoord op de beheerinterface.',
        credit: 'alias',
        creditName: 'ziekenboeg',
        sharesIdentity: true,
        language: 'en',
      },
      attachments: [{ name: 'poc.pdf', type: 'application/pdf', dataBase64: file.toString('base64') }],
    });
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: plaintext }),
      encryptionKeys: await openpgp.readKey({ armoredKey }),
    });
    const ticket = await ticketOf();
    const body = multipart({ ticket, lang: 'en', homepage: '', encrypted: encrypted as string });
    const res = await t.app.inject({ method: 'POST', url: '/cvd?lang=en', headers: { ...body.headers, ...HTML }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toContain('Your report has been received');
    // The private link carries no language; its page speaks the finder's.
    expect((await page(tokenFrom(res))).body).toContain('<html lang="en">');
    const reference = /CVD-\d{4}-\d{4,}/.exec(res.body)![0];
    const row = await t.system.db.selectFrom('cvd_cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      encrypted: true,
      target_kind: 'product',
      vendor: 'MedTech Example',
      product: 'InfusoPomp',
      model: 'IP-200',
      title: 'Onversleutelde telnet-poort',
      credit: 'alias',
      credit_name: 'ziekenboeg',
      language: 'en',
    });
    const files = await t.system.db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', row.id).execute();
    expect(files.map((f) => [f.file_name, f.sha256])).toEqual([['poc.pdf', sha256(file)]]);
  });

  it('refuses an encrypted field it cannot decrypt (garbage, another key) with cvd_encrypted_invalid, and plaintext beside it', async () => {
    const before = await countCases();
    const garbage = await postForm(
      { lang: 'nl', homepage: '', encrypted: '-----BEGIN PGP MESSAGE-----\n\nbm9uc2Vuc2U=\n-----END PGP MESSAGE-----' },
      { html: false },
    );
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('cvd_encrypted_invalid');
    const { publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'other@cert.example' }], format: 'object' });
    const other = await openpgp.encrypt({ message: await openpgp.createMessage({ text: '{"report":{}}' }), encryptionKeys: publicKey });
    const wrongKey = await postForm({ lang: 'en', homepage: '', encrypted: other as string });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.body).toContain('cvd_encrypted_invalid');
    expect(wrongKey.body).toContain('role="alert"');
    expect(wrongKey.body).toContain('not filled in again');
    const mixed = await postForm({ ...report(), encrypted: other as string }, { html: false });
    expect(mixed.json().error.code).toBe('cvd_encrypted_mixed');
    expect(await countCases()).toBe(before);
  });

  it('shows the form again with the field named and what was typed kept when the target is missing', async () => {
    const res = await postForm(report({ target: '', title: 'Titel die blijft <b>staan</b>' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<div class="summary" role="alert" tabindex="-1" autofocus/);
    expect(res.body).toContain('data-code="cvd_target_missing"');
    expect(res.body).toContain('<a href="#f-target">Adres van de website of het systeem: Noem de website of het systeem');
    expect(res.body).toMatch(/<input id="f-target" name="target" aria-describedby="f-target-hint f-target-error" aria-invalid="true"/);
    expect(res.body).toContain('value="Titel die blijft &lt;b&gt;staan&lt;/b&gt;"');
    expect(res.body).toContain('patiëntenportaal geeft databasefouten terug');
    expect(res.body).toMatch(/name="ticket" value="[^"]+"/);
    const api = await postForm(report({ target: '' }), { html: false });
    expect(api.statusCode).toBe(400);
    expect(api.json().error).toMatchObject({ code: 'cvd_target_missing', details: { field: 'target' } });
    const short = await postForm(report({ description: 'te kort' }), { html: false });
    expect(short.json().error.code).toBe('validation_failed');
    expect(short.json().error.details.issues[0].field).toBe('description');
  });

  it('takes only form encodings (415 for JSON) and refuses unknown fields', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/cvd', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(report()) });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('cvd_form_media_type');
    const extra = await postForm({ ...report(), isAdmin: 'true' }, { html: false });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('validation_failed');
  });
});

describe('keeping robots off the form', () => {
  it('refuses a filled honeypot without saying why', async () => {
    const before = await countCases();
    const res = await postForm(report({ homepage: 'https://spam.example' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('cvd_form_rejected');
    expect(res.body).not.toContain('name="description"');
    expect((await postForm(report({ homepage: 'x' }), { html: false })).json().error.code).toBe('cvd_form_rejected');
    expect(await countCases()).toBe(before);
  });

  it('takes a ticket once: the same form sent twice is refused as replayed', async () => {
    const ticket = await ticketOf();
    expect((await postForm({ ...report(), ticket })).statusCode).toBe(201);
    const again = await postForm({ ...report(), ticket });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('cvd_form_replayed');
    expect(again.body).toContain('patiëntenportaal geeft databasefouten terug');
  });

  it('refuses a forged and an expired ticket, keeping what was typed', async () => {
    const forged = await postForm({ ...report(), ticket: 'eyJ0IjoxfQ.AAAA' }, { html: false });
    expect(forged.json().error.code).toBe('cvd_form_invalid');
    const old = await issueTicket(t.system, 'nl', Date.now() - 3 * 3600_000);
    const expired = await postForm({ ...report({ title: 'Een oude titel' }), ticket: old });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('cvd_form_expired');
    expect(expired.body).toContain('value="Een oude titel"');
  });

  it('refuses cross-site posts when the browser says where they come from', async () => {
    const cross = await postForm(report(), { headers: { 'sec-fetch-site': 'cross-site' }, html: false });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('cvd_cross_site');
    const evil = await postForm(report(), { headers: { origin: 'https://evil.example' }, html: false });
    expect(evil.statusCode).toBe(403);
    // Our pages send Referrer-Policy: no-referrer, so the browser's own posts carry Origin: null.
    const own = await postForm(report(), { headers: { 'sec-fetch-site': 'same-origin', origin: 'null' } });
    expect(own.statusCode).toBe(201);
  });

  describe('with a minimum fill-in time, small attachments and a low hourly limit', () => {
    let strict: TestApp;
    let strictDir: string;
    beforeAll(async () => {
      strictDir = await mkdtemp(path.join(tmpdir(), 'wp-cvd-strict-'));
      strict = await createTestApp({ INCIDENT_EVIDENCE_DIR: strictDir, CVD_FORM_MIN_SECONDS: '5', CVD_FORM_PER_HOUR: '4', CVD_ATTACHMENT_MAX_BYTES: '1024' });
    });
    afterAll(async () => {
      await strict?.close();
      if (strictDir) await rm(strictDir, { recursive: true, force: true });
    });
    const stored = async () => (await readdir(path.join(strictDir, 'cvd')).catch(() => [] as string[])).length;
    const send = async (files: { name: string; data: Buffer }[], html = false) => {
      const { finderEmail, ...before } = report();
      const body = multipart({ ...before, ticket: await ticketOf(strict) }, files, { finderEmail });
      return strict.app.inject({ method: 'POST', url: '/cvd', headers: { ...body.headers, ...(html ? HTML : {}) }, payload: body.payload });
    };

    it('refuses too many and too large attachments, keeping none of them', async () => {
      const many = await send(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(`file ${i}`) })));
      expect(many.statusCode).toBe(400);
      expect(many.json().error).toMatchObject({ code: 'cvd_too_many_attachments', details: { field: 'attachments' } });
      const large = await send(
        [
          { name: 'ok.txt', data: Buffer.from('small') },
          { name: 'big.bin', data: randomBytes(2048) },
        ],
        true,
      );
      expect(large.statusCode).toBe(413);
      expect(large.body).toContain('data-code="cvd_attachment_too_large"');
      expect(large.body).toContain('Kies uw bijlagen opnieuw');
      // The fields after the file input were still read, so they are shown again too.
      expect(large.body).toContain('value="fenna@finder.example"');
      expect(large.body).toContain('patiëntenportaal geeft databasefouten terug');
      expect(await stored()).toBe(0);
    });

    it('refuses a form sent back too fast, then rate-limits the address with Retry-After', async () => {
      const fast = await postForm(report(), { app: strict, html: false });
      expect(fast.statusCode).toBe(400);
      expect(fast.json().error.code).toBe('cvd_form_too_fast');
      const again = await postForm(report(), { app: strict });
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('cvd_form_too_fast');
      const limited = await postForm(report(), { app: strict });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toContain('Probeer het over');
      const api = await postForm(report(), { app: strict, html: false });
      expect(api.statusCode).toBe(429);
      expect(api.json().error.code).toBe('cvd_rate_limited');
    });
  });
});

describe('the private link', () => {
  it('shows the case, the due dates in Europe/Amsterdam, and the reply form; never cached, indexed or referred', async () => {
    const c = await newCase({ title: 'Zichtbaar op de eigen pagina' });
    const res = await page(c.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toContain('noindex');
    expect(res.body).toContain(`Zaak ${c.reference}`);
    expect(res.body).toContain('Zichtbaar op de eigen pagina');
    expect(res.body).toContain('Europe/Amsterdam');
    expect(res.body).toContain(`<form method="post" action="/cvd/case/${c.token}/messages?lang=nl" enctype="multipart/form-data"`);
    expect(res.body).toContain(`action="/cvd/case/${c.token}/consent?lang=nl"`);
    expect(res.body).not.toContain(`/cvd/case/${c.token}/status`); // the finder has no remediation status
    expect((await page(c.token, '?lang=en')).body).toContain(`Case ${c.reference}`);
  });

  it('takes a reply with a file (303 back to the page), which then shows both', async () => {
    const c = await newCase();
    const data = Buffer.from('extra bewijs\n');
    const body = multipart({ body: 'Aanvulling: ook /beheer is kwetsbaar.' }, [{ name: 'bewijs.txt', type: 'text/plain', data }]);
    const res = await t.app.inject({ method: 'POST', url: `/cvd/case/${c.token}/messages`, headers: { ...body.headers, ...HTML }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/cvd/case/${c.token}?sent=message#messages`);
    const after = await page(c.token, '?sent=message');
    expect(after.body).toContain('Uw bericht is verstuurd.');
    expect(after.body).toContain('Aanvulling: ook /beheer is kwetsbaar.');
    const file = await t.system.db.selectFrom('cvd_attachments').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(file).toMatchObject({ file_name: 'bewijs.txt', sha256: sha256(data) });
    expect(file.message_id).not.toBeNull();
    expect(after.body).toContain(`href="/cvd/case/${c.token}/attachments/${file.id}" download>bewijs.txt</a>`);

    const empty = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${c.token}/messages`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'body=',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('role="alert"');
    expect(empty.body).toContain(`Zaak ${c.reference}`);
  });

  it('answers a wrong and a malformed token with the same 404 page, slowly', async () => {
    const started = Date.now();
    const wrong = await page(newToken().token);
    const wrongMs = Date.now() - started;
    const started2 = Date.now();
    const malformed = await page('not-a-token');
    const malformedMs = Date.now() - started2;
    expect(wrong.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(malformed.body).toBe(wrong.body);
    expect(wrongMs).toBeGreaterThanOrEqual(FAILED_LOOKUP_DELAY_MS);
    expect(malformedMs).toBeGreaterThanOrEqual(FAILED_LOOKUP_DELAY_MS);
    expect(wrong.headers['cache-control']).toBe('no-store');
    const post = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${newToken().token}/messages`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'body=hallo',
    });
    expect(post.statusCode).toBe(404);
    expect(post.body).toBe(wrong.body);
  });

  it('never shows another case’s data', async () => {
    const a = await newCase({ title: 'Zaak A titel', description: 'Beschrijving van zaak A die lang genoeg is.' });
    const b = await newCase({ title: 'Zaak B titel', description: 'Beschrijving van zaak B die lang genoeg is.', finderName: 'Bram Andere' });
    await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${b.token}/messages`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'body=Geheim+bericht+van+B',
    });
    const res = await page(a.token);
    expect(res.body).toContain('Zaak A titel');
    for (const other of [b.reference, 'Zaak B titel', 'zaak B die', 'Geheim bericht van B', 'Bram Andere', b.token, b.id])
      expect(res.body).not.toContain(other);
  });

  it('serves attachments only as downloads, and only the case’s own', async () => {
    const a = await newCase();
    const b = await newCase();
    const data = Buffer.from('<script>alert(1)</script>');
    const body = multipart({ body: 'html bijlage' }, [{ name: 'x.html', type: 'text/html', data }]);
    await t.app.inject({ method: 'POST', url: `/cvd/case/${b.token}/messages`, headers: body.headers, payload: body.payload });
    const fileB = await t.system.db.selectFrom('cvd_attachments').select('id').where('case_id', '=', b.id).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'GET', url: `/cvd/case/${b.token}/attachments/${fileB.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="x\.html"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.rawPayload).toEqual(data);
    expect((await t.app.inject({ method: 'GET', url: `/cvd/case/${a.token}/attachments/${fileB.id}`, headers: HTML })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/cvd/case/${a.token}/attachments/nope` })).statusCode).toBe(404);
  });

  it('lets the finder agree to be named (not when anonymous), and refuses them a remediation status', async () => {
    const c = await newCase();
    const consent = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${c.token}/consent?lang=en`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'sharesIdentity=true',
    });
    expect(consent.statusCode).toBe(303);
    expect(consent.headers.location).toBe(`/cvd/case/${c.token}?lang=en&sent=consent#main`);
    expect(
      (await t.system.db.selectFrom('cvd_cases').select('finder_shares_identity').where('id', '=', c.id).executeTakeFirstOrThrow()).finder_shares_identity,
    ).toBe(true);
    const status = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${c.token}/status`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'status=fixed',
    });
    expect(status.statusCode).toBe(400);
    expect(status.json().error.code).toBe('cvd_finder_status');
    const anon = await newCase({ anonymous: 'true', finderName: '', credit: 'none' });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${anon.token}/consent`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'sharesIdentity=true',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('cvd_anonymous');
    expect(refused.body).toContain(`Zaak ${anon.reference}`);
  });

  it('gives an outside party its own view with a status form', async () => {
    const c = await newCase({ title: 'Voor de fabrikant' });
    const { token, hash } = newToken();
    await t.system.db
      .insertInto('cvd_parties')
      .values({ case_id: c.id, kind: 'manufacturer', name: 'MedTech Example', email: 'psirt@medtech.example', token_hash: hash, language: 'en' })
      .execute();
    const res = await page(token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Voor de fabrikant');
    expect(res.body).toContain(`action="/cvd/case/${token}/status?lang=en"`);
    expect(res.body).toContain(`href="/cvd/case/${token}?lang=nl" hreflang="nl"`);
    expect(res.body).not.toContain('Fenna Vinder'); // the finder has not agreed to be named
    const status = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${token}/status`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'status=fix_planned',
    });
    expect(status.statusCode).toBe(303);
    const party = await t.system.db.selectFrom('cvd_parties').select('status').where('token_hash', '=', hash).executeTakeFirstOrThrow();
    expect(party.status).toBe('fix_planned');
    const bad = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${token}/status`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'status=hacked',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const badPage = await t.app.inject({
      method: 'POST',
      url: `/cvd/case/${token}/status?lang=en`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: 'status=hacked',
    });
    expect(badPage.statusCode).toBe(400);
    expect(badPage.body).toContain(`<a href="/cvd/case/${token}?lang=en">Back to the case</a>`);
  });
});

describe('the acknowledgements page', () => {
  it('lists disclosed, credited cases; the advisory only when it is public', async () => {
    const named = await newCase({ credit: 'name', finderName: 'Ada Onderzoeker' });
    const anonymous = await newCase({ credit: 'anonymous', title: 'Een geheime titel' });
    const team = await makeCertTeam(t);
    const advisory = await productInState(t, team, 'published', { tlp: 'CLEAR' });
    for (const [c, extra] of [
      [named, { advisory_id: advisory.id, cve_id: 'CVE-2026-12345' }],
      [anonymous, {}],
    ] as const) {
      await t.system.db
        .updateTable('cvd_cases')
        .set({ status: 'disclosed', disclosed_at: new Date('2026-11-02T10:00:00Z'), closed_at: new Date(), ...extra })
        .where('id', '=', c.id)
        .execute();
    }
    const res = await t.app.inject({ method: 'GET', url: '/cvd/acknowledgements', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ada Onderzoeker');
    expect(res.body).toContain('Anonieme onderzoeker');
    expect(res.body).toContain('CVE-2026-12345');
    expect(res.body).toContain(`href="/public/advisories/${advisory.identifier}"`);
    expect(res.body).not.toContain('Een geheime titel');
    const en = await t.app.inject({ method: 'GET', url: '/cvd/acknowledgements?lang=en', headers: HTML });
    expect(en.body).toContain('Anonymous researcher');
  });
});

describe('the private link’s rate limit', () => {
  it('answers 429 with Retry-After after 60 requests a minute from one address', async () => {
    const c = await newCase();
    let limited: LightMyRequestResponse | undefined;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/cvd/case/${c.token}/attachments/00000000-0000-4000-8000-000000000000`, headers: HTML });
      if (res.statusCode === 429) limited = res;
    }
    expect(limited?.statusCode).toBe(429);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.body).toContain('Er kwamen te veel verzoeken van uw adres');
  });
});
