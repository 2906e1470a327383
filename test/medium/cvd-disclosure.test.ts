import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { readCleartextMessage, readKey, verify } from 'openpgp';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { TEST_PASSWORD, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { actorCtx, makeCertTeam, type CertTeam } from '../helpers/products.ts';
import { cveSchemaErrors, officialCveSchemaValidator } from '../helpers/cve-schema.ts';
import { gpgAvailable, runGpg } from '../helpers/gpg.ts';
import { main } from '../../src/cli/main.ts';
import { asOperator } from '../../src/cli/shared.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadConfig } from '../../src/server/config.ts';
import { systemContext } from '../../src/server/context.ts';
import { AdvisoryContent } from '../../src/modules/advisories/advisory.content.ts';
import * as drafts from '../../src/modules/advisories/advisory.service.ts';
import * as publication from '../../src/modules/advisories/publication.service.ts';
import type { CsafDocument } from '../../src/modules/advisories/csaf/csaf-document.ts';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import type { CvdCaseOut } from '../../src/modules/cvd/cvd.schema.ts';
import type { CveRecord } from '../../src/modules/cvd/cve-record.ts';
import { securityTxtFor } from '../../src/modules/cvd/delegation.service.ts';
import { parseSecurityTxt } from '../../src/modules/cvd/security-txt.ts';
import { invalidateConstituency } from '../../src/modules/monitoring/constituency.service.ts';

/** Disclosure of a CVD case (advisory draft, CVE record, credit as chosen) and delegated security.txt (API and CLI). */

const PUBLIC_URL = 'https://cert.example';
const FINDER = { name: 'Fenna Vinder', email: 'fenna@finder.example' };
const STEPS = 'POST /api/dose with an empty session header: the pump accepts the dose.';

let t: TestApp;
let team: CertTeam;
let analyst: Credentials;
let hospital: string;
let otherHospital: string;
let ciso: Credentials;
let otherCiso: Credentials;
let cveCounter = 41000;

const productReport = {
  targetKind: 'product',
  vendor: 'Infusia Medical',
  product: 'InfuPump',
  model: 'IP-300',
  version: '4.2.0',
  title: 'Dose commands without authentication on the InfuPump',
  description: `The pump's network service accepts dose commands without a session. Fenna Vinder (${FINDER.email}) found this while testing a lab device.`,
  steps: STEPS,
  impact: 'Anyone on the clinical network can change an infusion.',
  finderName: FINDER.name,
  finderEmail: FINDER.email,
  credit: 'alias',
  creditName: 'n0body',
  language: 'nl',
};

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, CVD_CNA_SHORT_NAME: 'CERTzorg', CVD_CNA_ORG_ID: '6f0d5c2e-4b1a-4c3d-9e8f-0a1b2c3d4e5f' });
  await ensureSigningKey(t.system);
  team = await makeCertTeam(t);
  analyst = await login(t, team.author);
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Noord Disclosure')).id;
  otherHospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Elders Disclosure')).id;
  ciso = await login(t, await makeUser(t, hospital, 'participant-admin'));
  otherCiso = await login(t, await makeUser(t, otherHospital, 'participant-admin'));
  const asset = await call(t, 'POST', `/api/v1/organisations/${hospital}/assets`, analyst, {
    type: 'domain',
    value: 'zorg-noord.example',
    includeSubdomains: true,
  });
  expect(asset.statusCode, asset.body).toBe(201);
  invalidateConstituency(t.services.database);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/**
 * `login` from the factories, for an https PUBLIC_URL (a security.txt points at https only): the
 * session cookie is then `__Host-wp_session`, which the shared helper does not look for.
 */
async function login(t: TestApp, user: TestUser): Promise<Credentials> {
  const res = await call(t, 'POST', '/api/v1/auth/login', null, { email: user.email, password: TEST_PASSWORD });
  const session = res.cookies.find((c) => c.name === '__Host-wp_session');
  if (res.statusCode !== 200 || !session) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = `__Host-wp_session=${session.value}`;
  const body = res.json<{ status: string; csrfToken: string }>();
  if (body.status === 'totp_required') {
    await t.system.db.updateTable('users').set({ totp_last_step: null }).where('id', '=', user.id).execute();
    const r2 = await call(t, 'POST', '/api/v1/auth/totp', { cookie, csrf: body.csrfToken }, { code: currentTotp(user.totpSecret!) });
    if (r2.statusCode !== 200) throw new Error(`totp failed: ${r2.statusCode} ${r2.body}`);
  }
  return { cookie, csrf: body.csrfToken };
}

