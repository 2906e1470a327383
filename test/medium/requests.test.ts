import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAnswerDue } from '../../src/modules/requests/sla.ts';
import { anonymise, searchKnowledge } from '../../src/modules/requests/knowledge.service.ts';
import { makeOrganisation, makeUser, login, type TestUser } from '../helpers/factories.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { addContact } from '../helpers/distribution.ts';
import type { Actor } from '../../src/modules/access/actor.ts';
import type { RequestOut, RequestSummaryOut, ArticleOut } from '../../src/modules/requests/request.schema.ts';

/*
 * Information requests through the API: a participant asks, the CERT answers, notes stay internal,
 * another organisation sees nothing; the SLA runs on Dutch working days; the knowledge base.
 */

let t: TestApp;
let orgA: string;
let askerA: TestUser;
let memberA: Credentials;
let adminB: Credentials;
let analyst: Credentials;
let analystUser: TestUser;
let partner: Credentials;
let vendor: Credentials;

beforeAll(async () => {
  t = await createTestApp({ REQUESTS_SLA_WORKING_DAYS: '2' });
  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant', 'Ziekenhuis Noorderlicht');
  const b = await makeOrganisation(t, 'participant', 'Kliniek Zuid');
  orgA = a.id;
  askerA = await makeUser(t, a.id, 'participant-member');
  memberA = await login(t, askerA);
  adminB = await login(t, await makeUser(t, b.id, 'participant-admin'));
  analystUser = await makeUser(t, cert.id, 'cert-analyst');
  analyst = await login(t, analystUser);
  partner = await login(t, await makeUser(t, (await makeOrganisation(t, 'partner')).id, 'partner'));
  vendor = await login(t, await makeUser(t, (await makeOrganisation(t, 'vendor')).id, 'partner'));
  await addContact(t, a.id, { name: 'Piet Beheer', email: 'piet.beheer@noorderlicht.example' });
});
afterAll(async () => t?.close());

const ask = (as: Credentials, body: Record<string, unknown>) => call(t, 'POST', '/api/v1/requests', as, body);

