import type { Ctx } from '#server/context.ts';
import { AppError, badRequest, forbidden, notFound } from '#server/errors.ts';
import { can } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead, TLP_COLOURS, type Tlp } from '#lib/tlp.ts';
import { isIndicatorType, mispTypeFor, type IndicatorType } from './indicator-types.ts';
import * as feeds from './feed.repository.ts';

/**
 * The MISP feed (manifest.json, hashes.csv, <uuid>.json: what a MISP instance subscribes to) and a
 * restSearch subset for tools that pull. Everything is read through the same TLP rule as the API;
 * without a token only TLP:CLEAR is served.
 */

const MAX_FEED_INDICATORS = 200_000;

function requireFeedReader(ctx: Ctx): void {
  if (ctx.actor && !can(ctx.actor, 'zdn:read')) throw forbidden('This API token has no zdn:read scope.');
}

const mispTlpTag = (tlp: Tlp) => ({ name: `tlp:${tlp.toLowerCase()}`, colour: TLP_COLOURS[tlp].toLowerCase(), exportable: true });
const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));

function sourceOrg(ctx: Ctx, e: feeds.FeedEventRow, cert: { id: string; name: string }) {
  const reveal = !e.source_anonymous || (ctx.actor && (isCertRole(ctx.actor.role) || ctx.actor.organisationId === e.owner_organisation_id));
  return reveal ? { name: e.owner_name, uuid: e.owner_organisation_id } : { name: cert.name, uuid: cert.id.replace(/^identity--/, '') };
}

/** The event's own fields, without its attributes; its timestamp is the later of its own last change and `changed` (its attributes' last). */
function mispEventHead(ctx: Ctx, e: feeds.FeedEventRow, changed: Date, cert: { id: string; name: string }) {
  const timestamp = unix(changed > e.updated_at ? changed : e.updated_at);
  return {
    uuid: e.id,
    info: e.title,
    date: e.event_date,
    threat_level_id: String(e.threat_level),
    analysis: String(e.analysis),
    published: true,
    timestamp,
    publish_timestamp: timestamp,
    distribution: '0',
    Orgc: sourceOrg(ctx, e, cert),
    Tag: [mispTlpTag(e.tlp), ...e.tags.map((name) => ({ name, colour: '#0088cc', exportable: true }))],
  };
}

function mispEvent(ctx: Ctx, e: feeds.FeedEventRow, indicators: readonly feeds.FeedIndicatorRow[], cert: { id: string; name: string }) {
  const changed = indicators.reduce((max, i) => (i.modified_at > max ? i.modified_at : max), e.updated_at);
  return {
    Event: {
      ...mispEventHead(ctx, e, changed, cert),
      Attribute: indicators.map((i) => {
        const misp = mispTypeFor(i.type as IndicatorType);
        return {
          uuid: i.id,
          type: misp.type,
          category: misp.category,
          value: i.value,
          to_ids: i.for_detection,
          distribution: '5',
          timestamp: unix(i.modified_at),
          comment: i.comment,
          ...(i.first_seen ? { first_seen: i.first_seen.toISOString() } : {}),
          ...(i.last_seen ? { last_seen: i.last_seen.toISOString() } : {}),
          Tag: [mispTlpTag(i.tlp), ...i.tags.map((name) => ({ name, colour: '#0088cc', exportable: true }))],
        };
      }),
    },
  };
}

async function auditFeedRead(ctx: Ctx, eventId: string | undefined, read: { events: number; indicators: number; amber: boolean }): Promise<void> {
  if (ctx.actor && read.amber) {
    await record(ctx, { action: 'zdn.feed.misp', targetType: eventId ? 'zdn_event' : null, targetId: eventId ?? null, details: { events: read.events, indicators: read.indicators } });
  }
}

async function loadFeed(ctx: Ctx, eventId?: string) {
  requireFeedReader(ctx);
  const events = await feeds.feedEvents(ctx.db, ctx.actor, 'RED', eventId);
  const indicators = events.length ? await feeds.feedIndicators(ctx.db, ctx.actor, { ceiling: 'RED', eventIds: events.map((e) => e.id), limit: MAX_FEED_INDICATORS }) : [];
  const byEvent = new Map<string, feeds.FeedIndicatorRow[]>();
  for (const i of indicators) byEvent.set(i.event_id, [...(byEvent.get(i.event_id) ?? []), i]);
  await auditFeedRead(ctx, eventId, { events: events.length, indicators: indicators.length, amber: indicators.some((i) => auditedRead(i.tlp)) });
  return { events, byEvent, cert: await feeds.certIdentity(ctx.db) };
}

