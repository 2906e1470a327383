import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { addMediaItem } from '../../src/modules/digests/digest.service.ts';
import { runDigestTick, sendDigest } from '../../src/modules/digests/digest-send.service.ts';
import { weekSendMoment } from '../../src/modules/digests/digest-assembly.ts';
import type { DigestDetailOut, DigestOut } from '../../src/modules/digests/digest.schema.ts';
import { setCalendarDay } from '../../src/modules/monitoring/schedule.repository.ts';
import { addContact, type Worker } from '../helpers/distribution.ts';
import { dateRevisions, publishedAt, publishUpdate, startDigestWorker, withdrawProduct, type DatedProduct } from '../helpers/digests.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { actorCtx, makeCertTeam, type CertTeam } from '../helpers/products.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';

/*
 * The end-of-week and end-of-month digests (decision 017): assembly per ISO week in Europe/Amsterdam,
 * the editor's order surviving re-assembly, sending once however often the schedule ticks, the
 * schedule on a Dutch holiday Friday, and the month's second analyst.
 */

const PUBLIC_URL = 'http://wachtpost.test.example';
let t: TestApp;
let team: CertTeam;
let sink: SmtpSink;
let worker: Worker;
let author: Credentials;
let reviewer: Credentials;
let admin: Credentials;
let member: Credentials;
const contacts: Record<string, string> = {};

const detail = async (id: string, as: Credentials = author) => {
  const res = await call(t, 'GET', `/api/v1/digests/${id}`, as);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DigestDetailOut>();
};
const open = async (kind: 'week' | 'month', period: string) => {
  const res = await call(t, 'POST', '/api/v1/digests', author, { kind, period });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<DigestDetailOut>();
};
const identifiers = (d: DigestDetailOut) => d.entries.map((e) => e.identifier ?? e.title);
const outboxOf = (id: string) =>
  t.system.db
    .selectFrom('outbox')
    .select(['recipient', 'status', 'dedupe_key', 'payload'])
    .where('kind', '=', 'digest')
    .where('dedupe_key', 'like', `digest:${id}:%`)
    .execute();

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, MAIL_FROM: 'CERT voor de zorg <cert@cert.example>' });
  sink = await startSmtpSink();
  worker = startDigestWorker(t, sink.url);
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  author = await login(t, team.author);
  reviewer = await login(t, team.reviewers[0]);
  admin = await login(t, team.reviewers[1]);
  const a = await makeOrganisation(t, 'participant', 'Ziekenhuis A');
  const b = await makeOrganisation(t, 'participant', 'GGZ B');
  const v = await makeOrganisation(t, 'vendor', 'MedTech Devices');
  member = await login(t, await makeUser(t, a.id, 'participant-member'));
  const add = async (name: string, org: string, c: Parameters<typeof addContact>[2]) => (contacts[name] = (await addContact(t, org, c)).id);
  await add('a', a.id, { email: 'security@ziekenhuis-a.example', subscriptions: ['end_of_week', 'end_of_month'] });
  await add('b', b.id, { email: 'ciso@ggz-b.example', subscriptions: ['end_of_week'], languages: ['nl', 'en'] });
  await add('v', v.id, { email: 'psirt@medtech.example', subscriptions: ['end_of_week'] });
  await add('none', a.id, { email: 'finance@ziekenhuis-a.example', subscriptions: ['advisories'] });
});
afterAll(async () => {
  worker?.close();
  await sink?.close();
  await t?.close();
});

