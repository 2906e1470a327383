/**
 * CVD: every way data about a case leaves the platform, tried for a finder who did NOT agree to be
 * named and did not agree that their files are passed on. The case has three parties: a participant
 * hospital (an administrator and a member in the portal), a manufacturer with an account (a vendor
 * organisation, a partner user) and an outside manufacturer with a private link. Nothing that
 * identifies the finder (name, address, their files: name, bytes, SHA-256) and none of the CERT's
 * internal notes may reach any of them: API views and answers, the case list and searching it,
 * downloads, the portal inbox, queued mail, the private link (service and page), the audit log.
 * With consent on both sides the name does appear: the checks can see it when it is there.
 *
 * The private link shows one case and nothing else; a wrong token is answered like a malformed one.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { ReportInput, type CvdCaseOut, type FinderViewOut, type PartyViewOut } from '../../src/modules/cvd/cvd.schema.ts';
import { submitReport, type IncomingAttachment } from '../../src/modules/cvd/intake.service.ts';
import { storeAttachment } from '../../src/modules/cvd/attachments.ts';
import { linkAttachment, linkConsent, linkReply, linkStatus, linkView } from '../../src/modules/cvd/party.service.ts';
import { FAILED_LOOKUP_DELAY_MS } from '../../src/modules/cvd/finder-link.ts';
import { AdvisoryContent } from '../../src/modules/advisories/advisory.content.ts';

let t: TestApp;
let evidenceDir: string;
let analyst: Credentials;
let certAdmin: Credentials;
let hospital: string;
let vendor: string;
/** The portal users of the parties with an account, each with their session. */
let partyUsers: { label: string; user: TestUser; creds: Credentials }[];

const FINDER = { name: 'Fenna Geheim', email: 'fenna.geheim@finder.example' };
const HOSPITAL_ADDRESS = 'cvd@zorg-oost.example';
const VENDOR_ADDRESS = 'psirt@maker-medical.example';
const OUTSIDE_ADDRESS = 'psirt@outside-devices.example';
/** What the CERT writes for itself: never in a party's or the finder's view. */
const NOTE = 'CERT-INTERNAL-NOTE: check with the supplier before we tell the hospital';
const NOTE_MARKER = 'CERT-INTERNAL-NOTE';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tokenOf = (link: string) => link.split('/').pop()!;

/** The finder's files: the one sent with the report, and one sent later through their link. */
const REPORT_FILE = {
  name: 'fenna-geheim-poc.html',
  bytes: Buffer.from('<script>/* FENNA-POC-7f3a: steals the portal session */ fetch("/api/session")</script>\n'),
};
const LATER_FILE = { name: 'fenna-geheim-notes.txt', bytes: Buffer.from('FENNA-NOTES-91c2: the flaw also works on the staging host\n') };

/** Everything that identifies the finder, as text that could show up in an answer, a mail or a page. */
const FINDER_SECRETS = [
  FINDER.name,
  FINDER.email,
  'fenna.geheim',
  'Fenna',
  ...[REPORT_FILE, LATER_FILE].flatMap((f) => [f.name, sha256(f.bytes), f.bytes.toString('utf8').trim(), f.bytes.toString('base64')]),
  'FENNA-POC-7f3a',
  'FENNA-NOTES-91c2',
];

/** The secrets that occur in `text` (case-insensitively): [] when nothing leaks. */
function leaks(text: string, secrets: readonly string[] = FINDER_SECRETS): string[] {
  const haystack = text.toLowerCase();
  return secrets.filter((s) => haystack.includes(s.toLowerCase()));
}
const bodyOf = (res: LightMyRequestResponse) => `${JSON.stringify(res.headers)}\n${res.rawPayload.toString('latin1')}`;

