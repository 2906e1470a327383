import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';
import { startServer, type ServerProcess } from './server-process.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));

/** Debian's Chromium, or null (the caller skips with a message naming it; under CI absence fails). */
export function chromiumPath(): string | null {
  const found = CANDIDATES.find((p) => existsSync(p)) ?? null;
  if (!found && process.env.CI === 'true') throw new Error('chromium is required under CI=true (apt-get install -y chromium); .ci/run installs it.');
  return found;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    // The machine has no network but loopback: keep Chromium from reaching out at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // The page's CSP forbids inline scripts (as it should): contexts that run axe set bypassCSP.
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails the test with every serious or critical axe violation on the page, `what` naming the page in the message. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export interface BrowserSuite {
  /** The demo server's address (known once the suite's beforeAll has run). */
  readonly url: string;
  /**
   * A page in a new English browser context. `label` ends the name of its screenshot when a test
   * fails; `alone` closes the pages opened before (one person at the keyboard at a time).
   */
  newPage(options?: { label?: string; alone?: boolean }): Promise<Page>;
  /** Signs in on the login page; with 'enrol' the user enrols TOTP on the way and the secret is returned ('' otherwise). */
  login(page: Page, email: string, totp: 'enrol' | 'none'): Promise<string>;
}

/**
 * A suite of browser tests against `wachtpost serve --demo`, as people use it: the server and
 * Chromium start before the first test and stop after the last, and a failed test leaves a
 * screenshot of every open page, named after the test, to see what the person would have seen.
 * Without Chromium the suite is skipped with a message (under CI=true it fails instead).
 */
export function describeInBrowser(name: string, body: (e2e: BrowserSuite) => void): void {
  const executable = chromiumPath();
  if (!executable) console.warn('Skipping browser tests: chromium is not installed (apt-get install -y chromium).');
  (executable ? describe : describe.skip)(name, () => {
    let server: ServerProcess | undefined;
    let browser: Browser | undefined;
    const open: { context: BrowserContext; page: Page; label: string | undefined }[] = [];

    beforeAll(async () => {
      server = await startServer();
      browser = await launchBrowser(executable!);
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state !== 'fail') return;
      for (const { page, label } of open) {
        const file = path.join(os.tmpdir(), `wachtpost-e2e-${ctx.task.name.replace(/\W+/g, '-').slice(0, 80)}${label ? `-${label}` : ''}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        console.error(`screenshot: ${file}`);
      }
    });
    afterAll(async () => {
      for (const { context } of open) await context.close().catch(() => undefined);
      await browser?.close();
      await server?.stop();
    });

    const started = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`${what} is not started: use the browser suite inside hooks and tests, not while they are collected.`);
      return value;
    };
    body({
      get url() {
        return started(server, 'the server').url;
      },
      async newPage({ label, alone = false } = {}) {
        if (alone) for (const { context } of open.splice(0)) await context.close();
        const context = await started(browser, 'Chromium').newContext({ locale: 'en-GB', bypassCSP: true, acceptDownloads: true });
        // English labels keep the selectors readable; the Dutch text is covered by the i18n tests.
        await context.addInitScript(() => window.localStorage.setItem('wachtpost.language', 'en'));
        const page = await context.newPage();
        open.push({ context, page, label });
        return page;
      },
      async login(page, email, totp) {
        await page.goto(`${started(server, 'the server').url}/login`);
        await page.locator('input[name="email"]').fill(email);
        await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        let secret = '';
        if (totp === 'enrol') {
          // CERT staff enrol a second factor on their first sign-in.
          await page.getByTestId('totp-secret').waitFor();
          secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
          await page.locator('input[name="code"]').fill(currentTotp(secret));
          await page.getByRole('button', { name: 'Enable' }).click();
          await page.getByRole('button', { name: 'Continue' }).click();
        }
        await page.getByRole('navigation').first().waitFor();
        return secret;
      },
    });
  });
}
