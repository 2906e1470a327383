import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, authHeaders, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { sendDigests } from '../../src/modules/community/community-notify.service.ts';
import type { ThreadOut } from '../../src/modules/community/community.schema.ts';
import { spaceAccess, spaceScopeSql } from '../../src/modules/access/policy-community.ts';
import { buildActor } from '../../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '../../src/modules/identity/identity.repository.ts';
import * as communityRepo from '../../src/modules/community/community.repository.ts';
import type { RealtimeEvent } from '../../src/modules/realtime/realtime.service.ts';

/**
 * The community: two hospitals discuss in a space while a third, outside it, sees nothing through
 * any way out (list, detail, search, notifications, mail, attachments); TLP per post; sanitised
 * Markdown; edit history; moderation; the daily digest.
 */

let t: TestApp;
const org = { cert: '', noord: '', zuid: '', buiten: '' };
const u = {} as Record<'analyst' | 'noordAdmin' | 'noordMember' | 'zuidAdmin' | 'zuidMember' | 'buitenAdmin', TestUser>;
const as = {} as Record<keyof typeof u, Credentials>;
let spaceId = '';
let threadId = '';
let openingId = '';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a tiny png')]);

function multipart(field: string, fileName: string, content: Buffer) {
  const boundary = '----wachtpost-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(creds: Credentials, postId: string, fileName: string, content: Buffer) {
  const m = multipart('file', fileName, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/community/posts/${postId}/attachments`,
    headers: { ...authHeaders(creds), ...m.headers },
    payload: m.payload,
  });
}

async function thread(creds: Credentials, id = threadId) {
  const res = await call(t, 'GET', `/api/v1/community/threads/${id}`, creds);
  return { status: res.statusCode, body: res.statusCode === 200 ? res.json<ThreadOut>() : null };
}

async function outboxTo(email: string) {
  const rows = await t.system.db.selectFrom('outbox').select(['dedupe_key', 'payload']).where('dedupe_key', 'like', 'community-%').execute();
  return rows
    .map((r) => ({
      key: r.dedupe_key,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { to: string; subject: string; text: string },
    }))
    .filter((r) => r.payload.to === email);
}

async function notificationsOf(userId: string) {
  return t.system.db.selectFrom('notifications').select(['kind', 'title', 'link']).where('user_id', '=', userId).where('kind', 'like', 'community.%').execute();
}

async function search(creds: Credentials, q: string) {
  const res = await call(t, 'GET', `/api/v1/community/search?q=${encodeURIComponent(q)}`, creds);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { kind: string; id: string; snippet: string; url: string }[] }>().items;
}

beforeAll(async () => {
  t = await createTestApp();
  org.cert = (await makeOrganisation(t, 'cert')).id;
  org.noord = (await makeOrganisation(t, 'participant', 'Ziekenhuis Noord')).id;
  org.zuid = (await makeOrganisation(t, 'participant', 'UMC Zuid')).id;
  org.buiten = (await makeOrganisation(t, 'participant', 'Kliniek Buiten')).id;
  u.analyst = await makeUser(t, org.cert, 'cert-analyst');
  u.noordAdmin = await makeUser(t, org.noord, 'participant-admin');
  u.noordMember = await makeUser(t, org.noord, 'participant-member');
  u.zuidAdmin = await makeUser(t, org.zuid, 'participant-admin');
  u.zuidMember = await makeUser(t, org.zuid, 'participant-member');
  u.buitenAdmin = await makeUser(t, org.buiten, 'participant-admin');
  for (const k of Object.keys(u) as (keyof typeof u)[]) as[k] = await login(t, u[k]);

  // A space of two named hospitals (no kind admits others): Buiten is a participant of the same segment, not a member.
  const res = await call(t, 'POST', '/api/v1/community/spaces', as.analyst, {
    name: 'CISO-overleg Noord-Zuid',
    description: 'Voor de CISO’s en hun teams',
    roles: ['participant-admin', 'participant-member'],
    organisationKinds: [],
    memberOrganisationIds: [org.noord, org.zuid],
  });
  expect(res.statusCode, res.body).toBe(201);
  spaceId = res.json<{ id: string }>().id;
});
afterAll(async () => t?.close());

describe('spaces and membership', () => {
  it('only the CERT creates spaces', async () => {
    const res = await call(t, 'POST', '/api/v1/community/spaces', as.noordAdmin, { name: 'Mine' });
    expect(res.statusCode).toBe(403);
  });

  it('lists the space for members and the CERT, and it does not exist for an outsider', async () => {
    for (const who of ['noordAdmin', 'zuidMember', 'analyst'] as const) {
      const list = await call(t, 'GET', '/api/v1/community/spaces', as[who]);
      expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).toContain(spaceId);
    }
    const list = await call(t, 'GET', '/api/v1/community/spaces', as.buitenAdmin);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).not.toContain(spaceId);
    for (const url of [
      `/api/v1/community/spaces/${spaceId}`,
      `/api/v1/community/spaces/${spaceId}/threads`,
      `/api/v1/community/spaces/${spaceId}/organisations`,
    ]) {
      const res = await call(t, 'GET', url, as.buitenAdmin);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('space_not_found');
    }
    expect((await call(t, 'PUT', `/api/v1/community/spaces/${spaceId}/preference`, as.buitenAdmin, { mode: 'instant' })).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/community/spaces/${spaceId}/threads`, as.buitenAdmin, { title: 'x', body: 'x', tlp: 'GREEN' })).statusCode).toBe(
      404,
    );
  });

  it('admits by role, kind and segment', async () => {
    const res = await call(t, 'POST', '/api/v1/community/spaces', as.analyst, {
      name: 'CISO’s ziekenhuizen',
      roles: ['participant-admin'],
      organisationKinds: ['participant'],
      segments: ['hospital'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect((await call(t, 'GET', `/api/v1/community/spaces/${id}`, as.buitenAdmin)).statusCode).toBe(200);
    // A member who is not the CISO does not see the CISOs' space.
    expect((await call(t, 'GET', `/api/v1/community/spaces/${id}`, as.zuidMember)).statusCode).toBe(404);
    await t.system.db.updateTable('organisations').set({ segment: 'mental_health' }).where('id', '=', org.buiten).execute();
    expect((await call(t, 'GET', `/api/v1/community/spaces/${id}`, as.buitenAdmin)).statusCode).toBe(404);
    await t.system.db.updateTable('organisations').set({ segment: 'hospital' }).where('id', '=', org.buiten).execute();
  });
});

describe('the membership rule in code and in SQL', () => {
  it('agrees on every combination of roles, kinds, segments and named organisations', async () => {
    const vendor = (await makeOrganisation(t, 'vendor', 'Leverancier')).id;
    const vendorUser = await makeUser(t, vendor, 'partner');
    const people = [u.analyst, u.noordAdmin, u.noordMember, u.zuidAdmin, u.buitenAdmin, vendorUser];
    const actors = await Promise.all(
      people.map(async (p) => ({ ...(await buildActor(t.system.db, (await findUserWithOrgById(t.system.db, p.id))!, { sessionId: 'x' })), sessionId: null })),
    );
    const roleSets = [[], ['participant-admin'], ['participant-admin', 'participant-member', 'partner']];
    const kindSets = [[], ['participant'], ['participant', 'vendor']];
    const segmentSets = [[], ['hospital'], ['umc']];
    const memberSets = [[], [org.zuid], [vendor, org.buiten]];
    let compared = 0;
    for (const roles of roleSets)
      for (const kinds of kindSets)
        for (const segments of segmentSets)
          for (const members of memberSets) {
            const id = await communityRepo.insertSpace(t.system.db, { name: 'Rule', description: '', roles, kinds, segments, createdBy: u.analyst.id });
            await communityRepo.setSpaceMembers(t.system.db, id, members);
            for (const actor of actors) {
              const segment = (await t.system.db.selectFrom('organisations').select('segment').where('id', '=', actor.organisationId).executeTakeFirstOrThrow())
                .segment;
              const inCode =
                spaceAccess(actor, 'community:read', { roles, organisationKinds: kinds, segments, memberOrganisationIds: members }, { segment }) !== null;
              const where = spaceScopeSql(actor, 'community:read', 's.id');
              let q = t.system.db.selectFrom('community_spaces as s').select('s.id').where('s.id', '=', id);
              if (where) q = q.where(where);
              const inSql = (await q.execute()).length === 1;
              expect(
                inSql,
                `${actor.role} of ${actor.organisationKind}: roles ${roles.join(',')}, kinds ${kinds.join(',')}, segments ${segments.join(',')}, members ${members.length}`,
              ).toBe(inCode);
              compared++;
            }
          }
    expect(compared).toBe(81 * actors.length);
  });
});

describe('two participants discuss while a third sees nothing', () => {
  it('starts a thread with a mention and notifies only people who may see it', async () => {
    await call(t, 'PUT', `/api/v1/community/spaces/${spaceId}/preference`, as.zuidAdmin, { mode: 'instant' });
    await call(t, 'PUT', `/api/v1/community/spaces/${spaceId}/preference`, as.noordMember, { mode: 'instant' });
    const res = await call(t, 'POST', `/api/v1/community/spaces/${spaceId}/threads`, as.noordAdmin, {
      title: 'Ervaringen met netwerksegmentatie',
      body: `Hoe scheiden jullie medische apparatuur? @${u.zuidAdmin.email} en @${u.buitenAdmin.email} weten dit vast. Zoekwoord kwartelkoning.`,
      tlp: 'GREEN',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<ThreadOut>();
    threadId = body.id;
    openingId = body.posts[0]!.id;
    expect(body.posts).toHaveLength(1);

    const zuidNotes = await notificationsOf(u.zuidAdmin.id);
    expect(zuidNotes.map((n) => n.kind).sort()).toEqual(['community.mention', 'community.post']);
    expect(zuidNotes[0]!.link).toBe(`/community/threads/${threadId}`);
    expect(await notificationsOf(u.buitenAdmin.id)).toEqual([]);
    // Instant mail to the instant subscribers, never to the outsider nor the author.
    expect((await outboxTo(u.zuidAdmin.email)).length).toBe(1);
    expect((await outboxTo(u.zuidAdmin.email))[0]!.payload.text).toContain('kwartelkoning');
    expect(await outboxTo(u.buitenAdmin.email)).toEqual([]);
    expect(await outboxTo(u.noordAdmin.email)).toEqual([]);
  });

  it('lets the other participant read and reply; the outsider gets 404 and empty search', async () => {
    const reply = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.zuidAdmin, {
      body: 'Wij gebruiken aparte VLANs per afdeling.',
      tlp: 'GREEN',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json<ThreadOut>().posts).toHaveLength(2);
    const view = await thread(as.noordMember);
    expect(view.status).toBe(200);
    expect(view.body!.posts.map((p) => p.bodyMarkdown)).toContain('Wij gebruiken aparte VLANs per afdeling.');

    expect((await thread(as.buitenAdmin)).status).toBe(404);
    expect((await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.buitenAdmin, { body: 'x', tlp: 'GREEN' })).statusCode).toBe(404);
    expect(await search(as.buitenAdmin, 'kwartelkoning')).toEqual([]);
    const hits = await search(as.zuidMember, 'kwartelkoning');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'thread', id: threadId, url: `/community/threads/${threadId}` });
    expect((await search(as.analyst, 'netwerksegmentatie')).map((h) => h.id)).toContain(threadId);
  });

  it('keeps the space list figures to what the reader may see', async () => {
    const list = await call(t, 'GET', '/api/v1/community/spaces', as.zuidMember);
    const space = list
      .json<{ items: { id: string; threadCount: number; unreadCount: number; lastActivityAt: string | null; preference: string }[] }>()
      .items.find((s) => s.id === spaceId)!;
    // zuidMember chose nothing: the daily digest.
    expect(space.preference).toBe('digest');
    expect(space.threadCount).toBe(1);
    expect(space.unreadCount).toBe(1);
    expect(space.lastActivityAt).not.toBeNull();
    await thread(as.zuidMember);
    const after = await call(t, 'GET', '/api/v1/community/spaces', as.zuidMember);
    expect(after.json<{ items: { id: string; unreadCount: number }[] }>().items.find((s) => s.id === spaceId)!.unreadCount).toBe(0);
  });
});