const report = {
  targetKind: 'website',
  target: 'https://portaal.zorg-oost.example/login',
  title: 'Session theft through the login page of the patient portal',
  description: 'The login page echoes the next parameter into a script block, so a crafted link runs script in the portal origin.',
  steps: '1. Open /login?next=</script><script>alert(document.domain)</script>\n2. Log in: the script runs.',
  impact: 'A patient who follows a crafted link loses their session.',
  finderName: FINDER.name,
  finderEmail: FINDER.email,
  anonymous: false,
  sharesIdentity: false,
  sharesAttachments: false,
  credit: 'none',
  language: 'en',
} as const;

async function stored(file: { name: string; bytes: Buffer }): Promise<IncomingAttachment> {
  return { ...(await storeAttachment(t.services, Readable.from([file.bytes]))), fileName: file.name, contentType: 'application/octet-stream' };
}

async function ok<T>(res: LightMyRequestResponse, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

interface World {
  caseId: string;
  reference: string;
  title: string;
  finderToken: string;
  outsideToken: string;
  /** The ids of the finder's two files. */
  finderFileIds: string[];
  parties: { hospital: string; vendor: string; outside: string };
  /** What the parties were answered when they wrote and changed things (their views too). */
  answers: string[];
}

/**
 * A case as a finder reports it through the form (with a file), the three parties brought in by the
 * CERT, a message from the CERT to each, an internal note, a later message with a file from the
 * finder, and an answer from every party. The finder's file is not passed on: the CERT is refused.
 */
async function makeWorld(
  o: { title?: string; finder?: { name: string; email: string }; text?: Partial<Record<'description' | 'steps' | 'impact', string>> } = {},
): Promise<World> {
  const title = o.title ?? report.title;
  const input = ReportInput.parse({ ...report, ...o.text, title, finderName: o.finder?.name ?? FINDER.name, finderEmail: o.finder?.email ?? FINDER.email });
  const s = await submitReport(t.system, input, [await stored(REPORT_FILE)], { intake: 'form', encrypted: false });
  const url = `/api/v1/cvd/cases/${s.id}`;
  const added = async (body: Record<string, unknown>) =>
    ok<{ case: CvdCaseOut; partyId: string; privateLink: string | null }>(await call(t, 'POST', `${url}/parties`, analyst, body), 201);
  const h = await added({ kind: 'participant', organisationId: hospital, email: HOSPITAL_ADDRESS, language: 'nl' });
  const v = await added({ kind: 'manufacturer', organisationId: vendor, email: VENDOR_ADDRESS, language: 'en' });
  const outside = await added({ kind: 'manufacturer', name: 'Outside Devices PSIRT', email: OUTSIDE_ADDRESS, language: 'en' });
  expect(outside.privateLink).not.toBeNull();
  for (const partyId of [h.partyId, v.partyId, outside.partyId]) {
    await ok(
      await call(t, 'POST', `${url}/messages`, analyst, { partyId, body: 'A vulnerability was reported in a system of yours; can you confirm it?' }),
      201,
    );
  }
  await ok(await call(t, 'POST', `${url}/notes`, analyst, { body: NOTE }), 201);
  await linkReply(t.system, s.token, 'Here are my notes on the staging host.', [await stored(LATER_FILE)]);

  const answers: string[] = [];
  const [admin, , partner] = partyUsers;
  answers.push((await call(t, 'POST', `/api/v1/cvd/party-cases/${s.id}/messages`, admin!.creds, { body: 'Confirmed on our portal; a fix is planned.' })).body);
  answers.push((await call(t, 'PATCH', `/api/v1/cvd/party-cases/${s.id}`, partner!.creds, { status: 'fix_planned' })).body);
  await linkStatus(t.system, tokenOf(outside.privateLink!), { status: 'acknowledged' });
  await linkReply(t.system, tokenOf(outside.privateLink!), 'We will look at our firmware too.', []);

  const cert = await ok<CvdCaseOut>(await call(t, 'GET', url, analyst));
  const finderParty = cert.parties.find((p) => p.kind === 'finder')!;
  const finderFileIds = cert.attachments.filter((a) => a.partyId === finderParty.id).map((a) => a.id);
  expect(finderFileIds).toHaveLength(2);
  // The CERT cannot pass the finder's file on: the finder did not agree.
  const refused = await call(t, 'POST', `${url}/attachments/${finderFileIds[0]}/share`, analyst, { partyId: h.partyId });
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toMatchObject({ error: { code: 'cvd_finder_consent' } });
  return {
    caseId: s.id,
    reference: s.reference,
    title,
    finderToken: s.token,
    outsideToken: tokenOf(outside.privateLink!),
    finderFileIds,
    parties: { hospital: h.partyId, vendor: v.partyId, outside: outside.partyId },
    answers,
  };
}

/** The queued mails (any outbox kind) to an address of a party, or to a user of a party organisation. */
async function mailsToParties(): Promise<{ to: string; text: string }[]> {
  const users = await t.system.db.selectFrom('users').select('email').where('organisation_id', 'in', [hospital, vendor]).execute();
  const addresses = new Set([HOSPITAL_ADDRESS, VENDOR_ADDRESS, OUTSIDE_ADDRESS, ...users.map((u) => u.email)].map((a) => a.toLowerCase()));
  const rows = await t.system.db.selectFrom('outbox').select(['payload', 'recipient', 'organisation_id']).execute();
  return rows
    .map((r) => {
      const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload;
      const to = [payload['to'], r.recipient].flat().filter((x): x is string => typeof x === 'string');
      return { to, organisation: r.organisation_id, text: JSON.stringify(payload) };
    })
    .filter((m) => m.to.some((a) => addresses.has(a.toLowerCase())) || (m.organisation !== null && [hospital, vendor].includes(m.organisation)))
    .map((m) => ({ to: m.to.join(', '), text: m.text }));
}

const page = (token: string, suffix = '', accept = 'text/html') =>
  t.app.inject({ method: 'GET', url: `/cvd/case/${encodeURIComponent(token)}${suffix}`, headers: { accept } });

let world: World;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://wachtpost.test' });
  // Attachments go to a temporary folder, not ./data/evidence of the checkout.
  evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'wachtpost-cvd-ways-out-'));
  t.services.config.incidents.evidenceDir = evidenceDir;
  const cert = await makeOrganisation(t, 'cert');
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  certAdmin = await login(t, await makeUser(t, cert.id, 'cert-admin'));
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Oost')).id;
  vendor = (await makeOrganisation(t, 'vendor', 'Maker Medical BV')).id;
  const users = [
    { label: 'the hospital’s participant-admin', user: await makeUser(t, hospital, 'participant-admin') },
    { label: 'the hospital’s participant-member', user: await makeUser(t, hospital, 'participant-member') },
    { label: 'the manufacturer’s partner user', user: await makeUser(t, vendor, 'partner') },
  ];
  partyUsers = await Promise.all(users.map(async (u) => ({ ...u, creds: await login(t, u.user) })));
  world = await makeWorld();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
});

