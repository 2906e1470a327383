import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';

// The "Done when" of the incidents issue, as people click it: the hospital reports an incident
// through the portal's form and sees its case in triage; a CERT analyst opens it, applies the
// Ransomware playbook, records an observable and shares it with the detection network, uploads a
// small evidence file and reads its SHA-256, marks NIS2 as applying (the deadlines appear) and
// invites the hospital's IT supplier (the demo's MSSP, which acts for Ziekenhuis Noord). The hospital
// records its early warning in the room; the supplier sees the room, without observables or the
// CERT's internal notes. Only documentation addresses and example domains.

const TITLE = 'Bestanden versleuteld op de fileserver';
const WHAT = 'Vanochtend waren de bestanden op de fileserver van de polikliniek versleuteld; er staat een losgeldbrief op elke share.';
// A LockZorg C2 domain from the demo's detection network, seen there at Ziekenhuis Noord and at UMC Zuid.
const C2_DOMAIN = 'lockzorg-c2.example';
const C2_ADDRESS = '203.0.113.200';
const INTERNAL_ENTRY = `Beacon vanaf de fileserver naar ${C2_ADDRESS} gezien in de firewall-logs.`;
const INTERNAL_NOTE = 'Intern: lijkt op de LockZorg-campagne van vorige maand.';
const MESSAGE = 'Laat de getroffen systemen aan staan, maar haal ze van het netwerk.';
const EVIDENCE_NAME = 'losgeldbrief.txt';
const EVIDENCE = Buffer.from('Your files are encrypted by LockZorg. Contact us at facturen@zorgverzekering-betaal.example\n', 'utf8');
const EVIDENCE_SHA256 = createHash('sha256').update(EVIDENCE).digest('hex');
const SUPPLIER = 'SecureOps MSSP (demo)';
const REQUEST = 'Eén versleuteld bestand met zijn oorspronkelijke naam.';
const SAMPLE_NAME = 'afsprakenlijst.xlsx.lockzorg';
const SAMPLE = Buffer.from([0x4c, 0x5a, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x00, 0x10, 0x20]);
const CALLER = 'Servicedesk Ziekenhuis Rivierenland';

/** Now in Dutch time, as a datetime-local field takes it (YYYY-MM-DDTHH:mm). */
function amsterdamNow(): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

