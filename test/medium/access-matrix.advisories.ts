import type { TestApp } from '../helpers/test-app.ts';
import { makeCertTeam, productInState, sampleContent, type CertTeam, type ProductState } from '../helpers/products.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { toCsaf } from '../../src/modules/advisories/csaf/csaf-export.ts';

/**
 * The access-matrix requests for the advisories routes (kept apart from access-matrix.test.ts,
 * which is long enough). Products are owned by the CERT and marked TLP:AMBER+STRICT for the target
 * organisation, so 'own' means "addressed to my organisation" and 'other' "addressed to another".
 */

type Target = 'own' | 'other' | null;
interface MatrixActor {
  home: string;
  foreign: string;
}
interface AdvisoryReq {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  body?: unknown;
}
export interface AdvisoryCase {
  targeted: boolean;
  build(a: MatrixActor, target: Target): Promise<AdvisoryReq>;
  /** Renders with Chromium: without it (outside CI) a 503 pdf_unavailable stands for success. */
  needsChromium?: boolean;
}

let t: TestApp;
let team: CertTeam;

export async function setupAdvisoryWorld(app: TestApp): Promise<void> {
  t = app;
  await ensureSigningKey(t.system);
  team = await makeCertTeam(t);
}

const org = (a: MatrixActor, target: Target) => (target === 'other' ? a.foreign : a.home);

async function product(a: MatrixActor, target: Target, state: ProductState = 'published') {
  return productInState(t, team, state, { tlp: 'AMBER+STRICT', recipients: [org(a, target)] });
}

/** A valid CSAF document of our own making (the OASIS examples are imported in csaf-corpus.test.ts). */
const csafExample = () => {
  const now = new Date().toISOString();
  return toCsaf(
    sampleContent(),
    { kind: 'advisory', identifier: 'EXT-2026-0001', tlp: 'GREEN', revisions: [{ number: 1, date: now, summary: 'Initial.' }], initialReleaseDate: now, currentReleaseDate: now, status: 'final', selfUrl: 'https://vendor.example/advisories/EXT-2026-0001' },
    { name: 'Example Vendor PSIRT', namespace: 'https://vendor.example', contactDetails: 'psirt@vendor.example' },
  );
};
const body = () => ({ kind: 'advisory', tlp: 'GREEN', content: sampleContent() });

const editor = (path: string, state: ProductState, method: 'GET' | 'POST' | 'PUT' = 'POST', payload?: unknown): AdvisoryCase => ({
  targeted: true,
  build: async (a, target) => ({ method, url: `/api/v1/advisories/${(await product(a, target, state)).id}${path}`, ...(payload !== undefined && { body: payload }) }),
});

const reader = (path: string, extra: Partial<AdvisoryCase> = {}): AdvisoryCase => ({
  targeted: true,
  build: async (a, target) => ({ method: 'GET', url: `/api/v1/advisories/${(await product(a, target)).id}${path}` }),
  ...extra,
});

const open = (url: string | (() => Promise<string>), extra: Partial<AdvisoryCase> = {}): AdvisoryCase => ({ targeted: false, build: async () => ({ method: 'GET', url: typeof url === 'string' ? url : await url() }), ...extra });

async function clearProduct(): Promise<{ identifier: string; csafPath: string }> {
  const p = await productInState(t, team, 'published', { tlp: 'CLEAR' });
  const row = await t.system.db.selectFrom('product_revisions').select('csaf_path').where('product_id', '=', p.id).executeTakeFirstOrThrow();
  return { identifier: p.identifier!, csafPath: row.csaf_path };
}

export const ADVISORY_CASES = {
  'GET /api/v1/advisories': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/advisories' }) },
  'POST /api/v1/advisories': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/advisories', body: body() }) },
  'POST /api/v1/advisories/preview': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/advisories/preview', body: body() }) },
  'POST /api/v1/advisories/import': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/advisories/import', body: { document: csafExample() } }) },
  'GET /api/v1/advisories/:id': reader(''),
  'PUT /api/v1/advisories/:id/draft': editor('/draft', 'draft', 'PUT', { baseVersion: 1, tlp: 'GREEN', content: sampleContent() }),
  'GET /api/v1/advisories/:id/versions': editor('/versions', 'draft', 'GET'),
  'GET /api/v1/advisories/:id/versions/:revision': editor('/versions/1', 'draft', 'GET'),
  'POST /api/v1/advisories/:id/submit': editor('/submit', 'draft', 'POST', {}),
  'POST /api/v1/advisories/:id/approve': editor('/approve', 'in_review'),
  'POST /api/v1/advisories/:id/reject': editor('/reject', 'in_review', 'POST', { reason: 'Needs a better summary.' }),
  'POST /api/v1/advisories/:id/publish': editor('/publish', 'approved'),
  'POST /api/v1/advisories/:id/withdraw': editor('/withdraw', 'published', 'POST', { reason: 'Published in error.' }),
  'GET /api/v1/advisories/:id/revisions': reader('/revisions'),
  'GET /api/v1/advisories/:id/revisions/:revision': reader('/revisions/1'),
  'GET /api/v1/advisories/:id/diff': reader('/diff?from=1&to=1'),
  'GET /api/v1/advisories/:id/csaf': reader('/csaf'),
  'GET /api/v1/advisories/:id/pdf': reader('/pdf', { needsChromium: true }),

  'GET /public/advisories': open('/public/advisories'),
  'GET /public/advisories/:identifier': open(async () => `/public/advisories/${(await clearProduct()).identifier}`),
  'GET /public/advisories/:identifier/pdf': open(async () => `/public/advisories/${(await clearProduct()).identifier}/pdf`, { needsChromium: true }),
  'GET /feeds/advisories.atom': open('/feeds/advisories.atom'),
  'GET /.well-known/csaf/provider-metadata.json': open('/.well-known/csaf/provider-metadata.json'),
  'GET /.well-known/security.txt': open('/.well-known/security.txt'),
  'GET /.well-known/csaf/openpgp/:file': open(async () => {
    const key = await t.system.db.selectFrom('signing_keys').select('fingerprint').where('status', '=', 'active').executeTakeFirstOrThrow();
    return `/.well-known/csaf/openpgp/${key.fingerprint}.asc`;
  }),
  'GET /.well-known/csaf/:dir/index.txt': open('/.well-known/csaf/white/index.txt'),
  'GET /.well-known/csaf/:dir/changes.csv': open('/.well-known/csaf/white/changes.csv'),
  'GET /.well-known/csaf/:dir/:name': open('/.well-known/csaf/white/feed-tlp-white.json'),
  'GET /.well-known/csaf/:dir/:name/:file': open(async () => `/.well-known/csaf/${(await clearProduct()).csafPath}`),
} satisfies Record<string, AdvisoryCase>;
