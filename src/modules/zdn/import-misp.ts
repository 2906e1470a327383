import { z } from 'zod';
import { parseTlp, tlpRank, type Tlp } from '#lib/tlp.ts';
import { fromMispAttribute, mispCompanion } from './indicator-types.ts';
import type { IndicatorInput } from './zdn.schema.ts';

/** What an import file becomes before it is stored: one event and its indicators. */
export interface ParsedImport {
  event: { id: string | null; title: string; description: string; tlp: Tlp | null; date: string | null; threatLevel: number; analysis: number; tags: string[] };
  indicators: IndicatorInput[];
  /** Entries of the file that are not indicators we keep, and why. */
  ignored: { ref: string; reason: string }[];
}

// MISP's JSON keeps most scalars as strings; accept both and let unknown keys pass (the format grows).
const Scalar = z.union([z.string(), z.number(), z.boolean()]).nullish();
const MispTag = z.object({ name: z.string() }).loose();
const MispAttribute = z
  .object({
    uuid: z.string().optional(),
    type: z.string(),
    value: z.string(),
    comment: Scalar,
    deleted: Scalar,
    to_ids: Scalar,
    first_seen: Scalar,
    last_seen: Scalar,
    Tag: z.array(MispTag).optional(),
  })
  .loose();
const MispEvent = z
  .object({
    uuid: z.string().optional(),
    info: z.string().min(1, 'A MISP event needs its "info" (the title).'),
    date: Scalar,
    threat_level_id: Scalar,
    analysis: Scalar,
    Tag: z.array(MispTag).optional(),
    Attribute: z.array(MispAttribute).optional(),
    Object: z.array(z.object({ name: z.string().optional(), Attribute: z.array(MispAttribute).optional() }).loose()).optional(),
  })
  .loose();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The TLP of a MISP tag list (`tlp:amber`, `tlp:white` is CLEAR); the strictest wins. */
export function tlpFromTags(tags: readonly string[]): Tlp | null {
  let found: Tlp | null = null;
  for (const tag of tags) {
    const m = /^tlp:(.+)$/i.exec(tag.trim());
    if (!m?.[1]) continue;
    const tlp = m[1].toLowerCase() === 'white' ? 'CLEAR' : parseTlp(m[1]);
    if (tlp && (!found || tlpRank(tlp) > tlpRank(found))) found = tlp;
  }
  return found;
}

const asText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const isTrue = (v: unknown) => v === true || v === '1' || v === 1 || v === 'true';

function isoOrUndefined(v: unknown): string | undefined {
  const text = asText(v);
  if (text === '') return undefined;
  const d = new Date(/^\d+$/.test(text) ? Number(text) * 1000 : text);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * A MISP event (`{"Event": {…}}`, a bare event, or a restSearch `{"response": [{"Event": …}]}` with
 * one event) → one event and its indicators. Attributes of types we do not keep (text, comment,
 * registry keys …) and deleted ones are listed in `ignored`, not silently dropped.
 */
export function parseMispEvent(json: unknown): { ok: true; value: ParsedImport } | { ok: false; error: string } {
  let raw: unknown = json;
  if (raw && typeof raw === 'object' && 'response' in raw && Array.isArray((raw).response)) {
    const list = (raw as { response: unknown[] }).response;
    if (list.length !== 1) return { ok: false, error: `This restSearch result holds ${list.length} events; import them one at a time.` };
    raw = list[0];
  }
  if (raw && typeof raw === 'object' && 'Event' in raw) raw = (raw).Event;
  const parsed = MispEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `Not a MISP event: ${issue ? `${issue.path.join('.') || 'the document'}: ${issue.message}` : 'unknown shape'}.` };
  }
  const e = parsed.data;
  const eventTags = (e.Tag ?? []).map((t) => t.name);
  const ignored: ParsedImport['ignored'] = [];
  const indicators: IndicatorInput[] = [];
  const attributes = [...(e.Attribute ?? []).map((a) => ({ a, where: 'Attribute' })), ...(e.Object ?? []).flatMap((o) => (o.Attribute ?? []).map((a) => ({ a, where: `Object ${o.name ?? ''}`.trim() })))];
  for (const { a, where } of attributes) {
    const ref = `${where} ${a.uuid ?? a.type}`;
    if (isTrue(a.deleted)) {
      ignored.push({ ref, reason: 'deleted in MISP' });
      continue;
    }
    const mapped = fromMispAttribute(a.type, a.value);
    if (!mapped) {
      ignored.push({ ref, reason: `MISP type ${a.type} is not an indicator type we share` });
      continue;
    }
    const tags = (a.Tag ?? []).map((t) => t.name);
    const tlp = tlpFromTags(tags);
    const firstSeen = isoOrUndefined(a.first_seen);
    const lastSeen = isoOrUndefined(a.last_seen);
    // A composite attribute ('domain|ip', 'filename|sha256') is two indicators, both kept.
    const companion = mispCompanion(a.type, a.value);
    for (const v of companion ? [mapped, companion] : [mapped]) {
      indicators.push({
        type: v.type,
        value: v.value,
        ...(tlp ? { tlp } : {}),
        tags: tags.filter((t) => !/^tlp:/i.test(t)).slice(0, 50),
        comment: asText(a.comment).slice(0, 5000),
        ...(firstSeen ? { firstSeen } : {}),
        ...(lastSeen ? { lastSeen } : {}),
        // to_ids false: context, not something to detect on (absent: MISP's default for the type, which we take as true).
        ...(a.to_ids !== undefined && a.to_ids !== null ? { forDetection: isTrue(a.to_ids) } : {}),
      });
    }
  }
  const threat = Number(asText(e.threat_level_id) || 4);
  const analysis = Number(asText(e.analysis) || 0);
  const date = asText(e.date);
  return {
    ok: true,
    value: {
      event: {
        id: e.uuid && UUID.test(e.uuid) ? e.uuid.toLowerCase() : null,
        title: e.info.replace(/[\r\n]+/g, ' ').slice(0, 256),
        description: '',
        tlp: tlpFromTags(eventTags),
        date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
        threatLevel: threat >= 1 && threat <= 4 ? threat : 4,
        analysis: analysis >= 0 && analysis <= 2 ? analysis : 0,
        tags: eventTags.filter((t) => !/^tlp:/i.test(t)).slice(0, 50),
      },
      indicators,
      ignored,
    },
  };
}