describeInBrowser('Incident handling and coordination, with forensic evidence and a room for the affected organisation', (e2e) => {
  let ciso: Page;
  let analyst: Page;
  let caseUrl = '';

  it('the hospital reports an incident through the form and sees its case in triage', async () => {
    ciso = await e2e.newPage({ label: 'ciso' });
    await e2e.login(ciso, 'ciso@ziekenhuis-noord.example', 'none');
    await ciso.getByTestId('nav-incidents').click();
    await ciso.waitForURL(/\/incidents$/);
    await ciso.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    // A participant reports; it does not open cases for others.
    expect(await ciso.getByTestId('new-case').count()).toBe(0);
    await ciso.getByRole('link', { name: 'Report an incident' }).click();
    await ciso.waitForURL(/\/incidents\/report$/);
    await ciso.getByRole('heading', { name: 'Report an incident', level: 1 }).waitFor();

    const form = ciso.getByTestId('report-form');
    // Sending it empty says what is missing, and sends nothing.
    await form.getByRole('button', { name: 'Send the report' }).click();
    await form.getByText('Choose the impact on patient care').waitFor();
    await form.getByLabel('Short title').fill(TITLE);
    await form.getByLabel('What happened?').fill(WHAT);
    await form.getByLabel('Systems affected').fill('fs01.ziekenhuis-noord.example (fileserver polikliniek)');
    await form.getByRole('radio', { name: 'Limited' }).check();
    await form.getByLabel('Details of the impact on patient care').fill('Afspraken van de polikliniek worden op papier bijgehouden.');
    await form.getByRole('radio', { name: 'No', exact: true }).check();
    expect(await form.getByLabel('Name', { exact: false }).first().inputValue()).toBe('Carla Bakker');
    await form.getByLabel('Phone').fill('+31 50 123 4567');
    await expectAccessible(ciso, 'incident report form');
    await form.getByRole('button', { name: 'Send the report' }).click();

    await ciso.waitForURL(/\/incidents\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    caseUrl = ciso.url();
    await ciso.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    expect(await ciso.getByTestId('case-facts').getByTestId('case-status').getAttribute('data-status')).toBe('triage');
    expect(await ciso.getByTestId('case-facts').getByTestId('case-status').textContent()).toBe('Triage');
    expect(await ciso.getByTestId('case-reference').textContent()).toMatch(/^INC-\d{4}-\d{4}$/);
    // The room has no CERT controls, no observables and no parties.
    expect(await ciso.getByTestId('case-controls').count()).toBe(0);
    expect(await ciso.getByRole('tab', { name: 'Observables' }).count()).toBe(0);
    expect(await ciso.getByRole('tab', { name: 'Parties' }).count()).toBe(0);
    await expectAccessible(ciso, 'case room of the reporting hospital');

    await ciso.getByTestId('incidents-link').click();
    await ciso.waitForURL(/\/incidents$/);
    const row = ciso.getByTestId('incidents-table').getByRole('row').filter({ hasText: TITLE });
    await expect.poll(() => row.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('Triage');
    expect(await row.getByTestId('case-organisations').textContent()).toBe('Ziekenhuis Noord');
    await expectAccessible(ciso, 'incident list of the hospital');
  });

  it('an analyst opens the case and applies the Ransomware playbook', async () => {
    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.getByTestId('nav-incidents').click();
    await analyst.waitForURL(/\/incidents$/);
    await analyst.getByRole('search').getByLabel('Status').selectOption('triage');
    const table = analyst.getByTestId('incidents-table');
    await expect.poll(() => table.getByTestId('case-title').allTextContents(), { timeout: 15_000 }).toContain(TITLE);
    await expectAccessible(analyst, 'incident list of the CERT');
    await table.getByRole('row').filter({ hasText: TITLE }).getByTestId('case-link').click();
    await analyst.waitForURL(caseUrl);
    await analyst.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    expect(await analyst.getByTestId('case-report').textContent()).toContain('fs01.ziekenhuis-noord.example');

    const tasks = analyst.getByTestId('tasks-panel');
    await expect.poll(() => tasks.getByLabel('Playbook').locator('option').allTextContents(), { timeout: 15_000 }).toContain('Ransomware');
    await tasks.getByLabel('Playbook').selectOption({ label: 'Ransomware' });
    await tasks.getByRole('button', { name: 'Apply template' }).click();
    await expect
      .poll(() => tasks.getByTestId('task-title').allTextContents(), { timeout: 15_000 })
      .toContain('Identify the ransomware family and known decryptors');
    expect(await tasks.getByTestId('task-title').allTextContents()).toContain('Isolate affected systems and preserve memory images');
    // The playbook set the category.
    await expect.poll(() => analyst.getByTestId('case-controls').getByLabel('Type').inputValue(), { timeout: 15_000 }).toBe('ransomware');
    await analyst.getByTestId('case-controls').getByLabel('Status').selectOption('in_progress');
    await expect.poll(() => analyst.getByTestId('case-controls').getByLabel('Status').inputValue(), { timeout: 15_000 }).toBe('in_progress');
    await expectAccessible(analyst, 'case with the playbook applied');
  });

  it('the analyst records observables, one from a timeline entry, and shares one with the detection network', async () => {
    // An internal timeline entry (not shared with the room), and the C2 address taken from it in one step.
    await analyst.getByRole('tab', { name: 'Timeline' }).click();
    const add = analyst.getByTestId('add-timeline-entry');
    await add.getByLabel('What happened').fill(INTERNAL_ENTRY);
    await add.getByLabel('Source').fill('Firewall');
    await add.getByRole('button', { name: 'Add entry' }).click();
    const entry = analyst.getByTestId('timeline-entry').filter({ hasText: INTERNAL_ENTRY });
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.getByTestId('shared-badge').textContent()).toBe('Internal');
    await entry.getByTestId('timeline-text').evaluate((el, value) => {
      const text = el.firstChild!;
      const start = (el.textContent ?? '').indexOf(value);
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + value.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    }, C2_ADDRESS);
    await entry.getByRole('button', { name: 'Add indicator' }).click();
    const indicator = entry.getByTestId('indicator-form');
    expect(await indicator.getByLabel('Value').inputValue()).toBe(C2_ADDRESS);
    expect(await indicator.getByLabel('Type').inputValue()).toBe('ipv4');
    await expectAccessible(analyst, 'timeline with the indicator form');
    await indicator.getByRole('button', { name: 'Add as observable' }).click();
    await indicator.waitFor({ state: 'detached', timeout: 15_000 });

    await analyst.getByRole('tab', { name: 'Observables' }).click();
    const panel = analyst.getByTestId('observables-panel');
    const form = panel.getByTestId('add-observable');
    await form.getByLabel('Type').selectOption('domain');
    await form.getByLabel('Value').fill(C2_DOMAIN);
    await form.getByRole('button', { name: 'Add' }).click();
    const c2 = panel.getByTestId('observable').filter({ hasText: C2_DOMAIN });
    await c2.waitFor({ timeout: 15_000 });
    // UMC Zuid saw it too (the hospital's own sighting does not count as "elsewhere").
    expect(await c2.getByTestId('seen-by-others').textContent()).toBe('Seen at 1 other organisation');
    expect(await panel.getByTestId('observable-value').allTextContents()).toEqual(expect.arrayContaining([C2_ADDRESS, C2_DOMAIN]));

    const share = panel.getByTestId('share-observables');
    expect(await share.getByLabel('Anonymous (do not name the organisation)').isChecked()).toBe(true);
    await c2.getByRole('checkbox').check();
    await share.getByLabel('TLP').selectOption('GREEN');
    await share.getByRole('button', { name: 'Share 1 observable' }).click();
    await expect.poll(() => share.getByTestId('share-result').textContent(), { timeout: 15_000 }).toContain('1 observable shared.');
    await expect.poll(() => c2.getByTestId('observable-shared').count(), { timeout: 15_000 }).toBe(1);
    await expectAccessible(analyst, 'observables after sharing');
  });

  it('the analyst uploads a small evidence file and sees its SHA-256 and the chain of custody', async () => {
    await analyst.getByRole('tab', { name: 'Evidence' }).click();
    const upload = analyst.getByTestId('upload-evidence');
    const [chooser] = await Promise.all([analyst.waitForEvent('filechooser'), upload.getByLabel('Evidence file').click()]);
    await chooser.setFiles({ name: EVIDENCE_NAME, mimeType: 'text/plain', buffer: EVIDENCE });
    await upload.getByLabel('Description').fill('De losgeldbrief van de share \\\\fs01\\poli');
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => upload.getByTestId('uploaded-sha256').textContent(), { timeout: 15_000 }).toBe(EVIDENCE_SHA256);
    const row = analyst.getByTestId('evidence-table').getByTestId('evidence-row').filter({ hasText: EVIDENCE_NAME });
    expect(await row.getByTestId('evidence-sha256').textContent()).toBe(EVIDENCE_SHA256);
    expect(await row.getByRole('link', { name: `Download ${EVIDENCE_NAME}` }).getAttribute('href')).toMatch(/\/evidence\/[0-9a-f-]{36}\/download$/);
    const custody = analyst.getByTestId('custody-table');
    await expect.poll(() => custody.getByTestId('custody-step').first().getAttribute('data-action'), { timeout: 15_000 }).toBe('upload');
    // The CERT asks the hospital for a sample of what was encrypted.
    const requests = analyst.getByTestId('evidence-requests');
    await requests.getByLabel('Ask the organisation for evidence').fill(REQUEST);
    await requests.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => requests.getByTestId('evidence-request').filter({ hasText: REQUEST }).count(), { timeout: 15_000 }).toBe(1);
    await expectAccessible(analyst, 'evidence with its chain of custody');
  });

  it('the analyst marks NIS2 as applying and the deadlines appear; the thread gets a message and an internal note', async () => {
    const clocks = analyst.getByTestId('clocks-panel');
    expect(await clocks.getByTestId('clocks-none').count()).toBe(1);
    await analyst.getByTestId('case-controls').getByLabel('NIS2 applies (significant incident)').click(); // the server decides the state: click, then wait for it (check() wants the change at once)
    const rows = clocks.getByTestId('clock-row');
    await expect
      .poll(() => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-clock'))), { timeout: 15_000 })
      .toEqual(['nis2_early_warning', 'nis2_notification', 'nis2_final_report']);
    const early = rows.filter({ hasText: 'NIS2 early warning (24 hours)' });
    expect(await early.getByTestId('clock-state').textContent()).toBe('Open');
    expect(await early.locator('time').count()).toBe(1);
    expect(await rows.filter({ hasText: 'NIS2 final report' }).getByTestId('clock-state').textContent()).toBe('Waiting');
    await expectAccessible(analyst, 'case with NIS2 deadlines');

    await analyst.getByRole('tab', { name: 'Messages' }).click();
    const thread = analyst.getByTestId('messages-panel');
    await thread.getByRole('textbox', { name: 'Message', exact: true }).fill(MESSAGE);
    await thread.getByRole('button', { name: 'Send' }).click();
    await thread.getByTestId('message').filter({ hasText: MESSAGE }).waitFor({ timeout: 15_000 });
    await thread.getByRole('textbox', { name: 'Message', exact: true }).fill(INTERNAL_NOTE);
    await thread.getByLabel('Internal note (only the CERT sees it)').check();
    await thread.getByRole('button', { name: 'Save note' }).click();
    const note = thread.getByTestId('message').filter({ hasText: INTERNAL_NOTE });
    await note.waitFor({ timeout: 15_000 });
    expect(await note.getAttribute('data-internal')).toBe('true');
    await expectAccessible(analyst, 'thread with an internal note');
  });

  it("the analyst invites the hospital's IT supplier into the room and looks at the dashboard", async () => {
    await analyst.getByRole('tab', { name: 'Parties' }).click();
    const parties = analyst.getByTestId('parties-panel');
    await expect.poll(() => parties.getByLabel('Invite an organisation').locator('option').allTextContents(), { timeout: 15_000 }).toContain(SUPPLIER);
    await parties.getByLabel('Invite an organisation').selectOption({ label: SUPPLIER });
    await parties.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => parties.getByTestId('guest').getAttribute('data-organisation'), { timeout: 15_000 }).toBe(SUPPLIER);
    await expectAccessible(analyst, 'parties with the invited supplier');

    await analyst.getByRole('tab', { name: 'Reports' }).click();
    await analyst.getByRole('link', { name: 'Incident dashboard' }).click();
    await analyst.waitForURL(/\/incidents\/dashboard$/);
    await analyst.getByRole('heading', { name: 'Incident dashboard', level: 1 }).waitFor();
    await expect.poll(() => analyst.getByTestId('open-by-status-in_progress').textContent(), { timeout: 15_000 }).not.toBe('0');
    // The new case's deadlines are among those coming up (the demo's own ransomware case has some too).
    const caseId = caseUrl.split('/').pop() ?? '';
    await expect
      .poll(
        () =>
          analyst
            .getByTestId('deadlines')
            .getByRole('link')
            .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
        { timeout: 15_000 },
      )
      .toContain(`/incidents/${caseId}`);
    await expectAccessible(analyst, 'incident dashboard');

    // A sector info message drafted from the case opens in the advisory editor.
    await analyst.goto(`${caseUrl}?tab=reports`);
    await analyst.getByRole('button', { name: 'Draft info message' }).click();
    await analyst.waitForURL(/\/advisories\/[0-9a-f-]{36}\/edit$/, { timeout: 15_000 });
  });

  it('the analyst logs a phone call as a new case; personal data starts the GDPR deadline', async () => {
    await analyst.getByTestId('nav-incidents').click();
    await analyst.waitForURL(/\/incidents$/);
    await analyst.getByRole('button', { name: 'New case' }).click();
    const form = analyst.getByTestId('new-case-form');
    await form.getByLabel('Source').selectOption('phone');
    await form.getByLabel('Affected organisation').selectOption({ label: 'Ziekenhuis Rivierenland' });
    await form.getByLabel(/^Title\b/).fill('Verdachte inlogpogingen op de webmail');
    await form.getByLabel('Caller').fill(CALLER);
    await form.getByLabel('Phone').fill('+31 24 555 0123');
    await form.getByLabel('Personal data involved').check();
    await expectAccessible(analyst, 'new case form');
    await form.getByRole('button', { name: 'Open the case' }).click();
    await analyst.waitForURL(/\/incidents\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await analyst.getByRole('heading', { name: 'Verdachte inlogpogingen op de webmail', level: 1 }).waitFor();
    expect(await analyst.getByTestId('case-report').textContent()).toContain(CALLER);
    const gdpr = analyst.getByTestId('clocks-panel').getByTestId('clock-row');
    await expect.poll(() => gdpr.evaluateAll((els) => els.map((el) => el.getAttribute('data-clock'))), { timeout: 15_000 }).toEqual(['gdpr_breach']);
    expect(await gdpr.getByTestId('clock-state').textContent()).toBe('Open');
  });

  it('the hospital ticks off its task and records its early warning in the room', async () => {
    await ciso.goto(caseUrl);
    await ciso.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    // Only the hospital's tasks, not the CERT's.
    const tasks = ciso.getByTestId('tasks-panel');
    await expect.poll(() => tasks.getByTestId('task').count(), { timeout: 15_000 }).toBe(3);
    expect(await tasks.getByTestId('task-title').allTextContents()).not.toContain('Identify the ransomware family and known decryptors');
    const isolate = tasks.getByTestId('task').filter({ hasText: 'Isolate affected systems and preserve memory images' });
    await isolate.getByLabel('Disconnect from the network, keep powered on').click(); // the server decides the state: click, then wait for it (check() wants the change at once)
    await expect.poll(() => isolate.getByLabel('Disconnect from the network, keep powered on').isChecked(), { timeout: 15_000 }).toBe(true);

    const clocks = ciso.getByTestId('clocks-panel');
    await clocks.getByLabel('Early warning sent at').fill(amsterdamNow());
    await clocks.getByRole('button', { name: 'Save times' }).click();
    const early = clocks.getByTestId('clock-row').filter({ hasText: 'NIS2 early warning (24 hours)' });
    await expect.poll(() => early.getByTestId('clock-state').textContent(), { timeout: 15_000 }).toBe('Met');
    // The CERT's advice from the playbook reads in the room.
    expect(await ciso.getByTestId('advice-text').textContent()).toContain('Isolate affected systems');
    await expectAccessible(ciso, 'case room with the deadlines recorded');

    // The CERT's request for evidence, answered with an upload; the CERT's own (unshared) upload is not shown.
    await ciso.getByRole('tab', { name: 'Evidence' }).click();
    const request = ciso.getByTestId('evidence-request').filter({ hasText: REQUEST });
    expect(await request.textContent()).toContain('Open');
    const upload = ciso.getByTestId('upload-evidence');
    const [chooser] = await Promise.all([ciso.waitForEvent('filechooser'), upload.getByLabel('Evidence file').click()]);
    await chooser.setFiles({ name: SAMPLE_NAME, mimeType: 'application/octet-stream', buffer: SAMPLE });
    await upload.getByLabel('Answers the request').selectOption({ label: REQUEST });
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => upload.getByTestId('uploaded-sha256').textContent(), { timeout: 15_000 }).toBe(createHash('sha256').update(SAMPLE).digest('hex'));
    await expect.poll(() => request.textContent(), { timeout: 15_000 }).toContain('Received');
    expect(await ciso.getByTestId('evidence-name').allTextContents()).toEqual([SAMPLE_NAME]);
    await expectAccessible(ciso, 'evidence in the case room');
  });

  it('the supplier sees the room, without observables and without internal notes', async () => {
    const supplier = await e2e.newPage({ label: 'supplier', alone: true });
    await e2e.login(supplier, 'soc@secureops.example', 'none');
    await supplier.getByTestId('nav-incidents').click();
    await supplier.waitForURL(/\/incidents$/);
    const table = supplier.getByTestId('incidents-table');
    await expect.poll(() => table.getByTestId('case-title').allTextContents(), { timeout: 15_000 }).toContain(TITLE);
    // Only cases it was invited to: none of another participant's.
    expect(await table.getByTestId('case-organisations').allTextContents()).toEqual(expect.arrayContaining(['Ziekenhuis Noord']));
    expect(await table.textContent()).not.toContain('GGZ Oost');
    // A supplier does not report incidents itself.
    expect(await supplier.getByRole('link', { name: 'Report an incident' }).count()).toBe(0);
    await table.getByRole('row').filter({ hasText: TITLE }).getByTestId('case-link').click();
    await supplier.waitForURL(caseUrl);
    await supplier.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    expect(await supplier.getByTestId('case-controls').count()).toBe(0);
    expect(await supplier.getByRole('tab', { name: 'Observables' }).count()).toBe(0);
    expect(await supplier.getByRole('tab', { name: 'Parties' }).count()).toBe(0);
    expect(await supplier.content()).not.toContain(C2_DOMAIN);

    await supplier.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = supplier.getByTestId('timeline-panel');
    await expect.poll(() => timeline.getByTestId('timeline-entry').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await timeline.textContent()).not.toContain(INTERNAL_ENTRY);
    expect(await timeline.getByRole('button', { name: 'Add indicator' }).count()).toBe(0);

    await supplier.getByRole('tab', { name: 'Messages' }).click();
    const thread = supplier.getByTestId('messages-panel');
    await thread.getByTestId('message').filter({ hasText: MESSAGE }).waitFor({ timeout: 15_000 });
    expect(await thread.textContent()).not.toContain(INTERNAL_NOTE);
    expect(await thread.getByLabel('Internal note (only the CERT sees it)').count()).toBe(0);
    await expectAccessible(supplier, 'case room of the invited supplier');
  });
});
