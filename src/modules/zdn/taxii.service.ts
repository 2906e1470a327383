import type { Ctx } from '#server/context.ts';
import { AppError, badRequest, notFound } from '#server/errors.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import { can } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import type { Actor } from '#modules/access/actor.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead, type Tlp } from '#lib/tlp.ts';
import * as feeds from './feed.repository.ts';
import * as taxiiRepo from './taxii.repository.ts';
import { importStix } from './import.service.ts';
import { stixObjectJson } from './stix.presenter.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const API_ROOT = '/taxii2/zdn/';
const MAX_PAGE = 10_000;
const DEFAULT_PAGE = 1000;
/** The largest envelope we accept (also the API root's max_content_length). */
export const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

interface Collection {
  id: string;
  alias: string;
  title: string;
  description: string;
  /** The strictest marking the collection carries: a partner relays to its clients, so never AMBER+STRICT. */
  ceiling: Tlp;
  canRead(actor: Actor | null): boolean;
  canWrite(actor: Actor | null): boolean;
}

const reads = (actor: Actor | null) => Boolean(actor && can(actor, 'zdn:read'));
const submits = (actor: Actor | null) => Boolean(actor && can(actor, 'zdn:submit'));

/** The collections, one per audience. Every object in them is also filtered by the reader's TLP clearance. */
export const COLLECTIONS: readonly Collection[] = [
  {
    id: '6f0c3d2a-6a3e-4a8e-9d55-1b3f5f2c8a01',
    alias: 'zdn-participants',
    title: 'ZDN participants',
    description: 'Indicators for the participants of the detection network, as far as their TLP clearance reaches.',
    ceiling: 'RED',
    canRead: (a) => reads(a) && (isCertRole(a!.role) || a!.organisationKind === 'participant'),
    canWrite: (a) => submits(a) && (isCertRole(a!.role) || a!.organisationKind === 'participant'),
  },
  {
    id: '6f0c3d2a-6a3e-4a8e-9d55-1b3f5f2c8a02',
    alias: 'zdn-partners',
    title: 'ZDN partners',
    description: 'Indicators that security vendors and MSSPs may relay to their healthcare clients (up to TLP:AMBER).',
    ceiling: 'AMBER',
    canRead: (a) => reads(a) && (isCertRole(a!.role) || a!.organisationKind === 'partner'),
    canWrite: (a) => submits(a) && (isCertRole(a!.role) || a!.organisationKind === 'partner'),
  },
  {
    id: '6f0c3d2a-6a3e-4a8e-9d55-1b3f5f2c8a03',
    alias: 'public',
    title: 'Public',
    description: 'TLP:CLEAR indicators, for anyone.',
    ceiling: 'CLEAR',
    canRead: () => true,
    canWrite: () => false,
  },
];