describe('assembly per ISO week in Europe/Amsterdam', () => {
  const p: Record<string, DatedProduct> = {};

  it('takes exactly the products with a revision published Monday 00:00 to Sunday 24:00 Amsterdam time', async () => {
    // 2025-W48 runs from Monday 24 November to Sunday 30 November 2025 (winter time, UTC+1).
    p.monday = await publishedAt(t, team, new Date('2025-11-23T23:30:00Z'), { title: 'Maandag 00:30' });
    p.sunday = await publishedAt(t, team, new Date('2025-11-30T22:30:00Z'), { kind: 'info', title: 'Zondag 23:30' });
    // Monday 1 December 00:30 in Amsterdam is still Sunday in UTC: next week's.
    p.nextMonday = await publishedAt(t, team, new Date('2025-11-30T23:30:00Z'), { title: 'Volgende maandag 00:30' });
    // Sunday 23 November 23:30 in Amsterdam: last week's.
    p.lastSunday = await publishedAt(t, team, new Date('2025-11-23T22:30:00Z'), { kind: 'alert', title: 'Vorige zondag 23:30' });
    p.alert = await publishedAt(t, team, new Date('2025-11-27T09:00:00Z'), { kind: 'alert', tlp: 'AMBER', title: 'Alarm donderdag' });
    // First published two weeks earlier, a new revision this week: in the digest, marked as updated.
    p.updated = await publishedAt(t, team, new Date('2025-11-12T10:00:00Z'), { title: 'Bijgewerkt advies' });
    await publishUpdate(t, team, p.updated.id);
    await dateRevisions(t, p.updated.id, [new Date('2025-11-12T10:00:00Z'), new Date('2025-11-26T10:00:00Z')]);
    // Published this week and withdrawn since: no news for the digest.
    p.withdrawn = await publishedAt(t, team, new Date('2025-11-25T10:00:00Z'), { title: 'Ingetrokken' });
    await withdrawProduct(t, team, p.withdrawn.id);

    const week = await open('week', '2025-W48');
    expect(week.title).toBe('Week 48, 2025 — Weekoverzicht');
    expect(week.titleEn).toBe('Week 48, 2025 — Weekly overview');
    expect(identifiers(week)).toEqual([p.updated.identifier, p.monday.identifier, p.alert.identifier, p.sunday.identifier]);
    expect(week.entries.map((e) => e.updated)).toEqual([true, false, false, false]);
    expect(week.entries.map((e) => e.productKind)).toEqual(['advisory', 'advisory', 'alert', 'info']);
    // The last working day (Friday 28 November) at 16:00 Amsterdam time.
    expect(week.scheduledAt).toBe('2025-11-28T15:00:00.000Z');

    expect(identifiers(await open('week', '2025-W49'))).toEqual([p.nextMonday.identifier]);
    expect(identifiers(await open('week', '2025-W47'))).toEqual([p.lastSunday.identifier]);
  });

  it("keeps the editor's order, introduction, media items and links when re-assembly picks up a new product", async () => {
    const week = (await call(t, 'GET', '/api/v1/digests?kind=week', author)).json<{ items: DigestOut[] }>().items.find((d) => d.period === '2025-W48')!;
    const before = await detail(week.id);
    const reversed = [...before.entries].reverse().map((e) => e.id);
    expect((await call(t, 'PATCH', `/api/v1/digests/${week.id}`, author, { introduction: 'Een **drukke** week.' })).statusCode).toBe(200);
    const ordered = await call(t, 'PUT', `/api/v1/digests/${week.id}/order`, author, { entryIds: reversed });
    expect(ordered.statusCode, ordered.body).toBe(200);
    const link = await call(t, 'POST', `/api/v1/digests/${week.id}/entries`, author, {
      kind: 'link',
      title: 'NEN 7510 uitgelegd',
      url: 'https://background.example/nen7510',
    });
    expect(link.statusCode, link.body).toBe(201);
    // Triage adds a story's media item; asked again for the same story, it is the same entry.
    const analystCtx = await actorCtx(t, team.author.id);
    const media = {
      week: '2025-W48',
      title: 'Ziekenhuis in Utrecht getroffen door ransomware',
      url: 'https://news.example/ransomware',
      sourceName: 'Nieuws.example',
      summary: 'Spoedeisende hulp dicht.',
      tlp: 'CLEAR' as const,
      storyId: '7f0e4c1e-5a8b-4a44-9c1e-2b0a3f7f0a11',
    };
    const first = await addMediaItem(analystCtx, media);
    expect(await addMediaItem(analystCtx, media)).toEqual(first);

    const late = await publishedAt(t, team, new Date('2025-11-29T11:00:00Z'), { title: 'Zaterdag nagekomen' });
    expect((await call(t, 'POST', `/api/v1/digests/${week.id}/assemble`, author)).statusCode).toBe(200);
    const after = await detail(week.id);
    expect(after.entries.map((e) => e.id).slice(0, reversed.length)).toEqual(reversed);
    expect(after.entries.slice(reversed.length).map((e) => e.identifier ?? e.title)).toEqual(['NEN 7510 uitgelegd', media.title, late.identifier]);
    expect(after.introduction).toBe('Een **drukke** week.');
    expect(after.introductionHtml).toContain('<strong>drukke</strong>');

    // Products stay; a stale order is refused; a link can go.
    const product = after.entries.find((e) => e.kind === 'product')!;
    const removeProduct = await call(t, 'DELETE', `/api/v1/digests/${week.id}/entries/${product.id}`, author);
    expect(removeProduct.statusCode).toBe(409);
    expect(removeProduct.json<{ error: { code: string } }>().error.code).toBe('digest_entry_is_product');
    const stale = await call(t, 'PUT', `/api/v1/digests/${week.id}/order`, author, { entryIds: reversed });
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('digest_order_stale');
    const linkId = after.entries.find((e) => e.kind === 'link')!.id;
    expect((await call(t, 'DELETE', `/api/v1/digests/${week.id}/entries/${linkId}`, author)).statusCode).toBe(200);
    expect((await detail(week.id)).entries.some((e) => e.kind === 'link')).toBe(false);

    // Not sent: readers do not see it, in the list or by its address.
    expect((await call(t, 'GET', `/api/v1/digests/${week.id}`, member)).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/v1/digests', member)).json<{ items: DigestOut[] }>().items.map((d) => d.id)).not.toContain(week.id);
  });
});

describe('the schedule', () => {
  it('sends the week on its last working day after the send time, once, however often it ticks', async () => {
    // 2025-W45: Monday 3 to Sunday 9 November 2025; the last working day is Friday 7 November.
    const product = await publishedAt(t, team, new Date('2025-11-04T09:00:00Z'), { tlp: 'CLEAR', title: 'Week 45 advies' });
    await worker.drain(); // the products' own mail first
    expect((await runDigestTick(t.system, new Date('2025-11-06T16:00:00Z'))).sends).toEqual([]);
    expect((await runDigestTick(t.system, new Date('2025-11-07T14:55:00Z'))).sends).toEqual([]);
    const list = (await call(t, 'GET', '/api/v1/digests?kind=week', author)).json<{ items: DigestOut[] }>().items;
    const week = list.find((d) => d.period === '2025-W45')!;
    expect(week).toMatchObject({ status: 'draft', scheduledAt: '2025-11-07T15:00:00.000Z' });
    expect(identifiers(await detail(week.id))).toEqual([product.identifier]);

    const [tick1, tick2] = [await runDigestTick(t.system, new Date('2025-11-07T15:05:00Z')), await runDigestTick(t.system, new Date('2025-11-07T15:10:00Z'))];
    expect(tick1.sends).toEqual([{ sent: true, digestId: week.id, recipients: expect.objectContaining({ contacts: 3, organisations: 3 }) }]);
    expect(tick2.sends).toEqual([]);
    expect(await sendDigest(t.system, week.id, 'schedule')).toEqual({ sent: false, digestId: week.id, reason: 'already sent' });
    const rows = await outboxOf(week.id);
    expect(rows.map((r) => r.recipient).sort()).toEqual(['ciso@ggz-b.example', 'psirt@medtech.example', 'security@ziekenhuis-a.example']);
    expect((rows[0]!.payload as { messageId: string }).messageId).toMatch(/^<digest\.2025-W45\.[0-9a-f-]{36}@wachtpost\.test\.example>$/);

    expect(await worker.drain()).toBe(3);
    expect(await worker.drain()).toBe(0);
    const mails = sink.received.filter((m) => m.raw.toString('utf8').includes('X-Wachtpost-Digest: week; period=2025-W45'));
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['ciso@ggz-b.example', 'psirt@medtech.example', 'security@ziekenhuis-a.example']);
    expect(mails[0]!.parsed.subject).toBe('[TLP:CLEAR] Week 45, 2025 — Weekoverzicht');
    expect((await detail(week.id)).editor!.outbox).toMatchObject({ sent: 3, pending: 0 });
  });

  it('sends on Thursday when Friday is Christmas, not while held, and follows the CERT’s own days off', async () => {
    // 2026-W52: Christmas Day is Friday 25 December 2026.
    const analystCtx = await actorCtx(t, team.author.id);
    await addMediaItem(analystCtx, {
      week: '2026-W52',
      title: 'Kerstwaarschuwing phishing',
      url: 'https://news.example/kerst',
      sourceName: 'Nieuws.example',
      summary: '',
      tlp: 'GREEN',
      storyId: null,
    });
    expect(await weekSendMoment(t.system, '2026-W52')).toEqual(new Date('2026-12-24T15:00:00Z'));
    await setCalendarDay(t.system.db, '2026-12-24', false, 'Kerstavond vrij');
    expect(await weekSendMoment(t.system, '2026-W52')).toEqual(new Date('2026-12-23T15:00:00Z'));
    await setCalendarDay(t.system.db, '2026-12-24', null, '');

    expect((await runDigestTick(t.system, new Date('2026-12-24T14:55:00Z'))).sends).toEqual([]);
    const week = (await call(t, 'GET', '/api/v1/digests?kind=week', author)).json<{ items: DigestOut[] }>().items.find((d) => d.period === '2026-W52')!;
    expect(week.scheduledAt).toBe('2026-12-24T15:00:00.000Z');
    expect((await call(t, 'POST', `/api/v1/digests/${week.id}/hold`, author)).statusCode).toBe(200);
    expect((await runDigestTick(t.system, new Date('2026-12-24T15:05:00Z'))).sends).toEqual([]);
    expect((await call(t, 'POST', `/api/v1/digests/${week.id}/release`, author)).statusCode).toBe(200);
    const sent = await runDigestTick(t.system, new Date('2026-12-24T15:10:00Z'));
    expect(sent.sends).toEqual([expect.objectContaining({ sent: true, digestId: week.id })]);
    expect((await detail(week.id)).status).toBe('sent');
    // A sent digest is what went out: it cannot be edited any more.
    const edit = await call(t, 'PATCH', `/api/v1/digests/${week.id}`, author, { introduction: 'Te laat' });
    expect(edit.json<{ error: { code: string } }>().error.code).toBe('digest_sent');
  });

  it('sends a month only after a second analyst — neither its author nor its last editor — approved it, at the month send time', async () => {
    const month = await open('month', '2025-10');
    expect(month.title).toBe('Oktober 2025 — Maandoverzicht');
    expect((await call(t, 'PATCH', `/api/v1/digests/${month.id}`, author, { commentary: 'De experts zien **meer** phishing.' })).statusCode).toBe(200);
    expect((await call(t, 'PATCH', `/api/v1/digests/${month.id}`, reviewer, { introduction: 'Oktober in het kort.' })).statusCode).toBe(200);
    const early = await call(t, 'POST', `/api/v1/digests/${month.id}/send`, author);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { code: string } }>().error.code).toBe('digest_not_approved');
    expect((await call(t, 'POST', `/api/v1/digests/${month.id}/submit`, author)).statusCode).toBe(200);
    for (const who of [author, reviewer]) {
      const refused = await call(t, 'POST', `/api/v1/digests/${month.id}/approve`, who);
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('digest_four_eyes');
    }
    expect((await detail(month.id, author)).editor!.mayApprove).toBe(false);
    expect((await detail(month.id, admin)).editor!.mayApprove).toBe(true);
    expect((await runDigestTick(t.system, new Date('2025-11-04T10:00:00Z'))).sends.filter((s) => s.digestId === month.id)).toEqual([]);

    const approved = await call(t, 'POST', `/api/v1/digests/${month.id}/approve`, admin);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<DigestDetailOut>().editor).toMatchObject({
      reviewerName: team.reviewers[1].email,
      authorName: team.author.email,
      lastEditedByName: team.reviewers[0].email,
    });
    // Before 10:00 Amsterdam time it waits; the first tick past it sends.
    expect((await runDigestTick(t.system, new Date('2025-11-05T08:55:00Z'))).sends.filter((s) => s.digestId === month.id)).toEqual([]);
    expect((await runDigestTick(t.system, new Date('2025-11-05T09:05:00Z'))).sends).toEqual([expect.objectContaining({ sent: true, digestId: month.id })]);
    const sent = await detail(month.id);
    expect(sent.status).toBe('sent');
    expect(sent.commentaryHtml).toContain('<strong>meer</strong>');
    expect(sent.charts.nl.map((c) => c.title)).toContain('Monitoring: bevindingen');
  });

  it('takes an approval back when the digest is edited afterwards', async () => {
    const month = await open('month', '2025-09');
    await call(t, 'PATCH', `/api/v1/digests/${month.id}`, author, { commentary: 'Eerste versie.' });
    await call(t, 'POST', `/api/v1/digests/${month.id}/submit`, author);
    expect((await call(t, 'POST', `/api/v1/digests/${month.id}/approve`, admin)).json<DigestDetailOut>().status).toBe('approved');
    const edited = (await call(t, 'PATCH', `/api/v1/digests/${month.id}`, author, { commentary: 'Tweede versie.' })).json<DigestDetailOut>();
    expect(edited.status).toBe('draft');
    expect(edited.editor!.reviewerName).toBeNull();
    expect((await runDigestTick(t.system, new Date('2025-11-05T09:30:00Z'))).sends.filter((s) => s.digestId === month.id)).toEqual([]);
  });

  it("unsubscribes a contact from the digest's own list with one click (RFC 8058), and from nothing else", async () => {
    const mail = sink.received.find(
      (m) => m.envelopeTo[0] === 'ciso@ggz-b.example' && m.raw.toString('utf8').includes('X-Wachtpost-Digest: week; period=2025-W45'),
    )!;
    const raw = mail.raw.toString('utf8');
    expect(raw).toMatch(/^List-Id: .* <end-of-week\.wachtpost\.test\.example>$/m);
    const path = new URL(/^List-Unsubscribe: <([^>]+)>$/m.exec(raw)![1]!).pathname;
    await t.system.db
      .updateTable('contacts')
      .set({ subscriptions: ['end_of_week', 'advisories'] })
      .where('id', '=', contacts.b!)
      .execute();
    const done = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(done.statusCode).toBe(200);
    const contact = await t.system.db.selectFrom('contacts').select('subscriptions').where('id', '=', contacts.b!).executeTakeFirstOrThrow();
    expect(contact.subscriptions).toEqual(['advisories']);
  });
});