describe('a finder who did not agree: nothing of them reaches a party', () => {
  it('API: the party view of every party user, and what they were answered when they wrote', async () => {
    for (const { label, creds } of partyUsers) {
      const res = await call(t, 'GET', `/api/v1/cvd/party-cases/${world.caseId}`, creds);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(200);
      const view = res.json<PartyViewOut>();
      // The view is the case's (its report and the party's own channel)...
      expect(view).toMatchObject({ id: world.caseId, reference: world.reference, title: world.title, finder: null });
      expect(view.messages.some((m) => m.direction === 'out')).toBe(true);
      // ...and holds nothing of the finder: no name, no address, no file.
      expect(leaks(res.body), `${label}: GET /api/v1/cvd/party-cases/:id`).toEqual([]);
      expect(view.attachments.map((a) => a.id).filter((id) => world.finderFileIds.includes(id))).toEqual([]);
      // Not the CERT's view either.
      const certView = await call(t, 'GET', `/api/v1/cvd/cases/${world.caseId}`, creds);
      expect(certView.statusCode, label).toBe(403);
      expect(leaks(certView.body), label).toEqual([]);
    }
    for (const answer of world.answers) {
      expect(JSON.parse(answer)).toMatchObject({ id: world.caseId, finder: null });
      expect(leaks(answer), 'a party’s answer (POST messages / PATCH)').toEqual([]);
    }
  });

  it('API: the case list, and searching it (and the portal-wide search) for the finder', async () => {
    for (const { label, creds } of partyUsers) {
      const list = await call(t, 'GET', '/api/v1/cvd/cases?limit=200', creds);
      expect(list.statusCode, label).toBe(200);
      expect(
        list.json<{ items: { id: string }[] }>().items.map((i) => i.id),
        label,
      ).toContain(world.caseId);
      expect(leaks(list.body), `${label}: GET /api/v1/cvd/cases`).toEqual([]);
      // Searching for the finder finds nothing: the list cannot be asked who the finder is.
      for (const q of [FINDER.name, FINDER.email, 'fenna', 'finder.example', REPORT_FILE.name]) {
        const found = await call(t, 'GET', `/api/v1/cvd/cases?q=${encodeURIComponent(q)}`, creds);
        expect(found.json<{ items: unknown[] }>().items, `${label}: ?q=${q}`).toEqual([]);
      }
    }
    // The portal-wide search (community, meetings, knowledge base, publications) holds no CVD case: it finds nothing of the finder.
    const search = await call(t, 'GET', `/api/v1/search?q=${encodeURIComponent(FINDER.name)}`, partyUsers[0]!.creds);
    expect(search.statusCode).toBe(200);
    // (The answer repeats the query the party typed; what it found is the hits.)
    expect(search.json<{ hits: unknown[] }>().hits).toEqual([]);
    expect(leaks(JSON.stringify(search.json<{ hits: unknown[] }>().hits))).toEqual([]);
  });

  it('downloads: neither the party’s route nor the CERT’s hands a party the finder’s files', async () => {
    for (const fileId of world.finderFileIds) {
      // The ids are right: the CERT downloads them.
      const cert = await call(t, 'GET', `/api/v1/cvd/cases/${world.caseId}/attachments/${fileId}`, analyst);
      expect(cert.statusCode).toBe(200);
      expect([REPORT_FILE.bytes, LATER_FILE.bytes].some((b) => cert.rawPayload.equals(b))).toBe(true);
      for (const { label, creds } of partyUsers) {
        for (const url of [`/api/v1/cvd/party-cases/${world.caseId}/attachments/${fileId}`, `/api/v1/cvd/cases/${world.caseId}/attachments/${fileId}`]) {
          const res = await call(t, 'GET', url, creds);
          expect(res.statusCode, `${label}: GET ${url}`).toBe(404);
          expect(leaks(bodyOf(res)), `${label}: GET ${url}`).toEqual([]);
        }
      }
      // The outside party: the service and the page.
      await expect(linkAttachment(t.system, world.outsideToken, fileId)).rejects.toMatchObject({ status: 404 });
      const res = await page(world.outsideToken, `/attachments/${fileId}`);
      expect(res.statusCode).toBe(404);
      expect(leaks(bodyOf(res))).toEqual([]);
    }
  });

  it('the portal inbox: the notifications table and GET /api/v1/notifications of every party user', async () => {
    const rows = await t.system.db
      .selectFrom('notifications')
      .selectAll()
      .where(
        'user_id',
        'in',
        partyUsers.map((u) => u.user.id),
      )
      .execute();
    // Each was told about the case (so there is something to look at)...
    for (const { label, user } of partyUsers)
      expect(rows.filter((r) => r.user_id === user.id && r.subject_id === world.caseId).length, label).toBeGreaterThan(0);
    // ...and no notification names the finder.
    expect(leaks(JSON.stringify(rows)), 'table notifications').toEqual([]);
    for (const { label, creds } of partyUsers) {
      const res = await call(t, 'GET', '/api/v1/notifications?limit=200', creds);
      expect(res.statusCode, label).toBe(200);
      expect(
        res.json<{ items: { subjectId: string | null }[] }>().items.some((n) => n.subjectId === world.caseId),
        label,
      ).toBe(true);
      expect(leaks(res.body), `${label}: GET /api/v1/notifications`).toEqual([]);
    }
  });

  it('mail: everything queued to the parties’ addresses and to the users of their organisations', async () => {
    const mails = await mailsToParties();
    // The notices and the new-message mails went out to all three parties.
    for (const address of [HOSPITAL_ADDRESS, VENDOR_ADDRESS, OUTSIDE_ADDRESS])
      expect(mails.filter((m) => m.to.includes(address)).length, address).toBeGreaterThanOrEqual(2);
    for (const m of mails) expect(leaks(m.text), `mail to ${m.to}`).toEqual([]);
  });

  it('the outside manufacturer’s private link: the service (linkView) and its page', async () => {
    const v = await linkView(t.system, world.outsideToken);
    expect(v.kind).toBe('party');
    const view = v.view as PartyViewOut;
    expect(view).toMatchObject({ id: world.caseId, title: world.title, finder: null, party: { status: 'acknowledged' } });
    expect(leaks(JSON.stringify(v)), 'linkView of the outside party').toEqual([]);

    const res = await page(world.outsideToken, '?lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(world.reference);
    expect(res.body).toContain('We will look at our firmware too.');
    expect(leaks(bodyOf(res)), 'GET /cvd/case/:token of the outside party').toEqual([]);
  });

  it('the audit log: no export (nor the log itself) is open to a participant or manufacturer', async () => {
    for (const { label, creds } of partyUsers) {
      for (const url of ['/api/v1/audit/export?format=json', '/api/v1/audit/export?format=csv', '/api/v1/audit']) {
        const res = await call(t, 'GET', url, creds);
        expect(res.statusCode, `${label}: GET ${url}`).toBe(403);
        expect(leaks(bodyOf(res)), `${label}: GET ${url}`).toEqual([]);
      }
    }
    // What the CERT's export holds about the case does not name the finder either.
    const exported = await call(t, 'GET', '/api/v1/audit/export?format=json', certAdmin);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain(world.caseId);
    expect(leaks(exported.body), 'the audit export').toEqual([]);
  });

  it('the public acknowledgements page does not credit a finder who asked for no credit', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/cvd/acknowledgements?lang=en' });
    expect(res.statusCode).toBe(200);
    expect(leaks(res.body)).toEqual([]);
  });
});

