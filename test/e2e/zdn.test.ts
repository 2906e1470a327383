import { beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';
import { apiLogin, type ApiSession } from './api-client.ts';

// The "Done when" of the detection-network issue, as people click it: an analyst opens an event,
// pastes a report with a defanged URL and two addresses, lets the server find the indicators, unticks
// the one that must not be shared and adds the rest. A hospital reports a sighting through the API,
// and the analyst sees it counted on the indicator. Only documentation addresses and .example names.

const STAMP = Date.now();
const EVENT_TITLE = `Loader bij zorginstellingen ${STAMP}`;
const URL_VALUE = 'http://update-check.evil.example/stage2.bin';
const C2 = '198.51.100.23';
// The victim's own address in the report: found, but unticked before sharing.
const VICTIM = '192.0.2.44';
const REPORT = [
  'Samenvatting van het onderzoek:',
  'De loader haalt hxxp://update-check.evil[.]example/stage2.bin op',
  `en praat daarna met ${C2.replaceAll('.', '[.]')} over poort 443.`,
  `Het besmette werkstation had intern adres ${VICTIM}.`,
].join('\n');

interface IndicatorRow {
  id: string;
  value: string;
  eventId: string;
  sightings: { organisationsTotal: number };
}

describeInBrowser('ZorgDetectieNetwerk: real-time sharing of indicators of compromise', (e2e) => {
  let analyst: Page;
  let admin: ApiSession;
  let hospital: ApiSession;
  let eventId = '';
  let indicatorId = '';

  beforeAll(async () => {
    admin = await apiLogin(e2e.url, 'admin@cert.example');
    hospital = await apiLogin(e2e.url, 'it@ziekenhuis-noord.example');
  });

  it('the analyst opens the detection network from the navigation and creates a TLP:GREEN event', async () => {
    analyst = await e2e.newPage();
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.getByTestId('nav-zdn').click();
    await analyst.waitForURL(/\/zdn$/);
    await analyst.getByRole('heading', { name: 'Detection network', level: 1 }).waitFor();
    await analyst.getByTestId('zdn-events-link').click();
    await analyst.waitForURL(/\/zdn\/events$/);

    await analyst.getByRole('button', { name: 'New event' }).click();
    const dialog = analyst.getByRole('dialog');
    await dialog.getByLabel('Title').fill(EVENT_TITLE);
    // Recipients are asked for only where the marking names them.
    await dialog.getByLabel('TLP', { exact: true }).selectOption('AMBER');
    await dialog.getByTestId('recipients').waitFor();
    await dialog.getByLabel('TLP', { exact: true }).selectOption('GREEN');
    await expect.poll(() => dialog.getByTestId('recipients').count()).toBe(0);
    await expectAccessible(analyst, 'new event form');
    await dialog.getByRole('button', { name: 'Create event' }).click();

    await analyst.waitForURL(/\/zdn\/events\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    eventId = /\/zdn\/events\/([0-9a-f-]{36})$/.exec(analyst.url())![1]!;
    await analyst.getByRole('heading', { name: EVENT_TITLE, level: 1 }).waitFor();
    expect(await analyst.getByTestId('tlp-banner').textContent()).toContain('TLP:GREEN');
    expect(await analyst.getByTestId('download-stix').getAttribute('href')).toBe(`/api/v1/zdn/events/${eventId}/stix`);
  });

  it('pastes a report, finds the indicators (refanged), unticks the victim address and adds the rest', async () => {
    const panel = analyst.getByTestId('add-indicators-panel');
    await panel.getByLabel('Text with indicators').fill(REPORT);
    await panel.getByRole('button', { name: 'Find indicators' }).click();

    const candidates = panel.getByTestId('candidate');
    await expect.poll(() => candidates.count(), { timeout: 15_000 }).toBe(3);
    expect(await panel.getByTestId('candidates').textContent()).toContain(URL_VALUE);
    for (const box of await panel.getByRole('checkbox').all()) expect(await box.isChecked()).toBe(true);
    await expectAccessible(analyst, 'candidate checklist');

    await panel.getByRole('checkbox', { name: new RegExp(VICTIM.replaceAll('.', '\\.')) }).uncheck();
    await panel.getByRole('button', { name: 'Add 2 indicators' }).click();
    await expect.poll(() => panel.getByTestId('ingest-result').textContent(), { timeout: 15_000 }).toBe('2 added');
    // The checklist is done with; the event's table shows what was shared.
    expect(await panel.getByTestId('candidate').count()).toBe(0);

    const table = analyst.getByTestId('indicators-table');
    await expect.poll(() => table.getByTestId('indicator-link').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([URL_VALUE, C2]));
    expect(await table.getByTestId('indicator-link').count()).toBe(2);
    expect(await table.textContent()).not.toContain(VICTIM);
    expect(await analyst.getByTestId('event-subtitle').textContent()).toContain('2 indicators');
    await expectAccessible(analyst, 'event with indicators');

    // The STIX download holds what was added.
    const [download] = await Promise.all([analyst.waitForEvent('download'), analyst.getByTestId('download-stix').click()]);
    const bundle = JSON.parse(readFileSync(await download.path(), 'utf8')) as { type: string; objects: { type: string; pattern?: string }[] };
    expect(bundle.type).toBe('bundle');
    const patterns = bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern ?? '');
    expect(patterns.some((p) => p.includes(C2))).toBe(true);
    expect(patterns.some((p) => p.includes(VICTIM))).toBe(false);
  });

  it('opens one indicator: its fields, its event, and its correlation with another event', async () => {
    // Another event with the same address, shared through the API as an integrator would.
    const other = await admin.call('POST', '/api/v1/zdn/events', { title: `Tweede melding ${STAMP}`, tlp: 'GREEN' });
    expect(other.status, other.body).toBe(201);
    const added = await admin.call('POST', `/api/v1/zdn/events/${other.json<{ id: string }>().id}/indicators`, { indicators: [{ type: 'ipv4', value: C2 }] });
    expect(added.status, added.body).toBe(200);

    await analyst.getByTestId('indicators-table').getByRole('link', { name: C2, exact: true }).click();
    await analyst.waitForURL(/\/zdn\/indicators\/[0-9a-f-]{36}$/);
    indicatorId = /\/zdn\/indicators\/([0-9a-f-]{36})$/.exec(analyst.url())![1]!;
    expect(await analyst.getByTestId('indicator-value').textContent()).toBe(C2);
    expect(await analyst.getByTestId('indicator-event-link').textContent()).toBe(EVENT_TITLE);
    expect(await analyst.getByTestId('indicator-status').getAttribute('data-status')).toBe('active');
    expect(await analyst.getByTestId('indicator-fields').textContent()).toContain('IPv4 address');
    await expect.poll(() => analyst.getByTestId('also-in-events').textContent(), { timeout: 15_000 }).toBe('also in 1 event');
    expect(await analyst.getByTestId('sightings-summary').textContent()).toBe('not seen yet');
    await expectAccessible(analyst, 'indicator detail');
  });

  it('a hospital reports a sighting through the API; the indicator shows "seen at 1 organisation"', async () => {
    // The hospital finds the indicator by value (it is TLP:GREEN, so the whole community sees it).
    const found = await hospital.call('GET', `/api/v1/zdn/indicators?q=${encodeURIComponent(C2)}&eventId=${eventId}`);
    expect(found.status, found.body).toBe(200);
    const rows = found.json<{ items: IndicatorRow[] }>().items;
    expect(rows.map((r) => r.id)).toEqual([indicatorId]);
    const seen = await hospital.call('POST', `/api/v1/zdn/indicators/${indicatorId}/sightings`, { kind: 'seen', count: 3, shareIdentity: true });
    expect(seen.status, seen.body).toBe(201);

    await analyst.reload();
    await expect.poll(() => analyst.getByTestId('sightings-summary').textContent(), { timeout: 15_000 }).toBe('seen at 1 organisation');
    expect(await analyst.getByTestId('sightings-24h').textContent()).toBe('1');
    // The hospital chose to be named; the CERT sees every name anyway.
    expect(await analyst.getByTestId('sightings-named').textContent()).toContain('Ziekenhuis Noord');

    // The list says the same, and its search and type filter find the row.
    await analyst.goto(`${e2e.url}/zdn`);
    await analyst.getByRole('search').getByLabel('Search').fill(C2);
    const table = analyst.getByTestId('indicators-table');
    await expect.poll(() => table.getByTestId('indicator-link').allTextContents(), { timeout: 15_000 }).toEqual([C2, C2]);
    const row = table.getByRole('row').filter({ hasText: EVENT_TITLE });
    expect(await row.getByTestId('seen-at').textContent()).toBe('seen at 1 organisation');
    expect(await row.getByTestId('also-in-events').textContent()).toBe('also in 1 event');
    await analyst.getByRole('search').getByLabel('Search').fill('');
    await analyst.getByRole('search').getByLabel('Type').selectOption('url');
    await expect.poll(() => table.getByTestId('indicator-link').allTextContents(), { timeout: 15_000 }).toContain(URL_VALUE);
    expect(await table.getByTestId('indicator-link').allTextContents()).not.toContain(C2);
    await expectAccessible(analyst, 'indicator list');
  });

  it('the analyst reports "Blocked" from the indicator page and the numbers refresh without a reload', async () => {
    await analyst.goto(`${e2e.url}/zdn/indicators/${indicatorId}`);
    await expect.poll(() => analyst.getByTestId('sightings-summary').textContent(), { timeout: 15_000 }).toBe('seen at 1 organisation');
    await analyst.getByRole('button', { name: 'Blocked', exact: true }).click();
    await expect.poll(() => analyst.getByTestId('sightings-summary').textContent(), { timeout: 15_000 }).toBe('seen at 2 organisations');
    // Three seen at the hospital, one blocked at the CERT.
    expect(await analyst.getByTestId('sightings-total').textContent()).toBe('4');
  });
});