describe('asking and answering in the portal', () => {
  let req: RequestOut;

  it('a participant asks a question (free topic); it is a new request of their organisation with an acknowledgement mail', async () => {
    const res = await ask(memberA, { topic: 'Netwerksegmentatie', subject: 'VLAN voor pompen', body: 'Hoe doen **jullie** dit? <script>alert(1)</script>' });
    expect(res.statusCode).toBe(201);
    req = res.json<RequestOut>();
    expect(req).toMatchObject({ organisationId: orgA, status: 'new', channel: 'portal', topic: 'Netwerksegmentatie', sla: { state: 'running' } });
    expect(req.messages[0]!.bodyHtml).toContain('<strong>jullie</strong>');
    expect(req.messages[0]!.bodyHtml).not.toContain('<script');
    const ack = await t.system.db.selectFrom('outbox').select('payload').where('dedupe_key', '=', `request-ack:${req.id}`).executeTakeFirstOrThrow();
    expect(ack.payload).toMatchObject({ to: askerA.email });
    expect(String(ack.payload.subject)).toContain(req.reference);
  });

  it('a topic from the CERT’s list is taken by id; an unknown topic or none is refused with 400', async () => {
    const topic = await call(t, 'POST', '/api/v1/requests/topics', analyst, { nameNl: 'Wet- en regelgeving', nameEn: 'Laws and regulations' });
    expect(topic.statusCode).toBe(201);
    const listed = await call(t, 'GET', '/api/v1/requests/topics', memberA);
    expect(listed.json<{ id: string }[]>().map((x) => x.id)).toContain(topic.json<{ id: string }>().id);
    // An empty patch changes nothing (found by the fuzzer: it was a 500); an unknown topic is 404.
    const same = await call(t, 'PATCH', `/api/v1/requests/topics/${topic.json<{ id: string }>().id}`, analyst, {});
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ id: topic.json<{ id: string }>().id });
    expect((await call(t, 'PATCH', '/api/v1/requests/topics/00000000-0000-1000-8000-000000000000', analyst, {})).statusCode).toBe(404);
    const withTopic = await ask(memberA, { topicId: topic.json<{ id: string }>().id, subject: 'NIS2', body: 'Vallen wij onder NIS2?', language: 'en' });
    expect(withTopic.json<RequestOut>().topic).toBe('Laws and regulations');
    const none = await ask(memberA, { subject: 'Zonder onderwerp', body: 'x' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: { code: 'request_topic_missing' } });
    const unknown = await ask(memberA, { topicId: '00000000-0000-4000-8000-000000000000', subject: 'x', body: 'x' });
    expect(unknown.json()).toMatchObject({ error: { code: 'request_topic_unknown' } });
    expect((await ask(memberA, { topic: 'x', subject: '', body: 'x' })).statusCode).toBe(400);
    expect((await call(t, 'GET', '/api/v1/requests/not-a-uuid', memberA)).statusCode).toBe(400);
    // The CERT does not ask itself questions (its analysts hold no requests:ask).
    expect((await ask(analyst, { topic: 'x', subject: 'x', body: 'x' })).statusCode).toBe(403);
  });

  it('another organisation gets 404 and does not see it in its list; a partner and a vendor have no requests at all', async () => {
    expect((await call(t, 'GET', `/api/v1/requests/${req.id}`, adminB)).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/requests/${req.id}/questions`, adminB, { body: 'mag ik meelezen?' })).statusCode).toBe(404);
    const list = await call(t, 'GET', '/api/v1/requests', adminB);
    expect(list.json<RequestSummaryOut[]>().map((r) => r.id)).not.toContain(req.id);
    expect((await call(t, 'GET', '/api/v1/requests', partner)).statusCode).toBe(403);
    expect((await call(t, 'GET', `/api/v1/requests/${req.id}`, vendor)).statusCode).toBe(403);
  });

  it('the participant cannot answer, note or assign', async () => {
    expect((await call(t, 'POST', `/api/v1/requests/${req.id}/answers`, memberA, { body: 'zelf beantwoord' })).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/v1/requests/${req.id}/notes`, memberA, { body: 'x' })).statusCode).toBe(403);
    expect((await call(t, 'PATCH', `/api/v1/requests/${req.id}`, memberA, { status: 'closed' })).statusCode).toBe(403);
  });

  it('the CERT assigns (CERT staff only), notes internally and answers; a new question reopens; close', async () => {
    const wrong = await call(t, 'PATCH', `/api/v1/requests/${req.id}`, analyst, { assigneeId: askerA.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { code: 'request_assignee_not_cert' } });
    const assigned = await call(t, 'PATCH', `/api/v1/requests/${req.id}`, analyst, { assigneeId: analystUser.id });
    expect(assigned.json<RequestOut>().assignee?.id).toBe(analystUser.id);
    const mine = await call(t, 'GET', '/api/v1/requests?assignee=me', analyst);
    expect(mine.json<RequestSummaryOut[]>().map((r) => r.id)).toEqual([req.id]);

    await call(t, 'POST', `/api/v1/requests/${req.id}/notes`, analyst, { body: 'GEHEIM: bel eerst Piet' });
    const answered = await call(t, 'POST', `/api/v1/requests/${req.id}/answers`, analyst, { body: 'Gebruik een apart VLAN.' });
    expect(answered.json<RequestOut>()).toMatchObject({ status: 'answered', sla: { state: 'met' } });
    const seen = await call(t, 'GET', `/api/v1/requests/${req.id}`, memberA);
    expect(seen.body).not.toContain('GEHEIM');
    expect(seen.json<RequestOut>().messages.map((m) => m.kind)).toEqual(['question', 'answer']);
    const outbox = await t.system.db.selectFrom('outbox').select('payload').execute();
    expect(JSON.stringify(outbox)).not.toContain('GEHEIM');

    const again = await call(t, 'POST', `/api/v1/requests/${req.id}/questions`, memberA, { body: 'En voor de PACS?' });
    expect(again.json<RequestOut>().status).toBe('new');
    const closed = await call(t, 'PATCH', `/api/v1/requests/${req.id}`, analyst, { status: 'closed' });
    expect(closed.json<RequestOut>().status).toBe('closed');
    expect((await call(t, 'PATCH', `/api/v1/requests/${req.id}`, analyst, { status: 'closed' })).statusCode).toBe(409);
  });
});