describe('what the finder wrote', () => {
  it('a report that names its finder in its text (a mail signature) names them to no party either', { timeout: 60_000 }, async () => {
    // Reports by mail carry the sender's signature in the text; the form's fields are free text too.
    const signed = await makeWorld({
      title: 'Open redirect on the patient portal login',
      text: {
        description: `The return parameter of the login page redirects to any host.\n\nKind regards,\n${FINDER.name}\n${FINDER.email}`,
        steps: `Found by ${FINDER.name} while logging in to the portal.`,
      },
    });
    // The advisory drafted from the case leaves the finder out (disclosure.service scrubs the text)...
    const drafted = await ok<{ productId: string }>(await call(t, 'POST', `/api/v1/cvd/cases/${signed.caseId}/advisory`, analyst, { tlp: 'AMBER' }), 201);
    const row = await t.system.db.selectFrom('products').select('draft_content').where('id', '=', drafted.productId).executeTakeFirstOrThrow();
    expect(leaks(JSON.stringify(AdvisoryContent.parse(row.draft_content))), 'the advisory drafted from the case').toEqual([]);
    // ...and so must every party's view of the report. Soft: every way that leaks is listed.
    for (const { label, creds } of partyUsers) {
      const res = await call(t, 'GET', `/api/v1/cvd/party-cases/${signed.caseId}`, creds);
      expect(res.statusCode).toBe(200);
      expect.soft(leaks(res.body), `${label}: GET /api/v1/cvd/party-cases/:id`).toEqual([]);
    }
    expect.soft(leaks(JSON.stringify(await linkView(t.system, signed.outsideToken))), 'linkView of the outside party').toEqual([]);
    expect.soft(leaks(bodyOf(await page(signed.outsideToken, '?lang=en'))), 'GET /cvd/case/:token of the outside party').toEqual([]);
    for (const m of await mailsToParties()) expect.soft(leaks(m.text), `mail to ${m.to}`).toEqual([]);
  });
});

