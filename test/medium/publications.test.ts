import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { authHeaders, call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { chromiumAvailable, closePdfBrowser } from '../../src/lib/pdf.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import { searchPublications } from '../../src/modules/publications/publication.service.ts';
import { publicationHtml } from '../../src/modules/publications/publication-pdf.ts';
import type { PublicationDetailOut, PublicationOut } from '../../src/modules/publications/publication.schema.ts';
import type { Actor } from '../../src/modules/access/actor.ts';

const hasChromium = chromiumAvailable() !== null;
if (!hasChromium && process.env.CI !== 'true') console.warn('chromium is not installed: the publications PDF tests are skipped (apt-get install -y chromium).');
// Under CI a missing Chromium is a failure, not a skip.
const withChromium = hasChromium || process.env.CI === 'true' ? it : it.skip;

let t: TestApp;
const unique = () => randomBytes(4).toString('hex');
const users: Record<'analyst' | 'memberA' | 'memberB' | 'cisoB' | 'partner' | 'vendor', TestUser> = {} as never;
const creds: Record<keyof typeof users, Credentials> = {} as never;
const orgs = { cert: '', a: '', b: '', partner: '', vendor: '' };

beforeAll(async () => {
  t = await createTestApp();
  orgs.cert = (await makeOrganisation(t, 'cert')).id;
  orgs.a = (await makeOrganisation(t, 'participant', `Hospital A ${unique()}`)).id;
  orgs.b = (
    await orgRepo.insertOrganisation(t.system.db, {
      kind: 'participant',
      name: `UMC B ${unique()}`,
      shortName: null,
      segment: 'umc',
      membershipStatus: 'active',
      memberSince: null,
      memberUntil: null,
    })
  ).id;
  orgs.partner = (await makeOrganisation(t, 'partner')).id;
  orgs.vendor = (await makeOrganisation(t, 'vendor')).id;
  users.analyst = await makeUser(t, orgs.cert, 'cert-analyst');
  users.memberA = await makeUser(t, orgs.a, 'participant-member');
  users.memberB = await makeUser(t, orgs.b, 'participant-member');
  users.cisoB = await makeUser(t, orgs.b, 'participant-admin');
  users.partner = await makeUser(t, orgs.partner, 'partner');
  users.vendor = await makeUser(t, orgs.vendor, 'partner');
  // The CISO of B is a contact of B with the role 'ciso', linked to the account.
  await contactRepo.insertContact(t.system.db, orgs.b, {
    name: 'CISO B',
    email: `ciso-${unique()}@umc-b.example`,
    kind: 'person',
    roles: ['ciso'],
    languages: ['nl'],
    phone: null,
    subscriptions: [],
    pgp_public_key: null,
    pgp_fingerprint: null,
    pgp_user_ids: null,
    pgp_expires_at: null,
    user_id: users.cisoB.id,
  });
  for (const k of Object.keys(users) as (keyof typeof users)[]) creds[k] = await login(t, users[k]);
});
afterAll(async () => {
  await closePdfBrowser();
  await t?.close();
});

const as = (who: keyof typeof users) => creds[who];
const json = <T>(res: LightMyRequestResponse) => res.json<T>();

async function create(body: Record<string, unknown>): Promise<PublicationDetailOut> {
  const res = await call(t, 'POST', '/api/v1/publications', as('analyst'), {
    kind: 'factsheet',
    language: 'nl',
    tlp: 'GREEN',
    markdown: `Tekst ${unique()}`,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<PublicationDetailOut>(res);
}
/** Published straight from the database when the test is not about the PDF: the print comes on first download. */
async function published(body: Record<string, unknown>): Promise<PublicationDetailOut> {
  const p = await create(body);
  await t.system.db.updateTable('publications').set({ status: 'published', current_version: 1, published_at: new Date() }).where('id', '=', p.id).execute();
  return p;
}
const listed = async (who: keyof typeof users, query = '') =>
  json<{ items: PublicationOut[] }>(await call(t, 'GET', `/api/v1/publications?limit=200${query}`, as(who))).items.map((p) => p.id);

/** A multipart/form-data body as a browser sends it. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null) {
  const boundary = `----wachtpost${unique()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
async function upload(id: string, file: { name: string; type: string; bytes: Buffer } | null, who: keyof typeof users = 'analyst') {
  const body = multipart({ changeNote: 'upload' }, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/publications/${id}/versions/upload`,
    headers: { ...authHeaders(as(who)), 'content-type': body.contentType },
    payload: body.payload,
  });
}
const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe('a factsheet is published as PDF and appears in search', () => {
  withChromium('is written in Markdown, printed by Chromium, found and downloaded by a participant', async () => {
    const title = `Ransomware in de zorg ${unique()}`;
    const p = await create({
      title,
      tlp: 'CLEAR',
      summary: 'Vier maatregelen tegen gijzelsoftware.',
      tags: ['ransomware', 'back-ups'],
      markdown: '## Offline back-ups\n\nBewaar een **offline** kopie.\n\n<script>alert(1)</script>',
    });
    expect(p.status).toBe('draft');
    // The preview is sanitised: no script survives.
    const preview = await call(t, 'POST', '/api/v1/publications/preview', as('analyst'), { markdown: '# Kop\n\n<script>alert(1)</script>' });
    expect(preview.statusCode).toBe(200);
    // The Markdown's own top heading sits below the document's title.
    expect(json<{ html: string }>(preview).html).toContain('<h2>Kop</h2>');
    expect(json<{ html: string }>(preview).html).not.toContain('<script');
    // A draft is the CERT's only.
    expect(await listed('memberA')).not.toContain(p.id);

    const pub = await call(t, 'POST', `/api/v1/publications/${p.id}/publish`, as('analyst'), {});
    expect(pub.statusCode, pub.body).toBe(200);
    const detail = json<PublicationDetailOut>(pub);
    expect(detail).toMatchObject({ status: 'published', currentVersion: 1 });
    expect(detail.versions[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const dl = await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as('memberA'));
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(String(dl.headers['content-disposition'])).toMatch(/^attachment; filename="ransomware-in-de-zorg-[0-9a-f]{8}-v1\.pdf"/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['x-tlp']).toBe('TLP:CLEAR');
    const bytes = dl.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The right document: Chromium writes the HTML's <title> as the PDF's /Title.
    expect(bytes.toString('latin1')).toContain(`/Title (${title})`);
    // Accessible: a tagged PDF (a structure tree) that names its language.
    expect(bytes.toString('latin1')).toContain('/StructTreeRoot');
    expect(bytes.toString('latin1')).toMatch(/\/Lang \((nl|en)/);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(detail.versions[0]!.sha256);
    expect(dl.headers['x-content-sha256']).toBe(detail.versions[0]!.sha256);

    // Found by a participant, by a word of the text and by a word of the summary (Dutch stemming).
    expect(await listed('memberA', '&q=offline')).toContain(p.id);
    expect(await listed('memberA', `&q=${encodeURIComponent('gijzelsoftware maatregel')}`)).toContain(p.id);
    expect(await listed('memberA', '&q=nothingmatchesthis')).not.toContain(p.id);
    const ctx = { ...t.system, actor: await actorOf(users.memberA) };
    const hits = await searchPublications(ctx, 'offline back-ups', 10);
    expect(hits.find((h) => h.id === p.id)).toMatchObject({ kind: 'publication', title, url: `/publications/${p.id}` });

    // Counted once per person per day: two downloads, one count.
    await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as('memberA'));
    await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as('memberB'));
    const counted = json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${p.id}`, as('analyst')));
    expect(counted.versions[0]!.downloads).toBe(2);
    // Readers do not see the counts.
    expect(json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${p.id}`, as('memberA'))).versions[0]!.downloads).toBeNull();

    // A new version: readers get it, the CERT keeps the old one.
    expect(
      (await call(t, 'POST', `/api/v1/publications/${p.id}/versions`, as('analyst'), { markdown: '## Versie twee\n\nBijgewerkt.', changeNote: 'bijgewerkt' }))
        .statusCode,
    ).toBe(201);
    expect((await call(t, 'POST', `/api/v1/publications/${p.id}/publish`, as('analyst'), {})).statusCode).toBe(200);
    const reader = json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${p.id}`, as('memberA')));
    expect(reader.versions.map((v) => v.version)).toEqual([2]);
    expect(reader.html).toContain('Versie twee');
    expect((await call(t, 'GET', `/api/v1/publications/${p.id}/versions/1/download`, as('memberA'))).statusCode).toBe(403);
    const old = await call(t, 'GET', `/api/v1/publications/${p.id}/versions/1/download`, as('analyst'));
    expect(old.statusCode).toBe(200);
    expect(createHash('sha256').update(old.rawPayload).digest('hex')).toBe(detail.versions[0]!.sha256);
  });

  it('prints accessible HTML: language, document title, headings, the TLP label as text', () => {
    const html = publicationHtml({
      kind: 'whitepaper',
      title: 'Segmentatie',
      summary: 's',
      tags: [],
      language: 'en',
      tlp: 'AMBER',
      version: 3,
      date: new Date('2026-11-01T10:00:00Z'),
      certName: 'Zorg-CERT',
      markdown: '# Intro\n\n<img src=x onerror=alert(1)>',
    });
    expect(html).toMatch(/^<!doctype html>\s*<html lang="en">/);
    expect(html).toContain('<title>Segmentatie</title>');
    expect(html).toContain('<h1>Segmentatie</h1>');
    expect(html).toMatch(/<h2[^>]*>Intro<\/h2>/);
    expect(html).toContain('TLP:AMBER');
    expect(html).toContain('#FFC000');
    // Raw HTML in the Markdown stays text.
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});

async function actorOf(u: TestUser): Promise<Actor> {
  const org = await orgRepo.findOrganisation(t.system.db, u.organisationId);
  return {
    userId: u.id,
    email: u.email,
    role: u.role,
    organisationId: u.organisationId,
    organisationKind: org!.kind,
    clientOrganisationIds: [],
    partnerOrganisationIds: [],
    sessionId: null,
    tokenId: null,
    tokenPermissions: null,
  };
}

describe('every way out is filtered', () => {
  it('an AMBER publication is not listed, found or downloadable by an organisation not named', async () => {
    const word = `zeldzaamwoord${unique()}`;
    const p = await published({ title: `Leverancier ${word}`, tlp: 'AMBER', recipients: [{ organisationId: orgs.a }] });
    expect(await listed('memberA')).toContain(p.id);
    expect(await listed('memberA', `&q=${word}`)).toContain(p.id);
    expect((await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as('memberA'))).statusCode).toBe(hasChromium ? 200 : 503);
    for (const who of ['memberB', 'partner', 'vendor'] as const) {
      expect(await listed(who)).not.toContain(p.id);
      expect(await listed(who, `&q=${word}`)).not.toContain(p.id);
      const ctx = { ...t.system, actor: await actorOf(users[who]) };
      expect((await searchPublications(ctx, word, 20)).map((h) => h.id)).not.toContain(p.id);
      const detail = await call(t, 'GET', `/api/v1/publications/${p.id}`, as(who));
      expect(detail.statusCode).toBe(404);
      expect(json<{ error: { code: string } }>(detail).error.code).toBe('publication_not_found');
      expect((await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as(who))).statusCode).toBe(404);
    }
    // The CERT sees it, with its recipients; a reader never sees the recipient list.
    expect(json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${p.id}`, as('analyst'))).recipients).toEqual([
      { organisationId: orgs.a, userId: null },
    ]);
    expect(json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${p.id}`, as('memberA'))).recipients).toBeNull();
  });

  it('the audience is enforced on top of the marking: participants, a segment, CISOs', async () => {
    const participants = await published({ title: 'Alleen deelnemers', audience: { kind: 'participants' } });
    const umc = await published({ title: 'Alleen umc', audience: { kind: 'segments', segments: ['umc'] } });
    const cisos = await published({ title: 'Alleen CISOs', audience: { kind: 'contact_roles', contactRoles: ['ciso'] } });
    const community = await published({ title: 'Voor iedereen', tlp: 'GREEN' });
    const seen = {
      memberA: await listed('memberA'),
      memberB: await listed('memberB'),
      cisoB: await listed('cisoB'),
      partner: await listed('partner'),
      vendor: await listed('vendor'),
    };
    expect(seen.memberA).toEqual(expect.arrayContaining([participants.id, community.id]));
    expect(seen.memberA).not.toContain(umc.id);
    expect(seen.memberA).not.toContain(cisos.id);
    expect(seen.memberB).toEqual(expect.arrayContaining([participants.id, umc.id, community.id]));
    expect(seen.memberB).not.toContain(cisos.id);
    expect(seen.cisoB).toEqual(expect.arrayContaining([participants.id, umc.id, cisos.id, community.id]));
    expect(seen.partner).toContain(community.id);
    for (const id of [participants.id, umc.id, cisos.id]) expect(seen.partner).not.toContain(id);
    // GREEN does not reach vendors.
    expect(seen.vendor).not.toContain(community.id);
    expect((await call(t, 'GET', `/api/v1/publications/${cisos.id}`, as('memberB'))).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/v1/publications/${cisos.id}`, as('cisoB'))).statusCode).toBe(200);
  });

  it('drafts and withdrawn publications reach nobody but the CERT', async () => {
    const draft = await create({ title: 'Concept' });
    const gone = await published({ title: 'Ingetrokken' });
    expect((await call(t, 'POST', `/api/v1/publications/${gone.id}/withdraw`, as('analyst'), { reason: 'verouderd advies' })).statusCode).toBe(200);
    for (const id of [draft.id, gone.id]) {
      expect(await listed('memberA')).not.toContain(id);
      expect((await call(t, 'GET', `/api/v1/publications/${id}/download`, as('memberA'))).statusCode).toBe(404);
      expect(await listed('analyst')).toContain(id);
    }
  });

  it('the public site lists only published TLP:CLEAR publications for everyone, in pages, PDF and Atom', async () => {
    const open = await published({ title: `Openbaar ${unique()}`, tlp: 'CLEAR', tags: ['phishing'] });
    const hidden = [
      await create({ title: `Concept ${unique()}`, tlp: 'CLEAR' }),
      await published({ title: `Groen ${unique()}`, tlp: 'GREEN' }),
      await published({ title: `Amber ${unique()}`, tlp: 'AMBER', recipients: [{ organisationId: orgs.a }] }),
      await published({ title: `Deelnemers ${unique()}`, tlp: 'CLEAR', audience: { kind: 'participants' } }),
    ];
    for (const lang of ['nl', 'en']) {
      const list = await call(t, 'GET', `/public/publications?lang=${lang}`, null);
      expect(list.statusCode).toBe(200);
      expect(list.headers['content-type']).toContain('text/html');
      expect(list.body).toContain(`<html lang="${lang}">`);
      expect(list.body).toContain(open.title);
      for (const h of hidden) expect(list.body).not.toContain(h.title);
    }
    // A logged-in visitor sees no more on the public site.
    const asMember = await call(t, 'GET', '/public/publications', as('memberA'));
    for (const h of hidden) expect(asMember.body).not.toContain(h.title);
    const page = await call(t, 'GET', `/public/publications/${open.id}?lang=en`, null);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('TLP:CLEAR');
    expect(page.body).toContain(`/public/publications/${open.id}/pdf`);
    for (const h of hidden) {
      expect((await call(t, 'GET', `/public/publications/${h.id}`, null)).statusCode).toBe(404);
      expect((await call(t, 'GET', `/public/publications/${h.id}/pdf`, null)).statusCode).toBe(404);
    }
    const atom = await call(t, 'GET', '/feeds/publications.atom', null);
    expect(atom.statusCode).toBe(200);
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    expect(atom.body).toContain(`urn:uuid:${open.id}`);
    for (const h of hidden) expect(atom.body).not.toContain(h.id);
    // The API itself is closed to the anonymous.
    expect((await call(t, 'GET', '/api/v1/publications', null)).statusCode).toBe(401);
  });

  withChromium('the public PDF is the Markdown printed on first download, counted', async () => {
    const open = await published({ title: `Openbaar PDF ${unique()}`, tlp: 'CLEAR' });
    const pdf = await call(t, 'GET', `/public/publications/${open.id}/pdf`, null);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment;/);
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    const d = json<PublicationDetailOut>(await call(t, 'GET', `/api/v1/publications/${open.id}`, as('analyst')));
    expect(d.versions[0]!.downloads).toBe(1);
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(d.versions[0]!.sha256);
  });
});

describe('uploads and bad input', () => {
  it('an uploaded PDF is checked by its bytes: a non-PDF named .pdf is refused with a stable code', async () => {
    const p = await create({ title: 'Upload', markdown: undefined });
    const zip = await upload(p.id, { name: 'report.pdf', type: 'application/pdf', bytes: Buffer.from('PK\x03\x04 not a pdf at all') });
    expect(zip.statusCode).toBe(415);
    expect(json<{ error: { code: string } }>(zip).error.code).toBe('publication_not_pdf');
    const missing = await upload(p.id, null);
    expect(missing.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(missing).error.code).toBe('publication_file_missing');
    const empty = await upload(p.id, { name: 'x.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) });
    expect(json<{ error: { code: string } }>(empty).error.code).toBe('publication_file_empty');
    // A participant may not upload.
    expect((await upload(p.id, { name: 'x.pdf', type: 'application/pdf', bytes: MINIMAL_PDF }, 'memberA')).statusCode).toBe(403);

    // A real PDF under a hostile name: stored by its bytes, served under a name of our own.
    const ok = await upload(p.id, { name: '../../etc/passwd.exe', type: 'application/octet-stream', bytes: MINIMAL_PDF });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ version: number }>(ok).version).toBe(1);
    expect((await call(t, 'POST', `/api/v1/publications/${p.id}/publish`, as('analyst'), {})).statusCode).toBe(200);
    const dl = await call(t, 'GET', `/api/v1/publications/${p.id}/download`, as('memberA'));
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(MINIMAL_PDF)).toBe(true);
    expect(dl.headers['content-disposition']).toBe('attachment; filename="upload-v1.pdf"; filename*=UTF-8\'\'upload-v1.pdf');
    expect(dl.headers['x-content-sha256']).toBe(createHash('sha256').update(MINIMAL_PDF).digest('hex'));
    // Searchable by its title, summary and tags.
    expect(await listed('memberA', '&q=upload')).toContain(p.id);

    // A PDF of a few megabytes is taken; one past the limit is refused, not cut.
    const big = Buffer.concat([MINIMAL_PDF, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const taken = await upload(p.id, { name: 'big.pdf', type: 'application/pdf', bytes: big });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(json<{ version: number }>(taken).version).toBe(2);
    const tooBig = await upload(p.id, { name: 'huge.pdf', type: 'application/pdf', bytes: Buffer.concat([MINIMAL_PDF, Buffer.alloc(20 * 1024 * 1024, 0x20)]) });
    expect(tooBig.statusCode).toBe(413);
    expect(json<{ error: { code: string } }>(tooBig).error.code).toBe('publication_pdf_too_large');
  });

  it('answers bad input with 4xx and a stable code', async () => {
    const bad = async (method: 'POST' | 'PATCH' | 'GET', url: string, body: unknown, status: number, code: string) => {
      const res = await call(t, method, url, as('analyst'), body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
      expect(json<{ error: { code: string } }>(res).error.code).toBe(code);
    };
    await bad('POST', '/api/v1/publications', { kind: 'factsheet', title: 'x', language: 'nl', tlp: 'AMBER' }, 400, 'validation_failed');
    await bad('POST', '/api/v1/publications', { kind: 'poster', title: 'x', language: 'nl', tlp: 'GREEN' }, 400, 'validation_failed');
    await bad('POST', '/api/v1/publications', { kind: 'factsheet', title: 'x', language: 'de', tlp: 'GREEN' }, 400, 'validation_failed');
    await bad(
      'POST',
      '/api/v1/publications',
      { kind: 'factsheet', title: 'x', language: 'nl', tlp: 'GREEN', audience: { kind: 'segments' } },
      400,
      'validation_failed',
    );
    await bad(
      'POST',
      '/api/v1/publications',
      { kind: 'factsheet', title: 'x', language: 'nl', tlp: 'AMBER', recipients: [{ organisationId: '00000000-0000-4000-8000-000000000000' }] },
      400,
      'recipient_unknown',
    );
    await bad('GET', '/api/v1/publications/not-a-uuid', undefined, 400, 'validation_failed');
    await bad('GET', '/api/v1/publications?limit=0', undefined, 400, 'validation_failed');
    await bad('GET', '/api/v1/publications/00000000-0000-4000-8000-000000000000', undefined, 404, 'publication_not_found');
    const empty = await create({ title: 'Zonder versie', markdown: undefined });
    await bad('POST', `/api/v1/publications/${empty.id}/publish`, {}, 409, 'publication_no_version');
    await bad('POST', `/api/v1/publications/${empty.id}/withdraw`, { reason: 'niet meer nodig' }, 409, 'publication_not_published');
    await bad('POST', `/api/v1/publications/${empty.id}/withdraw`, { reason: '' }, 400, 'validation_failed');
    const one = await create({ title: 'Een versie' });
    await bad('POST', `/api/v1/publications/${one.id}/publish`, { version: 7 }, 400, 'publication_version_unknown');
    await bad('PATCH', `/api/v1/publications/${one.id}`, { marking: { tlp: 'RED' } }, 400, 'validation_failed');
    // JSON to the upload route.
    const wrongType = await call(t, 'POST', `/api/v1/publications/${one.id}/versions/upload`, as('analyst'), { file: 'x' });
    expect([400, 415]).toContain(wrongType.statusCode);
  });

  it('lists overdue reviews for the CERT only, and PATCH changes marking and audience', async () => {
    const due = await published({ title: 'Toe aan herziening', reviewBy: '2020-01-01' });
    const later = await published({ title: 'Nog niet', reviewBy: '2999-01-01' });
    const res = await call(t, 'GET', '/api/v1/publications/review-due', as('analyst'));
    expect(res.statusCode).toBe(200);
    const ids = json<PublicationOut[]>(res).map((p) => p.id);
    expect(ids).toContain(due.id);
    expect(ids).not.toContain(later.id);
    expect(json<PublicationOut[]>(res).find((p) => p.id === due.id)?.reviewOverdue).toBe(true);
    expect((await call(t, 'GET', '/api/v1/publications/review-due', as('memberA'))).statusCode).toBe(403);

    const patched = await call(t, 'PATCH', `/api/v1/publications/${later.id}`, as('analyst'), {
      marking: { tlp: 'AMBER+STRICT', recipients: [{ organisationId: orgs.b }] },
      tags: ['nieuw'],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(json<PublicationDetailOut>(patched)).toMatchObject({ tlp: 'AMBER+STRICT', tags: ['nieuw'] });
    expect(await listed('memberA')).not.toContain(later.id);
    expect(await listed('memberB')).toContain(later.id);
    expect(await listed('memberB', '&tag=nieuw')).toContain(later.id);
    expect(await listed('memberB', '&kind=whitepaper')).not.toContain(later.id);
  });
});