describe('the SLA', () => {
  it('is due at the end of the second Dutch working day: a Friday question over the weekend, and Christmas', async () => {
    // Friday 27 November 2026, 10:00 in Amsterdam: Monday and Tuesday count; due Tuesday 23:59:59.999 CET.
    expect((await firstAnswerDue(t.system, new Date('2026-11-27T09:00:00Z'))).toISOString()).toBe('2026-12-01T22:59:59.999Z');
    // Thursday 24 December 2026: Christmas (25th, 26th) and the weekend do not count; due Tuesday 29 December.
    expect((await firstAnswerDue(t.system, new Date('2026-12-24T09:00:00Z'))).toISOString()).toBe('2026-12-29T22:59:59.999Z');
  });

  it('shows a request past its due moment without an answer as overdue, and the queue filters on it', async () => {
    const res = await ask(memberA, { topic: 'Back-ups', subject: 'Te laat', body: 'Niemand antwoordt?' });
    const id = res.json<RequestOut>().id;
    await t.system.db
      .updateTable('info_requests')
      .set({ first_answer_due: new Date(Date.now() - 3600_000) })
      .where('id', '=', id)
      .execute();
    const overdue = await call(t, 'GET', '/api/v1/requests?overdue=true', analyst);
    expect(overdue.json<RequestSummaryOut[]>().find((r) => r.id === id)?.sla.state).toBe('overdue');
    expect(overdue.json<RequestSummaryOut[]>().every((r) => r.sla.state === 'overdue')).toBe(true);
  });
});

describe('canned answers', () => {
  it('the CERT keeps them (create, change, remove); participants may not read them', async () => {
    const made = await call(t, 'POST', '/api/v1/requests/canned-answers', analyst, { title: 'Doorverwijzing', body: 'Meld dit als incident.' });
    expect(made.statusCode).toBe(201);
    const id = made.json<{ id: string }>().id;
    expect((await call(t, 'PATCH', `/api/v1/requests/canned-answers/${id}`, analyst, { body: 'Meld dit als incident in het portaal.' })).json()).toMatchObject({
      body: 'Meld dit als incident in het portaal.',
    });
    expect((await call(t, 'GET', '/api/v1/requests/canned-answers', memberA)).statusCode).toBe(403);
    expect((await call(t, 'DELETE', `/api/v1/requests/canned-answers/${id}`, analyst)).statusCode).toBe(204);
    expect((await call(t, 'DELETE', `/api/v1/requests/canned-answers/${id}`, analyst)).statusCode).toBe(404);
  });
});

