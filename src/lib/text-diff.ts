import { diffArrays, diffLines, type ChangeObject } from 'diff';
import type { AdvisoryContent, AffectedProduct } from '#modules/advisories/advisory.content.ts';

/**
 * What changed between two revisions of a product, for the "changes since revision n" view and the
 * change summary an approver reads.
 *
 * Text is compared line by line first (Markdown paragraphs, list items and table rows stay whole
 * when they did not change), then word by word inside the lines that did, so a corrected version
 * number shows as one changed word instead of a replaced paragraph. A "word" keeps inner dots,
 * hyphens and similar together, so 2.4.1, CVE-2026-1234 and a host name change as a whole. Whitespace and newlines are
 * kept exactly: joining the 'equal' and 'delete' parts gives the old text, joining the 'equal' and
 * 'insert' parts gives the new one.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Above this many changed words in one block, a block is shown as replaced rather than diffed word by word. */
const MAX_WORD_EDITS = 2_000;

function opOf(c: ChangeObject<unknown>): DiffOp {
  return c.added ? 'insert' : c.removed ? 'delete' : 'equal';
}

/** Words (with inner . - _ / : @ + kept), single newlines, runs of other whitespace, and single other characters. */
const TOKEN = /\n|[^\S\n]+|[\p{L}\p{N}\p{M}]+(?:[.\-_/:@+'’][\p{L}\p{N}\p{M}]+)*|[\s\S]/gu;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function push(out: DiffPart[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.op === op) last.text += text;
  else out.push({ op, text });
}

/** Word-level differences between two texts (line-aligned first; see the module comment). */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before === '' ? [] : [{ op: 'equal', text: before }];
  const out: DiffPart[] = [];
  const lines = diffLines(before, after);
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i]!;
    const next = lines[i + 1];
    if (next && ((c.removed && next.added) || (c.added && next.removed))) {
      const oldText = c.removed ? c.value : next.value;
      const newText = c.removed ? next.value : c.value;
      const words = diffArrays(tokens(oldText), tokens(newText), { maxEditLength: MAX_WORD_EDITS });
      if (words) {
        for (const w of words) push(out, opOf(w), w.value.join(''));
      } else {
        push(out, 'delete', oldText);
        push(out, 'insert', newText);
      }
      i++;
      continue;
    }
    push(out, opOf(c), c.value);
  }
  return out;
}

/** The text on one side of a diff: 'before' joins equal and deleted parts, 'after' equal and inserted ones. */
export function diffSide(parts: readonly DiffPart[], side: 'before' | 'after'): string {
  const skip: DiffOp = side === 'before' ? 'insert' : 'delete';
  return parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join('');
}

export const DIFFED_FIELDS = ['title', 'summary', 'body', 'advice'] as const;
export type DiffedField = (typeof DIFFED_FIELDS)[number];

export interface FieldDiff {
  lang: 'nl' | 'en';
  field: DiffedField;
  changed: boolean;
  parts: DiffPart[];
}

export interface ProductChange {
  product: AffectedProduct;
  /** "Vendor Product versions", for lists. */
  label: string;
}

export interface RevisionDiff {
  /** True when anything below changed. */
  changed: boolean;
  /** Every text field of both languages, in a fixed order; a missing English text counts as empty. */
  fields: FieldDiff[];
  cves: { added: string[]; removed: string[] };
  /**
   * Products compared by what they are (vendor, name, versions, CPE, PURL), not by their local id:
   * a changed version range shows as the old entry removed and the new one added.
   */
  products: { added: ProductChange[]; removed: ProductChange[] };
}

function cvesOf(c: AdvisoryContent): Set<string> {
  return new Set(c.vulnerabilities.map((v) => v.cve?.trim().toUpperCase()).filter((cve): cve is string => Boolean(cve)));
}

function productIdentity(p: AffectedProduct): string {
  const norm = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return JSON.stringify([norm(p.vendor), norm(p.name), norm(p.versions), norm(p.cpe), norm(p.purl), norm(p.model)]);
}

function productLabel(p: AffectedProduct): string {
  return [p.vendor, p.name, p.versions]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
}

function setDifference<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): T[] {
  return [...a.entries()].filter(([k]) => !b.has(k)).map(([, v]) => v);
}

/** Per-field text differences and the CVEs and products added or removed between revision a and b. */
export function diffRevisions(a: AdvisoryContent, b: AdvisoryContent): RevisionDiff {
  const fields: FieldDiff[] = [];
  for (const lang of ['nl', 'en'] as const) {
    for (const field of DIFFED_FIELDS) {
      const before = a[lang]?.[field] ?? '';
      const after = b[lang]?.[field] ?? '';
      fields.push({ lang, field, changed: before !== after, parts: diffText(before, after) });
    }
  }

  const cvesA = cvesOf(a);
  const cvesB = cvesOf(b);
  const cves = {
    added: [...cvesB].filter((c) => !cvesA.has(c)).sort(),
    removed: [...cvesA].filter((c) => !cvesB.has(c)).sort(),
  };

  const byIdentity = (c: AdvisoryContent) => new Map(c.products.map((p) => [productIdentity(p), { product: p, label: productLabel(p) }] as const));
  const productsA = byIdentity(a);
  const productsB = byIdentity(b);
  const products = { added: setDifference(productsB, productsA), removed: setDifference(productsA, productsB) };

  const changed = fields.some((f) => f.changed) || cves.added.length > 0 || cves.removed.length > 0 || products.added.length > 0 || products.removed.length > 0;
  return { changed, fields, cves, products };
}
