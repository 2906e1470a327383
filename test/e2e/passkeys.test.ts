import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { chromiumPath, launchBrowser, seriousViolations } from './browser.ts';
import { startLocalhostRelay, type LocalhostRelay } from './localhost-relay.ts';
import { startServer, type ServerProcess } from './server-process.ts';

// Passkeys as a person uses them, with Chromium's virtual authenticator standing in for the
// fingerprint reader: add one on the profile page, log in with it without a password, remove it.
// Then a CERT admin edits a partner's registration and uses a passkey as the second factor.
// WebAuthn refuses IP addresses as RP ID, so the app is opened as http://localhost:<port>.

const executable = chromiumPath();
const suite = executable ? describe : describe.skip;
if (!executable) console.warn('Skipping passkey browser tests: chromium is not installed (apt-get install -y chromium).');

const PARTICIPANT = { email: 'ciso@ziekenhuis-noord.example', name: 'Carla Bakker' };
const ADMIN = { email: 'admin@cert.example', name: 'Anna de Vries' };
const PARTNER = 'SecureOps MSSP (demo)';

suite('Passkeys and organisation editing in the browser', () => {
  let relay: LocalhostRelay;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page | undefined;
  let base = '';

  beforeAll(async () => {
    relay = await startLocalhostRelay();
    server = await startServer({ PUBLIC_URL: relay.url });
    relay.target(Number(new URL(server.url).port));
    base = relay.url;
    browser = await launchBrowser(executable!);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      const file = path.join(os.tmpdir(), `wachtpost-e2e-passkeys-${ctx.task.name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${file}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await relay?.close();
  });

  async function expectAccessible(p: Page, what: string) {
    const violations = await seriousViolations(p);
    expect(violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  async function newEnglishPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
    await context.addInitScript(() => window.localStorage.setItem('wachtpost.language', 'en'));
    return { context, page: await context.newPage() };
  }

  /** Chromium's virtual authenticator: a platform authenticator that verifies the user silently. */
  async function addVirtualAuthenticator(p: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { cdp, authenticatorId };
  }

  async function passwordLogin(p: Page, email: string) {
    await p.goto(`${base}/login`);
    await p.locator('input[name="email"]').fill(email);
    await p.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signedInAs(p: Page, name: string) {
    await p.getByTestId('user-menu').waitFor();
    expect(await p.getByTestId('user-menu').getAttribute('aria-label')).toBe(name);
    expect(new URL(p.url()).pathname).not.toBe('/login');
  }

  async function logout(p: Page) {
    await p.getByTestId('user-menu').click();
    await p.getByTestId('logout').click();
    await p.waitForURL(/\/login/);
    await p.locator('input[name="email"]').waitFor();
  }

  async function addPasskey(p: Page, name: string) {
    await p.goto(`${base}/profile`);
    await p.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await p.getByRole('button', { name: 'Add passkey' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.locator('input[name="passkeyName"]').fill(name);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => p.getByTestId('passkeys-table').getByText(name, { exact: true }).count()).toBe(1);
    await expect.poll(() => p.getByRole('dialog').count()).toBe(0);
  }

  describe('a participant admin', () => {
    let context: BrowserContext;
    let cdp: CDPSession;
    let authenticatorId: string;

    beforeAll(async () => {
      ({ context, page } = await newEnglishPage());
      ({ cdp, authenticatorId } = await addVirtualAuthenticator(page));
    });
    afterAll(async () => context?.close());

    it('opens the app as http://localhost and logs in with the password', async () => {
      const p = page!;
      await passwordLogin(p, PARTICIPANT.email);
      await signedInAs(p, PARTICIPANT.name);
    });

    it('adds a passkey on the profile page, which passes axe', async () => {
      const p = page!;
      await addPasskey(p, 'E2E laptop');
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]?.isResidentCredential).toBe(true);
      const row = p.getByTestId('passkeys-table').getByRole('row').filter({ hasText: 'E2E laptop' });
      await expect.poll(() => row.getByText('Never').count()).toBe(1);
      await expectAccessible(p, 'profile with a passkey');
    });

    it('logs out and logs in again with the passkey, typing no password', async () => {
      const p = page!;
      await logout(p);
      await expectAccessible(p, 'login with passkey option');
      // First the person does not confirm (no fingerprint): the browser refuses, the page says so.
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
      await p.getByRole('button', { name: 'Use a passkey' }).click();
      const alert = p.getByTestId('error-alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('cancelled or timed out');
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
      await p.getByRole('button', { name: 'Use a passkey' }).click();
      await signedInAs(p, PARTICIPANT.name);
      // The passkey is now marked as used.
      await p.goto(`${base}/profile`);
      const row = p.getByTestId('passkeys-table').getByRole('row').filter({ hasText: 'E2E laptop' });
      await row.waitFor();
      await expect.poll(() => row.getByText('Never').count()).toBe(0);
    });

    it('removes the passkey after confirming; the passkey login then fails with a readable message', async () => {
      const p = page!;
      await p.getByRole('button', { name: 'Remove passkey E2E laptop' }).click();
      const confirm = p.getByRole('dialog');
      await expect.poll(() => confirm.getByText(/Remove the passkey .E2E laptop./).count()).toBe(1);
      await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
      await expect.poll(() => p.getByText('You have no passkeys yet.').count()).toBe(1);
      await expectAccessible(p, 'profile without passkeys');

      await logout(p);
      // The authenticator still holds the key; the server no longer knows it.
      await p.getByRole('button', { name: 'Use a passkey' }).click();
      const alert = p.getByTestId('error-alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('This passkey was not accepted');
      expect(new URL(p.url()).pathname).toBe('/login');
      await expectAccessible(p, 'login after a refused passkey');
    });
  });

  it('explains that the browser cannot use passkeys when it has no WebAuthn', async () => {
    const { context, page: p } = await newEnglishPage();
    page = p;
    await context.addInitScript(() => {
      // A browser without WebAuthn, as far as the page can tell.
      Reflect.deleteProperty(window, 'PublicKeyCredential');
    });
    await p.goto(`${base}/login`);
    await p.getByRole('button', { name: 'Use a passkey' }).click();
    const alert = p.getByTestId('error-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This browser does not support passkeys');
    await context.close();
  });

  describe('the CERT admin', () => {
    let context: BrowserContext;

    beforeAll(async () => {
      ({ context, page } = await newEnglishPage());
      await addVirtualAuthenticator(page);
    });
    afterAll(async () => context?.close());

    it('enrols TOTP at the first login', async () => {
      const p = page!;
      await passwordLogin(p, ADMIN.email);
      await p.getByTestId('totp-secret').waitFor();
      const secret = (await p.getByTestId('totp-secret').textContent())?.trim() ?? '';
      await p.locator('input[name="code"]').fill(currentTotp(secret));
      await p.getByRole('button', { name: 'Enable' }).click();
      await expect.poll(() => p.getByTestId('recovery-code').count()).toBe(10);
      await p.getByRole('button', { name: 'Continue' }).click();
      await signedInAs(p, ADMIN.name);
    });

    it('edits a partner: short name, membership, end date and its clients', async () => {
      const p = page!;
      await p.goto(`${base}/organisations`);
      await p.getByRole('link', { name: PARTNER }).click();
      await p.getByRole('heading', { name: PARTNER }).waitFor();
      const clients = p.getByTestId('partner-clients');
      await expect.poll(() => clients.getByRole('link').allTextContents()).toEqual(['Thuiszorg West', 'Ziekenhuis Noord']);

      await p.getByTestId('edit-organisation').click();
      const dialog = p.getByRole('dialog');
      await dialog.locator('input[name="shortName"]').fill('SOPS-E2E');
      await dialog.locator('select[name="membershipStatus"]').selectOption('suspended');
      await dialog.locator('input[name="memberUntil"]').fill('2030-12-31');
      expect(await dialog.locator('select[name="segment"]').count()).toBe(0);
      // Swap Thuiszorg West for GGZ Oost in the client multi-select.
      const select = dialog.getByRole('textbox', { name: 'Clients' });
      await select.click();
      await select.fill('GGZ');
      await p.getByRole('option', { name: 'GGZ Oost' }).click();
      // Mantine hides the pill's remove button from assistive technology (Backspace removes the
      // last pill instead), so it is found by its class.
      await dialog.locator('.mantine-Pill-root', { hasText: 'Thuiszorg West' }).locator('.mantine-Pill-remove').click();
      await expect.poll(async () => (await dialog.locator('.mantine-Pill-root').allTextContents()).sort()).toEqual(['GGZ Oost', 'Ziekenhuis Noord']);
      // Closed listbox: axe counts an open, scrolling option list as a region needing focus,
      // though its options are reached with the arrow keys from the input.
      await dialog.getByRole('heading').first().click();
      await expect.poll(() => p.getByRole('listbox').count()).toBe(0);
      await expectAccessible(p, 'organisation edit dialog');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => p.getByRole('dialog').count()).toBe(0);

      await expect.poll(() => clients.getByRole('link').allTextContents()).toEqual(['GGZ Oost', 'Ziekenhuis Noord']);
      await expect.poll(() => p.getByText('SOPS-E2E').count()).toBeGreaterThan(0);
      await expect.poll(() => p.getByText('Suspended').count()).toBeGreaterThan(0);
      await expect.poll(() => p.getByText('31 Dec 2030').count()).toBeGreaterThan(0);
      await expectAccessible(p, 'partner detail');

      // Saved on the server, not only in the page.
      const id = new URL(p.url()).pathname.split('/').pop()!;
      const saved = await (await p.request.get(`${base}/api/v1/organisations/${id}`)).json();
      expect(saved).toMatchObject({ shortName: 'SOPS-E2E', membershipStatus: 'suspended', memberUntil: '2030-12-31' });
      expect(saved.clientOrganisationIds).toHaveLength(2);
    });

    it('refuses an end date before the start date in the form', async () => {
      const p = page!;
      await p.getByTestId('edit-organisation').click();
      const dialog = p.getByRole('dialog');
      await dialog.locator('input[name="memberUntil"]').fill('2024-01-01');
      await expect.poll(() => dialog.getByText('“Member until” cannot be before “Member since”.').count()).toBe(1);
      expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    it('adds a passkey and uses it instead of the TOTP code at the next login', async () => {
      const p = page!;
      await addPasskey(p, 'Admin key');
      await logout(p);
      await passwordLogin(p, ADMIN.email);
      await p.getByRole('button', { name: 'Use a passkey instead' }).click();
      await signedInAs(p, ADMIN.name);
    });
  });
});
