import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiLogin } from './api-client.ts';
import { describeInBrowser, expectAccessible } from './browser.ts';

// The "Done when" of the monitoring issue, as people click it: a CERT analyst uploads a Shadowserver
// report through the upload form and reads what it made of it; the hospital's CISO finds the new
// finding in the portal (and nothing of other participants), opens the vulnerable Exchange server,
// marks it resolved with a note and sees that in its history. Only documentation addresses and AS numbers.

// Shadowserver names its files '<date>-<report type>-<country>-geo.csv': the date is yesterday's.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const FILE_NAME = `${DAY}-scan_rdp-netherlands-geo.csv`;
// The published columns of the Accessible-RDP report, in Shadowserver's order.
const COLUMNS =
  'timestamp,severity,ip,protocol,port,hostname,tag,asn,geo,region,city,naics,hostname_source,sector,handshake,rdp_protocol,cert_length,subject_common_name,issuer_common_name,cert_issue_date,cert_expiration_date,sha1_fingerprint,cert_serial_number,ssl_version,signature_algorithm,key_algorithm,sha256_fingerprint,sha512_fingerprint,md5_fingerprint,tlsv13_support,tlsv13_cipher,jarm'.split(
    ',',
  );
const NEW_RDP = '192.0.2.30';
// In no participant's range or AS: the report counts it as unmatched.
const NOBODYS = '192.0.2.251';
const row = (values: Record<string, string>) => COLUMNS.map((c) => values[c] ?? '').join(',');
const REPORT = [
  COLUMNS.join(','),
  row({
    timestamp: `${DAY} 03:14:07`,
    ip: NEW_RDP,
    protocol: 'tcp',
    port: '3389',
    hostname: 'ts02.ziekenhuis-noord.example',
    asn: '64500',
    geo: 'NL',
    subject_common_name: 'ts02',
  }),
  row({ timestamp: `${DAY} 03:15:52`, ip: NOBODYS, protocol: 'tcp', port: '3389', asn: '64510', geo: 'NL' }),
  // A row that cannot be read (no date): kept with its reason, shown on the report's page.
  row({ timestamp: 'gisteren', ip: '192.0.2.31', protocol: 'tcp', port: '3389', asn: '64500', geo: 'NL' }),
].join('\n');

// A CSV source the analyst adds, and a day off (in this year, not today) with its note.
const CSV_SOURCE = 'Eigen RDP-scan';
const THIS_YEAR = new Date().getFullYear();
const DAY_OFF = new Date().toISOString().slice(5, 10) === '06-12' ? `${THIS_YEAR}-06-11` : `${THIS_YEAR}-06-12`;
const DAY_OFF_NOTE = 'Teamdag van het CERT';

const NOTE = 'Exchange bijgewerkt naar de nieuwste CU; OWA alleen nog via de VPN.';

