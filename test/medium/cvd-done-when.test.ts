import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { cveSchemaErrors, officialCveSchemaValidator } from '../helpers/cve-schema.ts';
import { loadDemo } from '../../src/modules/demo/demo.service.ts';
import { invalidateConstituency } from '../../src/modules/monitoring/constituency.service.ts';
import { firstResponseDue } from '../../src/modules/cvd/deadlines.ts';
import type { CvdCaseOut, PartyViewOut } from '../../src/modules/cvd/cvd.schema.ts';
import type { CsafDocument } from '../../src/modules/advisories/csaf/csaf-document.ts';

/**
 * The "Done when" of the CVD issue, through the API and the public pages as the three people use
 * them: a finder reports a vulnerability in a demo hospital's website through the form (encrypted
 * as the page's script does it), follows it through the private link, the analyst relays questions
 * to the hospital without exposing either side, the 5-working-day clock shows, the case closes
 * with a published advisory and a CVE JSON 5 record, and the finder is credited as they asked.
 */

const HTML = { accept: 'text/html' };
const FINDER = { name: 'Ruben Zoeker', email: 'ruben@zoeker.example', credit: 'R. Zoeker (Zorgsec)' };
const TOKEN_IN_LINK = /\/cvd\/case\/([A-Za-z0-9_-]{43})/;

let t: TestApp;
let noord: string;
let analyst: Credentials;
let reviewers: Credentials[];
let hospitalUser: Credentials;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://wachtpost.test', CVD_FORM_MIN_SECONDS: '0' });
  await loadDemo(t.system);
  invalidateConstituency(t.services.database);
  const cert = await makeOrganisation(t, 'cert');
  const team: TestUser[] = [await makeUser(t, cert.id, 'cert-analyst'), await makeUser(t, cert.id, 'cert-analyst'), await makeUser(t, cert.id, 'cert-admin')];
  analyst = await login(t, team[0]!);
  reviewers = [await login(t, team[1]!), await login(t, team[2]!)];
  noord = (await t.system.db.selectFrom('organisations').select('id').where('name', '=', 'Ziekenhuis Noord').executeTakeFirstOrThrow()).id;
  hospitalUser = await login(t, await makeUser(t, noord, 'participant-admin'));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const page = async (url: string) => t.app.inject({ method: 'GET', url, headers: HTML });
