import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { validateCsaf } from '../../src/modules/advisories/csaf/csaf-validate.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';
import { testdataDir, testdataPath } from '../helpers/testdata.ts';
import { describeInBrowser, expectAccessible } from './browser.ts';
import { apiLogin, type ApiSession } from './api-client.ts';

// The "Done when" of the advisories issue: an analyst drafts an advisory with two CVEs and CVSS 4.0
// scores in the editor, a second analyst approves it, it appears in the portal of the participants
// its TLP allows (flagged relevant for the one that declared the product), on the public page and
// in the CSAF directory, where GnuPG verifies the signature and the validator accepts the document.

const TITLE = `Kwetsbaarheden in InfuCare-netwerkmodule ${Date.now()}`;
const CVSS4_A = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const CVSS4_B = 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N';

describeInBrowser('Advisories, info messages and operational alerts: from draft to signed CSAF', (e2e) => {
  let analystSecret = '';
  let id = '';
  let identifier = '';

  // One person at a time: each step opens its page in a fresh context and closes the one before.
  const newPage = (): Promise<Page> => e2e.newPage({ alone: true });

  it('an analyst drafts an advisory with two CVEs and CVSS 4.0 scores, with live scores and CSAF validation', async () => {
    const p = await newPage();
    analystSecret = await e2e.login(p, 'analyst@cert.example', 'enrol');
    await p.goto(`${e2e.url}/advisories/new`);
    await p.getByLabel('Title', { exact: true }).first().fill(TITLE);
    await p.getByLabel('Summary').first().fill('Twee kwetsbaarheden in de netwerkmodule van InfuCare-pompen.');
    await p.getByLabel('Body (Markdown)').first().fill('De **netwerkmodule** is kwetsbaar.\n\n<script>alert(1)</script>');
    await p.getByLabel('Advice (Markdown)').first().fill('Installeer firmware 4.3.1.');
    // The affected product: the one Ziekenhuis Noord declared (InfuCare pump 4.2).
    await p.getByRole('button', { name: 'Add product' }).click();
    await p.getByLabel('Vendor').first().fill('MedTech Devices');
    await p.getByLabel('Product name').first().fill('InfuCare pump');
    await p.getByLabel('Versions').first().fill('<4.3.1');
    for (const [i, [cve, vector]] of [
      ['CVE-2026-61001', CVSS4_A],
      ['CVE-2026-61002', CVSS4_B],
    ].entries()) {
      await p.getByRole('button', { name: 'Add vulnerability' }).click();
      await p.getByLabel('CVE').nth(i).fill(cve!);
      await p.getByLabel('CVSS 4.0 vector').nth(i).fill(vector!);
    }
    // The calculator scores each vector as it is typed.
    await expect.poll(() => p.getByText('9.3').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expectAccessible(p, 'editor');
    await p.getByRole('button', { name: 'Save' }).click();
    await p.waitForURL(/\/advisories\/[0-9a-f-]{36}/, { timeout: 15_000 });
    id = /\/advisories\/([0-9a-f-]{36})/.exec(p.url())![1]!;

    // The product statuses: both CVEs affect the pump (set through the API as an integrator would).
    const api = await apiLogin(e2e.url, 'analyst@cert.example', { totpSecret: analystSecret });
    const detail = (await api.call('GET', `/api/v1/advisories/${id}`)).json<{ draft: { version: number; tlp: string; content: { vulnerabilities: { cve: string; cvssV4: string }[]; products: { id: string }[] } } }>();
    expect(detail.draft.content.vulnerabilities.map((v) => [v.cve, v.cvssV4])).toEqual([
      ['CVE-2026-61001', CVSS4_A],
      ['CVE-2026-61002', CVSS4_B],
    ]);
    const productId = detail.draft.content.products[0]!.id;
    const content = { ...detail.draft.content, vulnerabilities: detail.draft.content.vulnerabilities.map((v) => ({ ...v, productStatus: [{ productId, status: 'affected' }] })) };
    const saved = await api.call('PUT', `/api/v1/advisories/${id}/draft`, { baseVersion: detail.draft.version, tlp: 'CLEAR', recipients: [], content });
    expect(saved.status).toBe(200);

    await p.reload();
    await p.getByRole('button', { name: 'Submit for review' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Submit for review' }).click().catch(() => undefined);
    await expect.poll(async () => (await api.call('GET', `/api/v1/advisories/${id}`)).json<{ status: string }>().status).toBe('in_review');
    // Four eyes: the author's own approval is refused.
    expect((await api.call('POST', `/api/v1/advisories/${id}/approve`)).status).toBe(403);
  });

  it('a second analyst approves and publishes it', async () => {
    const p = await newPage();
    await e2e.login(p, 'analyst2@cert.example', 'enrol');
    await p.goto(`${e2e.url}/advisories/${id}`);
    await p.getByRole('button', { name: 'Approve' }).click();
    await p.getByRole('button', { name: 'Publish' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Publish' }).click().catch(() => undefined);
    await expect.poll(async () => (await p.locator('body').textContent()) ?? '', { timeout: 15_000 }).toMatch(/WP-\d{4}-\d{4}/);
    identifier = /WP-\d{4}-\d{4}/.exec((await p.locator('body').textContent()) ?? '')![0];
    await expectAccessible(p, 'published advisory');
  });

  it('participants see it in their portal; Ziekenhuis Noord, which declared the pump, sees it flagged relevant', async () => {
    const p = await newPage();
    await e2e.login(p, 'ciso@ziekenhuis-noord.example', 'none');
    await p.goto(`${e2e.url}/advisories`);
    const row = p.getByRole('row', { name: new RegExp(TITLE) });
    await row.waitFor();
    await expect.poll(() => row.getByText('Relevant', { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(p, 'portal list');
    await p.getByLabel('Relevant to us').check();
    await p.getByRole('row', { name: new RegExp(TITLE) }).waitFor();

    const umc = await apiLogin(e2e.url, 'ciso@umc-zuid.example');
    const list = (await umc.call('GET', '/api/v1/advisories?limit=200')).json<{ items: { identifier: string; relevant: boolean }[] }>().items;
    expect(list.find((i) => i.identifier === identifier)).toMatchObject({ relevant: false });
    // A TLP:GREEN product of the demo reaches participants but not a vendor.
    const green = list.find((i) => (i as { tlp?: string }).tlp === 'GREEN');
    expect(green).toBeDefined();
    const vendor = await apiLogin(e2e.url, 'psirt@medtech.example');
    const vendorList = (await vendor.call('GET', '/api/v1/advisories?limit=200')).json<{ items: { identifier: string }[] }>().items;
    expect(vendorList.map((i) => i.identifier)).toContain(identifier);
    expect(vendorList.map((i) => i.identifier)).not.toContain(green!.identifier);
  });

  it('it is on the public page, without the script, and in the Atom feed', async () => {
    const p = await newPage();
    await p.goto(`${e2e.url}/public/advisories/${identifier}`);
    await expect.poll(() => p.locator('h1').textContent()).toBe(TITLE);
    expect(await p.locator('.tlp').first().textContent()).toBe('TLP:CLEAR');
    expect(await p.locator('main script').count()).toBe(0);
    await expectAccessible(p, 'public page');
    const atom = await (await fetch(`${e2e.url}/feeds/advisories.atom`)).text();
    expect(atom).toContain(identifier);
    const pdf = await fetch(`${e2e.url}/public/advisories/${identifier}/pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the CSAF directory serves it; GnuPG verifies the signature and the validator accepts the document', async () => {
    const meta = (await (await fetch(`${e2e.url}/.well-known/csaf/provider-metadata.json`)).json()) as { public_openpgp_keys: { url: string }[] };
    const index = await (await fetch(`${e2e.url}/.well-known/csaf/white/index.txt`)).text();
    const file = index.split('\n').find((l) => l.endsWith(`/${identifier.toLowerCase()}.json`));
    expect(file).toBeDefined();
    const url = `${e2e.url}/.well-known/csaf/white/${file!}`;
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    const doc = JSON.parse(bytes.toString('utf8')) as { document: { tracking: { id: string } }; vulnerabilities: { cve: string; notes: { title?: string; text: string }[] }[] };
    expect(doc.document.tracking.id).toBe(identifier);
    expect(doc.vulnerabilities.map((v) => v.cve)).toEqual(['CVE-2026-61001', 'CVE-2026-61002']);
    expect(doc.vulnerabilities[0]!.notes.find((n) => n.title === 'CVSS v4.0')?.text).toContain('9.3');
    expect((await validateCsaf(doc)).failures).toEqual([]);
    if (!gpgAvailable()) {
      console.warn('Skipping the GnuPG check: gpg is not installed (apt-get install -y gnupg).');
      return;
    }
    const signature = await (await fetch(`${url}.asc`)).text();
    const keyUrl = meta.public_openpgp_keys[0]!.url.replace(/^https?:\/\/[^/]+/, e2e.url);
    const key = await (await fetch(keyUrl)).text();
    const verified = await gpgVerify(key, bytes, signature);
    expect(verified.ok, verified.output).toBe(true);
  });

  it.skipIf(testdataDir() === null)('an OASIS example imports as a draft that keeps its vulnerabilities; an invalid one is refused with the failing test', async () => {
    const api: ApiSession = await apiLogin(e2e.url, 'analyst@cert.example', { totpSecret: analystSecret });
    const example = JSON.parse(readFileSync(testdataPath('csaf-2.0/examples/csaf/bsi-2022-0001.json'), 'utf8')) as { vulnerabilities: { cve?: string }[] };
    const imported = await api.call('POST', '/api/v1/advisories/import', { document: example });
    expect(imported.status).toBe(201);
    const draft = (await api.call('GET', `/api/v1/advisories/${imported.json<{ id: string }>().id}`)).json<{ draft: { content: { vulnerabilities: { cve: string | null }[] } } }>();
    expect(draft.draft.content.vulnerabilities.map((v) => v.cve ?? null)).toEqual(example.vulnerabilities.map((v) => v.cve ?? null));
    const invalid = JSON.parse(readFileSync(testdataPath('csaf-2.0/test/validator/data/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json'), 'utf8')) as unknown;
    const refused = await api.call('POST', '/api/v1/advisories/import', { document: invalid });
    expect(refused.status).toBe(400);
    expect(refused.json<{ error: { code: string; details: { failures: { test: string }[] } } }>().error.details.failures.map((f) => f.test)).toContain('6.1.1');
  });

  it('the demo holds published products of every kind and TLP level', async () => {
    const cert = await apiLogin(e2e.url, 'analyst@cert.example', { totpSecret: analystSecret });
    const items = (await cert.call('GET', '/api/v1/advisories?status=published&limit=200')).json<{ items: { kind: string; tlp: string }[] }>().items;
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['advisory', 'info', 'alert']));
    expect(new Set(items.map((i) => i.tlp))).toEqual(new Set(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']));
  });
});
