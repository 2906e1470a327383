import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadCsafExample, SAMPLE_CSAF_DOCUMENTS, startCsafProvider, type CsafJson, type CsafProvider } from '../helpers/csaf-provider-server.ts';
import { apiLogin, type ApiSession } from './api-client.ts';
import { describeInBrowser, expectAccessible } from './browser.ts';

// Triage of outside information as the CERT clicks it (decision 017). A CSAF provider and a vendor's
// RSS feed run on 127.0.0.1 (allowed through the SSRF guard with INTAKE_ALLOWED_HOSTS), with CISA's
// KEV catalogue and FIRST's EPSS scores beside them. The administrator adds the sources through the
// API, reads three of them there and the CSAF provider with "Run now" on the sources page. The
// analyst finds one story for the CVE that both the feed and the provider report, enriched with KEV
// and EPSS; moves to it with j/k, opens it with Enter and makes a draft advisory from it; back in the
// inbox decides "no action" on another story with the keyboard, and filters by CVE.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/intake');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

const ADMIN = 'admin@cert.example';
const ANALYST = 'analyst@cert.example';

// The feed's first notice (rss2.xml) names CVE-2026-10001, which is on the KEV list with known
// ransomware use (kev.json) and has an EPSS score of 0.94312 (epss.csv).
const SHARED_CVE = 'CVE-2026-10001';
// The feed's second notice: the story that gets "no action".
const OTHER_CVE = 'CVE-2026-10003';
const OTHER_TITLE = 'Monitoring station: hard-coded credentials & weak TLS';
const NO_ACTION_REASON = 'VitalWatch stations are not used by any participant; the vendor notice is enough.';

// The provider's advisory on the same gateway: an OASIS example (BSI-2022-0001) re-issued with the
// feed's CVE, so that two sources report one vulnerability.
const CSAF_ID = 'EXAMPLE-PSIRT-2026-001';
const CSAF_TITLE = 'Example Medical Devices PumpLink Gateway: authentication bypass';

function gatewayAdvisory(): CsafJson {
  const doc = loadCsafExample('bsi-2022-0001.json');
  doc.document.title = CSAF_TITLE;
  doc.document.tracking.id = CSAF_ID;
  const vulnerabilities = doc.vulnerabilities as { cve?: string }[];
  for (const v of vulnerabilities) v.cve = SHARED_CVE;
  return doc;
}

const SOURCES = {
  rss: { kind: 'rss', name: 'Example Medical Devices PSIRT (RSS)', path: '/feeds/psirt.xml' },
  csaf: { kind: 'csaf', name: 'Example Provider CERT (CSAF)' },
  kev: { kind: 'kev', name: 'CISA KEV (test)', path: '/kev/known_exploited_vulnerabilities.json' },
  epss: { kind: 'epss', name: 'FIRST EPSS (test)', path: '/epss/epss_scores-current.csv' },
} as const;

let provider: CsafProvider | undefined;
let allowedBefore: string | undefined;

// The provider (and the feeds on its server) must be up before the app starts: the app is told its
// exact host:port. This file-level hook runs before the browser suite's own.
beforeAll(async () => {
  provider = await startCsafProvider({ documents: [...SAMPLE_CSAF_DOCUMENTS, gatewayAdvisory()] });
  provider.server.set(SOURCES.rss.path, fixture('rss2.xml'));
  provider.server.set(SOURCES.kev.path, fixture('kev.json'));
  provider.server.set(SOURCES.epss.path, fixture('epss.csv'));
  allowedBefore = process.env.INTAKE_ALLOWED_HOSTS;
  process.env.INTAKE_ALLOWED_HOSTS = provider.host;
});

afterAll(async () => {
  if (allowedBefore === undefined) delete process.env.INTAKE_ALLOWED_HOSTS;
  else process.env.INTAKE_ALLOWED_HOSTS = allowedBefore;
  await provider?.close();
});

const started = (): CsafProvider => {
  if (!provider) throw new Error('the CSAF provider is not started');
  return provider;
};

/** The data-story-id of the row holding the keyboard focus (the focus ring). */
async function focusedStory(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-story-id') ?? null);
}

/** Presses j until the focus ring is on the story with this id (from no focus: the first j takes the first row). */
async function moveTo(page: Page, storyId: string): Promise<void> {
  const ids = await page.getByTestId('story-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-story-id')));
  const index = ids.indexOf(storyId);
  expect(index).toBeGreaterThanOrEqual(0);
  for (let i = 0; i <= index; i++) await page.keyboard.press('j');
  await expect.poll(() => focusedStory(page)).toBe(storyId);
}

