import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { systemContext, type Ctx, type Services } from '../../src/server/context.ts';
import type { App } from '../../src/server/http-types.ts';
import { RealtimeHub } from '../../src/modules/realtime/realtime.hub.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface TestApp {
  app: App;
  services: Services;
  hub: RealtimeHub;
  db: TestDatabase;
  /** A context with no actor, for factories that write directly. */
  system: Ctx;
  close(): Promise<void>;
}

/** The real application on a fresh database, driven with `inject()` (no port needed). */
export async function createTestApp(env: Record<string, string> = {}, options: { webDir?: string } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  // Files the application writes (evidence, CVD attachments, feeds) go to a folder of this app's own.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wachtpost-test-data-'));
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', WACHTPOST_DATA_DIR: dataDir, ...env });
  const services: Services = { config, database: db.database, log: pino({ level: process.env.TEST_LOG ?? 'silent' }) };
  const hub = new RealtimeHub();
  await hub.start(db.database);
  // A high per-process rate limit: the tests exercise the login throttle, not the global one.
  const app = await buildApp({ services, hub, webDir: options.webDir ?? '/nonexistent', rateLimitPerMinute: 100_000 });
  await app.ready();
  return {
    app,
    services,
    hub,
    db,
    system: systemContext(services, 'test'),
    async close() {
      await app.close();
      await hub.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Credentials {
  cookie?: string;
  csrf?: string;
  token?: string;
}

export function authHeaders(c: Credentials | null): Record<string, string> {
  if (!c) return {};
  if (c.token) return { authorization: `Bearer ${c.token}` };
  return { cookie: c.cookie ?? '', ...(c.csrf && { 'x-csrf-token': c.csrf }) };
}

/** One API call; `as` null is anonymous. */
export async function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  as: Credentials | null,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: { ...authHeaders(as), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

export function sessionCookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'wp_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `wp_session=${c.value}`;
}