/** The whole feed per event, for the manifest and hashes.csv: counted in SQL rather than read indicator by indicator. */
async function loadFeedSummaries(ctx: Ctx, hashes: boolean) {
  requireFeedReader(ctx);
  const events = await feeds.feedEvents(ctx.db, ctx.actor, 'RED');
  const summaries = events.length ? await feeds.feedEventSummaries(ctx.db, ctx.actor, { ceiling: 'RED', eventIds: events.map((e) => e.id), limit: MAX_FEED_INDICATORS, hashes }) : [];
  await auditFeedRead(ctx, undefined, { events: events.length, indicators: summaries.reduce((n, s) => n + s.indicators, 0), amber: summaries.some((s) => s.amber) });
  return { events, byEvent: new Map(summaries.map((s) => [s.event_id, s])) };
}

export async function manifest(ctx: Ctx): Promise<Record<string, unknown>> {
  const { events, byEvent } = await loadFeedSummaries(ctx, false);
  const cert = await feeds.certIdentity(ctx.db);
  const out: Record<string, unknown> = {};
  for (const e of events) {
    const Event = mispEventHead(ctx, e, byEvent.get(e.id)?.last_modified ?? e.updated_at, cert);
    out[e.id] = { Orgc: Event.Orgc, Tag: Event.Tag.map((t) => ({ name: t.name, colour: t.colour })), info: Event.info, date: Event.date, analysis: Number(Event.analysis), threat_level_id: Number(Event.threat_level_id), timestamp: Number(Event.timestamp) };
  }
  return out;
}

/** One line per attribute value: `md5(value),event uuid` (MISP's feed cache and correlation format). */
export async function hashesCsv(ctx: Ctx): Promise<string> {
  const { events, byEvent } = await loadFeedSummaries(ctx, true);
  const lines = events.flatMap((e) => byEvent.get(e.id)?.hashes ?? []);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export async function eventFile(ctx: Ctx, eventId: string) {
  const { events, byEvent, cert } = await loadFeed(ctx, eventId);
  const e = events[0];
  // Without a token only TLP:CLEAR is served; say so rather than "not found", which would be true only for the anonymous.
  if (!e && !ctx.actor) throw new AppError('unauthenticated', 'unauthenticated', 'This feed file is not public; send an API token (Authorization: Bearer …).');
  if (!e) throw notFound('event');
  return mispEvent(ctx, e, byEvent.get(e.id) ?? [], cert);
}

export interface RestSearch {
  returnFormat?: string | undefined;
  type?: string | string[] | undefined;
  value?: string | undefined;
  eventid?: string | string[] | undefined;
  tags?: string | string[] | undefined;
  last?: string | undefined;
  limit?: number | undefined;
  page?: number | undefined;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? null : Array.isArray(v) ? v : [v]);

function lastToMs(last: string): number {
  const m = /^(\d+)([smhd])$/.exec(last);
  if (!m) throw badRequest('invalid_last', 'last is a duration like 30m, 12h or 7d.', { field: 'last' });
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** The subset of MISP's events/restSearch that feed tools use: type, value, eventid, tags, last, limit and page. */
export async function restSearch(ctx: Ctx, q: RestSearch) {
  if (q.returnFormat && q.returnFormat !== 'json') throw badRequest('unsupported_format', 'Only returnFormat "json" is served here; the exports API has CSV, Suricata, Zeek and more.');
  const { events, byEvent, cert } = await loadFeed(ctx);
  const types = asList(q.type);
  const eventIds = asList(q.eventid);
  const tags = asList(q.tags);
  const since = q.last ? Date.now() - lastToMs(q.last) : null;
  const matches = (i: feeds.FeedIndicatorRow) =>
    (!types || types.some((t) => t === i.type || (isIndicatorType(i.type) && mispTypeFor(i.type).type === t))) &&
    (!q.value || i.value === q.value || i.value.includes(q.value.replace(/%/g, ''))) &&
    (!tags || tags.some((t) => i.tags.includes(t) || `tlp:${i.tlp.toLowerCase()}` === t.toLowerCase())) &&
    (since === null || i.modified_at.getTime() >= since);
  const found = events
    .filter((e) => !eventIds || eventIds.includes(e.id))
    .map((e) => ({ e, indicators: (byEvent.get(e.id) ?? []).filter(matches) }))
    .filter((x) => x.indicators.length > 0);
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const start = (Math.max(q.page ?? 1, 1) - 1) * limit;
  return { response: found.slice(start, start + limit).map((x) => mispEvent(ctx, x.e, x.indicators, cert)) };
}
