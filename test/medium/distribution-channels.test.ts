import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';
import { sendReminders } from '../../src/modules/distribution/alert-response.service.ts';
import { addContact, startWorker, type Worker } from '../helpers/distribution.ts';
import { makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';

/*
 * The other ways out of distribution: webhooks (a real HTTP server on 127.0.0.1, admitted by the
 * administrator's allow-list), the portal inbox, and operational alerts closing the loop through
 * signed links in the mail (a real SMTP server) and the portal, shown on the dashboard.
 */

const PUBLIC_URL = 'http://wachtpost.test.example';

interface Hit {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let t: TestApp;
let sink: SmtpSink;
let worker: Worker;
let team: CertTeam;
let receiver: http.Server;
let receiverPort = 0;
const hits: Hit[] = [];
let analyst: Credentials;
let adminA: TestUser;
let adminACreds: Credentials;
let memberA: TestUser;
const orgs: Record<string, string> = {};

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        return res.end();
      }
      res.writeHead(req.url === '/broken' ? 500 : 200);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  t = await createTestApp({ PUBLIC_URL });
  sink = await startSmtpSink();
  worker = startWorker(t, sink.url);
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  const a = await makeOrganisation(t, 'participant', 'Ziekenhuis Oost');
  const b = await makeOrganisation(t, 'participant', 'Revalidatiecentrum West');
  const v = await makeOrganisation(t, 'vendor', 'Leverancier Noord');
  Object.assign(orgs, { a: a.id, b: b.id, v: v.id });
  await addContact(t, a.id, { email: 'soc@oost.example', subscriptions: ['advisories', 'operational_alerts'] });
  await addContact(t, a.id, { email: 'dienst@oost.example', subscriptions: [], roles: ['on_call'] });
  await addContact(t, b.id, { email: 'ict@west.example', subscriptions: ['operational_alerts'], roles: ['on_call'] });
  adminA = await makeUser(t, a.id, 'participant-admin');
  memberA = await makeUser(t, a.id, 'participant-member');
  await makeUser(t, b.id, 'participant-member');
  await makeUser(t, v.id, 'partner');
  analyst = await login(t, team.author);
  adminACreds = await login(t, adminA);
});
afterAll(async () => {
  worker?.close();
  await sink?.close();
  await t?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const allowReceiver = () => ((t.services.config as { webhookAllowedHosts: string[] }).webhookAllowedHosts = [`127.0.0.1:${receiverPort}`]);

describe('webhooks', () => {
  it('refuses loopback, private and link-local targets unless an administrator allowed the exact host', async () => {
    for (const url of [
      `http://127.0.0.1:${receiverPort}/hook`,
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://localhost/hook',
      'ftp://chat.example/x',
    ]) {
      const res = await call(t, 'POST', '/api/v1/webhooks', adminACreds, { organisationId: orgs.a, name: 'SOC', url, format: 'json' });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('webhook_url_forbidden');
    }
    // A participant cannot raise the ceiling above GREEN; the CERT can.
    const amber = await call(t, 'POST', '/api/v1/webhooks', adminACreds, {
      organisationId: orgs.a,
      name: 'SOC',
      url: 'https://chat.oost.example/hook',
      format: 'json',
      maxTlp: 'AMBER',
    });
    expect(amber.json().error.code).toBe('webhook_tlp_too_high');
  });

  it('posts signed JSON, Mattermost/Slack and Teams cards for what the TLP ceiling admits, and follows no redirect', async () => {
    allowReceiver();
    const base = `http://127.0.0.1:${receiverPort}`;
    const json = await call(t, 'POST', '/api/v1/webhooks', adminACreds, { organisationId: orgs.a, name: 'SIEM', url: `${base}/json`, format: 'json' });
    expect(json.statusCode).toBe(201);
    const secret = json.json<{ secret: string }>().secret;
    expect(
      (await call(t, 'POST', '/api/v1/webhooks', adminACreds, { organisationId: orgs.a, name: 'Mattermost', url: `${base}/slack`, format: 'slack' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await call(t, 'POST', '/api/v1/webhooks', adminACreds, { organisationId: orgs.a, name: 'Teams', url: `${base}/teams`, format: 'teams' })).statusCode,
    ).toBe(201);
    expect(
      (await call(t, 'POST', '/api/v1/webhooks', adminACreds, { organisationId: orgs.a, name: 'Moved', url: `${base}/redirect`, format: 'json' })).statusCode,
    ).toBe(201);
    expect((await call(t, 'POST', '/api/v1/webhooks', analyst, { organisationId: orgs.b, name: 'West', url: `${base}/west`, format: 'json' })).statusCode).toBe(
      201,
    );

    const green = await productInState(t, team, 'published', { tlp: 'GREEN' });
    const amber = await productInState(t, team, 'published', { tlp: 'AMBER', recipients: [orgs.a!] });
    await worker.drain();
    const forGreen = hits.filter((h) => h.body.includes(green.identifier!));
    expect(forGreen.map((h) => h.path).sort()).toEqual(['/json', '/redirect', '/slack', '/teams', '/west']);
    // AMBER stays out of webhooks whose ceiling is GREEN (the default).
    expect(hits.some((h) => h.body.includes(amber.identifier!))).toBe(false);

    const signed = forGreen.find((h) => h.path === '/json')!;
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(signed.headers['x-wachtpost-signature']))!;
    expect(mac).toBe(createHmac('sha256', secret).update(`${ts}.${signed.body}`).digest('hex'));
    expect(JSON.parse(signed.body)).toMatchObject({
      event: 'product.published',
      product: { identifier: green.identifier, tlp: 'GREEN', url: `${PUBLIC_URL}/advisories/${green.identifier}` },
    });
    expect(JSON.parse(forGreen.find((h) => h.path === '/slack')!.body).text).toContain(`[TLP:GREEN] ${green.identifier}`);
    const card = JSON.parse(forGreen.find((h) => h.path === '/teams')!.body);
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0].content.type).toBe('AdaptiveCard');

    // The redirect was not followed: nothing reached port 1, and the row gave up as permanent.
    const moved = await t.system.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'webhook')
      .where('recipient', '=', `${base}/redirect`)
      .executeTakeFirstOrThrow();
    expect(moved).toMatchObject({ status: 'failed', permanent_failure: true });
    expect(moved.last_error).toContain('redirects are not followed');
    const list = await call(t, 'GET', '/api/v1/webhooks', adminACreds);
    expect(list.json<{ items: { organisationId: string; lastStatus: string }[] }>().items.every((w) => w.organisationId === orgs.a)).toBe(true);
  });

  it('changes only what a webhook patch names: the TLP ceiling and the product kinds stay', async () => {
    const made = await call(t, 'POST', '/api/v1/webhooks', adminACreds, {
      organisationId: orgs.a,
      name: 'Pager',
      url: 'https://pager.oost.example/hook',
      format: 'json',
      kinds: ['alert'],
      maxTlp: 'CLEAR',
    });
    expect(made.statusCode, made.body).toBe(201);
    const patched = await call(t, 'PATCH', `/api/v1/webhooks/${made.json().id}`, adminACreds, { name: 'Pager (night)' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Pager (night)', kinds: ['alert'], maxTlp: 'CLEAR' });
  });

  it('checks the address at connect time: a host that is allowed by name but not by the list is refused', async () => {
    (t.services.config as { webhookAllowedHosts: string[] }).webhookAllowedHosts = [];
    const { safePost } = await import('../../src/lib/safe-http.ts');
    await expect(safePost(new URL(`http://localhost:${receiverPort}/x`), '{}', {}, { allowedHosts: [] })).rejects.toThrow(/forbidden address/);
    allowReceiver();
  });
});

describe('the portal inbox', () => {
  it('notifies the users who may read a product, pushes the change live, and lets each read only their own', async () => {
    const before = await call(t, 'GET', '/api/v1/notifications/unread-count', adminACreds);
    const events: string[] = [];
    const unsubscribe = t.hub.add({ actor: { userId: adminA.id } as never, send: (e) => events.push(e.type), close: () => {} });
    const p = await productInState(t, team, 'published', { tlp: 'AMBER', recipients: [orgs.a!] });
    // The event travels by NOTIFY after the commit: on a PostgreSQL server it comes a moment later.
    for (let waited = 0; !events.includes('notifications.changed') && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    unsubscribe();
    expect(events).toContain('notifications.changed');
    const after = await call(t, 'GET', '/api/v1/notifications/unread-count', adminACreds);
    expect(after.json().unread).toBe(before.json().unread + 1);
    const inbox = await call(t, 'GET', '/api/v1/notifications?unread=true', adminACreds);
    const note = inbox.json<{ items: { id: string; title: string; link: string }[] }>().items.find((n) => n.title.includes(p.identifier!))!;
    expect(note.link).toBe(`/advisories/${p.identifier}`);
    // Users of organisations the marking leaves out got nothing.
    const others = await t.system.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select('users.organisation_id')
      .where('subject_id', '=', p.id)
      .execute();
    expect(new Set(others.map((o) => o.organisation_id))).not.toContain(orgs.b);
    expect(new Set(others.map((o) => o.organisation_id))).not.toContain(orgs.v);
    // Another user cannot mark it read.
    const member = await login(t, memberA);
    expect((await call(t, 'POST', `/api/v1/notifications/${note.id}/read`, member)).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/notifications/${note.id}/read`, adminACreds)).json().changed).toBe(1);
    expect((await call(t, 'GET', '/api/v1/notifications/unread-count', adminACreds)).json().unread).toBe(before.json().unread);
  });
});

describe('operational alerts close the loop', () => {
  it('takes answers from signed links (once per choice) and the portal, and shows them on the dashboard and in CSV', async () => {
    const alert = await productInState(t, team, 'published', { tlp: 'GREEN', kind: 'alert' });
    await worker.drain();
    const mail = sink.received.find((m) => m.envelopeTo.includes('soc@oost.example') && m.raw.toString().includes(`X-Wachtpost-Product: ${alert.identifier};`));
    expect(mail).toBeDefined();
    const { decodeParts, signedParts } = await import('../helpers/distribution.ts');
    const text = decodeParts(signedParts(mail!.raw.toString('utf8')).signed);
    const links = [...text.matchAll(/http:\/\/wachtpost\.test\.example\/respond\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(8); // four answers, in the text and the HTML part
    const [received, , mitigating] = [...new Set(links)];

    // A GET only shows the choice (a link scanner records nothing); the POST records it, once.
    const page = await t.app.inject({ method: 'GET', url: `/respond/${received}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ziekenhuis Oost');
    expect(await t.system.db.selectFrom('alert_responses').select('id').where('product_id', '=', alert.id).execute()).toEqual([]);
    const first = await t.app.inject({
      method: 'POST',
      url: `/respond/${received}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'comment=Gezien+door+SOC',
    });
    expect(first.statusCode).toBe(201);
    // A person (a browser asks for HTML) gets a page saying so; a program the API's error shape.
    const again = await t.app.inject({
      method: 'POST',
      url: `/respond/${received}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: '',
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('text/html');
    expect(again.body).toContain('already recorded');
    const againApi = await t.app.inject({ method: 'POST', url: `/respond/${received}` });
    expect(againApi.json()).toMatchObject({ error: { code: 'link_used' } });
    const second = await t.app.inject({ method: 'POST', url: `/respond/${mitigating}` });
    expect(second.statusCode, second.body).toBe(201);
    // A forged link is refused.
    const forged = await t.app.inject({ method: 'GET', url: `/respond/${received!.slice(0, -4)}AAAA` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: { code: 'link_invalid' } });

    const dashboard = (await call(t, 'GET', `/api/v1/advisories/${alert.id}/responses`, analyst)).json<{
      counts: Record<string, number>;
      organisations: { organisationName: string; status: string | null; recipient: boolean; secondsToFirstResponse: number | null }[];
      history: { via: string; comment: string | null }[];
    }>();
    const oost = dashboard.organisations.find((o) => o.organisationName === 'Ziekenhuis Oost')!;
    expect(oost).toMatchObject({ status: 'mitigating', recipient: true });
    expect(oost.secondsToFirstResponse).not.toBeNull();
    expect(dashboard.organisations.find((o) => o.organisationName === 'Revalidatiecentrum West')).toMatchObject({ status: null, recipient: true });
    expect(dashboard.history.map((h) => h.comment)).toContain('Gezien door SOC');

    // The portal: a member of Oost reports "patched".
    const member = await login(t, memberA);
    const portal = await call(t, 'POST', `/api/v1/advisories/${alert.id}/responses`, member, { status: 'patched', comment: 'Firmware 4.3.1 staat erop.' });
    expect(portal.statusCode).toBe(201);
    expect((await call(t, 'POST', `/api/v1/advisories/${alert.id}/responses`, member, { status: 'gepatcht' })).statusCode).toBe(400);
    const csv = await call(t, 'GET', `/api/v1/advisories/${alert.id}/responses.csv`, analyst);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toMatch(/^Ziekenhuis Oost,true,patched,Firmware 4\.3\.1 staat erop\.,/m);
    expect(csv.body).toMatch(/^Revalidatiecentrum West,true,none,/m);
  });

  it('reminds the on-call contacts of organisations that have not answered, once', async () => {
    const alert = await productInState(t, team, 'published', { tlp: 'GREEN', kind: 'alert' });
    await worker.drain();
    const member = await login(t, memberA);
    await call(t, 'POST', `/api/v1/advisories/${alert.id}/responses`, member, { status: 'not_affected' });
    const config = t.services.config as { alertReminderMinutes: number };
    const saved = config.alertReminderMinutes;
    // The test moves the delivery back in time instead of waiting for ALERT_REMINDER_MINUTES.
    await t.system.db
      .updateTable('deliveries')
      .set({ created_at: new Date(Date.now() - (saved + 1) * 60_000) } as never)
      .where('subject_id', '=', alert.id)
      .execute();
    expect(await sendReminders(t.system)).toBeGreaterThan(0);
    await sendReminders(t.system);
    await worker.drain();
    const reminders = sink.received.filter((m) => m.parsed.subject?.includes(`Herinnering: ${alert.identifier}`));
    // West has not answered: its on-call contact is reminded once; Oost answered and is left alone.
    expect(reminders.map((m) => m.envelopeTo[0])).toEqual(['ict@west.example']);
    // Signed with the CERT key like the alert itself (RFC 3156), GnuPG agreeing where it is installed.
    const raw = reminders[0]!.raw.toString('utf8');
    expect(raw).toMatch(/Content-Type: multipart\/signed;[^\n]*protocol="application\/pgp-signature"/i);
    const { decodeParts, signedParts } = await import('../helpers/distribution.ts');
    const parts = signedParts(raw);
    expect(decodeParts(parts.signed)).toMatch(/http:\/\/wachtpost\.test\.example\/respond\//);
    if (gpgAvailable() || process.env.CI === 'true') {
      const verified = await gpgVerify((await activeSigningKey(t.system)).publicKeyArmored, parts.signed, parts.signature);
      expect(verified.ok, verified.output).toBe(true);
    }
  });
});