async function postLink(token: string, path: string, fields: Record<string, string>) {
  return t.app.inject({ method: 'POST', url: `/cvd/case/${token}${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML }, payload: new URLSearchParams(fields).toString() });
}

describe('Coordinated vulnerability disclosure: a relay between finders, hospitals and manufacturers', () => {
  let token = '';
  let reference = '';
  let caseId = '';

  it('1. the finder reports a flaw in Ziekenhuis Noord’s website through the form, encrypted in the browser, and gets a case number and a private link', async () => {
    const form = await page('/cvd?lang=en');
    expect(form.statusCode).toBe(200);
    // The page offers the CERT's key and the script that encrypts with it.
    expect(form.body).toContain('/cvd/pgp-key.asc');
    expect(form.body).toContain('/cvd/assets/cvd-form.js');
    const ticket = /name="ticket" value="([^"]+)"/.exec(form.body)![1]!;
    const armoredKey = (await t.app.inject({ method: 'GET', url: '/cvd/pgp-key.asc' })).body;
    // What cvd-form.js builds from the fields and files, encrypted to the served key.
    const plaintext = JSON.stringify({
      report: {
        targetKind: 'website',
        target: 'https://portaal.ziekenhuis-noord.example/berichten?id=77',
        title: 'Messages of other patients readable by changing the id',
        description: 'The messages page of the patient portal returns any patient’s messages when the id in the URL is changed; there is no check that the message belongs to the signed-in patient.',
        steps: '1. Sign in as a patient. 2. Open /berichten?id=77. 3. Change 77 into 76.',
        impact: 'Any patient can read every other patient’s messages with the hospital.',
        finderName: FINDER.name,
        finderEmail: FINDER.email,
        credit: 'alias',
        creditName: FINDER.credit,
        language: 'en',
      },
      attachments: [{ name: 'screenshot.txt', type: 'text/plain', dataBase64: Buffer.from('GET /berichten?id=76 → 200, messages of patient 76').toString('base64') }],
    });
    const encrypted = await openpgp.encrypt({ message: await openpgp.createMessage({ text: plaintext }), encryptionKeys: await openpgp.readKey({ armoredKey }) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/cvd?lang=en',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
      payload: new URLSearchParams({ ticket, lang: 'en', homepage: '', encrypted: encrypted as string }).toString(),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    reference = /CVD-\d{4}-\d{4,}/.exec(res.body)![0];
    token = TOKEN_IN_LINK.exec(res.body)![1]!;
    const row = await t.system.db.selectFrom('cvd_cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    caseId = row.id;
    expect(row).toMatchObject({ encrypted: true, target_kind: 'website', credit: 'alias', credit_name: FINDER.credit });
    const files = await t.system.db.selectFrom('cvd_attachments').select(['file_name', 'sha256']).where('case_id', '=', caseId).execute();
    expect(files).toEqual([{ file_name: 'screenshot.txt', sha256: createHash('sha256').update('GET /berichten?id=76 → 200, messages of patient 76').digest('hex') }]);
    // The acknowledgement mail carries the same link.
    const ack = await t.system.db.selectFrom('outbox').select('payload').where('dedupe_key', '=', `cvd:${caseId}:ack`).executeTakeFirstOrThrow();
    expect(JSON.stringify(ack.payload)).toContain(`/cvd/case/${token}`);
  });

  it('2. the analyst sees who it concerns and the five-working-day clock', async () => {
    const c = (await call(t, 'GET', `/api/v1/cvd/cases/${caseId}`, analyst)).json<CvdCaseOut>();
    expect(c.scope.organisations).toEqual([expect.objectContaining({ id: noord, name: 'Ziekenhuis Noord', via: 'domain', matched: 'ziekenhuis-noord.example' })]);
    expect(c.firstResponse).toMatchObject({ state: expect.stringMatching(/running|soon/), due: firstResponseDue(new Date(c.receivedAt), new Map()).toISOString() });
    expect(c.firstResponse.workingDaysLeft).toBeGreaterThanOrEqual(4);
    const list = (await call(t, 'GET', '/api/v1/cvd/cases?open=true', analyst)).json<{ items: { id: string; firstResponse: { state: string } }[] }>();
    expect(list.items.find((i) => i.id === caseId)?.firstResponse.state).toMatch(/running|soon/);
    // The finder's page shows the clock too: the date by which they will hear from the CERT.
    const finderPage = await page(`/cvd/case/${token}`);
    expect(finderPage.statusCode).toBe(200);
    expect(finderPage.body).toContain(reference);
  });

  it('3. the analyst relays questions to the hospital and its answer to the finder, exposing neither side', async () => {
    const withHospital = (await call(t, 'POST', `/api/v1/cvd/cases/${caseId}/parties/from-scope`, analyst)).json<CvdCaseOut>();
    const hospital = withHospital.parties.find((p) => p.organisationId === noord)!;
    const finder = withHospital.parties.find((p) => p.kind === 'finder')!;
    expect((await call(t, 'POST', `/api/v1/cvd/cases/${caseId}/messages`, analyst, { partyId: hospital.id, body: 'A researcher reports that message ids on the portal can be changed to read other patients’ messages. Can you reproduce this, and when can it be fixed?' })).statusCode).toBe(201);

    const view = (await call(t, 'GET', `/api/v1/cvd/party-cases/${caseId}`, hospitalUser)).json<PartyViewOut>();
    expect(view.finder).toBeNull();
    expect(JSON.stringify(view)).not.toMatch(/Ruben|zoeker\.example|Zorgsec/);
    expect(view.messages.at(-1)?.body).toContain('can be changed');
    expect((await call(t, 'POST', `/api/v1/cvd/party-cases/${caseId}/messages`, hospitalUser, { body: 'Reproduced at Ziekenhuis Noord. Our portal supplier releases a fix on Monday; is the researcher willing to retest?' })).statusCode).toBe(201);
    await call(t, 'PATCH', `/api/v1/cvd/party-cases/${caseId}`, hospitalUser, { status: 'fix_planned' });

    const cert = (await call(t, 'GET', `/api/v1/cvd/cases/${caseId}`, analyst)).json<CvdCaseOut>();
    const answer = cert.messages.find((m) => m.direction === 'in' && m.partyId === hospital.id)!;
    const relayed = await call(t, 'POST', `/api/v1/cvd/cases/${caseId}/messages`, analyst, { partyId: finder.id, relayedFromId: answer.id, body: 'The organisation reproduced the issue; a fix is released on Monday. Would you retest afterwards?' });
    expect(relayed.statusCode, relayed.body).toBe(201);
    expect(relayed.json<CvdCaseOut>().firstResponse.state).toBe('met');

    // The finder reads it through the private link, and answers there.
    const finderPage = await page(`/cvd/case/${token}`);
    expect(finderPage.body).toContain('a fix is released on Monday');
    expect(finderPage.body).not.toContain('Ziekenhuis Noord');
    const answered = await postLink(token, '/messages', { body: 'Happy to retest on Monday.' });
    expect(answered.statusCode).toBe(303);
    const after = (await call(t, 'GET', `/api/v1/cvd/cases/${caseId}`, analyst)).json<CvdCaseOut>();
    expect(after.messages.filter((m) => m.partyId === finder.id).map((m) => m.direction)).toEqual(['out', 'in']);
  });

  it('4. the case closes with a published advisory and a CVE JSON 5 record, and the finder is credited as they asked', async () => {
    const details = await call(t, 'PATCH', `/api/v1/cvd/cases/${caseId}`, analyst, {
      vendor: 'Portaalbouw',
      product: 'PatientPortaal',
      version: '2.3',
      cveId: 'CVE-2026-61234',
      cweId: 'CWE-639',
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
      status: 'fixed',
    });
    expect(details.statusCode, details.body).toBe(200);
    const early = await call(t, 'PATCH', `/api/v1/cvd/cases/${caseId}`, analyst, { status: 'disclosed' });
    expect(early.json()).toMatchObject({ error: { code: 'cvd_no_advisory' } });

    const drafted = await call(t, 'POST', `/api/v1/cvd/cases/${caseId}/advisory`, analyst, { tlp: 'CLEAR' });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const productId = drafted.json<{ productId: string }>().productId;
    expect((await call(t, 'POST', `/api/v1/advisories/${productId}/submit`, analyst, {})).statusCode).toBe(200);
    for (const r of reviewers) {
      const approved = await call(t, 'POST', `/api/v1/advisories/${productId}/approve`, r);
      expect(approved.statusCode, approved.body).toBe(200);
      if (approved.json<{ status: string }>().status === 'approved') break;
    }
    const published = await call(t, 'POST', `/api/v1/advisories/${productId}/publish`, reviewers[0]!);
    expect(published.statusCode, published.body).toBe(200);
    const identifier = published.json<{ identifier: string }>().identifier;

    const closed = await call(t, 'PATCH', `/api/v1/cvd/cases/${caseId}`, analyst, { status: 'disclosed' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<CvdCaseOut>()).toMatchObject({ status: 'disclosed', advisory: { id: productId, status: 'published' } });
    expect(closed.json<CvdCaseOut>().closedAt).not.toBeNull();

    // The advisory credits the finder under the name they chose, and nothing else of theirs.
    const csaf = (await call(t, 'GET', `/api/v1/advisories/${productId}/csaf`, analyst)).json<CsafDocument>();
    expect(csaf.document.acknowledgments).toEqual([expect.objectContaining({ names: [FINDER.credit] })]);
    expect(csaf.vulnerabilities?.[0]).toMatchObject({ cve: 'CVE-2026-61234', cwe: { id: 'CWE-639' } });
    expect(JSON.stringify(csaf)).not.toMatch(/Ruben Zoeker|ruben@zoeker\.example|berichten\?id=7/);

    // The CVE record for the CNA: valid CVE JSON 5, the finder credited as asked, the advisory referenced.
    const record = await call(t, 'GET', `/api/v1/cvd/cases/${caseId}/cve-record`, analyst);
    expect(record.statusCode, record.body).toBe(200);
    const cve = record.json<{ cveMetadata: { cveId: string }; containers: { cna: { credits: { value: string; type: string }[]; references: { url: string }[] } } }>();
    expect(cveSchemaErrors(cve)).toEqual([]);
    const official = officialCveSchemaValidator();
    if (official) expect(official(cve)).toEqual([]);
    expect(cve.cveMetadata.cveId).toBe('CVE-2026-61234');
    expect(cve.containers.cna.credits).toEqual([expect.objectContaining({ value: FINDER.credit, type: 'finder' })]);
    expect(cve.containers.cna.references.map((r) => r.url)).toContain(`http://wachtpost.test/public/advisories/${identifier}`);

    // The finder sees the case disclosed with the advisory, and the public thanks them as asked.
    const finderPage = await page(`/cvd/case/${token}`);
    expect(finderPage.body).toContain(`/public/advisories/${identifier}`);
    const thanks = await page('/cvd/acknowledgements');
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain(FINDER.credit);
    expect(thanks.body).not.toContain(FINDER.name);
    expect(thanks.body).toContain(`/public/advisories/${identifier}`);
  });
});

