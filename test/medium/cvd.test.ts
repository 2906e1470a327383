import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import type { CvdCaseOut, FinderViewOut, PartyViewOut } from '../../src/modules/cvd/cvd.schema.ts';
import { submitReport } from '../../src/modules/cvd/intake.service.ts';
import { storeAttachment } from '../../src/modules/cvd/attachments.ts';
import { linkView, linkStatus } from '../../src/modules/cvd/party.service.ts';
import { hashToken } from '../../src/modules/cvd/finder-link.ts';
import { sendCvdReminders } from '../../src/modules/cvd/deadline.service.ts';
import { firstResponseDue } from '../../src/modules/cvd/deadlines.ts';
import { invalidateConstituency } from '../../src/modules/monitoring/constituency.service.ts';

/** The CVD relay through the API: intake, scope, parties, channels kept apart, clocks, reminders. */

let t: TestApp;
let hospital: string;
let otherHospital: string;
let analyst: Credentials;
let ciso: Credentials;
let otherCiso: Credentials;

const FINDER = { name: 'Fenna Vinder', email: 'fenna@finder.example' };
const report = {
  targetKind: 'website',
  target: 'https://portaal.zorg-noord.example/login?next=/',
  title: 'Reflected XSS in the patient portal login',
  description: 'The next parameter of the login page is echoed into the page without encoding, so script runs in the portal origin.',
  steps: '1. Open /login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
  impact: 'Session theft of patients who follow a crafted link.',
  finderName: FINDER.name,
  finderEmail: FINDER.email,
  credit: 'name',
  language: 'en',
};

