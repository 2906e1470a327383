/**
 * Text helpers shared by the intake fetchers: CVE and advisory ids found in free text, HTML of feed
 * summaries turned into plain text, and titles normalised for comparison (stories join items whose
 * normalised titles are near-identical).
 */

/** The most a FetchedItem summary holds. */
export const SUMMARY_MAX = 4000;

const CVE_IN_TEXT = /\bCVE[-\u2010\u2011\u2013\s]?((?:19|20)\d{2})[-\u2010\u2011\u2013](\d{4,7})\b/gi;

/** CVE ids in free text: upper case ("CVE-2024-12345"), unique, sorted (by code unit). Dashes of any kind are read as "-". */
export function extractCves(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(CVE_IN_TEXT)) found.add(`CVE-${m[1]}-${m[2]}`);
  return [...found].sort();
}

/** True for a well-formed CVE id (upper case). */
export const isCveId = (s: string): boolean => /^CVE-\d{4}-\d{4,}$/.test(s);

interface IdPattern {
  re: RegExp;
  normalise: (match: string) => string;
}

const upper = (s: string) => s.toUpperCase();

/**
 * Advisory ids of well-known publishers. Each pattern is anchored on word boundaries and written so
 * that it cannot backtrack badly on long text.
 */
const ADVISORY_PATTERNS: IdPattern[] = [
  // CISA ICS advisories, ICS medical advisories and ICS alerts: ICSA-24-051-01, ICSMA-23-194-01A, ICS-ALERT-14-281-01B
  { re: /\bICS(?:M?A|-ALERT)-\d{2}-\d{3}-\d{2}[A-Z]?\b/gi, normalise: upper },
  // CISA alerts and advisories: AA23-347A, TA18-074A
  { re: /\b(?:AA|TA)\d{2}-\d{3}[A-Z]\b/g, normalise: upper },
  // NCSC-NL security advisories: NCSC-2024-0123
  { re: /\bNCSC-\d{4}-\d{4}\b/gi, normalise: upper },
  // BSI CERT-Bund (WID-SEC-2024-1234), BSI CSAF ids (BSI-2022-0001)
  { re: /\b(?:WID-SEC|BSI)-\d{4}-\d{4}\b/gi, normalise: upper },
  // CERT-FR: CERTFR-2024-AVI-0123, CERTFR-2024-ALE-001
  { re: /\bCERTFR-\d{4}-(?:AVI|ALE|ACT|CTI|IOC|DUR|REC|INF)-\d{3,4}\b/gi, normalise: upper },
  // ENISA EU Vulnerability Database: EUVD-2025-12345
  { re: /\bEUVD-\d{4}-\d{1,7}\b/gi, normalise: upper },
  // GitHub security advisories: GHSA-xxxx-xxxx-xxxx
  { re: /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/gi, normalise: (s) => `GHSA${s.slice(4).toLowerCase()}` },
  // Red Hat errata: RHSA-2024:1234, RHBA-, RHEA-
  { re: /\bRH[SBE]A-\d{4}:\d{4,5}\b/gi, normalise: upper },
  // SUSE: SUSE-SU-2024:1234-1
  { re: /\bSUSE-SU-\d{4}:\d{4,5}-\d+\b/gi, normalise: upper },
  // Debian (DSA-5555-1, DLA-3456-1), Ubuntu (USN-6543-1)
  { re: /\b(?:DSA|DLA|USN)-\d{3,5}-\d{1,2}\b/gi, normalise: upper },
  // VMware / Broadcom: VMSA-2024-0006
  { re: /\bVMSA-\d{4}-\d{4}(?:\.\d+)?\b/gi, normalise: upper },
  // Cisco: cisco-sa-20180328-smi2
  { re: /\bcisco-sa-[a-z0-9-]{4,60}\b/gi, normalise: (s) => s.toLowerCase() },
  // Siemens ProductCERT: SSA-123456
  { re: /\bSSA-\d{6}\b/gi, normalise: upper },
  // Fortinet (FG-IR-24-001), Palo Alto (PAN-SA-2024-0001), Adobe (APSB24-01)
  { re: /\bFG-IR-\d{2}-\d{3,4}\b/gi, normalise: upper },
  { re: /\bPAN-SA-\d{4}-\d{4}\b/gi, normalise: upper },
  { re: /\bAPSB\d{2}-\d{2,3}\b/gi, normalise: upper },
  // Microsoft advisories: ADV200006
  { re: /\bADV\d{6}\b/g, normalise: upper },
  // CERT/CC (VU#123456), JVN (JVNVU#12345678, JVNDB-2024-000001), Zero Day Initiative (ZDI-24-123, ZDI-CAN-12345)
  { re: /\bVU#\d{5,7}\b/gi, normalise: upper },
  { re: /\bJVN(?:VU|TA)?#\d{6,8}\b/gi, normalise: upper },
  { re: /\bJVNDB-\d{4}-\d{6}\b/gi, normalise: upper },
  { re: /\bZDI-(?:\d{2}-\d{3,5}|CAN-\d{4,6})\b/gi, normalise: upper },
];

/**
 * Advisory ids other than CVEs in free text: ICSA-/ICSMA-/ICS-ALERT-, CISA AA/TA, NCSC-, WID-SEC-,
 * BSI-, CERTFR-, EUVD-, GHSA-, RHSA/RHBA/RHEA-, SUSE-SU-, DSA/DLA/USN-, VMSA-, cisco-sa-, SSA-,
 * FG-IR-, PAN-SA-, APSB, ADV, VU#, JVN, ZDI-. Unique and sorted; each in its publisher's usual case.
 */
export function extractAdvisoryIds(text: string): string[] {
  const found = new Set<string>();
  for (const p of ADVISORY_PATTERNS) for (const m of text.matchAll(p.re)) found.add(p.normalise(m[0]));
  return [...found].sort();
}

// ------------------------------------------------------------------------------------------------
// HTML → text

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  ndash: '–',
  mdash: '—',
  minus: '−',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  hellip: '…',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  para: '¶',
  sect: '§',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  le: '≤',
  ge: '≥',
  ne: '≠',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  auml: 'ä',
  atilde: 'ã',
  aring: 'å',
  aelig: 'æ',
  ccedil: 'ç',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  iacute: 'í',
  igrave: 'ì',
  icirc: 'î',
  iuml: 'ï',
  ntilde: 'ñ',
  oacute: 'ó',
  ograve: 'ò',
  ocirc: 'ô',
  ouml: 'ö',
  otilde: 'õ',
  oslash: 'ø',
  szlig: 'ß',
  uacute: 'ú',
  ugrave: 'ù',
  ucirc: 'û',
  uuml: 'ü',
  yacute: 'ý',
  yuml: 'ÿ',
  Aacute: 'Á',
  Agrave: 'À',
  Auml: 'Ä',
  Aring: 'Å',
  Ccedil: 'Ç',
  Eacute: 'É',
  Egrave: 'È',
  Euml: 'Ë',
  Iuml: 'Ï',
  Ntilde: 'Ñ',
  Ouml: 'Ö',
  Oslash: 'Ø',
  Uuml: 'Ü',
};

function codePointText(cp: number): string {
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}

/** Decodes HTML character references: the common named ones and every numeric one; unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return codePointText(Number.parseInt(dec, 10));
    if (hex !== undefined) return codePointText(Number.parseInt(hex, 16));
    return (name !== undefined ? (NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()]) : undefined) ?? whole;
  });
}

/** Elements that stand apart as paragraphs (a blank line before and after). */
const PARAGRAPH = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'div',
  'dl',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
]);
/** Elements that begin a new line. */
const LINE = new Set(['br', 'dd', 'dt', 'figcaption', 'tr', 'tbody', 'thead']);
/** Elements whose content is never text. */
const SKIPPED = new Set(['script', 'style', 'head', 'template', 'noscript', 'svg', 'math', 'iframe', 'object']);

