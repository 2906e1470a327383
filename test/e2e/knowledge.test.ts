import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { describeInBrowser, expectAccessible } from './browser.ts';

// Knowledge sharing as people click it (issue 9, decision 016). The CISO of Ziekenhuis Noord starts
// a TLP:AMBER thread in the "Medische technologie" space for the UMC Zuid; the UMC's CISO (a member
// of that space too) replies, and the MSSP, whose organisation is no member of it, neither sees the
// space nor reaches it by its address. The CERT writes a factsheet in Markdown and publishes it; the
// hospital finds it through the library's search and downloads the PDF. The hospital starts a chat,
// the analyst picks it up from the queue (the live exchange of messages is a todo: the chat page
// crashes in current Chromium, see below).
// The hospital asks a question through the form, the analyst answers it from the request page, and
// the hospital reads the answer. A second user of the hospital signs up for the demo's upcoming
// network meeting and takes its calendar file. Documentation names only.

const CARLA = 'ciso@ziekenhuis-noord.example';
const DAAN = 'it@ziekenhuis-noord.example';
const EVA = 'ciso@umc-zuid.example';
const FEMKE = 'soc@secureops.example';
const ANALYST = 'analyst@cert.example';
const ZUID = 'Universitair Medisch Centrum Zuid';

const SPACE = 'Medische technologie';
const THREAD = 'Infusion pumps MT-200 still answer on telnet after firmware 4.2';
const OPENING = 'After the update to firmware 4.2 our MT-200 pumps still accept telnet on port 23. Do you see the same on yours?';
const REPLY = 'Same here on two wards: the vendor told us telnet is switched off in 4.2.1, due next month.';

const FACTSHEET = 'Factsheet: passkeys for hospital staff';
const FACTSHEET_SUMMARY = 'What passkeys are, how they stop phishing of staff accounts and how to roll them out on shared workstations.';
const FACTSHEET_MARKDOWN = [
  '# Passkeys for hospital staff',
  '',
  'A **passkey** replaces the password with a key pair on the device: nothing to phish, nothing to reuse.',
  '',
  '## Rolling out',
  '',
  '1. Start with the accounts of administrators.',
  '2. Use security keys on shared workstations.',
  '3. Keep a recovery procedure at the service desk.',
].join('\n');

const CHAT_SUBJECT = 'Phishing mail that looks like our EHR supplier';
const CHAT_FIRST = 'Several colleagues received a mail from what looks like our EHR supplier asking to log in again. Is this known?';

const QUESTION_SUBJECT = 'Separate network segment for the lab analysers?';
const QUESTION = 'Our lab analysers share a VLAN with the office workstations. Is a separate segment expected for NEN 7510, and how did others do it?';
const ANSWER =
  'Yes: put medical and lab devices in their own segment and allow only the flows to the LIS. See our factsheet on segmentation of medical devices.';

const MEETING = "Netwerkbijeenkomst CISO's";

/** The bytes a download saved. */
async function downloaded(download: Download): Promise<Buffer> {
  const file = await download.path();
  return readFile(file);
}

