import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import * as sources from '../../src/modules/intake/source.repository.ts';
import { ingestItems } from '../../src/modules/intake/story.service.ts';
import type { SourceOut, StoryPageOut } from '../../src/modules/intake/intake.schema.ts';
import type { z } from 'zod';
import type { INTAKE_POLICY } from './policy-table.intake.ts';

/**
 * The access-matrix requests of the intake module. Everything here is the CERT's own; no request
 * has an 'own' or 'other' organisation. Each change works on a fresh source or story. A source's
 * "run" points at a loopback address that the SSRF guard refuses, so the run fails without any
 * network and still answers 200 with the reason.
 */

interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}
interface IntakeCase {
  targeted: boolean;
  build(): Promise<Req>;
  check?: (res: LightMyRequestResponse) => void;
}

let t: TestApp;
const unique = () => randomBytes(4).toString('hex');

async function freshSource(): Promise<string> {
  const s = await sources.insertSource(
    t.system.db,
    {
      kind: 'rss',
      name: `Matrix ${unique()}`,
      url: 'https://127.0.0.1:9/feed.xml',
      tlp: 'CLEAR',
      intervalMinutes: 60,
      enabled: false,
      publicKeys: [],
      mailAddress: null,
    },
    null,
  );
  return s.id;
}

async function freshStory(): Promise<string> {
  const source = (await sources.findSource(t.system.db, await freshSource()))!;
  const n = Math.floor(Math.random() * 90_000) + 10_000;
  const counts = await ingestItems(
    t.system,
    source,
    [
      {
        externalId: `matrix-${unique()}`,
        url: null,
        title: `Matrix story ${unique()} CVE-2026-${n}`,
        summary: 'matrix',
        publishedAt: null,
        updatedAt: null,
        cves: [`CVE-2026-${n}`],
        advisoryIds: [],
        vendors: [],
        products: [],
        tlp: null,
        csaf: null,
        revision: null,
      },
    ],
    [],
  );
  return counts.storyIds[0]!;
}

export async function setupIntakeWorld(app: TestApp): Promise<void> {
  t = app;
  await freshStory();
}

export const INTAKE_CASES = {
  'GET /api/v1/intake/sources': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/intake/sources' }),
    check: (res) => expect(res.json<z.infer<typeof SourceOut>[]>().length).toBeGreaterThan(0),
  },
  'POST /api/v1/intake/sources': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/intake/sources',
      body: { kind: 'rss', name: `Feed ${unique()}`, url: 'https://news.example/feed.xml', enabled: false },
    }),
  },
  'GET /api/v1/intake/sources/:id': { targeted: false, build: async () => ({ method: 'GET', url: `/api/v1/intake/sources/${await freshSource()}` }) },
  'PATCH /api/v1/intake/sources/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/intake/sources/${await freshSource()}`, body: { name: 'Renamed' } }),
  },
  'DELETE /api/v1/intake/sources/:id': { targeted: false, build: async () => ({ method: 'DELETE', url: `/api/v1/intake/sources/${await freshSource()}` }) },
  'POST /api/v1/intake/sources/:id/run': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/intake/sources/${await freshSource()}/run` }),
    check: (res) => expect(res.json<{ ok: boolean }>().ok).toBe(false),
  },
  'GET /api/v1/intake/stories': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/intake/stories' }),
    check: (res) => expect(res.json<z.infer<typeof StoryPageOut>>().items.length).toBeGreaterThan(0),
  },
  'GET /api/v1/intake/stories/:id': { targeted: false, build: async () => ({ method: 'GET', url: `/api/v1/intake/stories/${await freshStory()}` }) },
  'POST /api/v1/intake/stories/read': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/intake/stories/read', body: { ids: [await freshStory()], read: true } }),
  },
  'POST /api/v1/intake/stories/no-action': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/intake/stories/no-action', body: { ids: [await freshStory()], reason: 'Not about healthcare.' } }),
  },
  'POST /api/v1/intake/stories/reopen': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/intake/stories/reopen', body: { ids: [await freshStory()] } }),
  },
  'POST /api/v1/intake/stories/:id/advisory': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/intake/stories/${await freshStory()}/advisory` }),
  },
  'POST /api/v1/intake/stories/:id/media': {
    targeted: false,
    build: async () => ({ method: 'POST', url: `/api/v1/intake/stories/${await freshStory()}/media`, body: {} }),
  },
} satisfies Record<keyof typeof INTAKE_POLICY, IntakeCase>;
