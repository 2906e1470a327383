import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';

// Coordinated vulnerability disclosure as people click it: a finder reports a flaw in a hospital's
// patient portal on the public form, encrypted in the browser, and keeps the case number and the
// private link. A CERT analyst opens the case (its first answer is due in five working days), brings
// the hospital in and writes to it; the hospital answers in the portal; the analyst relays the answer
// to the finder (the server refuses the text while it still names the hospital); the finder reads it
// through the private link without learning who the hospital is. Documentation names only.

const HOSPITAL = 'Ziekenhuis Noord';
const TARGET = 'https://mijn.ziekenhuis-noord.example/uitslagen?patient=2231';
const TITLE = 'Lab results of other patients readable by changing the patient number';
const DESCRIPTION = 'The results page takes the patient number from the URL and shows the lab results of whichever patient it names, without checking that it is the logged-in patient.';
const FINDER = 'Robin de Vinder';
const FINDER_EMAIL = 'robin@vinder.example';
const TO_HOSPITAL = 'We received a report about the results page of your patient portal (see the report). Do you recognise it, and when do you expect a fix?';
const REPLY = `Recognised. Our supplier deploys a fix on Monday. Regards, the security officer of ${HOSPITAL}`;
const RELAYED = 'The organisation recognises the problem; a fix goes live on Monday. We will let you know when it is fixed.';