describeInBrowser("Knowledge sharing: the participants' community, information requests with secure chat, and publications (browser)", (e2e) => {
  let carla: Page;
  let analyst: Page;
  let spaceUrl = '';
  let threadUrl = '';
  let chatId = '';

  it('the CISO of Ziekenhuis Noord opens a space she shares with the UMC and starts a TLP:AMBER thread for it', async () => {
    carla = await e2e.newPage({ label: 'ciso-noord' });
    await e2e.login(carla, CARLA, 'none');
    await carla.getByTestId('nav-community').click();
    await carla.waitForURL(/\/community$/);
    await carla.getByRole('heading', { name: 'Community', level: 1 }).waitFor();
    await carla.getByRole('link', { name: SPACE, exact: true }).click();
    await carla.waitForURL(/\/community\/[0-9a-f-]{36}$/);
    spaceUrl = carla.url();
    await carla.getByRole('heading', { name: SPACE, level: 1 }).waitFor();
    await expectAccessible(carla, 'community space');

    await carla.getByRole('button', { name: 'New thread' }).click();
    await carla.getByRole('textbox', { name: 'Title' }).fill(THREAD);
    await carla.getByRole('textbox', { name: 'Message' }).fill(OPENING);
    // AMBER: only the organisations she names (and the CERT) may read it.
    await carla.getByRole('textbox', { name: 'TLP marking' }).click();
    await carla.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();
    await carla.getByRole('textbox', { name: 'Organisations that may read it' }).click();
    await carla.getByRole('option', { name: ZUID, exact: true }).click();
    await carla.keyboard.press('Escape');
    await carla.getByRole('button', { name: 'Post', exact: true }).click();

    await carla.waitForURL(/\/community\/threads\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    threadUrl = carla.url();
    await carla.getByRole('heading', { name: THREAD, level: 1 }).waitFor();
    const opening = carla.locator('[id^="post-"]').filter({ hasText: OPENING });
    await opening.waitFor();
    expect(await opening.getByText('TLP:AMBER', { exact: true }).count()).toBe(1);
    await expectAccessible(carla, 'community thread');
  });

  it('the CISO of the UMC, a member of the same space, sees the thread and replies; the hospital sees the reply arrive', async () => {
    const eva = await e2e.newPage({ label: 'ciso-zuid' });
    await e2e.login(eva, EVA, 'none');
    await eva.getByTestId('nav-community').click();
    await eva.waitForURL(/\/community$/);
    await eva.getByRole('link', { name: SPACE, exact: true }).click();
    await eva.waitForURL(spaceUrl);
    const row = eva.getByRole('row').filter({ hasText: THREAD });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByText('TLP:AMBER', { exact: true }).count()).toBe(1);
    await row.getByRole('link', { name: THREAD }).click();
    await eva.waitForURL(threadUrl);
    await eva.getByRole('heading', { name: THREAD, level: 1 }).waitFor();
    await eva.getByText(OPENING).waitFor();

    await eva.getByRole('textbox', { name: 'Message' }).fill(REPLY);
    await eva.getByRole('button', { name: 'Post', exact: true }).click();
    await eva.locator('[id^="post-"]').filter({ hasText: REPLY }).waitFor({ timeout: 15_000 });
    // The hospital's open thread refreshes on the server's event, without a reload.
    await carla.locator('[id^="post-"]').filter({ hasText: REPLY }).waitFor({ timeout: 15_000 });
    expect(await carla.locator('[id^="post-"]').filter({ hasText: REPLY }).textContent()).toContain(ZUID);
  });

  it('the MSSP, no member of the space, does not see it in the community and gets "not found" on its address', async () => {
    const femke = await e2e.newPage({ label: 'mssp', alone: true });
    await e2e.login(femke, FEMKE, 'none');
    await femke.getByTestId('nav-community').click();
    await femke.waitForURL(/\/community$/);
    // The spaces the MSSP belongs to are listed; the hospitals' medical technology space is not.
    await femke.getByRole('link', { name: 'IT-beheer', exact: true }).waitFor({ timeout: 15_000 });
    expect(await femke.getByRole('link', { name: SPACE, exact: true }).count()).toBe(0);

    await femke.goto(spaceUrl);
    await expect.poll(() => femke.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain('That space does not exist or you may not see it.');
    expect(await femke.getByRole('heading', { name: SPACE }).count()).toBe(0);
    await femke.goto(threadUrl);
    await expect.poll(() => femke.getByTestId('error-alert').textContent(), { timeout: 15_000 }).toContain('That thread does not exist or you may not see it.');
    expect(await femke.content()).not.toContain(OPENING);
  });

  it('the analyst writes a factsheet in Markdown and publishes it', async () => {
    carla = await e2e.newPage({ label: 'ciso-noord' });
    await e2e.login(carla, CARLA, 'none');
    analyst = await e2e.newPage({ label: 'analyst' });
    await e2e.login(analyst, ANALYST, 'enrol');
    await analyst.getByTestId('nav-publications').click();
    await analyst.waitForURL(/\/publications$/);
    await analyst.getByRole('heading', { name: 'Publications', level: 1 }).waitFor();
    await analyst.getByRole('button', { name: 'New publication' }).click();

    const dialog = analyst.getByRole('dialog', { name: 'New publication' });
    await dialog.getByRole('textbox', { name: 'Kind' }).click();
    await analyst.getByRole('option', { name: 'Factsheet', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Language' }).click();
    await analyst.getByRole('option', { name: 'English', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Title' }).fill(FACTSHEET);
    await dialog.getByRole('textbox', { name: 'Summary' }).fill(FACTSHEET_SUMMARY);
    const topics = dialog.getByRole('textbox', { name: 'Topics' });
    await topics.fill('phishing');
    await topics.press('Enter');
    await dialog.getByRole('textbox', { name: 'Text (Markdown)' }).fill(FACTSHEET_MARKDOWN);
    // The preview is the server's rendering, as the PDF will print it.
    await dialog.getByRole('tab', { name: 'Preview' }).click();
    await dialog.getByTestId('publication-preview').getByRole('heading', { name: 'Passkeys for hospital staff' }).waitFor({ timeout: 15_000 });
    await expectAccessible(analyst, 'new publication form');
    await dialog.getByRole('button', { name: 'Create draft' }).click();

    // The draft's first version is printed to PDF by Chromium on the server.
    await analyst.waitForURL(/\/publications\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await analyst.getByRole('heading', { name: FACTSHEET, level: 1 }).waitFor();
    expect(await analyst.getByText('Draft', { exact: true }).count()).toBeGreaterThan(0);
    expect(await analyst.getByTestId('publication-body').locator('strong').first().textContent()).toBe('passkey');
    await analyst.getByRole('button', { name: 'Publish latest version' }).click();
    await analyst.getByText('Published', { exact: true }).first().waitFor({ timeout: 15_000 });
    await analyst.getByRole('button', { name: 'Withdraw' }).waitFor();
    await expectAccessible(analyst, 'published publication of the CERT');
  });

  it('the hospital finds the factsheet through the library’s search and downloads the PDF', async () => {
    await carla.getByTestId('nav-publications').click();
    await carla.waitForURL(/\/publications$/);
    await carla.getByRole('heading', { name: 'Publications', level: 1 }).waitFor();
    await carla.getByRole('search').getByRole('searchbox', { name: 'Search' }).fill('passkeys');
    await carla.waitForURL(/[?&]q=passkeys/);
    const card = carla.getByRole('article', { name: FACTSHEET });
    await card.waitFor({ timeout: 15_000 });
    // The search narrowed the library to the factsheet.
    await expect.poll(() => carla.getByTestId('publication-cards').getByRole('article').count(), { timeout: 15_000 }).toBe(1);
    expect(await card.textContent()).toContain(FACTSHEET_SUMMARY);

    const link = card.getByRole('link', { name: 'Download PDF' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/publications\/[0-9a-f-]{36}\/download$/);
    // The same request the link makes, with the hospital's session.
    const res = await carla.request.get(`${e2e.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/pdf/);
    expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const [download] = await Promise.all([carla.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect((await downloaded(download)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectAccessible(carla, 'library search of the hospital');
  });

  it('the hospital starts a chat; the analyst sees it in the queue and picks it up', async () => {
    await carla.getByTestId('nav-chat').click();
    await carla.waitForURL(/\/chat$/);
    await carla.getByRole('heading', { name: 'Chat with the CERT', level: 1 }).waitFor();
    await expectAccessible(carla, 'chat start of the hospital');
    await carla.getByRole('textbox', { name: 'What is it about?' }).fill(CHAT_SUBJECT);
    await carla.getByRole('textbox', { name: 'Your question' }).fill(CHAT_FIRST);
    await carla.getByRole('button', { name: 'Start chat' }).click();
    await carla.waitForURL(/\/chat\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    chatId = carla.url().split('/').pop() ?? '';
    // The hospital follows the chat from its list.
    await carla.getByTestId('nav-chat').click();
    await carla.waitForURL(/\/chat$/);
    const mine = carla.getByTestId('chat-list').getByTestId('chat-row').filter({ hasText: CHAT_SUBJECT });
    await mine.getByText('Waiting for a specialist', { exact: true }).waitFor({ timeout: 15_000 });

    await analyst.getByTestId('nav-chat').click();
    await analyst.waitForURL(/\/chat$/);
    const waiting = analyst.getByTestId('chat-queue').getByTestId('chat-row').filter({ hasText: CHAT_SUBJECT });
    await waiting.waitFor({ timeout: 15_000 });
    expect(await waiting.textContent()).toContain('Ziekenhuis Noord');
    await expectAccessible(analyst, 'chat queue of the CERT');
    await waiting.getByRole('button', { name: 'Pick up' }).click();
    await analyst.waitForURL(new RegExp(`/chat/${chatId}$`), { timeout: 15_000 });
    // The hospital's list follows the pick-up live.
    await mine.getByText('In conversation', { exact: true }).waitFor({ timeout: 15_000 });
  });

  it('both write, and each message appears on the other’s page without a reload (two browser contexts)', async () => {
    // The analyst is on the chat after picking it up; the hospital opens it from its list.
    await carla.goto(`${e2e.url}/chat/${chatId}`);
    const carlaChat = carla.getByTestId('request-chat');
    const analystChat = analyst.getByTestId('request-chat');
    await carlaChat.getByTestId('chat-message').filter({ hasText: CHAT_FIRST }).waitFor({ timeout: 15_000 });
    await analystChat.getByTestId('chat-message').filter({ hasText: CHAT_FIRST }).waitFor({ timeout: 15_000 });
    await expectAccessible(carla, 'chat of the hospital');

    const fromAnalyst = 'Zet de VPN-koppeling even uit en stuur de logregels van vanochtend.';
    await analystChat.getByTestId('chat-input').fill(fromAnalyst);
    await analystChat.getByTestId('chat-send').click();
    await carlaChat.getByTestId('chat-message').filter({ hasText: fromAnalyst }).waitFor({ timeout: 15_000 });

    const fromCarla = 'Gedaan, de logregels komen eraan.';
    await carlaChat.getByTestId('chat-input').fill(fromCarla);
    await carlaChat.getByTestId('chat-send').click();
    await analystChat.getByTestId('chat-message').filter({ hasText: fromCarla }).waitFor({ timeout: 15_000 });
  });

  it('the chat is a request: its page /requests/$id shows the conversation and a new message arrives live there too', async () => {
    await carla.goto(`${e2e.url}/requests/${chatId}`);
    const onRequest = carla.getByTestId('request-chat');
    await onRequest.getByTestId('chat-message').filter({ hasText: CHAT_FIRST }).waitFor({ timeout: 15_000 });
    const later = 'Nog een vraag: moeten we de leverancier inlichten?';
    const analystChat = analyst.getByTestId('request-chat');
    await analystChat.getByTestId('chat-input').fill(later);
    await analystChat.getByTestId('chat-send').click();
    await onRequest.getByTestId('chat-message').filter({ hasText: later }).waitFor({ timeout: 15_000 });
  });

  it('the hospital asks a question through the form', async () => {
    await carla.getByTestId('nav-requests').click();
    await carla.waitForURL(/\/requests$/);
    await carla.getByRole('heading', { name: 'Questions to the CERT', level: 1 }).waitFor();
    await carla.getByRole('button', { name: 'Ask a question' }).click();
    const form = carla.getByRole('form', { name: 'Ask a question' });
    await form.getByRole('textbox', { name: 'Topic' }).click();
    await carla.getByRole('option', { name: 'Network segmentation', exact: true }).click();
    await form.getByRole('textbox', { name: 'Subject' }).fill(QUESTION_SUBJECT);
    await form.getByRole('textbox', { name: 'Your question' }).fill(QUESTION);
    await expectAccessible(carla, 'question form');
    await form.getByRole('button', { name: 'Send question' }).click();

    await carla.waitForURL(/\/requests\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await carla.getByRole('heading', { name: new RegExp(`: ${QUESTION_SUBJECT.replace('?', '\\?')}$`), level: 1 }).waitFor();
    await carla.getByText(QUESTION).waitFor();
  });

  it('the analyst answers from the request page; the hospital sees the answer', async () => {
    await analyst.getByTestId('nav-requests').click();
    await analyst.waitForURL(/\/requests$/);
    const row = analyst.getByRole('row').filter({ hasText: QUESTION_SUBJECT });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Ziekenhuis Noord');
    await row.getByRole('link').first().click();
    await analyst.waitForURL(carla.url());
    await analyst.getByText(QUESTION).waitFor();
    await analyst.getByRole('textbox', { name: 'Answer', exact: true }).fill(ANSWER);
    await analyst.getByRole('button', { name: 'Send answer' }).click();
    await analyst.getByText(ANSWER).waitFor({ timeout: 30_000 });
    await expectAccessible(analyst, 'request page of the CERT, answered');

    // The hospital's open request page refreshes on the server's event.
    await carla.getByText(ANSWER).waitFor({ timeout: 15_000 });
    expect(await carla.getByText('Answered', { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(carla, 'answered request of the hospital');
  });

  it('a hospital user signs up for the upcoming network meeting, sees the seats, and takes the .ics', async () => {
    // The CISO already has one of the two seats (the demo): her colleague signs up and goes on the waiting list.
    const daan = await e2e.newPage({ label: 'it-noord', alone: true });
    await e2e.login(daan, DAAN, 'none');
    await daan.getByTestId('nav-meetings').click();
    await daan.waitForURL(/\/meetings$/);
    await daan.getByRole('heading', { name: 'Network meetings', level: 1 }).waitFor();
    await daan.getByRole('link', { name: MEETING }).click();
    await daan.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await daan.getByRole('heading', { name: MEETING, level: 1 }).waitFor();
    await daan.getByText('0 seats left', { exact: true }).waitFor();
    await daan.getByText('The meeting is full: signing up puts you on the waiting list.').waitFor();
    await expectAccessible(daan, 'meeting page');

    await daan.getByRole('button', { name: 'Sign up' }).click();
    await daan.getByText('Waiting list, position 2', { exact: true }).waitFor({ timeout: 15_000 });
    await daan.getByText('2 going · 2 on the waiting list', { exact: true }).waitFor();
    await daan.getByRole('button', { name: 'Leave the waiting list' }).waitFor();

    const calendar = daan.getByRole('link', { name: 'Add to calendar (.ics)' });
    const href = (await calendar.getAttribute('href')) ?? '';
    const res = await daan.request.get(`${e2e.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/calendar/);
    const [download] = await Promise.all([daan.waitForEvent('download'), calendar.click()]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const ics = (await downloaded(download)).toString('utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics.replace(/\r?\n[ \t]/g, '')).toContain(`SUMMARY:${MEETING}`);
  });
});
