import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';

// The end-of-week digest as people click it (decision 017). The analyst opens this week's digest
// (the demo assembled it from the demo products and holds it), writes an introduction, moves an
// entry up with the keyboard and previews the mail for a hospital's security contact. The CISO of
// Ziekenhuis Noord opens the archive: last week's sent digest is there, this week's is not.

const ANALYST = 'analyst@cert.example';
const CARLA = 'ciso@ziekenhuis-noord.example';
const INTRODUCTION = 'A **busy** week: start with the alert about VPN servers.';
const CONTACT = 'security@ziekenhuis-noord.example';

/** The titles of the editor's entry list, in order. */
async function order(page: Page): Promise<string[]> {
  return page.getByTestId('digest-order').locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-entry-title') ?? ''));
}

describeInBrowser('Digests: the end-of-week digest edited, previewed per recipient and archived (browser)', (e2e) => {
  it('an analyst opens the week digest, writes an introduction, moves an entry up and previews it for a contact', async () => {
    const analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, ANALYST, 'enrol');
    await analyst.getByTestId('nav-digests').click();
    await analyst.waitForURL(/\/digests$/);
    await analyst.getByRole('heading', { name: 'Digests', level: 1 }).waitFor();
    await expectAccessible(analyst, 'digest archive (CERT)');
    await analyst.getByRole('button', { name: "This week's digest" }).click();
    await analyst.waitForURL(/\/digests\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await analyst.getByRole('heading', { name: /^Week \d+, \d{4} — Weekly overview$/, level: 1 }).waitFor();
    expect(await analyst.getByTestId('digest-status').first().textContent()).toBe('Held');

    // The introduction in Markdown; the reader's view shows it rendered.
    await analyst.getByRole('textbox', { name: 'Introduction' }).fill(INTRODUCTION);
    await analyst.getByRole('button', { name: 'Save texts' }).click();
    await expect.poll(() => analyst.getByTestId('digest-introduction').innerHTML(), { timeout: 15_000 }).toContain('<strong>busy</strong>');

    // Move the second entry up, by keyboard: focus its button, press Enter; focus stays with the entry.
    const before = await order(analyst);
    expect(before.length).toBeGreaterThan(1);
    const moved = before[1]!;
    await analyst.getByRole('button', { name: `Move up: ${moved}`, exact: true }).focus();
    await analyst.keyboard.press('Enter');
    await expect.poll(() => order(analyst), { timeout: 15_000 }).toEqual([moved, before[0], ...before.slice(2)]);
    await expect.poll(() => analyst.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), { timeout: 5_000 }).toBe(`Move down: ${moved}`);
    expect(await analyst.getByTestId('digest-order-status').textContent()).toBe(`${moved} is now number 1 of ${before.length}.`);
    // The reader's view follows the new order.
    expect(await analyst.getByTestId('digest-entries').locator('li').first().textContent()).toContain(moved);

    // The preview: the mail exactly as the hospital's security contact gets it.
    await analyst.getByRole('textbox', { name: 'Preview for' }).click();
    await analyst.getByRole('option', { name: new RegExp(CONTACT) }).click();
    await analyst.waitForURL(/\?preview=[0-9a-f-]{36}$/);
    await expect.poll(() => analyst.getByTestId('digest-preview-subject').textContent(), { timeout: 15_000 }).toMatch(/^\[TLP:[A-Z+]+\] Week \d+, \d{4} — Weekoverzicht$/);
    const mail = analyst.frameLocator('[data-testid="digest-preview-frame"]');
    await mail.getByRole('heading', { name: /Weekoverzicht$/, level: 1 }).waitFor({ timeout: 15_000 });
    // This contact reads Dutch and English: one section each, both with the introduction.
    expect(await mail.locator('.digest-introduction strong').allTextContents()).toEqual(['busy', 'busy']);
    expect(await mail.locator('ol > li').first().textContent()).toContain(moved);
    await analyst.getByRole('tab', { name: 'Plain text' }).click();
    expect(await analyst.getByTestId('digest-preview-text').textContent()).toContain('A busy week: start with the alert about VPN servers.');
    await expectAccessible(analyst, 'digest editor and preview');
  });

  it('a participant opens the archive: the sent week is there, the week being written is not', async () => {
    const carla = await e2e.newPage({ label: 'ciso-noord', alone: true });
    await e2e.login(carla, CARLA, 'none');
    await carla.getByTestId('nav-digests').click();
    await carla.waitForURL(/\/digests$/);
    await carla.getByRole('heading', { name: 'Digests', level: 1 }).waitFor();
    const rows = carla.getByTestId('digest-archive').locator('tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(1);
    await expectAccessible(carla, 'digest archive (participant)');
    await rows.first().getByRole('link').click();
    await carla.waitForURL(/\/digests\/[0-9a-f-]{36}$/);
    await carla.getByRole('heading', { name: /^Week \d+, \d{4} — Weekly overview$/, level: 1 }).waitFor();
    await carla.getByRole('link', { name: 'QR-codes in wachtkamers leiden naar nagemaakte inlogpagina' }).waitFor();
    expect(await carla.getByTestId('digest-introduction').innerHTML()).toContain('<strong>phishing met QR-codes</strong>');
    // No editor for a reader.
    expect(await carla.getByRole('button', { name: 'Save texts' }).count()).toBe(0);
    expect(await carla.getByRole('textbox', { name: 'Preview for' }).count()).toBe(0);
    await expectAccessible(carla, 'sent digest (participant)');
  });
});