describeInBrowser('Coordinated vulnerability disclosure: a report relayed between the finder and the hospital', (e2e) => {
  let finder: Page;
  let analyst: Page;
  let reference = '';
  let privateLink = '';
  let caseUrl = '';

  it('a finder reports the vulnerability on the public form, encrypted in the browser', async () => {
    finder = await e2e.newPage({ label: 'finder' });
    await finder.goto(`${e2e.url}/cvd?lang=en`);
    await finder.getByRole('heading', { name: 'Report a vulnerability', level: 1 }).waitFor();
    const loadedAt = Date.now();
    const form = finder.locator('#cvd-form');
    await form.locator('#f-targetKind-website').check();
    await form.locator('#f-target').fill(TARGET);
    await form.locator('#f-title').fill(TITLE);
    await form.locator('#f-description').fill(DESCRIPTION);
    await form.locator('#f-steps').fill('1. Log in as a patient.\n2. Open /uitslagen?patient=2231 (your own).\n3. Change the number to 2230.');
    await form.locator('#f-impact').fill('Anyone with a patient account reads the lab results of every patient.');
    await form.locator('#f-finderName').fill(FINDER);
    await form.locator('#f-finderEmail').fill(FINDER_EMAIL);
    // The form's script offers encryption in the browser once it has loaded the CERT's key.
    const encrypt = form.getByLabel('Encrypt my report and attachments in my browser');
    await encrypt.waitFor({ state: 'visible', timeout: 15_000 });
    await encrypt.check();
    await expectAccessible(finder, 'public report form');
    // The form refuses what comes back faster than a person fills it in.
    await finder.waitForTimeout(Math.max(0, 4_000 - (Date.now() - loadedAt)));
    await form.getByRole('button', { name: 'Send report' }).click();

    await finder.getByRole('heading', { name: 'Your report has been received', level: 1 }).waitFor({ timeout: 30_000 });
    reference = (await finder.locator('.notice strong').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^CVD-\d{4}-\d{4,}$/);
    privateLink = await finder.locator('#link-copy').inputValue();
    expect(privateLink).toMatch(/\/cvd\/case\/[A-Za-z0-9_-]{43}$/);
    await expectAccessible(finder, 'confirmation page');
  });

  it('the analyst opens the case: encrypted, five working days to answer, the hospital in scope', async () => {
    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.getByTestId('nav-cvd').click();
    await analyst.waitForURL(/\/cvd-cases$/);
    await analyst.getByRole('heading', { name: 'Vulnerability reports', level: 1 }).waitFor();
    // The dashboard strip: the demo's report nobody answered yet is near its first-answer deadline or past it.
    await analyst.getByTestId('cvd-dashboard').waitFor({ timeout: 15_000 });
    await analyst.getByRole('search').getByLabel('Status').selectOption('received');
    const row = analyst.getByTestId('cvd-cases-table').getByRole('row').filter({ hasText: reference });
    await expect.poll(() => row.getByTestId('first-response-clock').textContent(), { timeout: 15_000 }).toBe('5 working days left');
    expect(await row.getByTestId('cvd-case-concerns').textContent()).toBe(TARGET);
    await expectAccessible(analyst, 'CVD case list of the CERT');

    await row.getByTestId('cvd-case-link').click();
    await analyst.waitForURL(/\/cvd-cases\/[0-9a-f-]{36}$/);
    caseUrl = analyst.url();
    await analyst.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    expect(await analyst.getByTestId('cvd-reference').textContent()).toBe(reference);
    const report = analyst.getByTestId('cvd-report');
    expect(await report.getByTestId('cvd-encrypted').textContent()).toBe('Encrypted in the browser');
    expect(await report.getByTestId('cvd-description').textContent()).toBe(DESCRIPTION);
    expect(await report.getByTestId('cvd-finder').textContent()).toContain(FINDER);
    const clock = analyst.getByTestId('cvd-clocks').getByTestId('cvd-clock-first-response');
    expect(await clock.getByTestId('first-response-clock').textContent()).toBe('5 working days left');
    // The scope check matched the portal's domain to the hospital's declared assets.
    const scope = analyst.getByTestId('cvd-scope').getByTestId('cvd-scope-organisation').filter({ hasText: HOSPITAL });
    expect(await scope.textContent()).toContain('Domain');
    await expectAccessible(analyst, 'CVD case of the CERT');
  });

  it('the analyst adds the hospital as a party and writes to it', async () => {
    const add = analyst.getByTestId('cvd-add-party');
    await add.getByLabel('Kind').selectOption('participant');
    const picker = add.getByRole('textbox', { name: 'Organisation' });
    await picker.click();
    await picker.fill('Noord');
    await analyst.getByRole('option', { name: HOSPITAL, exact: true }).click();
    await add.getByRole('button', { name: 'Add party' }).click();
    const parties = analyst.getByTestId('cvd-parties-table');
    await parties.getByTestId('party-name').filter({ hasText: HOSPITAL }).waitFor({ timeout: 15_000 });
    // Bringing a party in starts the coordination.
    await expect.poll(() => analyst.getByTestId('cvd-case-controls').getByTestId('cvd-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('coordinating');
    await expectAccessible(analyst, 'parties with the hospital');

    await analyst.getByRole('tab', { name: new RegExp(`^${HOSPITAL} \\(Participant\\)`) }).click();
    const channel = analyst.getByTestId('cvd-channels');
    await channel.getByRole('textbox', { name: 'Message' }).fill(TO_HOSPITAL);
    await channel.getByRole('button', { name: 'Send' }).click();
    await channel.getByTestId('cvd-message').filter({ hasText: TO_HOSPITAL }).waitFor({ timeout: 15_000 });
    expect(await analyst.getByTestId('cvd-events').textContent()).toContain(`${HOSPITAL} added as participant.`);
  });

  it('the hospital reads the message in the portal, records its status and replies', async () => {
    const hospital = await e2e.newPage({ label: 'hospital' });
    await e2e.login(hospital, 'ciso@ziekenhuis-noord.example', 'none');
    await hospital.getByTestId('nav-cvd').click();
    await hospital.waitForURL(/\/cvd-cases$/);
    const row = hospital.getByTestId('cvd-cases-table').getByRole('row').filter({ hasText: reference });
    await row.waitFor({ timeout: 15_000 });
    // A party sees no clocks of the CERT's.
    expect(await row.getByTestId('first-response-clock').count()).toBe(0);
    await expectAccessible(hospital, 'CVD case list of the hospital');
    await row.getByTestId('cvd-case-link').click();
    await hospital.waitForURL(/\/cvd-party\/[0-9a-f-]{36}$/);
    expect(hospital.url().split('/').pop()).toBe(caseUrl.split('/').pop());
    await hospital.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    // The report, without the finder.
    expect(await hospital.getByTestId('cvd-report').textContent()).toContain(DESCRIPTION);
    expect(await hospital.content()).not.toContain(FINDER);
    expect(await hospital.content()).not.toContain(FINDER_EMAIL);

    const channel = hospital.getByTestId('cvd-channel');
    await channel.getByTestId('cvd-message').filter({ hasText: TO_HOSPITAL }).waitFor({ timeout: 15_000 });
    const status = hospital.getByTestId('cvd-party-status');
    await status.getByLabel('Set our status').selectOption('fix_planned');
    await expect.poll(() => status.getByTestId('party-status').textContent(), { timeout: 15_000 }).toBe('Fix planned');
    await channel.getByRole('textbox', { name: 'Message' }).fill(REPLY);
    await channel.getByRole('button', { name: 'Send' }).click();
    await channel.getByTestId('cvd-message').filter({ hasText: REPLY }).waitFor({ timeout: 15_000 });
    await expectAccessible(hospital, 'CVD channel of the hospital');
  });

  it('the analyst relays the reply to the finder, after taking out the hospital’s name', async () => {
    await analyst.goto(caseUrl);
    await analyst.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await analyst.getByRole('tab', { name: new RegExp(`^${HOSPITAL} \\(Participant\\)`) }).click();
    const reply = analyst.getByTestId('cvd-message').filter({ hasText: REPLY });
    await reply.waitFor({ timeout: 15_000 });
    expect(await analyst.getByTestId('cvd-parties-table').getByTestId('party-status-select').first().inputValue()).toBe('fix_planned');
    await reply.getByRole('button', { name: 'Relay to…' }).click();
    await analyst.getByRole('menuitem', { name: `${FINDER} (Finder)` }).click();

    // The finder's channel opens with the reply quoted, for the analyst to edit.
    const channels = analyst.getByTestId('cvd-channels');
    await channels.getByTestId('cvd-relay-notice').waitFor();
    const text = channels.getByRole('textbox', { name: 'Message' });
    expect(await text.inputValue()).toContain(`> ${REPLY}`);
    await expectAccessible(analyst, 'relay composer');
    // Sent as quoted, it still names the hospital: the server refuses and says why.
    await channels.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => channels.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain(`names ${HOSPITAL}`);
    await text.fill(RELAYED);
    await channels.getByRole('button', { name: 'Send' }).click();
    const relayed = channels.getByTestId('cvd-message').filter({ hasText: RELAYED });
    await relayed.waitFor({ timeout: 15_000 });
    expect(await relayed.getByTestId('cvd-relayed-from').textContent()).toBe(`Relayed from ${HOSPITAL}`);
    // The first message to the finder is the first answer.
    await expect.poll(() => analyst.getByTestId('cvd-clocks').getByTestId('first-response-clock').textContent(), { timeout: 15_000 }).toBe('Answered');
  });

  it('the finder reads the relayed answer through the private link, without the hospital’s name', async () => {
    await finder.goto(privateLink);
    await finder.getByRole('heading', { name: `Case ${reference}`, level: 1 }).waitFor();
    await finder.locator('ol.messages').getByText(RELAYED).waitFor();
    const page = await finder.content();
    expect(page).not.toContain(HOSPITAL);
    expect(page).not.toContain(REPLY);
    await expectAccessible(finder, 'private link page of the finder');
  });
  it('the CERT records that the hospital delegates its disclosure; the security.txt needs the CERT’s https address, and the page says so', async () => {
    await analyst.getByRole('link', { name: 'Organisations' }).first().click();
    await analyst.waitForURL(/\/organisations/);
    await analyst.getByRole('link', { name: HOSPITAL, exact: true }).first().click();
    await analyst.waitForURL(/\/organisations\/[0-9a-f-]{36}/);
    const panel = analyst.getByTestId('cvd-delegation');
    const toggle = panel.getByRole('switch', { name: 'Disclosure delegated to the CERT' });
    expect(await toggle.isChecked()).toBe(false);
    // The switch follows the server: it turns once the change is saved.
    await toggle.click();
    await expect.poll(() => toggle.isChecked(), { timeout: 15_000 }).toBe(true);
    await panel.getByRole('button', { name: 'Download security.txt', exact: true }).click();
    // This server runs on http://127.0.0.1: RFC 9116 wants https, so the file is refused with the reason.
    await expect.poll(() => panel.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain('https');
    await expectAccessible(analyst, 'organisation with CVD delegation');
  });
});