describe('the CVD demo on first start', () => {
  it('holds a relayed website case, a medical-device case under embargo, an unanswered report and a credited disclosure', async () => {
    const list = (await call(t, 'GET', '/api/v1/cvd/cases?limit=200', analyst)).json<{ items: { reference: string; title: string; status: string; parties: number }[] }>();
    const byTitle = (part: string) => list.items.find((i) => i.title.includes(part));
    expect(byTitle('Afspraken van andere patiënten')).toMatchObject({ status: 'coordinating', parties: 1 });
    expect(byTitle('dose-table')).toMatchObject({ status: 'coordinating' });
    expect(byTitle('dose-table')!.parties).toBeGreaterThanOrEqual(2);
    expect(byTitle('Open RDP')).toMatchObject({ status: 'received' });
    expect(byTitle('session check')).toMatchObject({ status: 'disclosed' });
    const dashboard = (await call(t, 'GET', '/api/v1/cvd/dashboard', analyst)).json<{ counts: Record<string, number> }>();
    expect(dashboard.counts.disclosed).toBeGreaterThanOrEqual(1);
    const thanks = await page('/cvd/acknowledgements');
    expect(thanks.body).toContain('J. Meijer (Pentest Example)');
    expect(thanks.body).not.toContain('joost@pentest.example');
  });
});