describeInBrowser("Monitoring: participants' IP addresses and domains on blacklists, and their vulnerable systems", (e2e) => {
  let analyst: Page;
  let ciso: Page;

  it('the analyst uploads a Shadowserver report through the upload form and sees what it made of it', async () => {
    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.getByTestId('nav-monitoring').click();
    await analyst.waitForURL(/\/monitoring$/);
    await analyst.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Reports' }).click();
    await analyst.waitForURL(/\/monitoring\/reports$/);

    const panel = analyst.getByTestId('upload-report-panel');
    expect(await panel.getByLabel('Format').inputValue()).toBe('shadowserver');
    const [chooser] = await Promise.all([analyst.waitForEvent('filechooser'), panel.getByLabel('Report file').click()]);
    await chooser.setFiles({ name: FILE_NAME, mimeType: 'text/csv', buffer: Buffer.from(REPORT, 'utf8') });
    await panel.getByRole('button', { name: 'Upload and read' }).click();

    const result = panel.getByTestId('upload-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-report-type')).toBe('scan_rdp');
    expect(await panel.getByTestId('upload-detected-by').textContent()).toBe('recognised by its file name');
    expect(await panel.getByTestId('upload-summary').textContent()).toBe('1 new, 0 reopened, 1 unmatched');
    expect(await panel.getByTestId('result-rows-total').textContent()).toBe('3');
    expect(await panel.getByTestId('result-rows-matched').textContent()).toBe('1');
    expect(await panel.getByTestId('result-rows-unmatched').textContent()).toBe('1');
    expect(await panel.getByTestId('result-rows-failed').textContent()).toBe('1');
    expect(await panel.getByTestId('result-findings-new').textContent()).toBe('1');
    await expectAccessible(analyst, 'report upload with its result');

    // The report is listed, and its page shows the row that could not be read, with why.
    const reports = analyst.getByTestId('reports-table');
    await expect.poll(() => reports.getByTestId('report-link').allTextContents(), { timeout: 15_000 }).toContain(FILE_NAME);
    await reports.getByRole('row').filter({ hasText: FILE_NAME }).getByTestId('report-failed-link').click();
    await analyst.waitForURL(/\/monitoring\/reports\/[0-9a-f-]{36}$/);
    await analyst.getByRole('heading', { name: FILE_NAME, level: 1 }).waitFor();
    const failed = analyst.getByTestId('failed-rows');
    await expect.poll(() => failed.textContent(), { timeout: 15_000 }).toContain('gisteren');
    expect(await failed.textContent()).toContain('192.0.2.31');
    await expectAccessible(analyst, 'report with an unreadable row');
  });

  it("the analyst sees the new finding among the sector's, with the participant it belongs to, and the sources' health", async () => {
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Findings' }).click();
    await analyst.waitForURL(/\/monitoring$/);
    await analyst.getByRole('search').getByLabel('Address or name').fill(NEW_RDP);
    const table = analyst.getByTestId('findings-table');
    await expect.poll(() => table.getByTestId('finding-link').allTextContents(), { timeout: 15_000 }).toEqual([`${NEW_RDP}:3389`]);
    expect(await table.getByTestId('finding-organisation').textContent()).toBe('Ziekenhuis Noord');
    expect(await table.getByTestId('finding-type').textContent()).toBe('Remote desktop (RDP) open to the internet');
    expect(await table.getByTestId('finding-status').getAttribute('data-status')).toBe('new');

    // The sector overview counts it, and the Shadowserver source's health shows its last run.
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Sector overview' }).click();
    await analyst.waitForURL(/\/monitoring\/overview$/);
    await expect
      .poll(() => analyst.getByTestId('top-organisations').getByTestId('top-organisation').first().textContent(), { timeout: 15_000 })
      .toBe('Ziekenhuis Noord');
    const shadowserver = analyst.getByTestId('source-health').getByRole('row').filter({ hasText: 'Shadowserver' });
    // Name, kind, on/off, last run, rows: the upload's three rows were the last run.
    expect(await shadowserver.getByRole('cell').nth(4).textContent()).toBe('3');
    await expectAccessible(analyst, 'sector overview');

    // The demo's blacklist zone is configured but off (the demo must not query the internet): running
    // the checks now says that nothing was checked.
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Sources' }).click();
    await analyst.waitForURL(/\/monitoring\/sources$/);
    const zone = analyst.getByRole('switch', { name: 'Enable dnsbl:bl.dnsbl.example' });
    await zone.waitFor();
    expect(await zone.isChecked()).toBe(false);
    expect(await analyst.getByRole('switch', { name: 'Enable Shadowserver' }).isChecked()).toBe(true);
    await analyst.getByRole('button', { name: 'Run blacklist checks now' }).click();
    await expect.poll(() => analyst.getByTestId('dnsbl-none').textContent(), { timeout: 15_000 }).toBe('No blacklist zone is enabled: nothing was checked.');
    await expectAccessible(analyst, 'sources');
  });

  it('the analyst adds a CSV source, sets a day off on the Working days page, and asks who owns an address', async () => {
    // A CSV source with its column mapping, added on the Sources page; a second one by the same name is refused.
    const add = analyst.getByTestId('add-source-panel');
    await add.getByLabel('Kind').selectOption('csv');
    await add.getByLabel(/^Name\b/).fill(CSV_SOURCE);
    await add.getByLabel('Finding type').fill('open-rdp');
    await add.getByLabel('IP address column').fill('address');
    await add.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => analyst.getByTestId('sources-table').getByTestId('source-name').allTextContents(), { timeout: 15_000 }).toContain(CSV_SOURCE);
    await add.getByLabel(/^Name\b/).fill(CSV_SOURCE);
    await add.getByLabel('Finding type').fill('open-rdp');
    await add.getByLabel('IP address column').fill('address');
    await add.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => add.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain('exists already');
    // The interface's own text for the error code comes first, the server's specifics after it.
    expect(await add.getByTestId('error-alert').textContent()).toContain('A source with this name exists already. Change that source or choose another name.');
    expect(await add.getByTestId('error-alert').textContent()).toContain(`Details from the server: A source named '${CSV_SOURCE}' exists already`);
    await expectAccessible(analyst, 'sources with the add-source form');

    // A blocklist feed: the server refuses a URL inside the network, with its reason; a feed read from
    // a file is added, and "Run now" says what came of it (the file is not there).
    await add.getByLabel('Kind').selectOption('blocklist');
    await add.getByLabel(/^Name\b/).fill('eigen-lijst');
    await add.getByLabel(/^Feed URL/).fill('https://127.0.0.1/drop.txt');
    await add.getByRole('button', { name: 'Add source' }).click();
    await add.getByTestId('error-alert').waitFor({ timeout: 15_000 });
    expect(await add.getByTestId('error-alert').textContent()).toContain('The address is not public');
    await add.getByText('File', { exact: true }).click();
    await add.getByLabel(/^Feed file/).fill('eigen-lijst.txt');
    await add.getByRole('button', { name: 'Add source' }).click();
    await expect.poll(() => analyst.getByTestId('sources-table').getByTestId('source-name').allTextContents(), { timeout: 15_000 }).toContain('blocklist:eigen-lijst');
    await analyst.getByRole('button', { name: 'Run now: blocklist:eigen-lijst' }).click();
    await expect.poll(() => analyst.getByTestId('source-run-outcome').textContent(), { timeout: 15_000 }).toContain('eigen-lijst.txt');
    await expectAccessible(analyst, 'sources after running a feed');

    // The upload form's CSV option offers it.
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Reports' }).click();
    await analyst.waitForURL(/\/monitoring\/reports$/);
    const upload = analyst.getByTestId('upload-report-panel');
    await upload.getByLabel('Format').selectOption('csv');
    await expect.poll(() => upload.getByLabel('Source').locator('option').allTextContents(), { timeout: 15_000 }).toContain(CSV_SOURCE);

    // A day off with its note, listed in its year; removing the override takes it off the list.
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Working days' }).click();
    await analyst.waitForURL(/\/monitoring\/calendar$/);
    await analyst.getByRole('heading', { name: 'Working days', level: 1 }).waitFor();
    const form = analyst.getByTestId('calendar-form');
    await form.getByLabel(/^Day\b/).fill(DAY_OFF);
    await form.getByLabel('Make it').selectOption('off');
    await form.getByLabel('Note', { exact: true }).fill(DAY_OFF_NOTE);
    await form.getByRole('button', { name: 'Save day' }).click();
    const calendar = analyst.getByTestId('calendar-table');
    const dayOff = calendar.getByRole('row').filter({ has: analyst.locator(`time[datetime="${DAY_OFF}"]`) });
    await expect.poll(() => dayOff.getByTestId('calendar-reason').textContent(), { timeout: 15_000 }).toBe(DAY_OFF_NOTE);
    expect(await dayOff.getByTestId('calendar-working').textContent()).toBe('Day off');
    expect(await analyst.getByTestId('calendar-year').inputValue()).toBe(DAY_OFF.slice(0, 4));
    await expectAccessible(analyst, 'working days');
    await dayOff.getByRole('button', { name: /^Remove the override of / }).click();
    await expect.poll(() => dayOff.count(), { timeout: 15_000 }).toBe(0);

    // "Who owns this?" on the sector overview: an address in Thuiszorg West's approved range.
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Sector overview' }).click();
    await analyst.waitForURL(/\/monitoring\/overview$/);
    const lookup = analyst.getByTestId('owner-lookup');
    await lookup.getByLabel('Address, AS number or domain').fill('198.51.100.5');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => lookup.getByTestId('owner-organisation').allTextContents(), { timeout: 15_000 }).toEqual(['Thuiszorg West']);
    expect(await lookup.getByTestId('owner-asset').first().textContent()).toContain('198.51.100.0/27');
    await expectAccessible(analyst, 'sector overview with the owner lookup');
  });

  it('the analyst pages through the reports with "Load more"', async () => {
    // A page holds 50 reports: fifty more (each with one row in nobody's range, so no findings) push
    // the upload of the first test onto the second page.
    const api = await apiLogin(e2e.url, 'analyst2@cert.example');
    const unmatched = `${COLUMNS.join(',')}\n${row({ timestamp: `${DAY} 04:00:00`, ip: NOBODYS, protocol: 'tcp', port: '3389', asn: '64510', geo: 'NL' })}`;
    for (let i = 0; i < 50; i++) {
      const body = { format: 'shadowserver', fileName: `${DAY}-scan_rdp-page-${i}.csv`, content: unmatched };
      const res = await api.call('POST', '/api/v1/monitoring/reports', body);
      expect(res.status, res.body).toBe(201);
    }
    await analyst.getByRole('navigation', { name: 'Monitoring sections' }).getByRole('link', { name: 'Reports' }).click();
    await analyst.waitForURL(/\/monitoring\/reports$/);
    // Another analyst's uploads: the list this page read a moment ago does not know them yet.
    await analyst.reload();
    const reports = analyst.getByTestId('reports-table');
    await expect.poll(() => reports.getByTestId('report-link').count(), { timeout: 15_000 }).toBe(50);
    expect(await reports.getByTestId('report-link').allTextContents()).not.toContain(FILE_NAME);
    await analyst.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => reports.getByTestId('report-link').allTextContents(), { timeout: 15_000 }).toContain(FILE_NAME);
    expect(await reports.getByTestId('report-link').count()).toBeGreaterThan(50);
  });

  it("the hospital's CISO sees the new finding in the portal, and no other participant's", async () => {
    ciso = await e2e.newPage({ label: 'ciso', alone: true });
    await e2e.login(ciso, 'ciso@ziekenhuis-noord.example', 'none');
    await ciso.getByTestId('nav-monitoring').click();
    await ciso.waitForURL(/\/monitoring$/);
    await ciso.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();
    // The CERT's parts (overview, reports, sources) are not the participant's.
    expect(await ciso.getByTestId('monitoring-sections').count()).toBe(0);

    const table = ciso.getByTestId('findings-table');
    await expect
      .poll(async () => (await table.getByTestId('finding-link').allTextContents()).sort(), { timeout: 15_000 })
      .toEqual(['192.0.2.10:3389', '192.0.2.25:443', `${NEW_RDP}:3389`]);
    expect(await table.textContent()).not.toContain('203.0.113.12');
    expect(await table.getByTestId('finding-organisation').count()).toBe(0);
    const fresh = table.getByRole('row').filter({ hasText: `${NEW_RDP}:3389` });
    expect(await fresh.getByTestId('finding-status').textContent()).toBe('New');
    expect(await fresh.getByTestId('finding-type').textContent()).toBe('Remote desktop (RDP) open to the internet');
    const acknowledged = table.getByRole('row').filter({ hasText: '192.0.2.10:3389' });
    expect(await acknowledged.getByTestId('finding-status').textContent()).toBe('Acknowledged');
    const exchange = table.getByRole('row').filter({ hasText: '192.0.2.25:443' });
    expect(await exchange.getByTestId('finding-severity').textContent()).toBe('Critical');

    // The picture: three open findings, and the chart over the last 90 days.
    const stats = ciso.getByTestId('monitoring-stats');
    await expect.poll(() => stats.getByTestId('stats-open-now').textContent(), { timeout: 15_000 }).toBe('3');
    expect(await stats.getByTestId('status-count-acknowledged').textContent()).toBe('1');
    expect(await stats.getByTestId('open-over-time').getAttribute('role')).toBe('img');
    expect(await stats.getByTestId('open-over-time').textContent()).toContain('3 today');
    // The legend names both lines: open findings, and findings whose risk was accepted (none yet).
    expect(await stats.getByTestId('chart-legend-open').textContent()).toBe('Open: 3');
    expect(await stats.getByTestId('chart-legend-accepted-risk').textContent()).toBe('Risk accepted: 0');
    await expectAccessible(ciso, 'monitoring portal');

    // Searching for the lab's address finds nothing: its findings are not the hospital's to see.
    await ciso.getByRole('search').getByLabel('Address or name').fill('203.0.113.12');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain('No findings match these filters.');
    expect(await table.getByTestId('finding-link').count()).toBe(0);
    await ciso.getByRole('search').getByLabel('Address or name').fill('');
    await expect.poll(() => table.getByTestId('finding-link').count(), { timeout: 15_000 }).toBe(3);
  });

  it('opens the Exchange finding, marks it resolved with a note, and sees it in the history', async () => {
    await ciso.getByTestId('findings-table').getByRole('link', { name: '192.0.2.25:443', exact: true }).click();
    await ciso.waitForURL(/\/monitoring\/findings\/[0-9a-f-]{36}$/);
    await ciso.getByRole('heading', { name: '192.0.2.25:443', level: 1 }).waitFor();
    expect(await ciso.getByTestId('finding-subtitle').textContent()).toBe('Vulnerable Exchange server');
    expect(await ciso.getByTestId('finding-status').getAttribute('data-status')).toBe('new');
    // The evidence is the report's row, key by key.
    const evidence = ciso.getByTestId('evidence');
    expect(await evidence.getByRole('row').filter({ hasText: 'servername' }).textContent()).toContain('EXCH01');
    expect(await evidence.getByRole('row').filter({ hasText: 'version' }).textContent()).toContain('15.1.2507.6');
    // Shadowserver cannot be asked to look again: its next report decides.
    expect(await ciso.getByTestId('recheck-note').textContent()).toContain('cannot check again on request');
    await expectAccessible(ciso, 'finding detail');

    // Accepting the risk needs a reason; resolving does not, but this one gets a note.
    const respond = ciso.getByTestId('respond-panel');
    await respond.getByRole('button', { name: 'Accept risk' }).click();
    await respond.getByText('Say why the risk is accepted').waitFor();
    expect(await ciso.getByTestId('finding-status').getAttribute('data-status')).toBe('new');
    await respond.getByLabel('Note').fill(NOTE);
    await respond.getByRole('button', { name: 'Mark resolved' }).click();
    await expect.poll(() => ciso.getByTestId('finding-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('resolved');
    expect(await respond.getByRole('button', { name: 'Mark resolved' }).isDisabled()).toBe(true);

    const items = ciso.getByTestId('history-item');
    await expect
      .poll(async () => Promise.all((await items.all()).map((item) => item.getAttribute('data-kind'))), { timeout: 15_000 })
      .toEqual(['opened', 'status']);
    const last = items.last();
    expect(await last.textContent()).toContain('Status changed: New → Resolved');
    expect(await last.textContent()).toContain('by Carla Bakker');
    expect(await last.getByTestId('history-note').textContent()).toBe(NOTE);
    expect(await last.locator('time').count()).toBe(1);
    await expectAccessible(ciso, 'resolved finding with its history');

    // Back in the list, "Open only" leaves the resolved finding out.
    await ciso.getByTestId('findings-link').click();
    await ciso.waitForURL(/\/monitoring$/);
    await ciso.getByRole('search').getByLabel('Open only').check();
    const table = ciso.getByTestId('findings-table');
    await expect
      .poll(async () => (await table.getByTestId('finding-link').allTextContents()).sort(), { timeout: 15_000 })
      .toEqual(['192.0.2.10:3389', `${NEW_RDP}:3389`]);
    await expect.poll(() => ciso.getByTestId('stats-open-now').textContent(), { timeout: 15_000 }).toBe('2');
  });
});