async function outboxTo(to: string) {
  const rows = await t.system.db.selectFrom('outbox').select(['payload', 'dedupe_key']).execute();
  return rows.map((r) => ({ key: r.dedupe_key, ...((typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { to: string; subject: string; text: string }) })).filter((m) => m.to === to);
}

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://wachtpost.test' });
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Noord CVD')).id;
  otherHospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Elders CVD')).id;
  analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
  ciso = await login(t, await makeUser(t, hospital, 'participant-admin'));
  otherCiso = await login(t, await makeUser(t, otherHospital, 'participant-admin'));
  const asset = await call(t, 'POST', `/api/v1/organisations/${hospital}/assets`, analyst, { type: 'domain', value: 'zorg-noord.example', includeSubdomains: true });
  expect(asset.statusCode, asset.body).toBe(201);
  const product = await call(t, 'POST', `/api/v1/organisations/${otherHospital}/assets`, analyst, { type: 'product', product: { vendor: 'Infusia Medical', product: 'InfuPump', model: 'IP-300', medicalDevice: true } });
  expect(product.statusCode, product.body).toBe(201);
  invalidateConstituency(t.services.database);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function logReport(body: Record<string, unknown> = report) {
  const res = await call(t, 'POST', '/api/v1/cvd/cases', analyst, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ case: CvdCaseOut; link: string }>();
}

const tokenOf = (link: string) => link.split('/').pop()!;

describe('CVD cases', () => {
  it('a report opens a case with a reference, the five-working-day clock, the scope found, and a private link mailed to the finder', async () => {
    const { case: c, link } = await logReport();
    expect(c.reference).toMatch(/^CVD-\d{4}-\d{4}$/);
    expect(c.status).toBe('received');
    expect(c.scope.organisations).toEqual([expect.objectContaining({ id: hospital, via: 'domain', matched: 'zorg-noord.example' })]);
    expect(c.scope.outOfScope).toBe(false);
    expect(c.firstResponse.state).toMatch(/running|soon/);
    expect(c.firstResponse.due).toBe(firstResponseDue(new Date(c.receivedAt), new Map()).toISOString());
    expect(link).toMatch(/^http:\/\/wachtpost\.test\/cvd\/case\/[A-Za-z0-9_-]{43}$/);
    // Only the hash of the token is stored.
    const finder = await t.system.db.selectFrom('cvd_parties').select(['token_hash', 'email']).where('case_id', '=', c.id).where('kind', '=', 'finder').executeTakeFirstOrThrow();
    expect(finder.token_hash).toBe(hashToken(tokenOf(link)));
    const ack = (await outboxTo(FINDER.email)).find((m) => m.key === `cvd:${c.id}:ack`);
    expect(ack?.subject).toContain(c.reference);
    expect(ack?.text).toContain(link);
  });

  it('refuses what a person must fix, with the field and a sentence', async () => {
    const noTarget = await call(t, 'POST', '/api/v1/cvd/cases', analyst, { ...report, target: undefined });
    expect(noTarget.statusCode).toBe(400);
    expect(noTarget.json()).toMatchObject({ error: { code: 'cvd_target_missing' } });
    const noVendor = await call(t, 'POST', '/api/v1/cvd/cases', analyst, { ...report, targetKind: 'product', target: undefined, product: 'InfuPump' });
    expect(noVendor.json()).toMatchObject({ error: { code: 'cvd_product_missing' } });
    const { case: c } = await logReport();
    const jump = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { status: 'disclosed' });
    expect(jump.json()).toMatchObject({ error: { code: 'cvd_status_move' } });
    const reject = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { status: 'rejected' });
    expect(reject.json()).toMatchObject({ error: { code: 'cvd_reason_required' } });
    const date = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { disclosureDue: '2027-12-01' });
    expect(date.json()).toMatchObject({ error: { code: 'cvd_reason_required' } });
    const moved = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { disclosureDue: '2027-06-01', reason: 'The portal supplier needs a release cycle more.' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<CvdCaseOut>().events.at(-1)).toMatchObject({ kind: 'disclosure_date', reason: 'The portal supplier needs a release cycle more.' });
    const cvss = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { cvssVector: 'CVSS:3.1/AV:N/AC:L' });
    expect(cvss.json()).toMatchObject({ error: { code: 'cvss_invalid' } });
    const noDay = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { disclosureDue: '2027-02-31', reason: 'A day that does not exist.' });
    expect(noDay.statusCode).toBe(400);
    // An alias is only what the finder typed as one: their name is never credited in its place.
    const noAlias = await call(t, 'POST', '/api/v1/cvd/cases', analyst, { ...report, anonymous: true, credit: 'alias' });
    expect(noAlias.json()).toMatchObject({ error: { code: 'cvd_credit_name_missing' } });
  });

  it('a party’s list shows the report’s title without the finder’s name in it', async () => {
    const { case: c } = await logReport({ ...report, title: `XSS on the portal login, found by ${FINDER.name}` });
    await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties/from-scope`, analyst);
    const listed = (await call(t, 'GET', '/api/v1/cvd/cases', ciso)).json<{ items: { id: string; title: string }[] }>().items.find((i) => i.id === c.id);
    expect(listed?.title).toBe('XSS on the portal login, found by […]');
    const certListed = (await call(t, 'GET', '/api/v1/cvd/cases', analyst)).json<{ items: { id: string; title: string }[] }>().items.find((i) => i.id === c.id);
    expect(certListed?.title).toContain(FINDER.name);
  });

  it('relays between finder and hospital without either learning who the other is', async () => {
    const { case: c, link } = await logReport();
    const withHospital = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties/from-scope`, analyst);
    expect(withHospital.statusCode, withHospital.body).toBe(200);
    const after = withHospital.json<CvdCaseOut>();
    expect(after.status).toBe('coordinating');
    const hospitalParty = after.parties.find((p) => p.organisationId === hospital)!;
    const finderParty = after.parties.find((p) => p.kind === 'finder')!;

    // The CERT asks the hospital; the hospital sees the report but not the finder.
    await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/messages`, analyst, { partyId: hospitalParty.id, body: 'Can you confirm the issue on your portal?' });
    const seen = await call(t, 'GET', `/api/v1/cvd/party-cases/${c.id}`, ciso);
    expect(seen.statusCode, seen.body).toBe(200);
    const view = seen.json<PartyViewOut>();
    expect(view.finder).toBeNull();
    expect(view.messages.map((m) => [m.direction, m.author])).toEqual([['out', 'CERT']]);
    expect(JSON.stringify(view)).not.toContain(FINDER.email);
    expect(JSON.stringify(view)).not.toContain(FINDER.name);

    const reply = await call(t, 'POST', `/api/v1/cvd/party-cases/${c.id}/messages`, ciso, { body: 'Confirmed by Ziekenhuis Noord CVD; a fix ships Friday.' });
    expect(reply.statusCode, reply.body).toBe(201);
    const cert = (await call(t, 'GET', `/api/v1/cvd/cases/${c.id}`, analyst)).json<CvdCaseOut>();
    const incoming = cert.messages.find((m) => m.direction === 'in' && m.partyId === hospitalParty.id)!;

    // Pasting the hospital's text whole would name it: refused.
    const leak = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/messages`, analyst, { partyId: finderParty.id, body: incoming.body, relayedFromId: incoming.id });
    expect(leak.statusCode).toBe(400);
    expect(leak.json()).toMatchObject({ error: { code: 'cvd_identity_leak' } });
    const relayed = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/messages`, analyst, { partyId: finderParty.id, body: 'The organisation confirmed the issue; a fix ships Friday.', relayedFromId: incoming.id });
    expect(relayed.statusCode, relayed.body).toBe(201);
    expect(relayed.json<CvdCaseOut>().firstResponse.state).toBe('met');

    const finderView = await linkView(t.system, tokenOf(link));
    expect(finderView.kind).toBe('finder');
    const fv = finderView.view as FinderViewOut;
    expect(fv.messages.at(-1)).toMatchObject({ direction: 'out', author: 'CERT', body: 'The organisation confirmed the issue; a fix ships Friday.' });
    expect(fv.parties).toEqual([{ kind: 'participant', status: 'notified', name: null }]);
    expect(JSON.stringify(fv)).not.toContain('Ziekenhuis Noord');

    // The hospital was told by notification (never the message itself by mail).
    const n = await t.system.db.selectFrom('notifications').select(['title', 'link']).where('subject_id', '=', c.id).where('kind', '=', 'cvd.message').execute();
    expect(n.length).toBeGreaterThan(0);
    expect(n[0]!.link).toBe(`/cvd-party/${c.id}`);

    // Both agree: then they may know each other.
    await call(t, 'PATCH', `/api/v1/cvd/party-cases/${c.id}`, ciso, { sharesIdentity: true, status: 'fix_planned' });
    expect((await linkView(t.system, tokenOf(link))).view).toMatchObject({ parties: [{ name: null, status: 'fix_planned' }] });
    await t.system.db.updateTable('cvd_cases').set({ finder_shares_identity: true }).where('id', '=', c.id).execute();
    expect((await linkView(t.system, tokenOf(link))).view).toMatchObject({ parties: [{ name: 'Ziekenhuis Noord CVD' }] });
    expect((await call(t, 'GET', `/api/v1/cvd/party-cases/${c.id}`, ciso)).json<PartyViewOut>().finder).toEqual({ name: FINDER.name, email: FINDER.email });
  });

  it('another hospital does not see the case at all', async () => {
    const { case: c } = await logReport();
    await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties/from-scope`, analyst);
    expect((await call(t, 'GET', `/api/v1/cvd/party-cases/${c.id}`, otherCiso)).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/v1/cvd/cases/${c.id}`, otherCiso)).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/cvd/party-cases/${c.id}/messages`, otherCiso, { body: 'hello' })).statusCode).toBe(404);
    const list = (await call(t, 'GET', '/api/v1/cvd/cases', otherCiso)).json<{ items: { id: string }[] }>();
    expect(list.items.map((i) => i.id)).not.toContain(c.id);
    const own = (await call(t, 'GET', '/api/v1/cvd/cases', ciso)).json<{ items: { id: string }[] }>();
    expect(own.items.map((i) => i.id)).toContain(c.id);
    // A party does not get the CERT's view of a case it is in.
    expect((await call(t, 'GET', `/api/v1/cvd/cases/${c.id}`, ciso)).statusCode).toBe(403);
  });

  it('passes a finder’s attachment on only with the finder’s consent', async () => {
    const stored = await storeAttachment(t.services, Readable.from(Buffer.from('GET /login?next=... HTTP/1.1\r\n')));
    const s = await submitReport(t.system, { ...report, targetKind: 'website', anonymous: false, sharesIdentity: false, sharesAttachments: false, credit: 'none', language: 'en', steps: '', impact: '' } as never, [{ ...stored, fileName: 'request.txt', contentType: 'text/plain' }], { intake: 'form', encrypted: false });
    const withHospital = (await call(t, 'POST', `/api/v1/cvd/cases/${s.id}/parties/from-scope`, analyst)).json<CvdCaseOut>();
    const hospitalParty = withHospital.parties.find((p) => p.organisationId === hospital)!;
    const file = withHospital.attachments[0]!;
    expect(file.sha256).toBe(stored.sha256);
    const refused = await call(t, 'POST', `/api/v1/cvd/cases/${s.id}/attachments/${file.id}/share`, analyst, { partyId: hospitalParty.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'cvd_finder_consent' } });
    expect((await call(t, 'GET', `/api/v1/cvd/party-cases/${s.id}/attachments/${file.id}`, ciso)).statusCode).toBe(404);
    await t.system.db.updateTable('cvd_cases').set({ finder_shares_attachments: true }).where('id', '=', s.id).execute();
    expect((await call(t, 'POST', `/api/v1/cvd/cases/${s.id}/attachments/${file.id}/share`, analyst, { partyId: hospitalParty.id })).statusCode).toBe(200);
    const dl = await call(t, 'GET', `/api/v1/cvd/party-cases/${s.id}/attachments/${file.id}`, ciso);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.body).toContain('GET /login');
    // The party's view names neither who handed it in nor who else got it.
    expect((await call(t, 'GET', `/api/v1/cvd/party-cases/${s.id}`, ciso)).json<PartyViewOut>().attachments).toEqual([expect.objectContaining({ fileName: 'request.txt', partyId: null, sharedWith: [] })]);
  });

  it('a medical-device case pulls in every participant that declared the model, and an outside manufacturer by private link', async () => {
    const { case: c } = await logReport({ targetKind: 'product', vendor: 'Infusia Medical', product: 'InfuPump', model: 'IP-300', version: '4.2', title: 'Unauthenticated dose change over the service port', description: 'The service port accepts dose table updates without authentication from the hospital network.', anonymous: true, credit: 'anonymous', language: 'nl' });
    expect(c.scope.organisations).toEqual([expect.objectContaining({ id: otherHospital, via: 'product' })]);
    const pulled = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties/from-products`, analyst);
    expect(pulled.json()).toMatchObject({ added: 1 });
    const maker = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties`, analyst, { kind: 'manufacturer', name: 'Infusia Medical PSIRT', email: 'psirt@infusia.example', language: 'en' });
    expect(maker.statusCode, maker.body).toBe(201);
    const { privateLink, partyId } = maker.json<{ privateLink: string; partyId: string }>();
    expect(privateLink).toMatch(/\/cvd\/case\/[A-Za-z0-9_-]{43}$/);
    const notice = (await outboxTo('psirt@infusia.example')).find((m) => m.key === `cvd:${c.id}:party:${partyId}:notice`);
    expect(notice?.text).toContain(privateLink);
    expect(notice?.subject).toContain('embargo');
    const mv = await linkView(t.system, tokenOf(privateLink));
    expect(mv.kind).toBe('party');
    await linkStatus(t.system, tokenOf(privateLink), { status: 'fix_planned' });
    const after = (await call(t, 'GET', `/api/v1/cvd/cases/${c.id}`, analyst)).json<CvdCaseOut>();
    expect(after.parties.map((p) => [p.kind, p.status])).toEqual([
      ['finder', 'notified'],
      ['participant', 'notified'],
      ['manufacturer', 'fix_planned'],
    ]);
    // A wrong token is a 404, like a missing one.
    await expect(linkView(t.system, 'A'.repeat(43))).rejects.toMatchObject({ status: 404 });
  });

  it('reminds the CERT once when the first answer is near or past, and shows it on the dashboard', async () => {
    const { case: c } = await logReport();
    await t.system.db.updateTable('cvd_cases').set({ first_response_due: new Date(Date.now() - 3_600_000) }).where('id', '=', c.id).execute();
    const first = await sendCvdReminders(t.system, new Date());
    expect(first.sent).toBeGreaterThanOrEqual(1);
    const again = await sendCvdReminders(t.system, new Date());
    expect(again.sent).toBe(0);
    const mails = await t.system.db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'like', `cvd:${c.id}:deadline:first_response:overdue:%`).execute();
    expect(mails.length).toBeGreaterThan(0);
    const dash = await call(t, 'GET', '/api/v1/cvd/dashboard', analyst);
    expect(dash.statusCode, dash.body).toBe(200);
    expect(dash.json<{ firstResponse: { overdue: { id: string }[] } }>().firstResponse.overdue.map((x) => x.id)).toContain(c.id);
    expect((await call(t, 'GET', '/api/v1/cvd/dashboard', ciso)).statusCode).toBe(403);
  });
});
