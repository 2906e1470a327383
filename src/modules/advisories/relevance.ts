import { normalisedName, parseCpe, parsePurl } from '#lib/product-names.ts';
import { parseRange, parseVersion, rangeContains, type VersionRange } from '#lib/version-range.ts';
import type { AdvisoryContent, AffectedProduct, ProductStatus } from '#modules/advisories/advisory.content.ts';

/**
 * "Is this advisory about something we run?": matches the affected products of an advisory against
 * the products a participant declared (vendor, product, optional version, CPE, PURL).
 *
 * Two questions, answered separately:
 *
 * 1. Is it the same product? By CPE 2.3 (vendor and product parts), by package URL (type, namespace
 *    and name) or by normalised vendor and product name. Each of these is an equality of a key that
 *    {@link productMatchKeys} also produces, so the database can pre-select candidates by key and
 *    this module makes the final decision.
 * 2. Is the declared version affected? Only asked when the participant named a version and the
 *    advisory names a range that can be read. Whenever the answer is not certain (no declared
 *    version, a range we cannot parse) the product counts as relevant: a warning too many costs a
 *    participant a minute, a warning too few can cost a hospital its systems.
 *
 * Nothing here touches the database; everything works on the content model and plain objects.
 */

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** A product as a participant declares it (see ProductInput in organisation.schema.ts). */
export interface DeclaredProduct {
  vendor: string;
  product: string;
  version?: string | null;
  cpe?: string | null;
  purl?: string | null;
}
export type Declared = DeclaredProduct;

/** The fields of an AffectedProduct the matcher reads. */
export type AffectedLike = Pick<AffectedProduct, 'vendor' | 'name'> & { versions?: string | null; cpe?: string | null; purl?: string | null };

export type MatchReason = 'cpe' | 'purl' | 'name';

export interface ProductMatch {
  /** The advisory concerns the declared product (same product, and the version is or may be affected). */
  relevant: boolean;
  /** How the products were found to be the same; null when they are not. Set even when the version rules it out. */
  reason: MatchReason | null;
  /**
   * True when a declared version was checked against a range that could be read (an empty range,
   * "all versions", counts as readable). False when the participant named no version or the range
   * could not be parsed: the product is then "relevant, version unknown".
   */
  versionKnown: boolean;
}

// ---------------------------------------------------------------------------------------------
// Same product, affected version
// ---------------------------------------------------------------------------------------------

type AnyProduct = AffectedLike | DeclaredProduct;

function productName(p: AnyProduct): string {
  return 'product' in p ? p.product : p.name;
}

function nameKey(p: AnyProduct): string | null {
  const n = normalisedName(p.vendor, productName(p));
  return n === null ? null : `name:${n}`;
}

function cpeKey(p: AnyProduct): string | null {
  const c = parseCpe(p.cpe);
  return c ? `cpe:${c.vendor}:${c.product}` : null;
}

function purlKey(p: AnyProduct): string | null {
  const u = parsePurl(p.purl);
  return u ? `purl:${u.type}/${u.namespace}/${u.name}` : null;
}

/**
 * Keys under which a product (affected or declared) can be found: "name:vendor|product",
 * "cpe:vendor:product" and "purl:type/namespace/name", as far as the product has them. Two products
 * are the same product exactly when their key sets intersect, so a database can store these keys
 * and pre-select candidates with an index; {@link matchProduct} then checks the versions.
 */
export function productMatchKeys(p: AnyProduct): string[] {
  return [cpeKey(p), purlKey(p), nameKey(p)].filter((k): k is string => k !== null);
}

function sameProduct(a: AffectedLike, d: DeclaredProduct): MatchReason | null {
  const same = (f: (p: AnyProduct) => string | null) => {
    const k = f(a);
    return k !== null && k === f(d);
  };
  if (same(cpeKey)) return 'cpe';
  if (same(purlKey)) return 'purl';
  if (same(nameKey)) return 'name';
  return null;
}

