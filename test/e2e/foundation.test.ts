import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { chromiumPath, launchBrowser, seriousViolations } from './browser.ts';
import { startServer, type ServerProcess } from './server-process.ts';

// The "Done when" of the foundation issue, as a person would do it: start the platform with its demo
// data, log in as the CERT admin with TOTP, register a participant with a contact and an asset,
// approve a proposed asset, read the audit entry, and check that a participant admin of another
// organisation sees none of it. axe checks each page on the way.

const executable = chromiumPath();
const suite = executable ? describe : describe.skip;
if (!executable) console.warn('Skipping browser tests: chromium is not installed (apt-get install -y chromium).');

suite('Foundation: a running platform with participants, identity, access control and audit', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const participantName = `Ziekenhuis E2E ${Date.now()}`;
  let participantUrl = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(executable!);
    admin = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
    // English labels keep the selectors readable; the Dutch text is covered by the i18n tests.
    await admin.addInitScript(() => {
      if (!window.localStorage.getItem('wachtpost.language')) window.localStorage.setItem('wachtpost.language', 'en');
    });
    page = await admin.newPage();
  });
  // A failed step leaves a screenshot behind, named after the step, to see what the person would have seen.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      const file = path.join(os.tmpdir(), `wachtpost-e2e-${ctx.task.name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${file}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(p: Page, what: string) {
    const violations = await seriousViolations(p);
    expect(violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  it('prints the address and a demo login at start', () => {
    expect(server.output()).toContain('Demo logins');
    expect(server.output()).toContain('admin@cert.example');
    expect(server.output()).toContain(DEMO_PASSWORD);
  });

  it('the CERT admin logs in and must enrol TOTP first', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.locator('input[name="email"]').waitFor();
    await expectAccessible(page, 'login');
    await page.locator('input[name="email"]').fill('admin@cert.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('totp-secret').waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await expectAccessible(page, 'totp enrolment');
    await page.locator('input[name="code"]').fill(currentTotp(secret));
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => page.getByTestId('recovery-code').count()).toBe(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('navigation').first().waitFor();
    await expectAccessible(page, 'dashboard');
  });

  it('registers a participant with a contact and an asset', async () => {
    await page.getByRole('link', { name: 'Organisations' }).first().click();
    await page.waitForURL(/\/organisations/);
    await expectAccessible(page, 'organisations');
    await page.getByRole('button', { name: 'New organisation' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name="name"]').fill(participantName);
    await dialog.locator('select[name="kind"]').selectOption('participant');
    await dialog.locator('select[name="segment"]').selectOption('hospital');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}/);
    participantUrl = page.url();
    await expect.poll(() => page.getByRole('heading', { name: participantName }).count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Add contact' }).click();
    const contact = page.getByRole('dialog');
    await contact.locator('input[name="name"]').fill('Security officer E2E');
    await contact.locator('input[name="email"]').fill('security@e2e-ziekenhuis.example');
    await contact.getByLabel('Advisories').check();
    await contact.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('security@e2e-ziekenhuis.example').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'organisation detail');

    await page.getByRole('tab', { name: 'Assets' }).click();
    await page.getByRole('button', { name: 'Propose asset' }).click();
    const asset = page.getByRole('dialog');
    await asset.locator('select[name="type"]').selectOption('ip_range');
    await asset.locator('input[name="value"]').fill('203.0.113.128/27');
    await asset.locator('button[type="submit"]').click();
    await expect.poll(() => page.getByText('203.0.113.128/27').count()).toBeGreaterThan(0);
  });

  it('approves a proposed asset from the approvals queue', async () => {
    await page.getByRole('link', { name: 'Approvals' }).first().click();
    await page.waitForURL(/\/approvals/);
    await expectAccessible(page, 'approvals');
    const approve = page.getByRole('button', { name: 'Approve' }).first();
    await approve.waitFor();
    const before = await page.getByRole('button', { name: 'Approve' }).count();
    await approve.click();
    await expect.poll(() => page.getByRole('button', { name: 'Approve' }).count()).toBe(before - 1);
  });

  it('reads the audit entries of what was done, and the chain verifies', async () => {
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.waitForURL(/\/audit/);
    await expect.poll(() => page.getByText('organisation.create').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('asset.approve').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'audit log');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByText(/Chain intact/).count()).toBeGreaterThan(0);
  });

  it('every page of the shell passes axe, in English and in Dutch, and Ctrl+K jumps anywhere', async () => {
    for (const language of ['en', 'nl']) {
      await page.evaluate((l) => window.localStorage.setItem('wachtpost.language', l), language);
      for (const route of ['/', '/organisations', '/approvals', '/users', '/tokens', '/audit', '/profile', '/api-reference']) {
        await page.goto(`${server.url}${route}`);
        await page.getByRole('main').waitFor();
        await page.getByRole('main').getByRole('heading').first().waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe(language);
        await expectAccessible(page, `${language} ${route}`);
      }
    }
    await page.evaluate(() => window.localStorage.setItem('wachtpost.language', 'en'));
    await page.goto(`${server.url}/`);
    await page.getByRole('main').waitFor();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('Audit');
    await page.getByRole('dialog').getByText('Audit log').first().click();
    await page.waitForURL(/\/audit/);
  });

  it('a participant admin of another organisation sees none of it, in the UI or the API', async () => {
    const other = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
    await other.addInitScript(() => {
      if (!window.localStorage.getItem('wachtpost.language')) window.localStorage.setItem('wachtpost.language', 'en');
    });
    const p = await other.newPage();
    await p.goto(`${server.url}/login`);
    await p.locator('input[name="email"]').fill('ciso@umc-zuid.example');
    await p.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('navigation').first().waitFor();
    await p.goto(`${server.url}/organisations`);
    await expect.poll(() => p.getByText('Universitair Medisch Centrum Zuid').count()).toBeGreaterThan(0);
    expect(await p.getByText(participantName).count()).toBe(0);
    await p.goto(participantUrl);
    await expect.poll(() => p.getByText(participantName).count()).toBe(0);

    const id = participantUrl.split('/').pop()!;
    const api = p.request;
    for (const path of [`/api/v1/organisations/${id}`, `/api/v1/organisations/${id}/contacts`, `/api/v1/organisations/${id}/assets`]) {
      const res = await api.get(`${server.url}${path}`);
      expect(res.status(), path).toBe(404);
    }
    const list = await (await api.get(`${server.url}/api/v1/organisations?limit=200`)).json();
    expect(list.items.map((o: { name: string }) => o.name)).toEqual(['Universitair Medisch Centrum Zuid']);
    const queue = await (await api.get(`${server.url}/api/v1/assets?limit=200`)).json();
    expect(queue.items.every((a: { organisationName: string }) => a.organisationName === 'Universitair Medisch Centrum Zuid')).toBe(true);
    expect((await api.get(`${server.url}/api/v1/audit`)).status()).toBe(403);
    await other.close();
  });
});