/** Index of the '>' that ends a tag starting at `from`, skipping quoted attribute values; -1 when the tag never ends. */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/** One pass: markup removed (text of CDATA kept), entities decoded, block elements as line breaks. Linear in the input. */
function stripMarkup(html: string): string {
  let out = '';
  let i = 0;
  let skipUntil = '';
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      if (!skipUntil) out += decodeEntities(html.slice(i));
      break;
    }
    if (!skipUntil) out += decodeEntities(html.slice(i, lt));
    const next = html[lt + 1] ?? '';
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', lt)) {
      const end = html.indexOf(']]>', lt + 9);
      if (!skipUntil) out += html.slice(lt + 9, end < 0 ? html.length : end);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (/[a-zA-Z/!?]/.test(next)) {
      const end = tagEnd(html, lt + 1);
      if (end < 0) break; // an unfinished tag at the end: drop it
      const m = /^<\/?([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(lt, Math.min(end + 1, lt + 80)));
      const name = m?.[1]?.toLowerCase() ?? '';
      const closing = next === '/';
      if (skipUntil) {
        if (closing && name === skipUntil) skipUntil = '';
      } else if (!closing && SKIPPED.has(name) && !html.slice(lt, end + 1).endsWith('/>')) {
        skipUntil = name;
      } else if (PARAGRAPH.has(name)) {
        out += '\n\n';
      } else if (name === 'li') {
        if (!closing) out += '\n• ';
      } else if (LINE.has(name)) {
        out += '\n';
      } else if (name === 'td' || name === 'th') {
        out += ' ';
      }
      i = end + 1;
      continue;
    }
    // A '<' that starts no tag ("a < b") is text.
    if (!skipUntil) out += '<';
    i = lt + 1;
  }
  return out;
}