/** The affected versions: the `versions` text, else the CPE or PURL version, else all. Null if unreadable. */
function affectedRange(a: AffectedLike): VersionRange | null {
  const versions = (a.versions ?? '').trim();
  if (versions !== '') return parseRange(versions);
  const cpeVersion = parseCpe(a.cpe)?.version ?? null;
  if (cpeVersion !== null) return parseRange(cpeVersion);
  const purlVersion = parsePurl(a.purl)?.version ?? null;
  if (purlVersion !== null) return parseRange(purlVersion);
  return { kind: 'all' };
}

/** The version the participant runs: stated, else from its CPE, else from its PURL. */
function declaredVersion(d: DeclaredProduct): string | null {
  const stated = d.version?.trim();
  if (stated) return stated;
  return parseCpe(d.cpe)?.version ?? parsePurl(d.purl)?.version ?? null;
}

/** Does this affected product concern this declared product? See the module comment for the rules. */
export function matchProduct(affected: AffectedLike, declared: DeclaredProduct): ProductMatch {
  const reason = sameProduct(affected, declared);
  if (reason === null) return { relevant: false, reason: null, versionKnown: false };
  const range = affectedRange(affected);
  // A range we cannot read: relevant, on purpose. Better to warn once too often than to miss it.
  if (range === null) return { relevant: true, reason, versionKnown: false };
  const raw = declaredVersion(declared);
  const version = raw === null ? null : parseVersion(raw);
  if (range.kind === 'all') return { relevant: true, reason, versionKnown: version !== null };
  // No (readable) declared version: relevant, version unknown.
  if (version === null) return { relevant: true, reason, versionKnown: false };
  return { relevant: rangeContains(range, version), reason, versionKnown: true };
}

// ---------------------------------------------------------------------------------------------
// Whole advisories
// ---------------------------------------------------------------------------------------------

const CONCERNING: ReadonlySet<ProductStatus> = new Set(['affected', 'under_investigation']);

/**
 * The affected products that can make an advisory relevant: those with status 'affected' or
 * 'under_investigation' for at least one vulnerability, and those with no status at all (an info
 * message lists products without vulnerabilities). A product that is only ever 'fixed' or
 * 'not_affected' is listed for completeness ("version 2.5 is not affected") and does not make the
 * advisory relevant to whoever runs it.
 */
export function concerningProductIds(content: Pick<AdvisoryContent, 'products' | 'vulnerabilities'>): Set<string> {
  const statuses = new Map<string, Set<ProductStatus>>();
  for (const v of content.vulnerabilities) {
    for (const s of v.productStatus) {
      const set = statuses.get(s.productId) ?? new Set<ProductStatus>();
      set.add(s.status);
      statuses.set(s.productId, set);
    }
  }
  const ids = new Set<string>();
  for (const p of content.products) {
    const set = statuses.get(p.id);
    if (!set || [...set].some((s) => CONCERNING.has(s))) ids.add(p.id);
  }
  return ids;
}

export interface RelevantMatch<D extends DeclaredProduct = DeclaredProduct> {
  /** The affected product's id in the advisory. */
  productId: string;
  /** The declared product it concerns, and its position in the list that was passed in. */
  declared: D;
  declaredIndex: number;
  reason: MatchReason;
  versionKnown: boolean;
}

/**
 * Which affected products of an advisory concern which declared products: one entry per relevant
 * pair, in product order. Empty when the advisory is not relevant to the declared products.
 */
export function relevantProducts<D extends DeclaredProduct>(
  content: Pick<AdvisoryContent, 'products' | 'vulnerabilities'>,
  declared: readonly D[],
): RelevantMatch<D>[] {
  if (declared.length === 0) return [];
  const concerning = concerningProductIds(content);
  const out: RelevantMatch<D>[] = [];
  for (const p of content.products) {
    if (!concerning.has(p.id)) continue;
    declared.forEach((d, declaredIndex) => {
      const m = matchProduct(p, d);
      if (m.relevant && m.reason !== null) out.push({ productId: p.id, declared: d, declaredIndex, reason: m.reason, versionKnown: m.versionKnown });
    });
  }
  return out;
}