describe('consent on both sides', () => {
  it('names the finder to the party that agreed too, and to no other; files still only with their own consent', async () => {
    const w = await makeWorld({ title: 'Stored XSS in the appointment notes' });
    const [admin, member, partner] = partyUsers;
    // The finder agrees (through their link); so far one side only: nobody sees the name.
    await linkConsent(t.system, w.finderToken, true);
    expect((await ok<PartyViewOut>(await call(t, 'GET', `/api/v1/cvd/party-cases/${w.caseId}`, admin!.creds))).finder).toBeNull();
    // The hospital agrees: now its users see the finder; the manufacturer, who did not agree, does not.
    await ok(await call(t, 'PATCH', `/api/v1/cvd/party-cases/${w.caseId}`, admin!.creds, { sharesIdentity: true }));
    for (const u of [admin!, member!]) {
      const res = await call(t, 'GET', `/api/v1/cvd/party-cases/${w.caseId}`, u.creds);
      expect(res.json<PartyViewOut>().finder, u.label).toEqual({ name: FINDER.name, email: FINDER.email });
      expect(leaks(res.body), u.label).toEqual(expect.arrayContaining([FINDER.name, FINDER.email]));
    }
    const other = await call(t, 'GET', `/api/v1/cvd/party-cases/${w.caseId}`, partner!.creds);
    expect(other.json<PartyViewOut>().finder).toBeNull();
    expect(leaks(other.body), partner!.label).toEqual([]);
    expect(leaks(JSON.stringify(await linkView(t.system, w.outsideToken))), 'the outside party did not agree').toEqual([]);
    // Agreeing to be named is not agreeing to pass files on.
    for (const fileId of w.finderFileIds)
      expect((await call(t, 'GET', `/api/v1/cvd/party-cases/${w.caseId}/attachments/${fileId}`, admin!.creds)).statusCode).toBe(404);
    const view = await call(t, 'GET', `/api/v1/cvd/party-cases/${w.caseId}`, admin!.creds);
    expect(leaks(view.body, [REPORT_FILE.name, LATER_FILE.name, sha256(REPORT_FILE.bytes), sha256(LATER_FILE.bytes)])).toEqual([]);
  });
});

