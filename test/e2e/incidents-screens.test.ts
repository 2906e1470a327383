import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiLogin, type ApiSession } from './api-client.ts';
import { describeInBrowser, expectAccessible } from './browser.ts';

// The case screens for what the API already did: an analyst assigns a colleague to a case, links a
// related case and merges a duplicate into it (the duplicate turns read-only and points at the
// main case), defines a custom field and fills it in (a wrong value shows the API's message),
// re-verifies an evidence file's SHA-256 and hands it over (the chain of custody shows the step),
// and changes the due date and owner of a task. A second analyst sets the cases up through the API.

const MAIN = 'Verdachte inlogpogingen op het EPD';
const RELATED = 'Poortscan op de VPN-gateway';
const DUPLICATE = 'Tweede melding: inlogpogingen EPD';
const TASK = 'Inloglogs van het EPD nakijken';
const COLLEAGUE = 'Sanne Willems';
const FIELD_KEY = 'affected_beds';
const FIELD_LABEL = 'Getroffen bedden';
const EVIDENCE_NAME = 'epd-inlogpogingen.csv';
const EVIDENCE = Buffer.from('time,user,source\n2026-11-28T07:12:00Z,admin,198.51.100.23\n', 'utf8');
const EVIDENCE_SHA256 = createHash('sha256').update(EVIDENCE).digest('hex');
const RECIPIENT = 'Politie Eenheid Noord-Nederland';
const PLAYBOOK = 'Brute force op het EPD';

interface CreatedCase {
  id: string;
  reference: string;
}

async function openCase(setup: ApiSession, organisationId: string, title: string): Promise<CreatedCase> {
  const res = await setup.call('POST', '/api/v1/incidents', {
    intake: 'analyst',
    organisationIds: [organisationId],
    title,
    description: 'Gevonden door het CERT.',
  });
  expect(res.status, res.body).toBe(201);
  return res.json<CreatedCase>();
}