/** Collapses runs of white space within lines and blank lines to one; trims. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .join('\n')
    .replace(/^(?:• ?)$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const LOOKS_LIKE_TAG = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?\/?>|<!--|<!\[CDATA\[/;

/** True when the text contains something that looks like HTML markup. */
export const looksLikeHtml = (text: string): boolean => LOOKS_LIKE_TAG.test(text);

/**
 * HTML (a feed's description or content) → plain text: markup, comments, scripts and styles removed,
 * entities decoded, block elements as line breaks, list items as "• ", white space collapsed. HTML
 * that was escaped twice (a common feed fault) is stripped again, so no markup survives.
 */
export function htmlToText(html: string): string {
  let text = stripMarkup(html);
  for (let pass = 0; pass < 2 && looksLikeHtml(text); pass++) text = stripMarkup(text);
  return normaliseWhitespace(text);
}

/** Cuts text to `max` characters, ending in "…" when it was cut (never inside a surrogate pair). */
export function clipText(text: string, max = SUMMARY_MAX): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

// ------------------------------------------------------------------------------------------------
// Titles

/** Punctuation kept inside ids and versions, stood in for by private-use characters while the rest goes. */
const KEEP: Record<string, string> = { '-': '\uE001', '.': '\uE002', ':': '\uE003' };
const RESTORE: Record<string, string> = { '\uE001': '-', '\uE002': '.', '\uE003': ':' };

/**
 * A title reduced for comparison: lower case, accents removed, punctuation as spaces (except "-", "."
 * and ":" between letters or digits, so "CVE-2024-1234", "2.4.1" and "RHSA-2024:1234" stay whole),
 * white space collapsed.
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/(?<=[\p{L}\p{N}])[-.:](?=[\p{L}\p{N}])/gu, (c) => KEEP[c] ?? ' ')
    .replace(/[^\p{L}\p{N}\uE001-\uE003]+/gu, ' ')
    .replace(/[\uE001-\uE003]/g, (c) => RESTORE[c] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The distinct words of a normalised title. */
export function titleWords(title: string): Set<string> {
  const normalised = normaliseTitle(title);
  return new Set(normalised ? normalised.split(' ') : []);
}

/** Jaccard similarity (0…1) of the normalised title words; two empty titles are 0. */
export function titleSimilarity(a: string, b: string): number {
  const wa = titleWords(a);
  const wb = titleWords(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}
