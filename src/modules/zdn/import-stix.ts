import { z } from 'zod';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import type { IndicatorType } from './indicator-types.ts';
import { TLP_BY_MARKING } from './stix-markings.ts';
import type { ParsedImport } from './import-misp.ts';
import type { IndicatorInput } from './zdn.schema.ts';

const StixObject = z.object({ type: z.string(), id: z.string() }).loose();
const Bundle = z.object({ type: z.literal('bundle', { error: 'A STIX bundle has "type": "bundle".' }), objects: z.array(StixObject).max(100_000) }).loose();

// `[object-path = 'value']` comparisons joined by OR: what feeds carry in practice. AND, MATCHES,
// qualifiers and observation operators describe behaviour, not a value to block, and are listed as ignored.
const COMPARISON = /^\s*([a-z0-9-]+):([A-Za-z0-9_.'\-[\]*]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$/;

const PATH_TYPES: Record<string, IndicatorType | ((value: string) => IndicatorType)> = {
  'ipv4-addr:value': (v) => (v.includes('/') && !v.endsWith('/32') ? 'cidr' : 'ipv4'),
  'ipv6-addr:value': (v) => (v.includes('/') && !v.endsWith('/128') ? 'cidr' : 'ipv6'),
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  'email-message:subject': 'email-subject',
  'file:name': 'filename',
  "file:hashes.MD5": 'md5',
  "file:hashes.'MD5'": 'md5',
  "file:hashes.'SHA-1'": 'sha1',
  "file:hashes.SHA1": 'sha1',
  "file:hashes.'SHA-256'": 'sha256',
  "file:hashes.SHA256": 'sha256',
  "file:hashes.'SHA-512'": 'sha512',
  "file:hashes.SHA512": 'sha512',
  'autonomous-system:number': 'asn',
  "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'": 'user-agent',
};

function unescapeLiteral(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/**
 * The pattern with every string literal's content replaced by '_' (same length, quotes kept), or null
 * when a literal is not closed: brackets and ORs inside a value ('Re: [EXT] invoice') are then not
 * taken for the pattern's own.
 */
function maskLiterals(pattern: string): string | null {
  let out = '';
  let inLiteral = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (!inLiteral) {
      if (c === "'") inLiteral = true;
      out += c;
    } else if (c === '\\' && i + 1 < pattern.length) {
      out += '__';
      i++;
    } else if (c === "'") {
      inLiteral = false;
      out += c;
    } else out += '_';
  }
  return inLiteral ? null : out;
}

/** The values of a simple STIX pattern, or the reason it is not one. */
export function valuesOfPattern(pattern: string): { values: { type: IndicatorType; value: string }[] } | { error: string } {
  const masked = maskLiterals(pattern);
  if (masked === null) return { error: 'a string in the pattern is not closed' };
  const open = masked.search(/\S/);
  if (masked[open] !== '[') return { error: 'only a single observation expression is imported' };
  // The observation ends where its bracket closes; anything after it (another observation, a
  // qualifier) makes the pattern more than one value to block.
  let depth = 0;
  let close = -1;
  for (let i = open; i < masked.length && close < 0; i++) {
    if (masked[i] === '[') depth++;
    else if (masked[i] === ']' && --depth === 0) close = i;
  }
  if (close < 0 || masked.slice(close + 1).trim() !== '') return { error: 'only a single observation expression is imported' };
  const values: { type: IndicatorType; value: string }[] = [];
  let start = open + 1;
  const bounds = [...masked.slice(0, close).matchAll(/\s+OR\s+/g)].filter((m) => m.index > open);
  for (const end of [...bounds.map((m) => ({ at: m.index, next: m.index + m[0].length })), { at: close, next: close }]) {
    const part = pattern.slice(start, end.at);
    start = end.next;
    const m = COMPARISON.exec(part);
    if (!m) return { error: `"${part.trim().slice(0, 80)}" is not an equality comparison` };
    const mapped = PATH_TYPES[`${m[1]}:${m[2]}`];
    if (!mapped) return { error: `${m[1]}:${m[2]} is not a property we share` };
    const value = unescapeLiteral(m[3]!);
    values.push({ type: typeof mapped === 'function' ? mapped(value) : mapped, value });
  }
  return { values };
}

function tlpOf(obj: Record<string, unknown>): Tlp | null {
  const refs = Array.isArray(obj.object_marking_refs) ? obj.object_marking_refs : [];
  let found: Tlp | null = null;
  for (const ref of refs) {
    const tlp = typeof ref === 'string' ? TLP_BY_MARKING[ref] : undefined;
    if (tlp && (!found || tlpRank(tlp) > tlpRank(found))) found = tlp;
  }
  return found;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The UUID of a STIX id ('report--…'), lower case; null when it has none. */
function uuidOf(stixId: string | undefined): string | null {
  const m = /--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(stixId ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * A STIX 2.1 bundle → one event (titled after its report or grouping, if it has one) and the
 * indicators of its `indicator` objects (STIX, YARA and Sigma patterns) and `vulnerability` objects
 * with a CVE. Everything else (relationships, malware, identities …) is listed as ignored.
 */
export function parseStixBundle(json: unknown): { ok: true; value: ParsedImport } | { ok: false; error: string } {
  const parsed = Bundle.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `Not a STIX 2.1 bundle: ${issue ? `${issue.path.join('.') || 'the document'}: ${issue.message}` : 'unknown shape'}.` };
  }
  const objects = parsed.data.objects;
  const container = objects.find((o) => o.type === 'report') ?? objects.find((o) => o.type === 'grouping') ?? objects.find((o) => o.type === 'campaign');
  const indicators: IndicatorInput[] = [];
  const ignored: ParsedImport['ignored'] = [];
  let bundleTlp: Tlp | null = null;
  for (const o of objects) {
    const tlp = tlpOf(o);
    if (tlp && (!bundleTlp || tlpRank(tlp) > tlpRank(bundleTlp))) bundleTlp = tlp;
    const common = {
      ...(tlp ? { tlp } : {}),
      ...(typeof o.confidence === 'number' && o.confidence >= 0 && o.confidence <= 100 ? { confidence: Math.round(o.confidence) } : {}),
      tags: (Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : []).slice(0, 50),
      comment: (str(o.description) ?? str(o.name) ?? '').slice(0, 5000),
    };
    if (o.type === 'indicator') {
      const patternType = str(o.pattern_type) ?? 'stix';
      const pattern = str(o.pattern) ?? '';
      const validUntil = str(o.valid_until);
      const lifetime = validUntil ? { validUntil } : {};
      if (patternType === 'yara' || patternType === 'sigma') {
        indicators.push({ type: patternType, value: pattern, ...common, ...lifetime });
        continue;
      }
      if (patternType !== 'stix') {
        ignored.push({ ref: o.id, reason: `pattern type ${patternType} is not imported` });
        continue;
      }
      const values = valuesOfPattern(pattern);
      if ('error' in values) {
        ignored.push({ ref: o.id, reason: values.error });
        continue;
      }
      for (const v of values.values) indicators.push({ type: v.type, value: v.value, ...common, ...lifetime });
    } else if (o.type === 'vulnerability') {
      const refs = Array.isArray(o.external_references) ? (o.external_references as { source_name?: unknown; external_id?: unknown }[]) : [];
      const cve = refs.find((r) => r.source_name === 'cve' && typeof r.external_id === 'string')?.external_id ?? str(o.name);
      if (typeof cve === 'string' && /^CVE-\d{4}-\d{4,}$/i.test(cve)) indicators.push({ type: 'cve', value: cve, ...common });
      else ignored.push({ ref: o.id, reason: 'a vulnerability without a CVE id' });
    } else if (o.type !== 'marking-definition' && o.type !== 'report' && o.type !== 'grouping') {
      ignored.push({ ref: o.id, reason: `${o.type} objects are not indicators` });
    }
  }
  const title = str(container?.name) ?? `STIX bundle ${str(parsed.data.id) ?? ''}`.trim();
  return {
    ok: true,
    value: {
      event: {
        // Keyed on the report (or the bundle): the same file imported again lands in the same event.
        id: uuidOf(str(container?.id)) ?? uuidOf(str(parsed.data.id)),
        title: title.replace(/[\r\n]+/g, ' ').slice(0, 256),
        description: (str(container?.description) ?? '').slice(0, 20_000),
        tlp: bundleTlp,
        date: str(container?.published)?.slice(0, 10) ?? null,
        threatLevel: 4,
        analysis: 0,
        tags: (Array.isArray(container?.labels) ? container.labels.filter((l): l is string => typeof l === 'string') : []).slice(0, 50),
      },
      indicators,
      ignored,
    },
  };
}
