/**
 * Product names as advisories and participants write them: CPE 2.3 names, package URLs and
 * vendor/product names normalised for comparison.
 */

export interface Cpe {
  vendor: string;
  product: string;
  /** The version part, or null for ANY ("*") and NA ("-"). */
  version: string | null;
}

function cpeValue(part: string | undefined): string {
  return (part ?? '').replace(/\\(.)/g, '$1').trim().toLowerCase();
}

/** Reads a CPE 2.3 formatted string (and, leniently, a CPE 2.2 URI). */
export function parseCpe(input: string | null | undefined): Cpe | null {
  const s = (input ?? '').trim();
  let parts: string[];
  if (/^cpe:2\.3:/i.test(s)) parts = s.split(/(?<!\\):/).slice(3);
  else if (/^cpe:\/[aho]?:/i.test(s)) parts = s.split(':').slice(2);
  else return null;
  const vendor = cpeValue(parts[0]);
  const product = cpeValue(parts[1]);
  const version = cpeValue(parts[2]);
  if (vendor === '' || product === '' || ['*', '-'].includes(vendor) || ['*', '-'].includes(product)) return null;
  return { vendor, product, version: version === '' || version === '*' || version === '-' ? null : version };
}

export interface Purl {
  type: string;
  namespace: string;
  name: string;
  version: string | null;
}

function purlDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a package URL: pkg:type/namespace/name@version?qualifiers#subpath. */
export function parsePurl(input: string | null | undefined): Purl | null {
  const s = (input ?? '').trim();
  if (!/^pkg:/i.test(s)) return null;
  let rest = s.slice(4).replace(/^\/+/, '');
  rest = rest.split('#', 1)[0]!.split('?', 1)[0]!;
  const slash = rest.indexOf('/');
  if (slash < 1) return null;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at > 0 && at > rest.lastIndexOf('/')) {
    version = purlDecode(rest.slice(at + 1)).trim() || null;
    rest = rest.slice(0, at);
  }
  const segments = rest
    .split('/')
    .filter((x) => x !== '')
    .map((x) => purlDecode(x).trim().toLowerCase());
  let name = segments.pop();
  if (!name) return null;
  if (type === 'pypi') name = name.replace(/[-_.]+/g, '-');
  return { type, namespace: segments.join('/'), name, version };
}

/** Legal-form suffixes ignored at the end of a vendor name, as word sequences. */
const LEGAL_SUFFIXES: readonly (readonly string[])[] = [
  ['inc'],
  ['incorporated'],
  ['corp'],
  ['corporation'],
  ['co'],
  ['company'],
  ['ltd'],
  ['limited'],
  ['llc'],
  ['llp'],
  ['lp'],
  ['plc'],
  ['gmbh'],
  ['ag'],
  ['kg'],
  ['bv'],
  ['b', 'v'],
  ['nv'],
  ['n', 'v'],
  ['sa'],
  ['s', 'a'],
  ['sas'],
  ['sarl'],
  ['srl'],
  ['spa'],
  ['s', 'p', 'a'],
  ['oy'],
  ['oyj'],
  ['ab'],
  ['as'],
  ['asa'],
  ['aps'],
  ['se'],
  ['kk'],
  ['pty'],
  ['pte'],
  ['bvba'],
  ['vof'],
  ['holding'],
  ['holdings'],
  ['group'],
];

function words(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function endsWith(ws: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length >= ws.length) return false; // never strip a name down to nothing
  return suffix.every((w, i) => ws[ws.length - suffix.length + i] === w);
}

function vendorWords(vendor: string): string[] {
  let ws = words(vendor);
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (endsWith(ws, suffix)) {
        ws = ws.slice(0, ws.length - suffix.length);
        changed = true;
      }
    }
  }
  return ws;
}

function productWords(product: string, vendor: readonly string[]): string[] {
  const ws = words(product);
  // "Microsoft Exchange Server" by "Microsoft" is "Exchange Server".
  if (vendor.length > 0 && ws.length > vendor.length && vendor.every((w, i) => ws[i] === w)) return ws.slice(vendor.length);
  return ws;
}

/**
 * The normalised vendor and product: case, accents, punctuation, whitespace, `-`/`_` and legal
 * suffixes ("Inc.", "GmbH", "B.V.") are ignored, as is a product name that repeats the vendor.
 */
export function normalisedName(vendor: string, product: string): string | null {
  const v = vendorWords(vendor);
  const p = productWords(product, v);
  if (v.length === 0 || p.length === 0) return null;
  return `${v.join('')}|${p.join('')}`;
}