describe('the private link shows one case and nothing else', () => {
  it('each finder’s link shows its own case only, in the service and on the page', async () => {
    const other = await makeWorld({ title: 'SQL injection in the staff rota search', finder: { name: 'Bram Tweede', email: 'bram.tweede@finder.example' } });
    const pairs = [
      { mine: world, theirs: other },
      { mine: other, theirs: world },
    ];
    for (const { mine, theirs } of pairs) {
      const theirSecrets = [theirs.title, theirs.reference, theirs.caseId, ...theirs.finderFileIds];
      const v = await linkView(t.system, mine.finderToken);
      expect(v.kind).toBe('finder');
      expect(v.view).toMatchObject({ reference: mine.reference, title: mine.title });
      expect(leaks(JSON.stringify(v), theirSecrets), `finder link of ${mine.reference}`).toEqual([]);
      const res = await page(mine.finderToken, '?lang=en');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(mine.title);
      expect(leaks(res.body, theirSecrets), `page of ${mine.reference}`).toEqual([]);
      // The other case's file is not found through this link.
      for (const fileId of theirs.finderFileIds) expect((await page(mine.finderToken, `/attachments/${fileId}`)).statusCode).toBe(404);
      // The outside party's link too.
      const outside = await linkView(t.system, mine.outsideToken);
      expect(leaks(JSON.stringify(outside), theirSecrets), `outside link of ${mine.reference}`).toEqual([]);
    }
    // The finder's own view: the parties unnamed (none agreed), and their own files.
    const own = (await linkView(t.system, world.finderToken)).view as FinderViewOut;
    expect(own.parties.map((p) => p.name)).toEqual([null, null, null]);
    expect(own.attachments.map((a) => a.id).sort()).toEqual([...world.finderFileIds].sort());
  });

  it('a wrong token, a malformed one and a replaced one get the same status and body, equally slowly', { timeout: 60_000 }, async () => {
    const wrong = 'Q'.repeat(43);
    const malformed = ['abc', 'not a token!', `${'Q'.repeat(42)}=`, 'Q'.repeat(200)];
    // A replaced link: the CERT sent the outside party a new one; the old one leads nowhere.
    const fresh = await makeWorld({ title: 'Weak session cookie flags on the portal' });
    await ok(await call(t, 'POST', `/api/v1/cvd/cases/${fresh.caseId}/parties/${fresh.parties.outside}/link`, analyst));
    const tokens = [wrong, fresh.outsideToken, ...malformed];

    const answers = async (token: string) => {
      const started = performance.now();
      const results = await Promise.all([
        page(token, '?lang=en'),
        page(token, '', 'application/json'),
        page(token, `/attachments/${fresh.finderFileIds[0]}`, 'application/json'),
        t.app.inject({
          method: 'POST',
          url: `/cvd/case/${encodeURIComponent(token)}/messages`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          payload: 'body=hello',
        }),
      ]);
      return { ms: performance.now() - started, answers: results.map((r) => ({ status: r.statusCode, body: r.body })) };
    };
    const reference = await answers(wrong);
    expect(reference.answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    for (const token of tokens) {
      const got = await answers(token);
      expect(got.answers, `token ${token.slice(0, 12)}…`).toEqual(reference.answers);
      expect(got.ms, `token ${token.slice(0, 12)}… answered faster than a failed look-up`).toBeGreaterThanOrEqual(FAILED_LOOKUP_DELAY_MS - 50);
      await expect(linkView(t.system, token)).rejects.toMatchObject({ status: 404, code: 'case_not_found' });
    }
  });
});

describe('the CERT’s internal notes', () => {
  it('appear in the CERT’s view only: never in a party’s or the finder’s', async () => {
    const cert = await ok<CvdCaseOut>(await call(t, 'GET', `/api/v1/cvd/cases/${world.caseId}`, analyst));
    expect(cert.messages.filter((m) => m.direction === 'note').map((m) => m.body)).toEqual([NOTE]);
    const notes = [NOTE_MARKER, cert.messages.find((m) => m.direction === 'note')!.id];
    const seen: { where: string; text: string }[] = [];
    for (const { label, creds } of partyUsers) {
      seen.push({ where: `${label}: party view`, text: (await call(t, 'GET', `/api/v1/cvd/party-cases/${world.caseId}`, creds)).body });
      seen.push({ where: `${label}: case list`, text: (await call(t, 'GET', '/api/v1/cvd/cases?limit=200', creds)).body });
      seen.push({ where: `${label}: inbox`, text: (await call(t, 'GET', '/api/v1/notifications?limit=200', creds)).body });
    }
    seen.push({ where: 'outside party: linkView', text: JSON.stringify(await linkView(t.system, world.outsideToken)) });
    seen.push({ where: 'outside party: page', text: (await page(world.outsideToken, '?lang=en')).body });
    seen.push({ where: 'finder: linkView', text: JSON.stringify(await linkView(t.system, world.finderToken)) });
    seen.push({ where: 'finder: page', text: (await page(world.finderToken, '?lang=en')).body });
    for (const m of await mailsToParties()) seen.push({ where: `mail to ${m.to}`, text: m.text });
    const finderMails = await t.system.db.selectFrom('outbox').select('payload').execute();
    for (const r of finderMails) {
      const text = JSON.stringify(r.payload);
      if (text.includes(FINDER.email)) seen.push({ where: 'mail to the finder', text });
    }
    for (const s of seen) expect(leaks(s.text, notes), s.where).toEqual([]);
  });
});
