import { AffectedProduct } from '#modules/advisories/advisory.content.ts';
import { type CsafBranch, type CsafFullProductName, type CsafProductTree } from './csaf-document.ts';
import { clip } from './csaf-text.ts';

/**
 * CSAF product tree → affected products. The branches are walked (vendor, product_family/product_name,
 * product_version(_range); other branch levels such as architecture or service_pack are added to the
 * versions), then full_product_names, then relationships (named by their full_product_name; vendor of
 * the referenced product). Product groups are expanded wherever they are referred to.
 */

const MAX_PRODUCTS = 2000;

const MEDICAL = /\s*\(medical device(?:, model (.+))?\)$/;

interface ProductContext {
  vendor?: string;
  family?: string;
  productName?: string;
  version?: string;
  extras: string[];
}

export interface ImportedProducts {
  products: AffectedProduct[];
  /** CSAF product_id → Wachtpost product id, for the ids that had to change (also those mapped later). */
  renamed: Record<string, string>;
  /** The Wachtpost id for a CSAF product_id: white space becomes "_", a clash gets a numbered suffix. */
  mapId: (original: string) => string;
  /** Product ids and product group ids → the ids of included products, each once. */
  expand: (productIds: readonly string[] | undefined, groupIds: readonly string[] | undefined) => string[];
  /** Ids of the products that were kept. */
  included: ReadonlySet<string>;
}

/** Maps the product tree; what it simplified or left out is added to `notices`. */
export function importProductTree(tree: CsafProductTree | undefined, fallbackVendor: string, notices: string[]): ImportedProducts {
  const renamed: Record<string, string> = {};
  const idMap = new Map<string, string>();
  const usedIds = new Set<string>();
  const mapId = (original: string): string => {
    const known = idMap.get(original);
    if (known !== undefined) return known;
    const base = (original.trim().replace(/\s+/g, '_') || 'product').slice(0, 200);
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base.slice(0, 200 - String(n).length - 1)}-${n}`;
    usedIds.add(id);
    idMap.set(original, id);
    if (id !== original) renamed[original] = id;
    return id;
  };

  const products: AffectedProduct[] = [];
  const vendorOf = new Map<string, string>();
  const included = new Set<string>();
  let droppedProducts = 0;
  let droppedCpes = 0;
  let droppedPurls = 0;
  const addProduct = (fpn: CsafFullProductName, ctx: ProductContext, vendorOverride?: string) => {
    const id = mapId(fpn.product_id);
    if (included.has(id)) return;
    if (products.length >= MAX_PRODUCTS) {
      droppedProducts++;
      return;
    }
    const medical = MEDICAL.exec(fpn.name);
    const fullName = fpn.name.replace(MEDICAL, '');
    const vendor = clip(vendorOverride ?? ctx.vendor ?? fallbackVendor, 200) || fallbackVendor;
    const helper = fpn.product_identification_helper;
    const cpe = AffectedProduct.shape.cpe.safeParse(helper?.cpe);
    const purl = AffectedProduct.shape.purl.safeParse(helper?.purl);
    const model = clip(helper?.model_numbers?.[0] ?? medical?.[1] ?? '', 200);
    const product = AffectedProduct.parse({
      id,
      vendor,
      name: clip(ctx.productName ?? ctx.family ?? fullName, 300) || clip(fullName, 300) || id,
      versions: clip([ctx.version, ...ctx.extras].filter((x) => x !== undefined && x.trim() !== '').join(' '), 300),
      cpe: cpe.success ? (cpe.data ?? null) : null,
      purl: purl.success ? (purl.data ?? null) : null,
      medicalDevice: medical !== null,
      model: model || null,
    });
    if (helper?.cpe && !product.cpe) droppedCpes++;
    if (helper?.purl && !product.purl) droppedPurls++;
    products.push(product);
    included.add(id);
    vendorOf.set(fpn.product_id, vendor);
  };
  const walk = (branches: readonly CsafBranch[] | undefined, ctx: ProductContext) => {
    for (const b of branches ?? []) {
      const next: ProductContext = { ...ctx, extras: [...ctx.extras] };
      switch (b.category) {
        case 'vendor':
          next.vendor = b.name;
          break;
        case 'product_family':
          next.family = b.name;
          break;
        case 'product_name':
          next.productName = b.name;
          break;
        case 'product_version':
        case 'product_version_range':
          next.version = b.name;
          break;
        case 'architecture':
        case 'host_name':
        case 'language':
        case 'legacy':
        case 'patch_level':
        case 'service_pack':
        case 'specification':
          next.extras.push(b.name);
          break;
      }
      if (b.product) addProduct(b.product, next);
      walk(b.branches, next);
    }
  };
  walk(tree?.branches, { extras: [] });
  for (const fpn of tree?.full_product_names ?? []) addProduct(fpn, { extras: [] });
  for (const r of tree?.relationships ?? []) {
    addProduct(r.full_product_name, { extras: [] }, vendorOf.get(r.product_reference) ?? vendorOf.get(r.relates_to_product_reference));
  }
  if (droppedProducts) notices.push(`${droppedProducts} products were left out: Wachtpost keeps at most ${MAX_PRODUCTS}.`);
  if (droppedCpes) notices.push(`${droppedCpes} CPE names were left out: Wachtpost keeps CPE 2.3 names only.`);
  if (droppedPurls) notices.push(`${droppedPurls} package URLs were left out: they do not have the form pkg:type/name.`);
  if (Object.keys(renamed).length) notices.push(`${Object.keys(renamed).length} product ids contained white space, which became "_".`);

  const groups = new Map<string, string[]>();
  for (const g of tree?.product_groups ?? []) groups.set(g.group_id, g.product_ids);
  const expand = (productIds: readonly string[] | undefined, groupIds: readonly string[] | undefined): string[] => {
    const ids = [...(productIds ?? []), ...(groupIds ?? []).flatMap((g) => groups.get(g) ?? [])];
    return [...new Set(ids.map(mapId))].filter((id) => included.has(id));
  };

  return { products, renamed, mapId, expand, included };
}