async function logReport(body: Record<string, unknown>, patch: Record<string, unknown> = {}): Promise<CvdCaseOut> {
  const res = await call(t, 'POST', '/api/v1/cvd/cases', analyst, body);
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json<{ case: CvdCaseOut }>().case;
  if (!Object.keys(patch).length) return c;
  const patched = await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, patch);
  expect(patched.statusCode, patched.body).toBe(200);
  return patched.json<CvdCaseOut>();
}

const nextCve = () => `CVE-2026-${++cveCounter}`;
const classification = () => ({ cveId: nextCve(), cweId: 'CWE-306', cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });

async function draft(caseId: string, body: Record<string, unknown> = {}) {
  const res = await call(t, 'POST', `/api/v1/cvd/cases/${caseId}/advisory`, analyst, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ case: CvdCaseOut; productId: string }>();
}

async function draftRow(productId: string) {
  const row = await t.system.db
    .selectFrom('products')
    .select(['kind', 'draft_tlp', 'draft_recipients', 'draft_content'])
    .where('id', '=', productId)
    .executeTakeFirstOrThrow();
  return { ...row, content: AdvisoryContent.parse(row.draft_content) };
}

/** Four eyes, through the services: the author submits, two other analysts approve and publish. */
async function publish(productId: string): Promise<string> {
  await drafts.submitForReview(await actorCtx(t, team.author.id), productId, undefined);
  for (const reviewer of team.reviewers) {
    const r = await drafts.approve(await actorCtx(t, reviewer.id), productId);
    if (r.status === 'approved') break;
  }
  return (await publication.publish(await actorCtx(t, team.reviewers[0].id), productId)).identifier;
}

async function cveRecordOf(caseId: string): Promise<CveRecord> {
  const res = await call(t, 'GET', `/api/v1/cvd/cases/${caseId}/cve-record`, analyst);
  expect(res.statusCode, res.body).toBe(200);
  const record = res.json<CveRecord>();
  expect(cveSchemaErrors(record)).toEqual([]);
  const official = officialCveSchemaValidator();
  if (official) expect(official(record)).toEqual([]);
  return record;
}

const expectNoFinder = (text: string) => {
  expect(text).not.toContain(FINDER.name);
  expect(text).not.toContain('Fenna');
  expect(text).not.toContain(FINDER.email);
};