describeInBrowser('Incident screens: assignees, related cases, custom fields, evidence checks and task changes', (e2e) => {
  let analyst: Page;
  let main: CreatedCase;
  let related: CreatedCase;
  let duplicate: CreatedCase;

  it('an analyst assigns a second analyst to a case', async () => {
    const setup = await apiLogin(e2e.url, 'analyst2@cert.example');
    const orgs = await setup.call('GET', `/api/v1/organisations?q=${encodeURIComponent('Ziekenhuis Noord')}&limit=5`);
    const hospital = orgs.json<{ items: { id: string; name: string }[] }>().items.find((o) => o.name === 'Ziekenhuis Noord');
    expect(hospital).toBeDefined();
    main = await openCase(setup, hospital!.id, MAIN);
    related = await openCase(setup, hospital!.id, RELATED);
    duplicate = await openCase(setup, hospital!.id, DUPLICATE);
    const task = await setup.call('POST', `/api/v1/incidents/${main.id}/tasks`, { title: TASK, side: 'cert' });
    expect(task.status, task.body).toBe(201);

    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.goto(`${e2e.url}/incidents/${main.id}`);
    await analyst.getByRole('heading', { name: MAIN, level: 1 }).waitFor();
    const controls = analyst.getByTestId('case-controls');
    await expect.poll(() => controls.getByLabel('Assign an analyst').locator('option').allTextContents(), { timeout: 15_000 }).toContain(COLLEAGUE);
    // Only CERT staff are offered.
    expect(await controls.getByLabel('Assign an analyst').locator('option').allTextContents()).not.toContain('Carla Bakker');
    await controls.getByLabel('Assign an analyst').selectOption({ label: COLLEAGUE });
    await controls.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => controls.getByTestId('assignee').allTextContents(), { timeout: 15_000 }).toContain(COLLEAGUE);
    await expectAccessible(analyst, 'case with an assigned analyst');
  });

  it('the analyst links a related case and merges a duplicate; the merged case is read-only', async () => {
    const panel = analyst.getByTestId('related-cases');
    const search = panel.getByLabel('Find a case to link or merge');
    await search.fill(related.reference);
    const candidate = panel.getByTestId('related-candidate').filter({ hasText: related.reference });
    await candidate.waitFor({ timeout: 15_000 });
    await candidate.getByRole('button', { name: 'Link' }).click();
    const linked = panel.locator('[data-testid="related-case"][data-relation="link"]');
    await expect.poll(() => linked.allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining(related.reference)]);

    await search.fill(duplicate.reference);
    const dup = panel.getByTestId('related-candidate').filter({ hasText: duplicate.reference });
    await dup.waitFor({ timeout: 15_000 });
    await dup.getByRole('button', { name: 'Merge into this case' }).click();
    const confirm = analyst.getByRole('dialog').filter({ hasText: `Merge ${duplicate.reference} into ${main.reference}?` });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Merge', exact: true }).click();
    const merged = panel.locator('[data-testid="related-case"][data-relation="merged_from"]');
    await expect.poll(() => merged.allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining(duplicate.reference)]);

    await merged.getByRole('link', { name: duplicate.reference }).click();
    await analyst.waitForURL(`${e2e.url}/incidents/${duplicate.id}`);
    await analyst.getByRole('heading', { name: DUPLICATE, level: 1 }).waitFor();
    const banner = analyst.getByTestId('merged-banner');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(`This case was merged into ${main.reference}; it is read-only.`);
    expect(await analyst.getByTestId('case-controls').getByLabel('Status').isDisabled()).toBe(true);
    expect(await analyst.getByTestId('case-controls').getByLabel('Status').inputValue()).toBe('closed');
    expect(await analyst.getByTestId('related-cases').getByLabel('Find a case to link or merge').count()).toBe(0);
    expect(await analyst.getByTestId('add-task').count()).toBe(0);
    await expectAccessible(analyst, 'merged case');
    await banner.getByRole('link', { name: 'Open that case' }).click();
    await analyst.waitForURL(`${e2e.url}/incidents/${main.id}`);
    await analyst.getByRole('heading', { name: MAIN, level: 1 }).waitFor();
  });

  it('the analyst defines a custom field and a playbook, and fills the field in on the case; a wrong value shows the API’s message', async () => {
    await analyst.getByTestId('incidents-link').click();
    await analyst.waitForURL(/\/incidents$/);
    await analyst.getByTestId('custom-fields-button').click();
    const defs = analyst.getByTestId('custom-field-definitions');
    const form = defs.getByTestId('custom-field-form');
    await form.getByLabel('Key').fill(FIELD_KEY);
    await form.getByLabel('Label').fill(FIELD_LABEL);
    await form.getByLabel('Type').selectOption('number');
    await form.getByRole('button', { name: 'Save field' }).click();
    const row = defs.locator(`[data-testid="custom-field-row"][data-key="${FIELD_KEY}"]`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain(FIELD_LABEL);
    await expectAccessible(analyst, 'custom field definitions');

    // The same set-up holds the playbooks: a new one with a CERT task due after 4 hours and a checklist.
    await analyst.getByRole('tab', { name: 'Playbooks' }).click();
    const playbooks = analyst.getByTestId('playbooks-panel');
    const playbookForm = playbooks.getByTestId('playbook-form');
    await playbookForm.getByLabel('Name').fill(PLAYBOOK);
    await playbookForm.getByLabel('Category (RSIT class)').selectOption('intrusion-attempts');
    await playbookForm.getByLabel('Type (optional)').selectOption('brute-force');
    const first = playbookForm.getByTestId('playbook-task').first();
    await first.getByRole('textbox', { name: 'Task' }).fill('Geblokkeerde accounts vrijgeven na wachtwoordwissel');
    await first.getByLabel('Due after (hours)').fill('4');
    await first.getByLabel('Checklist').fill('Wachtwoord gewijzigd\nMFA aan');
    await playbookForm.getByRole('button', { name: 'Save playbook' }).click();
    const saved = playbooks.locator(`[data-testid="playbook"][data-name="${PLAYBOOK}"]`);
    await expect.poll(() => saved.textContent(), { timeout: 15_000 }).toContain('due after 4 hours');
    expect(await saved.textContent()).toContain('2 checklist items');
    await expectAccessible(analyst, 'playbooks');
    await analyst.keyboard.press('Escape');
    await playbooks.waitFor({ state: 'detached' });

    await analyst.goto(`${e2e.url}/incidents/${main.id}`);
    const fields = analyst.getByTestId('case-custom-fields');
    await fields.getByLabel(FIELD_LABEL).fill('veel');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    await expect.poll(() => fields.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain(`"${FIELD_LABEL}" takes a number.`);
    await expectAccessible(analyst, 'custom field refused by the API');
    await fields.getByLabel(FIELD_LABEL).fill('12');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    await expect.poll(() => fields.getByTestId('error-alert').count(), { timeout: 15_000 }).toBe(0);
    await analyst.reload();
    await expect.poll(() => analyst.getByTestId('case-custom-fields').getByLabel(FIELD_LABEL).inputValue(), { timeout: 15_000 }).toBe('12');
  });

  it('the analyst re-verifies an evidence file (it matches) and hands it over; the chain of custody shows the step', async () => {
    await analyst.getByRole('tab', { name: 'Evidence' }).click();
    const upload = analyst.getByTestId('upload-evidence');
    const [chooser] = await Promise.all([analyst.waitForEvent('filechooser'), upload.getByLabel('Evidence file').click()]);
    await chooser.setFiles({ name: EVIDENCE_NAME, mimeType: 'text/csv', buffer: EVIDENCE });
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => upload.getByTestId('uploaded-sha256').textContent(), { timeout: 15_000 }).toBe(EVIDENCE_SHA256);

    const row = analyst.getByTestId('evidence-row').filter({ hasText: EVIDENCE_NAME });
    await row.getByRole('button', { name: `Verify SHA-256 of ${EVIDENCE_NAME}` }).click();
    const result = row.getByTestId('verify-result');
    await expect.poll(() => result.getAttribute('data-matches'), { timeout: 15_000 }).toBe('true');
    expect(await result.textContent()).toContain('Matches: the file is as it arrived.');

    await row.getByRole('button', { name: 'Hand over' }).click();
    const handover = row.getByTestId('handover-form');
    await handover.getByLabel('To (person or organisation)').fill(RECIPIENT);
    await handover.getByLabel('Reason').fill('Aangifte: de politie neemt het bestand in beslag.');
    await expectAccessible(analyst, 'evidence hand-over form');
    await handover.getByRole('button', { name: 'Record hand-over' }).click();
    await handover.waitFor({ state: 'detached', timeout: 15_000 });
    const step = analyst.getByTestId('custody-table').locator('[data-testid="custody-step"][data-action="handover"]');
    await expect.poll(() => step.textContent(), { timeout: 15_000 }).toContain(`Handed over to ${RECIPIENT}`);
    expect(await step.textContent()).toContain('Aangifte: de politie neemt het bestand in beslag.');
  });

  it("the analyst changes a task's due date and owner", async () => {
    await analyst.getByRole('tab', { name: 'Tasks' }).click();
    const task = analyst.getByTestId('task').filter({ hasText: TASK });
    await task.getByRole('button', { name: `Edit the task ${TASK}` }).click();
    const editor = task.getByTestId('task-editor');
    await expect.poll(() => editor.getByLabel('Owner').locator('option').allTextContents(), { timeout: 15_000 }).toContain(COLLEAGUE);
    await editor.getByLabel('Owner').selectOption({ label: COLLEAGUE });
    await editor.getByLabel('Due (optional)').fill('2026-12-01T09:30');
    await expectAccessible(analyst, 'task editor');
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await editor.waitFor({ state: 'detached', timeout: 15_000 });
    const meta = task.getByTestId('task-meta');
    await expect.poll(() => meta.textContent(), { timeout: 15_000 }).toContain(COLLEAGUE);
    // 09:30 Dutch time on 1 December is 08:30 UTC.
    expect(await meta.locator('time').getAttribute('datetime')).toBe('2026-12-01T08:30:00.000Z');
  });
});