describeInBrowser('Intake and triage of outside information, and the end-of-week and end-of-month digests — triage in the browser', (e2e) => {
  let admin: Page;
  let analyst: Page;
  let api: ApiSession;
  let csafSourceId = '';
  let sharedStoryId = '';
  let otherStoryId = '';

  it('the administrator adds the sources through the API and reads the feed, KEV and EPSS there', async () => {
    admin = await e2e.newPage({ label: 'admin' });
    const secret = await e2e.login(admin, ADMIN, 'enrol');
    api = await apiLogin(e2e.url, ADMIN, { totpSecret: secret });
    const p = started();
    // Switched off, so the scheduler leaves them alone: they run when we say so.
    const create = async (body: Record<string, unknown>) => {
      const res = await api.call('POST', '/api/v1/intake/sources', { tlp: 'CLEAR', intervalMinutes: 60, enabled: false, ...body });
      expect(res.status, res.body).toBe(201);
      return res.json<{ id: string; name: string }>().id;
    };
    const rss = await create({ kind: SOURCES.rss.kind, name: SOURCES.rss.name, url: p.server.url(SOURCES.rss.path) });
    csafSourceId = await create({ kind: SOURCES.csaf.kind, name: SOURCES.csaf.name, url: p.url, publicKeys: [p.publicKey] });
    const kev = await create({ kind: SOURCES.kev.kind, name: SOURCES.kev.name, url: p.server.url(SOURCES.kev.path) });
    const epss = await create({ kind: SOURCES.epss.kind, name: SOURCES.epss.name, url: p.server.url(SOURCES.epss.path) });
    for (const id of [kev, epss, rss]) {
      const run = await api.call('POST', `/api/v1/intake/sources/${id}/run`);
      expect(run.status, run.body).toBe(200);
      expect(run.json<{ ok: boolean; error: string | null }>()).toMatchObject({ ok: true, error: null });
    }
    // A URL on a host the administrator did not allow is refused, naming the field.
    const refused = await api.call('POST', '/api/v1/intake/sources', { kind: 'rss', name: 'Not allowed', url: 'http://192.0.2.10/feed.xml' });
    expect(refused.status).toBe(400);
    expect(refused.json<{ error: { details: { field: string } } }>().error.details.field).toBe('url');
  });

  it('the administrator runs the CSAF provider from the sources page and sees what it brought in', async () => {
    await admin.goto(`${e2e.url}/intake`);
    await admin.getByRole('heading', { name: /^Intake/, level: 1 }).waitFor();
    await admin.getByTestId('intake-sources-link').click();
    await admin.waitForURL(/\/intake\/sources$/);
    await admin.getByRole('heading', { name: 'Intake sources', level: 1 }).waitFor();
    const table = admin.getByTestId('intake-sources-table');
    const row = table.getByRole('row').filter({ hasText: SOURCES.csaf.name });
    await row.waitFor();
    expect(await row.getByTestId('health-badge').getAttribute('data-state')).toBe('disabled');

    await admin.getByRole('button', { name: `Run now: ${SOURCES.csaf.name}` }).click();
    const outcome = admin.getByTestId('run-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.getAttribute('data-ok')).toBe('true');
    expect(await outcome.textContent()).toContain(`${SOURCES.csaf.name} was read`);
    expect(Number(await outcome.getByTestId('run-new-items').textContent())).toBe(SAMPLE_CSAF_DOCUMENTS.length + 1);
    await expect.poll(() => row.getByTestId('source-items').textContent(), { timeout: 15_000 }).toBe(`${SAMPLE_CSAF_DOCUMENTS.length + 1} / ${SAMPLE_CSAF_DOCUMENTS.length + 1}`);

    // The feed's row says what its API run brought: three notices.
    expect(await table.getByRole('row').filter({ hasText: SOURCES.rss.name }).getByTestId('source-items').textContent()).toBe('3 / 3');

    // Switching the provider on through the form: its health is then OK, with a next run.
    await admin.getByRole('button', { name: `Edit ${SOURCES.csaf.name}` }).click();
    const form = admin.getByRole('dialog', { name: `Edit ${SOURCES.csaf.name}` });
    await form.getByRole('switch', { name: 'Enabled' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => row.getByTestId('health-badge').getAttribute('data-state'), { timeout: 15_000 }).toBe('ok');
    const saved = (await api.call('GET', `/api/v1/intake/sources/${csafSourceId}`)).json<{ enabled: boolean; publicKeyCount: number; runs: { ok: boolean }[] }>();
    expect(saved).toMatchObject({ enabled: true, publicKeyCount: 1, runs: [{ ok: true }] });

    // The form shows an error of the API next to the field it names.
    await admin.getByTestId('add-source').click();
    const add = admin.getByRole('dialog', { name: 'Add a source' });
    await add.getByRole('textbox', { name: 'Name' }).fill('Not allowed');
    await add.getByRole('textbox', { name: 'URL' }).fill('http://192.0.2.10/feed.xml');
    await add.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => add.getByRole('textbox', { name: 'URL' }).getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    await add.getByText('Only https:// URLs are allowed', { exact: false }).waitFor();
    await expectAccessible(admin, 'add-source form with an error');
    await add.getByRole('button', { name: 'Cancel' }).click();

    // The provider's page of runs: the one just made.
    await row.getByRole('button', { name: `${SOURCES.csaf.name}: details and last runs` }).click();
    const drawer = admin.getByRole('dialog', { name: SOURCES.csaf.name });
    await drawer.getByTestId('source-runs').getByRole('row').nth(1).waitFor();
    expect(await drawer.getByTestId('source-runs').getByRole('row').count()).toBe(2);
    await admin.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expectAccessible(admin, 'intake sources page');
  });

  it('the analyst sees one story for the CVE both sources report, with its KEV and EPSS', async () => {
    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, ANALYST, 'enrol');
    await analyst.getByTestId('nav-intake').click();
    await analyst.waitForURL(/\/intake$/);
    await analyst.getByRole('heading', { name: /^Intake \(\d+ unread\)$/, level: 1 }).waitFor();
    await analyst.getByTestId('story-row').first().waitFor();

    const shared = analyst.getByTestId('story-row').filter({ hasText: SHARED_CVE });
    await expect.poll(() => shared.count(), { timeout: 15_000 }).toBe(1);
    sharedStoryId = (await shared.getAttribute('data-story-id')) ?? '';
    // The CSAF document speaks for the story; both sources are named, with the enrichment.
    await shared.getByRole('link', { name: CSAF_TITLE }).waitFor();
    expect(await shared.getAttribute('data-unread')).toBe('true');
    expect(await shared.getByText('Unread', { exact: true }).count()).toBe(1);
    expect(await shared.getByTestId('story-items').textContent()).toBe('2 items');
    const names = (await shared.getByTestId('story-sources').textContent()) ?? '';
    expect(names).toContain(SOURCES.rss.name);
    expect(names).toContain(SOURCES.csaf.name);
    expect(await shared.getByTestId('kev-badge').count()).toBe(1);
    expect(await shared.getByTestId('ransomware-badge').count()).toBe(1);
    expect(await shared.getByTestId('epss-badge').textContent()).toBe('EPSS 94.3%');
    expect(await shared.getByTestId('tlp-badge').textContent()).toBe('TLP:CLEAR');
    expect(await shared.getByTestId('decision-open').textContent()).toBe('Open');

    const other = analyst.getByTestId('story-row').filter({ hasText: OTHER_TITLE });
    otherStoryId = (await other.getAttribute('data-story-id')) ?? '';
    expect(otherStoryId).not.toBe('');
    await expectAccessible(analyst, 'intake inbox');
  });

  it('moves with j/k, opens the story with Enter, and makes a draft advisory that opens in the editor', async () => {
    // "?" shows the list's keys (and not while typing: in the search field it is just a character).
    await analyst.keyboard.press('?');
    const help = analyst.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByTestId('triage-shortcuts').waitFor();
    expect(await help.textContent()).toContain('No action (asks for a reason)');
    await expectAccessible(analyst, 'intake keyboard shortcuts');
    await analyst.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    const search = analyst.getByRole('search').getByRole('textbox', { name: 'Search' });
    await search.click();
    await analyst.keyboard.type('j?');
    expect(await search.inputValue()).toBe('j?');
    expect(await analyst.getByRole('dialog').count()).toBe(0);
    await search.fill('');
    await search.press('Enter');
    await analyst.waitForURL(/\/intake$/);
    await search.evaluate((input) => (input as HTMLInputElement).blur());
    await analyst.locator(`[data-story-id="${sharedStoryId}"]`).waitFor({ timeout: 15_000 });

    await moveTo(analyst, sharedStoryId);
    // k goes back one row and j returns.
    const ids = await analyst.getByTestId('story-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-story-id')));
    const index = ids.indexOf(sharedStoryId);
    if (index > 0) {
      await analyst.keyboard.press('k');
      await expect.poll(() => focusedStory(analyst)).toBe(ids[index - 1]);
      await analyst.keyboard.press('j');
      await expect.poll(() => focusedStory(analyst)).toBe(sharedStoryId);
    }
    await analyst.keyboard.press('Enter');
    await analyst.waitForURL(new RegExp(`/intake/${sharedStoryId}$`));
    await analyst.getByRole('heading', { name: CSAF_TITLE, level: 1 }).waitFor();

    // What each source said, the CVE's KEV entry and EPSS score.
    const items = analyst.getByTestId('story-item');
    await expect.poll(() => items.count()).toBe(2);
    expect(await analyst.getByTestId('csaf-badge').count()).toBe(1);
    const cve = analyst.getByTestId('cve-row').filter({ hasText: SHARED_CVE });
    const cveText = (await cve.textContent()) ?? '';
    expect(cveText).toContain('Added: 10 Feb 2026');
    expect(cveText).toContain('Due: 3 Mar 2026');
    expect(cveText).toContain('Apply mitigations per vendor instructions');
    expect(cveText).toContain('Score: 94.3%');
    expect(cveText).toContain('Model: v2025.03.14');
    await expectAccessible(analyst, 'intake story');

    // Opening the story read it.
    await expect
      .poll(async () => {
        const res = await analyst.request.get(`${e2e.url}/api/v1/intake/stories/${sharedStoryId}`);
        return ((await res.json()) as { read: boolean }).read;
      })
      .toBe(true);

    await analyst.getByRole('button', { name: 'Make draft advisory' }).click();
    await analyst.waitForURL(/\/advisories\/[0-9a-f-]{36}\/edit$/, { timeout: 30_000 });
    await analyst.getByRole('heading', { name: /^Edit: /, level: 1 }).waitFor({ timeout: 15_000 });
  });

  it('back in the inbox, decides "no action" on another story with the keyboard, and filters by CVE', async () => {
    await analyst.getByTestId('nav-intake').click();
    await analyst.waitForURL(/\/intake$/);
    const shared = analyst.getByTestId('story-row').filter({ hasText: SHARED_CVE });
    await shared.getByTestId('decision-advisory').waitFor({ timeout: 15_000 });
    expect(await shared.getAttribute('data-unread')).toBe('false');

    await moveTo(analyst, otherStoryId);
    await analyst.keyboard.press('e');
    const dialog = analyst.getByRole('dialog', { name: `No action: ${OTHER_TITLE}` });
    await dialog.waitFor();
    // The reason field has the focus; the shortcuts are off while typing in it.
    await analyst.keyboard.type(NO_ACTION_REASON);
    await expectAccessible(analyst, 'no-action dialog');
    await analyst.keyboard.press('Tab');
    await analyst.keyboard.press('Tab');
    await analyst.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    const other = analyst.locator(`[data-story-id="${otherStoryId}"]`);
    await expect.poll(() => other.getByTestId('decision-no-action').textContent(), { timeout: 15_000 }).toBe(`No action: ${NO_ACTION_REASON}`);
    expect(await other.getAttribute('data-unread')).toBe('false');

    // x selects the row under the focus ring, a checkbox another; the bulk actions work on both.
    await analyst.keyboard.press('x');
    await analyst.locator(`[data-story-id="${sharedStoryId}"]`).getByRole('checkbox', { name: `Select ${CSAF_TITLE}` }).check();
    const bulk = analyst.getByRole('region', { name: 'Actions for the selected stories' });
    await bulk.getByText('2 stories selected', { exact: true }).waitFor();
    await bulk.getByRole('button', { name: 'Mark unread' }).click();
    await expect.poll(() => other.getAttribute('data-unread'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => analyst.locator(`[data-story-id="${sharedStoryId}"]`).getAttribute('data-unread'), { timeout: 15_000 }).toBe('true');

    // The CVE filter goes into the URL and narrows the list to that story.
    await analyst.getByRole('textbox', { name: 'CVE' }).fill(OTHER_CVE);
    await analyst.waitForURL(new RegExp(`[?&]cve=${OTHER_CVE}`));
    await expect.poll(() => analyst.getByTestId('story-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await analyst.getByTestId('story-row').getAttribute('data-story-id')).toBe(otherStoryId);

    await analyst.getByRole('textbox', { name: 'CVE' }).fill(SHARED_CVE);
    await analyst.waitForURL(new RegExp(`[?&]cve=${SHARED_CVE}`));
    await expect.poll(() => analyst.getByTestId('story-row').getAttribute('data-story-id'), { timeout: 15_000 }).toBe(sharedStoryId);
    expect(await analyst.getByTestId('story-row').count()).toBe(1);
    expect(await analyst.getByTestId('decision-advisory').textContent()).toBe('Draft advisory');
    await expectAccessible(analyst, 'intake inbox filtered by CVE');
  });
});