describe('disclosure: the advisory and the CVE record from a case', () => {
  it('drafts the advisory of a product case with CVE, CWE, CVSS, the product and the alias credit, without the finder or the steps; publishes; makes the CVE record', async () => {
    const c = await logReport(productReport, classification());
    const { case: after, productId } = await draft(c.id);
    expect(after.advisory).toEqual({ id: productId, identifier: null, status: 'draft' });
    expect(after.events.at(-1)).toMatchObject({ kind: 'advisory' });

    const stored = await draftRow(productId);
    expect(stored.kind).toBe('advisory');
    expect(stored.draft_tlp).toBe('CLEAR');
    const content = stored.content;
    expect(content.products).toEqual([
      expect.objectContaining({ id: 'P1', vendor: 'Infusia Medical', name: 'InfuPump', versions: '4.2.0', medicalDevice: true, model: 'IP-300' }),
    ]);
    expect(content.vulnerabilities).toEqual([
      expect.objectContaining({
        cve: c.cveId,
        cwe: { id: 'CWE-306', name: 'Missing Authentication for Critical Function' },
        cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        productStatus: [{ productId: 'P1', status: 'affected' }],
      }),
    ]);
    expect(content.impact).toBe('high');
    expect(content.acknowledgments).toEqual([{ names: ['n0body'], summary: '', urls: [] }]);
    expect(content.nl.summary).toContain('gecoördineerd');
    expect(content.en?.summary).toContain('coordinated');
    expect(content.en?.title).toBe(productReport.title);
    // Everything stored (draft and its first version): no finder name or address, no exploit steps.
    const versions = await t.system.db.selectFrom('product_versions').select('content').where('product_id', '=', productId).execute();
    for (const json of [JSON.stringify(stored.draft_content), ...versions.map((v) => JSON.stringify(v.content))]) {
      expectNoFinder(json);
      expect(json).not.toContain('empty session header');
      expect(json).toContain('n0body');
    }

    const again = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/advisory`, analyst, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'cvd_advisory_exists', details: { productId } } });

    const unpublished = await call(t, 'GET', `/api/v1/cvd/cases/${c.id}/cve-record`, analyst);
    expect(unpublished.statusCode).toBe(409);
    expect(unpublished.json()).toMatchObject({ error: { code: 'cvd_no_reference', message: expect.stringContaining('publish the advisory first') } });

    const identifier = await publish(productId);
    const revision = await t.system.db.selectFrom('product_revisions').select('csaf').where('product_id', '=', productId).executeTakeFirstOrThrow();
    const csaf = JSON.parse(revision.csaf) as CsafDocument;
    expect(csaf.document.acknowledgments).toEqual([{ names: ['n0body'] }]);
    expect(csaf.vulnerabilities?.[0]).toMatchObject({ cve: c.cveId, cwe: { id: 'CWE-306' } });
    expectNoFinder(revision.csaf);

    const page = await t.app.inject({ method: 'GET', url: `/public/advisories/${identifier}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2>Met dank aan</h2><ul class="credits"><li>n0body</li></ul>');
    expectNoFinder(page.body);

    const record = await cveRecordOf(c.id);
    expect(record.cveMetadata).toMatchObject({
      cveId: c.cveId,
      assignerShortName: 'CERTzorg',
      assignerOrgId: '6f0d5c2e-4b1a-4c3d-9e8f-0a1b2c3d4e5f',
      state: 'PUBLISHED',
    });
    const cna = record.containers.cna;
    expect(cna.credits).toEqual([{ lang: 'en', value: 'n0body', type: 'finder' }]);
    expect(cna.affected).toEqual([
      {
        vendor: 'Infusia Medical',
        product: 'InfuPump IP-300',
        versions: [{ version: '4.2.0', status: 'affected', versionType: 'custom' }],
        defaultStatus: 'unknown',
      },
    ]);
    expect(cna.references.map((r) => r.url)).toEqual([
      `${PUBLIC_URL}/public/advisories/${identifier}`,
      expect.stringMatching(new RegExp(`^${PUBLIC_URL}/\\.well-known/csaf/white/2\\d{3}/`)),
    ]);
    expect(cna.problemTypes?.[0]?.descriptions[0]).toMatchObject({ cweId: 'CWE-306' });
    expect(cna.metrics?.[0]?.cvssV3_1).toMatchObject({ baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(cna.descriptions.find((d) => d.lang === 'en')?.value).toContain('coordinated');
    expectNoFinder(JSON.stringify(record));

    const download = await call(t, 'GET', `/api/v1/cvd/cases/${c.id}/cve-record?download=1`, analyst);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain(`filename="${c.cveId}.json"`);
    expect(JSON.parse(download.body)).toEqual(record);

    // A participant that is no party to the case does not learn it exists; nor may it draft.
    const asParticipant = await call(t, 'GET', `/api/v1/cvd/cases/${c.id}/cve-record`, ciso);
    expect([403, 404]).toContain(asParticipant.statusCode);
    const draftAsParticipant = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/advisory`, ciso, {});
    expect(draftAsParticipant.statusCode).toBe(403);
  });

  it('credits the finder as they chose: by name, anonymously, or not at all, in the advisory, its CSAF document and the CVE record', async () => {
    const cases = [
      {
        credit: 'name',
        creditName: undefined,
        ack: [{ names: [FINDER.name], summary: '', urls: [] }],
        csaf: [{ names: [FINDER.name] }],
        cve: [{ lang: 'en', value: FINDER.name, type: 'finder' }],
      },
      {
        credit: 'anonymous',
        creditName: undefined,
        ack: [{ names: [], summary: expect.stringContaining('anonymous researcher'), urls: [] }],
        csaf: [{ summary: expect.stringContaining('anonymous researcher') }],
        cve: [{ lang: 'en', value: 'Anonymous researcher', type: 'finder' }],
      },
      { credit: 'none', creditName: undefined, ack: [], csaf: undefined, cve: undefined },
    ] as const;
    for (const choice of cases) {
      const c = await logReport({ ...productReport, credit: choice.credit, creditName: choice.creditName }, classification());
      const { productId } = await draft(c.id);
      const { content } = await draftRow(productId);
      expect(content.acknowledgments, choice.credit).toEqual(choice.ack);
      await publish(productId);
      const revision = await t.system.db.selectFrom('product_revisions').select('csaf').where('product_id', '=', productId).executeTakeFirstOrThrow();
      const csaf = JSON.parse(revision.csaf) as CsafDocument;
      expect(csaf.document.acknowledgments, choice.credit).toEqual(choice.csaf);
      const record = await cveRecordOf(c.id);
      expect(record.containers.cna.credits, choice.credit).toEqual(choice.cve);
      // By name is the finder's own choice; their address never travels.
      expect(revision.csaf).not.toContain(FINDER.email);
      expect(JSON.stringify(record)).not.toContain(FINDER.email);
    }
  });

  it('refuses a CVE record without a CVE id, in a sentence', async () => {
    const c = await logReport(productReport, { cweId: 'CWE-306' });
    const res = await call(t, 'GET', `/api/v1/cvd/cases/${c.id}/cve-record`, analyst);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'cvd_no_cve_id', message: expect.stringMatching(/no CVE id.*set it on the case/) } });
  });

  it('drafts a website case as an AMBER advisory for the participants on the case, without products or the target, and makes no CVE record without a product', async () => {
    const c = await logReport(
      {
        targetKind: 'website',
        target: 'https://portaal.zorg-noord.example/login?next=/',
        title: 'Reflected XSS in the patient portal login',
        description: 'The next parameter of the login page is echoed into the page without encoding, so script runs in the portal origin.',
        steps: '1. Open /login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
        impact: 'Session theft of patients who follow a crafted link.',
        finderName: FINDER.name,
        finderEmail: FINDER.email,
        credit: 'anonymous',
        language: 'en',
      },
      { cveId: nextCve(), cweId: 'CWE-79', cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' },
    );
    const scoped = await call(t, 'POST', `/api/v1/cvd/cases/${c.id}/parties/from-scope`, analyst);
    expect(scoped.statusCode, scoped.body).toBe(200);
    const { productId } = await draft(c.id);
    const stored = await draftRow(productId);
    expect(stored).toMatchObject({ kind: 'advisory', draft_tlp: 'AMBER', draft_recipients: [hospital] });
    expect(stored.content.products).toEqual([]);
    expect(stored.content.vulnerabilities).toEqual([
      expect.objectContaining({
        cve: c.cveId,
        cwe: { id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" },
        productStatus: [],
      }),
    ]);
    expect(stored.content.nl.body).toContain('niet vertaald');
    const json = JSON.stringify(stored.draft_content);
    expect(json).not.toContain('zorg-noord.example');
    expect(json).not.toContain('%3Cscript');
    expectNoFinder(json);

    await publish(productId);
    const res = await call(t, 'GET', `/api/v1/cvd/cases/${c.id}/cve-record`, analyst);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'cvd_no_product' } });
    // With a provider and service named, the AMBER advisory is referenced by its CSAF document.
    await call(t, 'PATCH', `/api/v1/cvd/cases/${c.id}`, analyst, { vendor: 'Zorg Noord', product: 'Patient portal' });
    const record = await cveRecordOf(c.id);
    expect(record.containers.cna.affected).toEqual([{ vendor: 'Zorg Noord', product: 'Patient portal', defaultStatus: 'affected' }]);
    expect(record.containers.cna.references).toEqual([
      expect.objectContaining({ url: expect.stringContaining('/.well-known/csaf/amber/'), tags: ['third-party-advisory', 'permissions-required'] }),
    ]);
  });
});

/** Verifies a cleartext-signed file with the CERT's public key: openpgp.js always, GnuPG when present. */
async function expectGoodSignature(signed: string) {
  const { publicKeyArmored, fingerprint } = await activeSigningKey(t.system);
  const key = await readKey({ armoredKey: publicKeyArmored });
  const result = await verify({ message: await readCleartextMessage({ cleartextMessage: signed }), verificationKeys: key });
  await expect(result.signatures[0]?.verified).resolves.toBe(true);
  if (!gpgAvailable()) return;
  const home = await mkdtemp(path.join(os.tmpdir(), 'wp-gpg-sectxt-'));
  try {
    const env = { ...process.env, GNUPGHOME: home };
    await writeFile(path.join(home, 'key.asc'), publicKeyArmored);
    await writeFile(path.join(home, 'security.txt'), signed);
    expect((await runGpg(['--batch', '--import', path.join(home, 'key.asc')], env)).code).toBe(0);
    const verified = await runGpg(['--batch', '--status-fd', '1', '--verify', path.join(home, 'security.txt')], env);
    expect(verified.stdout.toString(), verified.stderr).toMatch(new RegExp(`\\[GNUPG:\\] VALIDSIG ${fingerprint}`));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

describe('delegated CVD: the security.txt', () => {
  it('is refused until the CERT records the delegation; then points at the form, the address, the key and the acknowledgements', async () => {
    const before = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt`, analyst);
    expect(before.statusCode).toBe(409);
    expect(before.json()).toMatchObject({ error: { code: 'cvd_not_delegated' } });

    const byParticipant = await call(t, 'PUT', `/api/v1/cvd/delegations/${hospital}`, ciso, { delegated: true });
    expect(byParticipant.statusCode).toBe(403);
    const certOrg = (await makeOrganisation(t, 'cert')).id;
    const notParticipant = await call(t, 'PUT', `/api/v1/cvd/delegations/${certOrg}`, analyst, { delegated: true });
    expect(notParticipant.json()).toMatchObject({ error: { code: 'cvd_delegation_participants_only' } });
    const delegated = await call(t, 'PUT', `/api/v1/cvd/delegations/${hospital}`, analyst, { delegated: true });
    expect(delegated.statusCode, delegated.body).toBe(200);
    expect(delegated.json()).toEqual({ organisationId: hospital, name: 'Ziekenhuis Noord Disclosure', delegated: true });

    const res = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt`, analyst);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const parsed = parseSecurityTxt(res.body);
    expect(parsed.problems.filter((p) => p.level === 'error')).toEqual([]);
    const field = (name: string) => parsed.fields.filter((f) => f.name === name).map((f) => f.value);
    expect(field('Contact')).toEqual([`${PUBLIC_URL}/cvd?org=${hospital}`, 'mailto:cvd@cert.example']);
    expect(field('Encryption')).toEqual([`${PUBLIC_URL}/cvd/pgp-key.asc`]);
    expect(field('Acknowledgments')).toEqual([`${PUBLIC_URL}/cvd/acknowledgements`]);
    expect(field('Preferred-Languages')).toEqual(['nl, en']);
    expect(field('Canonical')).toEqual(['https://zorg-noord.example/.well-known/security.txt']);
    expect(field('CSAF')).toEqual([`${PUBLIC_URL}/.well-known/csaf/provider-metadata.json`]);
    const expires = new Date(field('Expires')[0] ?? '');
    expect(expires.getTime() - Date.now()).toBeGreaterThan(363 * 86_400_000);
    expect(expires.getTime() - Date.now()).toBeLessThanOrEqual(365 * 86_400_000);

    // The participant's own users get the same file; another participant's do not see it.
    const own = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt`, ciso);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.body).toBe(res.body);
    const other = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt`, otherCiso);
    expect([403, 404]).toContain(other.statusCode);

    const short = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt?expiresDays=30`, ciso);
    const shortExpires = new Date(parseSecurityTxt(short.body).fields.find((f) => f.name === 'Expires')?.value ?? '');
    expect(Math.round((shortExpires.getTime() - Date.now()) / 86_400_000)).toBeGreaterThanOrEqual(29);
    expect(Math.round((shortExpires.getTime() - Date.now()) / 86_400_000)).toBeLessThanOrEqual(30);
    const tooLong = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt?expiresDays=400`, analyst);
    expect(tooLong.statusCode).toBe(400);
  });

  it('signs the file with the CERT key on request (GnuPG verifies it when present)', async () => {
    await call(t, 'PUT', `/api/v1/cvd/delegations/${hospital}`, analyst, { delegated: true });
    const res = await call(t, 'GET', `/api/v1/organisations/${hospital}/security-txt?signed=true`, ciso);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\n')).toBe(true);
    const parsed = parseSecurityTxt(res.body);
    expect(parsed.signed).toBe(true);
    expect(parsed.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(parsed.problems.map((p) => p.code)).not.toContain('no_canonical');
    await expectGoodSignature(res.body);
    // A changed line no longer verifies: the check is real.
    const tampered = res.body.replace(`org=${hospital}`, `org=${otherHospital}`);
    const { publicKeyArmored } = await activeSigningKey(t.system);
    const check = await verify({
      message: await readCleartextMessage({ cleartextMessage: tampered }),
      verificationKeys: await readKey({ armoredKey: publicKeyArmored }),
    });
    await expect(check.signatures[0]?.verified).rejects.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI, in this process, on a data folder of its own (the test app's database is in memory).

const SETTINGS = [
  'DATABASE_URL',
  'WACHTPOST_DATA_DIR',
  'SMTP_URL',
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'MAIL_FROM',
  'WACHTPOST_KEY_PASSPHRASE',
  'TRUST_PROXY',
  'LOG_LEVEL',
];
const LONG = 300_000;

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
  for (const key of SETTINGS) delete process.env[key];
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    ((chunk: string | Uint8Array) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => (stdout += s)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => (stderr += s)));
  try {
    await main(['node', 'wachtpost', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

describe('wachtpost cvd', () => {
  let dir: string;
  let settings: Record<string, string>;
  let participantId: string;
  const withoutExpires = (s: string) => s.replace(/^Expires: .*$/m, 'Expires: …');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wachtpost-cvd-cli-'));
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pg'), template: new Blob([await readFile(inject('pgliteTemplate'))]) });
    await migrate(database);
    await database.db.insertInto('organisations').values({ kind: 'cert', name: 'CERT Zorg CLI' }).execute();
    const org = await database.db
      .insertInto('organisations')
      .values({ kind: 'participant', name: 'Ziekenhuis CLI', short_name: 'ZCLI', segment: 'hospital' })
      .returning('id')
      .executeTakeFirstOrThrow();
    participantId = org.id;
    await database.db.insertInto('assets').values({ organisation_id: org.id, type: 'domain', value: 'ziekenhuis-cli.example', status: 'approved' }).execute();
    await database.close();
    settings = { WACHTPOST_DATA_DIR: dataDir, PUBLIC_URL, LOG_LEVEL: 'warn' };
  }, LONG);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'delegates, then writes the same security.txt as the service, plain and signed',
    async () => {
      const refused = await runCli(['cvd', 'security-txt', '--organisation', 'ZCLI'], settings);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Error (cvd_not_delegated)');

      const delegated = await runCli(['cvd', 'delegate', '--organisation', 'Ziekenhuis CLI'], settings);
      expect(delegated.code, delegated.stderr).toBe(0);
      expect(delegated.stdout).toContain('Ziekenhuis CLI now delegates');

      const printed = await runCli(['cvd', 'security-txt', '--organisation', participantId, '--expires-days', '90'], settings);
      expect(printed.code, printed.stderr).toBe(0);
      const file = path.join(dir, 'security.txt');
      const written = await runCli(['cvd', 'security-txt', '--organisation', 'ZCLI', '--expires-days', '90', '--out', file], settings);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toContain(`to ${file}`);
      expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
      expect(parseSecurityTxt(printed.stdout).problems.filter((p) => p.level === 'error')).toEqual([]);
      expect(printed.stdout).toContain(`Contact: ${PUBLIC_URL}/cvd?org=${participantId}\n`);
      expect(printed.stdout).toContain('Canonical: https://ziekenhuis-cli.example/.well-known/security.txt\n');

      const badDays = await runCli(['cvd', 'security-txt', '--organisation', 'ZCLI', '--expires-days', '366'], settings);
      expect(badDays.code).not.toBe(0);
      expect(badDays.stderr).toContain('1 to 365');

      const rotated = await runCli(['keys', 'rotate'], settings);
      expect(rotated.code, rotated.stderr).toBe(0);
      const signed = await runCli(['cvd', 'security-txt', '--organisation', 'ZCLI', '--sign'], settings);
      expect(signed.code, signed.stderr).toBe(0);
      expect(parseSecurityTxt(signed.stdout)).toMatchObject({ signed: true });

      // The service on the same data gives the same file (Expires is a midnight, so equal all day).
      const database = await openDatabase({ dataDir: path.join(settings.WACHTPOST_DATA_DIR!, 'pg') });
      try {
        const services = { config: loadConfig({ ...settings, PORT: '0' }), database, log: pino({ level: 'silent' }) };
        const ctx = await asOperator(systemContext(services, 'test'));
        const fromService = await securityTxtFor(ctx, participantId, { expiresDays: 90 });
        expect(withoutExpires(printed.stdout)).toBe(withoutExpires(fromService.text));
        expect(printed.stdout).toMatch(/^Expires: \d{4}-\d{2}-\d{2}T00:00:00Z$/m);
        const key = await readKey({ armoredKey: (await activeSigningKey(ctx)).publicKeyArmored });
        const result = await verify({ message: await readCleartextMessage({ cleartextMessage: signed.stdout }), verificationKeys: key });
        await expect(result.signatures[0]?.verified).resolves.toBe(true);
      } finally {
        await database.close();
      }
    },
    LONG,
  );
});