describe('TLP per post', () => {
  it('shows a TLP:RED reply only to the named organisation, in every way out', async () => {
    const res = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, {
      body: 'Alleen voor Noord: roerdomp-wachtwoord is gelekt.',
      tlp: 'RED',
      recipients: [{ organisationId: org.noord }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const red = res.json<ThreadOut>().posts.find((p) => p.tlp === 'RED')!;
    expect((await thread(as.noordMember)).body!.posts.map((p) => p.id)).toContain(red.id);
    // Zuid is in the space but not named; the CERT is not named either (RED is only the named).
    for (const who of ['zuidAdmin', 'zuidMember', 'analyst'] as const) {
      expect(
        (await thread(as[who])).body!.posts.map((p) => p.id),
        who,
      ).not.toContain(red.id);
      expect(await search(as[who], 'roerdomp'), who).toEqual([]);
    }
    expect((await search(as.noordMember, 'roerdomp')).map((h) => h.id)).toEqual([red.id]);
    // Mail: zuidAdmin is instant but may not see it; noordMember is instant and may (content withheld above GREEN).
    expect((await outboxTo(u.zuidAdmin.email)).some((m) => m.key.includes(red.id))).toBe(false);
    const noordMail = (await outboxTo(u.noordMember.email)).find((m) => m.key.includes(red.id));
    expect(noordMail?.payload.subject).toContain('TLP:RED');
    expect(noordMail?.payload.text).not.toContain('roerdomp');
    // Attachments of the RED post do not exist for Zuid.
    const up = await upload(as.noordAdmin, red.id, 'lek.txt', Buffer.from('gelekte gegevens\n'));
    expect(up.statusCode, up.body).toBe(201);
    const attachmentId = up.json<{ id: string }>().id;
    expect((await call(t, 'GET', `/api/v1/community/attachments/${attachmentId}`, as.zuidAdmin)).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/v1/community/attachments/${attachmentId}`, as.noordMember)).statusCode).toBe(200);
  });

  it('tells of a reply only those who may see its thread, however openly the reply is marked', async () => {
    const opened = await call(t, 'POST', `/api/v1/community/spaces/${spaceId}/threads`, as.noordAdmin, {
      title: 'Vertrouwelijk: pijlstormvogel-incident',
      body: 'Alleen Noord leest dit.',
      tlp: 'RED',
      recipients: [{ organisationId: org.noord }],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const redThread = opened.json<ThreadOut>().id;
    // A Noord colleague replies GREEN: the reply is no more visible than its RED thread.
    const reply = await call(t, 'POST', `/api/v1/community/threads/${redThread}/posts`, as.noordMember, { body: `Reactie voor iedereen? @${u.zuidAdmin.email}`, tlp: 'GREEN' });
    expect(reply.statusCode, reply.body).toBe(201);
    const replyId = reply.json<ThreadOut>().posts.at(-1)!.id;
    // zuidAdmin is in the space with "instantly" on, and mentioned: still no mail, no notification, no title.
    expect((await outboxTo(u.zuidAdmin.email)).some((m) => m.key.includes(replyId) || m.payload.subject.includes('pijlstormvogel'))).toBe(false);
    expect((await notificationsOf(u.zuidAdmin.id)).some((n) => n.link === `/community/threads/${redThread}` || n.title.includes('pijlstormvogel'))).toBe(false);
    expect((await thread(as.zuidAdmin, redThread)).status).toBe(404);
  });

  it('shows AMBER+STRICT to the named organisation, the author’s and the CERT', async () => {
    const res = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, {
      body: 'Voor Zuid en de CERT: grutto-scan.',
      tlp: 'AMBER+STRICT',
      recipients: [{ organisationId: org.zuid }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const post = res.json<ThreadOut>().posts.find((p) => p.tlp === 'AMBER+STRICT')!;
    for (const who of ['zuidMember', 'analyst', 'noordMember'] as const)
      expect(
        (await thread(as[who])).body!.posts.map((p) => p.id),
        who,
      ).toContain(post.id);
    expect((await search(as.zuidMember, 'grutto')).map((h) => h.id)).toEqual([post.id]);
  });

  it('refuses markings without recipients and recipients outside the space', async () => {
    const none = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, { body: 'x', tlp: 'AMBER' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('validation_failed');
    const outside = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, {
      body: 'x',
      tlp: 'AMBER',
      recipients: [{ organisationId: org.buiten }],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.code).toBe('community_recipient_not_member');
  });
});

describe('realtime', () => {
  it('tells open pages of a new post only when the reader may see it', async () => {
    const received = new Map<string, RealtimeEvent[]>();
    const closers: (() => void)[] = [];
    for (const who of ['noordMember', 'zuidMember', 'buitenAdmin', 'analyst'] as const) {
      const actor = await buildActor(t.system.db, (await findUserWithOrgById(t.system.db, u[who].id))!, { sessionId: who });
      received.set(who, []);
      closers.push(t.hub.add({ actor, send: (e) => received.get(who)!.push(e), close: () => undefined }));
    }
    const got = (who: string) =>
      received
        .get(who)!
        .filter((e) => e.type === 'community.post')
        .map((e) => e.data.postId);
    const waitFor = async (who: string, postId: string) => {
      for (let i = 0; i < 200 && !got(who).includes(postId); i++) await new Promise((r) => setTimeout(r, 10));
      expect(got(who), who).toContain(postId);
    };
    try {
      const red = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, {
        body: 'Live, alleen Noord.',
        tlp: 'RED',
        recipients: [{ organisationId: org.noord }],
      });
      const redId = red.json<ThreadOut>().posts.at(-1)!.id;
      const green = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.noordAdmin, { body: 'Live, voor iedereen.', tlp: 'GREEN' });
      const greenId = green.json<ThreadOut>().posts.at(-1)!.id;
      await waitFor('noordMember', redId);
      await waitFor('zuidMember', greenId);
      await waitFor('analyst', greenId);
      expect(got('zuidMember')).not.toContain(redId);
      expect(got('analyst')).not.toContain(redId);
      expect(got('buitenAdmin')).toEqual([]);
    } finally {
      for (const close of closers) close();
    }
  });
});

describe('content', () => {
  it('sanitises the Markdown', async () => {
    const res = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.zuidAdmin, {
      body: 'Kijk <script>alert(1)</script> en <img src=x onerror=alert(2)> en [klik](javascript:alert(3)) en **vet**',
      tlp: 'GREEN',
    });
    expect(res.statusCode, res.body).toBe(201);
    const html = res.json<ThreadOut>().posts.at(-1)!.bodyHtml;
    expect(html).toContain('<strong>vet</strong>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    // Raw HTML reads as text: the handler is shown, never an attribute of an element.
    expect(html).not.toMatch(/<[^>]*\sonerror=/i);
  });

  it('keeps the edit history: readers see "edited", the CERT the versions', async () => {
    const first = await call(t, 'PATCH', `/api/v1/community/posts/${openingId}`, as.noordAdmin, {
      body: 'Aangepast: hoe scheiden jullie medische apparatuur?',
      title: 'Netwerksegmentatie',
      version: 1,
    });
    expect(first.statusCode, first.body).toBe(200);
    const opening = first.json<ThreadOut>().posts[0]!;
    expect(opening).toMatchObject({ version: 2, bodyMarkdown: 'Aangepast: hoe scheiden jullie medische apparatuur?' });
    expect(opening.editedAt).not.toBeNull();
    expect(first.json<ThreadOut>().title).toBe('Netwerksegmentatie');
    const stale = await call(t, 'PATCH', `/api/v1/community/posts/${openingId}`, as.noordAdmin, { body: 'x', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('community_post_changed');
    expect((await call(t, 'PATCH', `/api/v1/community/posts/${openingId}`, as.zuidAdmin, { body: 'x', version: 2 })).statusCode).toBe(403);
    const versions = await call(t, 'GET', `/api/v1/community/posts/${openingId}/versions`, as.analyst);
    expect(versions.statusCode).toBe(200);
    expect(versions.json<{ items: { version: number; title: string; bodyMarkdown: string }[] }>().items).toEqual([
      expect.objectContaining({ version: 1, title: 'Ervaringen met netwerksegmentatie', bodyMarkdown: expect.stringContaining('kwartelkoning') }),
    ]);
    expect((await call(t, 'GET', `/api/v1/community/posts/${openingId}/versions`, as.zuidAdmin)).statusCode).toBe(403);
  });

  it('counts reactions once per user and kind', async () => {
    const url = `/api/v1/community/posts/${openingId}/reactions/thumbsup`;
    await call(t, 'PUT', url, as.zuidAdmin);
    await call(t, 'PUT', url, as.zuidAdmin);
    const both = await call(t, 'PUT', url, as.zuidMember);
    expect(both.json<ThreadOut>().posts[0]!.reactions).toEqual([{ kind: 'thumbsup', count: 2, mine: true }]);
    const back = await call(t, 'DELETE', url, as.zuidMember);
    expect(back.json<ThreadOut>().posts[0]!.reactions).toEqual([{ kind: 'thumbsup', count: 1, mine: false }]);
    expect((await call(t, 'PUT', `/api/v1/community/posts/${openingId}/reactions/poop`, as.zuidAdmin)).statusCode).toBe(400);
    expect((await call(t, 'PUT', url, as.buitenAdmin)).statusCode).toBe(404);
  });

  it('takes attachments by what they are and serves them as downloads to members only', async () => {
    const ok = await upload(as.noordAdmin, openingId, 'schema.png', PNG);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ mediaType: 'image/png', fileName: 'schema.png' });
    const id = ok.json<{ id: string }>().id;
    const dl = await call(t, 'GET', `/api/v1/community/attachments/${id}`, as.zuidMember);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(dl.rawPayload).equals(PNG)).toBe(true);
    expect((await call(t, 'GET', `/api/v1/community/attachments/${id}`, as.buitenAdmin)).statusCode).toBe(404);
    expect((await thread(as.zuidMember)).body!.posts[0]!.attachments.map((a) => a.id)).toContain(id);

    const html = await upload(as.noordAdmin, openingId, 'plaatje.png', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(html.statusCode).toBe(415);
    expect(html.json().error.code).toBe('community_attachment_type');
    const exe = await upload(as.noordAdmin, openingId, 'rapport.pdf', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]));
    expect(exe.statusCode).toBe(415);
    expect((await upload(as.zuidAdmin, openingId, 'x.png', PNG)).statusCode).toBe(403);
    expect((await upload(as.buitenAdmin, openingId, 'x.png', PNG)).statusCode).toBe(404);
    const wrongField = multipart('other', 'x.png', PNG);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/community/posts/${openingId}/attachments`,
      headers: { ...authHeaders(as.noordAdmin), ...wrongField.headers },
      payload: wrongField.payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('community_attachment_missing');
  });
});

describe('moderation', () => {
  let replyId = '';
  it('marks an answer (the author or the CERT only)', async () => {
    const view = (await thread(as.noordAdmin)).body!;
    replyId = view.posts.find((p) => p.bodyMarkdown.startsWith('Wij gebruiken'))!.id;
    expect((await call(t, 'PUT', `/api/v1/community/threads/${threadId}/answer`, as.zuidAdmin, { postId: replyId })).statusCode).toBe(403);
    const marked = await call(t, 'PUT', `/api/v1/community/threads/${threadId}/answer`, as.noordAdmin, { postId: replyId });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json<ThreadOut>()).toMatchObject({ answered: true, answerPostId: replyId });
    expect((await call(t, 'PUT', `/api/v1/community/threads/${threadId}/answer`, as.noordAdmin, { postId: openingId })).json().error.code).toBe(
      'community_answer_invalid',
    );
  });

  it('hides a post for members and keeps it for the CERT', async () => {
    expect((await call(t, 'POST', `/api/v1/community/posts/${replyId}/hide`, as.noordAdmin, { reason: 'x' })).statusCode).toBe(403);
    const hidden = await call(t, 'POST', `/api/v1/community/posts/${replyId}/hide`, as.analyst, { reason: 'Bevat klantnamen' });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.json<ThreadOut>().posts.find((p) => p.id === replyId)!.hidden).toMatchObject({ reason: 'Bevat klantnamen' });
    expect((await thread(as.zuidAdmin)).body!.posts.map((p) => p.id)).not.toContain(replyId);
    expect(await search(as.zuidAdmin, 'VLANs')).toEqual([]);
    expect((await search(as.analyst, 'VLANs')).map((h) => h.id)).toEqual([replyId]);
  });

  it('pins and locks; a locked thread refuses replies', async () => {
    const res = await call(t, 'PATCH', `/api/v1/community/threads/${threadId}`, as.analyst, { pinned: true, locked: true });
    expect(res.json<ThreadOut>()).toMatchObject({ pinned: true, locked: true, canReply: false });
    // An empty patch is refused in words, not a 500.
    const empty = await call(t, 'PATCH', `/api/v1/community/threads/${threadId}`, as.analyst, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const refused = await call(t, 'POST', `/api/v1/community/threads/${threadId}/posts`, as.zuidAdmin, { body: 'Nog iets', tlp: 'GREEN' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('community_thread_locked');
    expect((await call(t, 'PATCH', `/api/v1/community/threads/${threadId}`, as.noordAdmin, { locked: false })).statusCode).toBe(403);
    expect((await call(t, 'PATCH', `/api/v1/community/threads/${threadId}`, as.analyst, {})).statusCode).toBe(400);
  });

  it('moves a thread to another space, where its members (and only they) find it', async () => {
    const other = await call(t, 'POST', '/api/v1/community/spaces', as.analyst, {
      name: 'Alleen Noord',
      roles: ['participant-admin', 'participant-member'],
      memberOrganisationIds: [org.noord],
    });
    const otherId = other.json<{ id: string }>().id;
    const c = await call(t, 'POST', `/api/v1/community/spaces/${spaceId}/threads`, as.zuidAdmin, { title: 'Verplaatsen', body: 'ijsvogel', tlp: 'GREEN' });
    const movedId = c.json<ThreadOut>().id;
    expect((await call(t, 'PATCH', `/api/v1/community/threads/${movedId}`, as.analyst, { spaceId: otherId })).statusCode).toBe(200);
    expect((await thread(as.noordMember, movedId)).status).toBe(200);
    expect((await thread(as.zuidMember, movedId)).status).toBe(404);
    expect(await search(as.zuidMember, 'ijsvogel')).toEqual([]);
  });
});

describe('daily digest', () => {
  it('mails each user the day’s posts they may see, and nothing else', async () => {
    const res = await sendDigests(t.system, new Date(Date.now() + 1000));
    expect(res.sent).toBeGreaterThan(0);
    const zuid = await outboxTo(u.zuidMember.email);
    const digest = zuid.find((m) => m.key.startsWith('community-digest:'));
    expect(digest, 'zuidMember (digest by default) gets a digest').toBeDefined();
    expect(digest!.payload.text).toContain('Netwerksegmentatie');
    expect(digest!.payload.text).not.toContain('roerdomp'); // RED to Noord only
    expect(digest!.payload.text).not.toContain('VLANs'); // hidden
    expect(digest!.payload.text).not.toContain('ijsvogel'); // moved to a space Zuid is not in
    expect(digest!.payload.text).not.toContain('grutto'); // AMBER+STRICT: content stays in the portal
    // Instant subscribers of the space get no digest of it; the outsider none at all.
    expect((await outboxTo(u.zuidAdmin.email)).some((m) => m.key.startsWith('community-digest:'))).toBe(false);
    expect(await outboxTo(u.buitenAdmin.email)).toEqual([]);
    expect(await notificationsOf(u.buitenAdmin.id)).toEqual([]);
    // A second run the same day adds nothing.
    const before = (await outboxTo(u.zuidMember.email)).length;
    await sendDigests(t.system, new Date(Date.now() + 2000));
    expect((await outboxTo(u.zuidMember.email)).length).toBe(before);
  });
});

describe('bad input', () => {
  it('answers 4xx with stable codes', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/api/v1/community/threads/not-a-uuid', undefined, 400, 'validation_failed'],
      ['GET', `/api/v1/community/threads/${crypto.randomUUID()}`, undefined, 404, 'thread_not_found'],
      ['POST', `/api/v1/community/spaces/${spaceId}/threads`, { title: '', body: 'x', tlp: 'GREEN' }, 400, 'validation_failed'],
      ['POST', `/api/v1/community/spaces/${spaceId}/threads`, { title: 'x', body: 'x', tlp: 'PURPLE' }, 400, 'validation_failed'],
      ['POST', `/api/v1/community/spaces/${spaceId}/threads`, { title: 'x', body: 'x', tlp: 'GREEN', extra: 1 }, 400, 'validation_failed'],
      ['GET', '/api/v1/community/search?q=a', undefined, 400, 'validation_failed'],
      ['PUT', `/api/v1/community/spaces/${spaceId}/preference`, { mode: 'hourly' }, 400, 'validation_failed'],
    ];
    for (const [method, url, body, status, code] of cases) {
      const res = await call(t, method as 'GET', url, as.zuidAdmin, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const badSpace = await call(t, 'POST', '/api/v1/community/spaces', as.analyst, { name: 'X', memberOrganisationIds: [crypto.randomUUID()] });
    expect(badSpace.statusCode).toBe(400);
    expect(badSpace.json().error.code).toBe('community_organisation_unknown');
  });
});