function requireReadable(ctx: Ctx, collectionId: string): Collection {
  const c = COLLECTIONS.find((x) => x.id === collectionId || x.alias === collectionId);
  if (!c || (!c.canRead(ctx.actor) && !c.canWrite(ctx.actor))) {
    if (c && !ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', 'This collection needs an API token (HTTP Basic with the token as password, or Bearer).');
    throw notFound('collection');
  }
  if (!c.canRead(ctx.actor)) throw new AppError('forbidden', 'forbidden', 'You may add to this collection but not read it.');
  return c;
}

export function discovery(ctx: Ctx) {
  const base = ctx.services.config.publicUrl.replace(/\/$/, '');
  return {
    title: 'Wachtpost detection network (ZDN)',
    description: 'Indicators of compromise shared by the healthcare CERT and its participants.',
    default: `${base}${API_ROOT}`,
    api_roots: [`${base}${API_ROOT}`],
  };
}

export function apiRoot() {
  return { title: 'ZDN', description: 'The detection network: indicators under TLP 2.0.', versions: [TAXII_MEDIA_TYPE], max_content_length: MAX_CONTENT_LENGTH };
}

function presentCollection(c: Collection, actor: Actor | null) {
  return { id: c.id, title: c.title, description: c.description, alias: c.alias, can_read: c.canRead(actor), can_write: c.canWrite(actor), media_types: [STIX_MEDIA_TYPE] };
}

export function listCollections(ctx: Ctx) {
  const visible = COLLECTIONS.filter((c) => c.canRead(ctx.actor) || c.canWrite(ctx.actor));
  return visible.length ? { collections: visible.map((c) => presentCollection(c, ctx.actor)) } : {};
}

export function getCollection(ctx: Ctx, id: string) {
  const c = COLLECTIONS.find((x) => x.id === id || x.alias === id);
  if (!c || (!c.canRead(ctx.actor) && !c.canWrite(ctx.actor))) {
    if (c && !ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', 'This collection needs an API token (HTTP Basic with the token as password, or Bearer).');
    throw notFound('collection');
  }
  return presentCollection(c, ctx.actor);
}

export interface TaxiiFilters {
  added_after?: string | undefined;
  limit?: number | undefined;
  next?: string | undefined;
  'match[id]'?: string | undefined;
  'match[type]'?: string | undefined;
  'match[version]'?: string | undefined;
  'match[spec_version]'?: string | undefined;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : null);
const STIX_ID = /^(indicator|vulnerability)--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function toQuery(c: Collection, f: TaxiiFilters, objectId?: string): feeds.TaxiiQuery | null {
  const specVersions = list(f['match[spec_version]']);
  if (specVersions && !specVersions.includes('2.1')) return null;
  const idList = objectId ? [objectId] : list(f['match[id]']);
  let ids: string[] | null = null;
  if (idList) {
    ids = idList.map((id) => STIX_ID.exec(id)?.[2]).filter((x): x is string => Boolean(x));
    if (ids.length === 0) return null;
  }
  const addedAfter = f.added_after ?? null;
  if (addedAfter !== null && Number.isNaN(Date.parse(addedAfter))) throw badRequest('invalid_added_after', 'added_after is not a timestamp (e.g. 2026-11-28T10:00:00.000Z).', { field: 'added_after' });
  const versions = list(f['match[version]']);
  if (versions?.some((v) => !['first', 'last', 'all'].includes(v) && Number.isNaN(Date.parse(v)))) throw badRequest('invalid_version', 'match[version] is first, last, all or a timestamp.', { field: 'match[version]' });
  let after: { at: string; id: string } | null = null;
  try {
    after = decodeCursor(f.next);
  } catch {
    throw badRequest('invalid_next', 'next is not a value this server gave out; start again without it.', { field: 'next' });
  }
  return { ceiling: c.ceiling, after, addedAfter, ids, types: list(f['match[type]']), versions, limit: Math.min(f.limit ?? DEFAULT_PAGE, MAX_PAGE) };
}

export interface TaxiiPage {
  /** The envelope as JSON bytes. */
  body: Buffer;
  first: string | null;
  last: string | null;
}

async function page(ctx: Ctx, collectionId: string, f: TaxiiFilters, kind: 'objects' | 'manifest' | 'versions', objectId?: string): Promise<TaxiiPage> {
  const c = requireReadable(ctx, collectionId);
  const q = toQuery(c, f, objectId);
  if (!q) {
    if (objectId) throw notFound('object');
    // Nothing can match (another spec version, ids that are not STIX ids): the same empty envelope as a search that found nothing.
    return { body: Buffer.from('{"more":false}'), first: null, last: null };
  }
  const rows = await feeds.taxiiPage(ctx.db, ctx.actor, q);
  const items = rows.slice(0, q.limit);
  if (objectId && items.length === 0) throw notFound('object');
  const more = rows.length > q.limit;
  const last = items[items.length - 1];
  const next = more && last ? encodeCursor(last.added, last.id) : null;
  // Reading what is marked AMBER or above is audited, as for the MISP feed and the exports.
  if (ctx.actor && items.some((r) => auditedRead(r.tlp))) {
    await record(ctx, { action: `zdn.taxii.${kind}`, targetType: 'zdn_collection', targetId: null, details: { collection: c.alias, count: items.length } });
  }
  let key = 'objects';
  let list: string[];
  if (kind === 'objects') {
    const identity = await feeds.certIdentityId(ctx.db);
    list = items.map((r) => stixObjectJson(r, identity));
  } else if (kind === 'manifest') {
    list = items.map((r) => JSON.stringify({ id: `${r.stix_type}--${r.id}`, date_added: r.added, version: r.modified, media_type: STIX_MEDIA_TYPE }));
  } else {
    key = 'versions';
    list = items.map((r) => JSON.stringify(r.modified));
  }
  const head = `"more":${more}${next ? `,"next":${JSON.stringify(next)}` : ''}`;
  return { body: envelopeBytes(head, key, list), first: items[0]?.added ?? null, last: last?.added ?? null };
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * The envelope as bytes, its items encoded one by one and copied once. Joining a thousand objects'
 * strings and encoding the result costs several times as much: the join flattens every
 * concatenated string the presenter built.
 */
function envelopeBytes(head: string, key: string, items: readonly string[]): Buffer {
  if (!items.length) return Buffer.from(`{${head}}`);
  const parts: Buffer[] = [Buffer.from(`{${head},"${key}":[`)];
  for (let i = 0; i < items.length; i++) {
    if (i) parts.push(COMMA);
    parts.push(Buffer.from(items[i]!));
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

export const getObjects = (ctx: Ctx, collectionId: string, f: TaxiiFilters) => page(ctx, collectionId, f, 'objects');
export const getManifest = (ctx: Ctx, collectionId: string, f: TaxiiFilters) => page(ctx, collectionId, f, 'manifest');
export const getObject = (ctx: Ctx, collectionId: string, objectId: string, f: TaxiiFilters) => page(ctx, collectionId, f, 'objects', objectId);
export const getVersions = (ctx: Ctx, collectionId: string, objectId: string, f: TaxiiFilters) => page(ctx, collectionId, f, 'versions', objectId);

/**
 * POST of an envelope: its indicators become a submission (held for an analyst unless the CERT sends
 * it). The import runs at once, so the status resource is complete when returned.
 */
export async function postObjects(ctx: Ctx, collectionId: string, envelope: unknown) {
  const c = COLLECTIONS.find((x) => x.id === collectionId || x.alias === collectionId);
  if (!c || (!c.canRead(ctx.actor) && !c.canWrite(ctx.actor))) throw notFound('collection');
  if (!c.canWrite(ctx.actor)) throw new AppError('forbidden', 'forbidden', 'You may not add objects to this collection.');
  const objects = (envelope as { objects?: unknown } | null)?.objects;
  if (!Array.isArray(objects)) throw badRequest('envelope_invalid', 'The body is a TAXII envelope: {"objects": [ … STIX objects … ]}.');
  // Every entry must at least name itself, or the status could not account for it.
  const unnamed = objects.findIndex((o) => !o || typeof o !== 'object' || Array.isArray(o) || typeof (o as { id?: unknown }).id !== 'string' || typeof (o as { type?: unknown }).type !== 'string');
  if (unnamed >= 0) throw badRequest('envelope_invalid', `objects[${unnamed}] is not a STIX object: each entry is an object with a "type" and an "id".`, { field: `objects[${unnamed}]` });
  const requestTimestamp = new Date().toISOString();
  const ids = objects.map((o) => (o as { id: string }).id);
  const result = await importStix(ctx, { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects }, { tlp: undefined }).then(
    (r) => ({ ok: true as const, r }),
    (err: unknown) => ({ ok: false as const, message: err instanceof AppError ? err.message : 'The objects could not be stored.' }),
  );
  const failed = new Set(result.ok ? result.r.ignored.map((i) => i.ref) : ids);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const versions = new Map(objects.map((o) => [text((o as { id?: unknown }).id), text((o as { modified?: unknown }).modified) || text((o as { created?: unknown }).created)]));
  const status = {
    status: 'complete',
    request_timestamp: requestTimestamp,
    total_count: ids.length,
    success_count: ids.filter((id) => !failed.has(id)).length,
    successes: ids.filter((id) => !failed.has(id)).map((id) => ({ id, version: versions.get(id) })),
    failure_count: ids.filter((id) => failed.has(id)).length,
    failures: ids
      .filter((id) => failed.has(id))
      .map((id) => ({ id, version: versions.get(id), message: result.ok ? (result.r.ignored.find((i) => i.ref === id)?.reason ?? 'not stored') : result.message })),
    pending_count: 0,
  };
  const id = await taxiiRepo.insertStatus(ctx.db, ctx.actor!.organisationId, status);
  return { id, ...status };
}

export async function getStatus(ctx: Ctx, id: string) {
  if (!ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', 'Status resources need the API token that sent the objects.');
  if (!can(ctx.actor, 'zdn:submit')) throw notFound('status');
  const row = await taxiiRepo.findStatus(ctx.db, id);
  if (!row || (row.organisation_id !== ctx.actor.organisationId && !isCertRole(ctx.actor.role))) throw notFound('status');
  return { id: row.id, ...(row.result as Record<string, unknown>) };
}
