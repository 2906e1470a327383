import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => t?.close());

interface Stream {
  events: { type: string }[];
  ended: Promise<void>;
  close(): void;
  waitFor(pred: (e: { type: string }) => boolean, ms?: number): Promise<{ type: string }>;
}

/** Opens the SSE stream over a real socket, as a browser's EventSource would. */
function openStream(creds: Credentials): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: { type: string }[] = [];
    const waiters: (() => void)[] = [];
    let endedResolve!: () => void;
    const ended = new Promise<void>((r) => (endedResolve = r));
    const req = http.get(`${base}/api/v1/events`, { headers: authHeaders(creds) }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      let buf = '';
      res.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) {
            events.push(JSON.parse(data.slice(6)) as { type: string });
            waiters.splice(0).forEach((w) => w());
          }
        }
      });
      res.on('end', endedResolve);
      res.on('close', endedResolve);
      resolve({
        events,
        ended,
        close: () => req.destroy(),
        waitFor(pred, ms = 5000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events)}`)), ms);
            const check = () => {
              const hit = events.find(pred);
              if (hit) {
                clearTimeout(timer);
                ok(hit);
              } else waiters.push(check);
            };
            check();
          });
        },
      });
    });
    req.on('error', reject);
  });
}

describe('realtime events', () => {
  it('pushes a change to its own organisation and to the CERT, not to another participant', async () => {
    const cert = await makeOrganisation(t, 'cert');
    const a = await makeOrganisation(t, 'participant');
    const b = await makeOrganisation(t, 'participant');
    const aAdmin = await login(t, await makeUser(t, a.id, 'participant-admin'));
    const bAdmin = await login(t, await makeUser(t, b.id, 'participant-admin'));
    const analyst = await login(t, await makeUser(t, cert.id, 'cert-analyst'));
    const [sa, sb, sc] = await Promise.all([openStream(aAdmin), openStream(bAdmin), openStream(analyst)]);
    const res = await call(t, 'POST', `/api/v1/organisations/${a.id}/assets`, aAdmin, { type: 'domain', value: 'realtime.example' });
    expect(res.statusCode).toBe(201);
    await sa.waitFor((e) => e.type === 'asset.changed');
    await sc.waitFor((e) => e.type === 'asset.changed');
    // Give B's stream the same time to (wrongly) receive it.
    await new Promise((r) => setTimeout(r, 300));
    expect(sb.events.filter((e) => e.type === 'asset.changed')).toHaveLength(0);
    [sa, sb, sc].forEach((s) => s.close());
  });

  it('a refused change publishes nothing', async () => {
    const a = await makeOrganisation(t, 'participant');
    const admin = await login(t, await makeUser(t, a.id, 'participant-admin'));
    const s = await openStream(admin);
    const dup1 = await call(t, 'POST', `/api/v1/organisations/${a.id}/assets`, admin, { type: 'asn', value: 'AS64505' });
    expect(dup1.statusCode).toBe(201);
    await s.waitFor((e) => e.type === 'asset.changed');
    const before = s.events.length;
    const dup2 = await call(t, 'POST', `/api/v1/organisations/${a.id}/assets`, admin, { type: 'asn', value: 'AS64505' });
    expect(dup2.statusCode).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events.length).toBe(before);
    s.close();
  });

  it('disabling a user closes their open streams at once', async () => {
    const a = await makeOrganisation(t, 'participant');
    const admin = await login(t, await makeUser(t, a.id, 'participant-admin'));
    const member = await makeUser(t, a.id, 'participant-member');
    const memberCreds = await login(t, member);
    const s = await openStream(memberCreds);
    expect(t.hub.size).toBeGreaterThan(0);
    const res = await call(t, 'POST', `/api/v1/users/${member.id}/disable`, admin);
    expect(res.statusCode).toBe(200);
    await expect(Promise.race([s.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 3000))])).resolves.toBe('ended');
  });

  it('refuses a stream without login', async () => {
    const res = await fetch(`${base}/api/v1/events`);
    expect(res.status).toBe(401);
  });
});

describe('streams end with their session', () => {
  it('logging out closes the stream of that session, not of the user’s other session', async () => {
    const a = await makeOrganisation(t, 'participant');
    const user = await makeUser(t, a.id, 'participant-member');
    const first = await login(t, user);
    const second = await login(t, user);
    const s1 = await openStream(first);
    const s2 = await openStream(second);
    expect((await call(t, 'POST', '/api/v1/auth/logout', first)).statusCode).toBe(200);
    await expect(Promise.race([s1.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 3000))])).resolves.toBe('ended');
    await expect(Promise.race([s2.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 500))])).resolves.toBe('still open');
    s2.close();
  });

  it('an API token cannot open a stream', async () => {
    const a = await makeOrganisation(t, 'participant');
    const creds = await login(t, await makeUser(t, a.id, 'participant-admin'));
    const token = (await call(t, 'POST', '/api/v1/tokens', creds, { name: 'x', scopes: ['organisations:read'] })).json().token as string;
    const res = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });
});
