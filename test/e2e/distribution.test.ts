import { beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';
import { apiLogin, type ApiSession } from './api-client.ts';

// The "Done when" of the distribution issue, as people click it: before publishing, the analyst
// sees whom a product will reach; afterwards, how far the queue has got. An operational alert goes
// to two hospitals; one answers "Patched" from its portal, and the CERT's dashboard shows it live
// and in the CSV. The participant's inbox bell counts the alert the moment it is published. Its
// administrator adds a webhook and limits a contact's mail to what concerns the declared products.
// (The mail itself, signatures and encryption, is tested in test/medium/distribution-mail.test.ts.)

const STAMP = Date.now();
const ADVISORY_TITLE = `Kwetsbaarheid in SecureGate VPN ${STAMP}`;
const ALERT_TITLE = `Operationele waarschuwing: misbruik van SecureGate VPN ${STAMP}`;
const COMMENT = 'Firmware 7.2 staat op alle VPN-gateways.';

interface Audience {
  summary: { contacts: number; organisations: number; encrypted: number; held: number };
  organisations: { organisationName: string }[];
  contacts: { email: string; organisationName: string }[];
}

const advisoryContent = {
  nl: { title: ADVISORY_TITLE, summary: 'Een kwetsbaarheid in de VPN-gateway.', body: 'Aanvallers kunnen de **authenticatie** omzeilen.', advice: 'Installeer versie 7.2.' },
  urgency: 'urgent',
  probability: 'high',
  impact: 'high',
  products: [{ id: 'P1', vendor: 'Example Networks', name: 'SecureGate VPN', versions: '<7.2', medicalDevice: false }],
  vulnerabilities: [
    {
      cve: 'CVE-2026-62001',
      title: 'Authentication bypass',
      cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      productStatus: [{ productId: 'P1', status: 'affected' }],
      remediations: [{ category: 'vendor_fix', details: 'Update to 7.2.', fixedVersion: '7.2', productIds: ['P1'] }],
    },
  ],
};

const alertContent = {
  nl: { title: ALERT_TITLE, summary: 'Een actor misbruikt SecureGate VPN bij zorginstellingen in de regio.', body: 'De actor gebruikt CVE-2026-62001.', advice: 'Patch vandaag en laat ons weten hoe u ervoor staat.' },
  urgency: 'urgent',
  probability: 'high',
  impact: 'high',
};

describeInBrowser('Distribution: every product reaches the right people, signed, once — and alerts are acknowledged', (e2e) => {
  let analyst: Page;
  let participant: Page | undefined;
  let admin: ApiSession;
  let reviewer: ApiSession;
  let advisoryId = '';
  let alertId = '';
  let noordId = '';

  beforeAll(async () => {
    // The author and the first approver work through the API; the analyst in the browser does the rest.
    admin = await apiLogin(e2e.url, 'admin@cert.example');
    reviewer = await apiLogin(e2e.url, 'analyst2@cert.example');
    const orgs = (await admin.call('GET', '/api/v1/organisations?limit=200')).json<{ items: { id: string; name: string }[] }>().items;
    noordId = orgs.find((o) => o.name === 'Ziekenhuis Noord')!.id;
  });

  /** Drafted by the admin, submitted, and approved once by the second analyst. */
  async function productAwaitingApproval(kind: 'advisory' | 'alert', tlp: string, recipients: string[], content: object): Promise<string> {
    const created = await admin.call('POST', '/api/v1/advisories', { kind, tlp, recipients, content });
    expect(created.status, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await admin.call('POST', `/api/v1/advisories/${id}/submit`, {})).status).toBe(200);
    const approved = await reviewer.call('POST', `/api/v1/advisories/${id}/approve`);
    expect(approved.status, approved.body).toBe(200);
    return id;
  }

  async function publishInBrowser(p: Page) {
    await p.getByRole('button', { name: 'Publish', exact: true }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
  }

  it('before publishing, the analyst sees whom the advisory will reach, per organisation and contact', async () => {
    advisoryId = await productAwaitingApproval('advisory', 'GREEN', [], advisoryContent);
    const expected = (await admin.call('GET', `/api/v1/advisories/${advisoryId}/audience`)).json<Audience>();
    // TLP:GREEN reaches the community: the active participants' security contacts, not the vendor.
    expect(expected.summary.contacts).toBeGreaterThan(1);
    expect(expected.contacts.map((c) => c.email)).toContain('security@ziekenhuis-noord.example');
    expect(expected.contacts.map((c) => c.email)).not.toContain('security@revalidatie-duin.example');

    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, 'analyst@cert.example', 'enrol');
    await analyst.goto(`${e2e.url}/advisories/${advisoryId}`);
    const { contacts, organisations } = expected.summary;
    await expect
      .poll(() => analyst.getByTestId('audience-summary').textContent(), { timeout: 15_000 })
      .toBe(`${contacts} contacts in ${organisations} organisations; 0 encrypted; 0 held back`);
    await analyst.getByRole('button', { name: 'Show per organisation' }).click();
    // The audience panel may still re-render once (its query settling after the summary showed);
    // a click that lands on the old rows is repeated until the contacts are open.
    const noordContact = analyst.getByRole('cell', { name: 'security@ziekenhuis-noord.example' });
    for (let attempt = 0; attempt < 5 && !(await noordContact.isVisible()); attempt++) {
      await analyst.getByRole('button', { name: 'Show the contacts of Ziekenhuis Noord' }).click();
      await noordContact.waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    await noordContact.waitFor();
    await expectAccessible(analyst, 'audience before publishing');
  });

  it('after publishing, the analyst sees the delivery queue empty out: every contact sent, nothing failed', async () => {
    await publishInBrowser(analyst);
    await analyst.getByTestId('delivery-panel').waitFor({ timeout: 15_000 });
    const expected = (await admin.call('GET', `/api/v1/advisories/${advisoryId}/deliveries`)).json<{ deliveries: { audience: { contacts: number } }[] }>();
    const total = expected.deliveries[0]!.audience.contacts;
    expect(total).toBeGreaterThan(1);
    // The panel polls while mail is on its way; the log mailer of the demo sends at once.
    await expect.poll(() => analyst.getByTestId('delivery-mail-progress').textContent(), { timeout: 30_000 }).toBe(`sent ${total} of ${total}`);
    expect(await analyst.getByTestId('delivery-mail-failed').count()).toBe(0);
    expect(await analyst.getByTestId('delivery-problems').count()).toBe(0);
    // Published, the audience preview makes way for what each revision actually reached.
    expect(await analyst.getByTestId('audience-panel').count()).toBe(0);
    await expectAccessible(analyst, 'delivery state');
  });

  it('an operational alert reaches two hospitals; the bell of a participant counts it the moment it is published', async () => {
    const umcId = (await admin.call('GET', '/api/v1/organisations?q=Universitair&limit=5')).json<{ items: { id: string }[] }>().items[0]!.id;
    alertId = await productAwaitingApproval('alert', 'AMBER', [noordId, umcId], alertContent);

    participant = await e2e.newPage({ label: 'participant' });
    await e2e.login(participant, 'ciso@ziekenhuis-noord.example', 'none');
    const bell = participant.getByTestId('inbox-bell');
    // The attribute appears once the count has loaded: that is the baseline.
    await expect.poll(() => bell.getAttribute('data-unread'), { timeout: 15_000 }).not.toBeNull();
    const before = Number(await bell.getAttribute('data-unread'));

    // AMBER with two named organisations: their security contacts, and nobody else.
    const expected = (await admin.call('GET', `/api/v1/advisories/${alertId}/audience`)).json<Audience>();
    expect(expected.organisations.map((o) => o.organisationName).sort()).toEqual(['Universitair Medisch Centrum Zuid', 'Ziekenhuis Noord']);
    const { contacts, organisations } = expected.summary;
    await analyst.goto(`${e2e.url}/advisories/${alertId}`);
    await expect
      .poll(() => analyst.getByTestId('audience-summary').textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`^${contacts} contacts? in ${organisations} organisations;`));
    // Alerts need two approvals: the analyst gives the second and publishes.
    await analyst.getByRole('button', { name: 'Approve', exact: true }).click();
    await publishInBrowser(analyst);
    await analyst.getByTestId('alert-responses-link').waitFor({ timeout: 15_000 });

    await expect.poll(async () => Number(await bell.getAttribute('data-unread')), { timeout: 15_000 }).toBe(before + 1);
    expect(await bell.getAttribute('aria-label')).toBe(`Inbox: ${before + 1} unread`);
  });

  it('the participant follows the notification from the inbox and answers "Patched"; the dashboard shows it live and in the CSV', async () => {
    await analyst.getByTestId('alert-responses-link').click();
    await analyst.waitForURL(/\/responses$/);
    const noordRow = analyst.getByTestId('response-row').filter({ hasText: 'Ziekenhuis Noord' });
    await expect.poll(() => noordRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('none');
    expect(await analyst.getByTestId('count-none-value').textContent()).toBe('2');
    await expectAccessible(analyst, 'alert dashboard');

    const p = participant!;
    await p.getByTestId('inbox-bell').click();
    await p.waitForURL(/\/inbox$/);
    const item = p.getByTestId('notification').filter({ hasText: ALERT_TITLE });
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    await expectAccessible(p, 'inbox');
    await item.getByRole('link').click();
    await p.waitForURL(/\/advisories\/WP-ALERT-\d{4}-\d{4}$/);
    await p.getByTestId('respond-panel').waitFor();
    await p.getByLabel('Comment').fill(COMMENT);
    await p.getByTestId('respond-patched').click();
    await expect.poll(() => p.getByTestId('my-latest-response').textContent(), { timeout: 15_000 }).toContain('Patched');
    await expectAccessible(p, 'alert in the portal');

    // No reload: the realtime event brings the answer to the dashboard.
    await expect.poll(() => noordRow.getAttribute('data-status'), { timeout: 15_000 }).toBe('patched');
    expect(await noordRow.textContent()).toContain(COMMENT);
    expect(await analyst.getByTestId('count-patched-value').textContent()).toBe('1');
    expect(await analyst.getByTestId('count-none-value').textContent()).toBe('1');
    expect(await analyst.getByTestId('response-history').textContent()).toContain('Carla Bakker');

    const [download] = await Promise.all([analyst.waitForEvent('download'), analyst.getByTestId('download-responses-csv').click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    const line = csv.split('\r\n').find((l) => l.startsWith('Ziekenhuis Noord,'));
    expect(line).toBeDefined();
    expect(line).toContain(',patched,');
    expect(line).toContain(COMMENT);
  });

  it('opening the notification marked it read; "Mark all as read" empties the bell', async () => {
    const p = participant!;
    await p.goto(`${e2e.url}/inbox`);
    const item = p.getByTestId('notification').filter({ hasText: ALERT_TITLE });
    await expect.poll(() => item.getAttribute('data-unread')).toBe('false');
    const markAll = p.getByTestId('mark-all-read');
    if (await markAll.isEnabled()) await markAll.click();
    await expect.poll(() => p.getByTestId('inbox-bell').getAttribute('aria-label'), { timeout: 15_000 }).toBe('Inbox');
    await expect.poll(() => p.locator('[data-testid="notification"][data-unread="true"]').count()).toBe(0);
  });

  it("a participant's administrator adds a webhook: a private address and a ceiling above GREEN are refused on their fields, the secret is shown once", async () => {
    const p = participant!;
    await p.goto(`${e2e.url}/organisations/${noordId}?tab=webhooks`);
    await p.getByTestId('add-webhook').click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Name').fill('SOC-kanaal');
    await dialog.getByLabel('URL').fill('https://10.1.2.3/hooks/cert');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText(/not public/).waitFor();

    await dialog.getByLabel('URL').fill('https://chat.ziekenhuis-noord.example/hooks/cert');
    await dialog.getByLabel('Highest TLP').selectOption('AMBER');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByLabel('Highest TLP').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(p, 'webhook form with errors');

    await dialog.getByLabel('Highest TLP').selectOption('GREEN');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const secret = p.getByTestId('webhook-secret');
    await secret.waitFor();
    expect((await secret.inputValue()).length).toBeGreaterThan(20);
    await p.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await p.getByTestId('webhooks-table').getByRole('cell', { name: 'SOC-kanaal', exact: true }).waitFor();
    await expectAccessible(p, 'webhooks tab');
  });

  it('a contact can be mailed only what concerns its declared products', async () => {
    const p = participant!;
    await p.goto(`${e2e.url}/organisations/${noordId}?tab=contacts`);
    await p.getByRole('button', { name: 'Edit Security officer ZHN' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Only when it concerns our declared products').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const listed = (await admin.call('GET', `/api/v1/organisations/${noordId}/contacts`)).json<{ items: { email: string; onlyRelevant: boolean }[] }>().items;
    expect(listed.find((c) => c.email === 'security@ziekenhuis-noord.example')?.onlyRelevant).toBe(true);
  });
});