describe('the knowledge base', () => {
  it('makes an anonymised article of an answer that every participant reads, without the way back to the request', async () => {
    const res = await ask(memberA, {
      topic: 'E-mail',
      subject: 'DMARC bij Ziekenhuis Noorderlicht',
      body: `Piet Beheer (piet.beheer@noorderlicht.example) vraagt: hoe zetten we DMARC op reject? Groet, ${askerA.email}`,
    });
    const id = res.json<RequestOut>().id;
    await call(t, 'POST', `/api/v1/requests/${id}/answers`, analyst, { body: 'Begin met p=none en rapportages, dan quarantine, dan reject.' });
    const draft = await call(t, 'GET', `/api/v1/requests/${id}/article-draft`, analyst);
    expect(draft.statusCode).toBe(200);
    const d = draft.json<{ title: string; body: string }>();
    for (const secret of ['Noorderlicht', 'Piet Beheer', '@', askerA.email]) expect(`${d.title}\n${d.body}`).not.toContain(secret);
    expect(d.body).toContain('p=none');
    expect((await call(t, 'GET', `/api/v1/requests/${id}/article-draft`, memberA)).statusCode).toBe(403);

    const made = await call(t, 'POST', '/api/v1/knowledge', analyst, {
      title: 'DMARC stap voor stap',
      body: d.body,
      tags: ['mail', 'dmarc'],
      tlp: 'GREEN',
      sourceRequestId: id,
    });
    expect(made.statusCode).toBe(201);
    const article = made.json<ArticleOut>();
    expect(article.sourceRequest?.id).toBe(id);
    const asB = await call(t, 'GET', `/api/v1/knowledge/${article.id}`, adminB);
    expect(asB.statusCode).toBe(200);
    expect(asB.json<ArticleOut>().sourceRequest).toBeUndefined();
    expect(asB.body).not.toContain(id);
    expect((await call(t, 'GET', '/api/v1/knowledge?q=DMARC', adminB)).json<ArticleOut[]>().map((a) => a.id)).toContain(article.id);
    // TLP:GREEN is the community's: a vendor does not read it.
    expect((await call(t, 'GET', `/api/v1/knowledge/${article.id}`, vendor)).statusCode).toBe(404);
    expect((await call(t, 'POST', '/api/v1/knowledge', analyst, { title: 'Geheim', body: 'x', tlp: 'AMBER' })).statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/v1/knowledge', memberA, { title: 'Zelf', body: 'x' })).statusCode).toBe(403);
  });

  it('searchKnowledge finds what the list shows, for whom the list shows it', async () => {
    const actor = (role: 'participant-member' | 'partner', kind: 'participant' | 'vendor'): Actor => ({
      userId: askerA.id,
      email: askerA.email,
      role,
      organisationId: orgA,
      organisationKind: kind,
      clientOrganisationIds: [],
      partnerOrganisationIds: [],
      sessionId: null,
      tokenId: null,
      tokenPermissions: null,
    });
    const hits = await searchKnowledge({ ...t.system, actor: actor('participant-member', 'participant') }, 'quarantine', 10);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'article', title: 'DMARC stap voor stap' });
    expect(hits[0]!.url).toMatch(/^\/knowledge\/[0-9a-f-]{36}$/);
    expect(hits[0]!.snippet).toContain('quarantine');
    expect(await searchKnowledge({ ...t.system, actor: actor('partner', 'vendor') }, 'quarantine', 10)).toEqual([]);
    expect(anonymise('Mail jan@x.example van Ziekenhuis Noorderlicht', ['Ziekenhuis Noorderlicht'])).toBe('Mail [e-mail] van […]');
  });
});

describe('the demo requests', () => {
  let demo: TestApp;
  beforeAll(async () => {
    demo = await createTestApp();
    const { loadDemo } = await import('../../src/modules/demo/demo.service.ts');
    await loadDemo(demo.system);
  }, 120_000);
  afterAll(async () => demo?.close());

  it('holds one request answered by mail, one open, one overdue, canned answers and two articles', async () => {
    const { DEMO_PASSWORD } = await import('../../src/modules/demo/demo-data.ts');
    const res = await call(demo, 'POST', '/api/v1/auth/login', null, { email: 'ciso@ziekenhuis-noord.example', password: DEMO_PASSWORD });
    const carla: Credentials = {
      cookie: `wp_session=${res.cookies.find((c) => c.name === 'wp_session')!.value}`,
      csrf: res.json<{ csrfToken: string }>().csrfToken,
    };
    const mine = (await call(demo, 'GET', '/api/v1/requests', carla)).json<RequestSummaryOut[]>();
    expect(mine.map((r) => r.subject).sort()).toEqual(['DMARC op reject zetten', 'Infuuspompen in een eigen VLAN?']);
    const answered = mine.find((r) => r.status === 'answered')!;
    const thread = (await call(demo, 'GET', `/api/v1/requests/${answered.id}`, carla)).json<RequestOut>();
    expect(thread.messages.map((m) => m.kind)).toEqual(['question', 'answer']);
    const open = mine.find((r) => r.status === 'new')!;
    expect((await call(demo, 'GET', `/api/v1/requests/${open.id}`, carla)).body).not.toContain('Intern:');
    const requests = await demo.system.db.selectFrom('info_requests').selectAll().execute();
    expect(requests).toHaveLength(3);
    expect(requests.filter((r) => !r.first_answered_at && r.first_answer_due < new Date())).toHaveLength(1);
    expect(await demo.system.db.selectFrom('info_request_canned_answers').select('id').execute()).toHaveLength(2);
    expect((await call(demo, 'GET', '/api/v1/knowledge', carla)).json<ArticleOut[]>()).toHaveLength(2);
  });
});
