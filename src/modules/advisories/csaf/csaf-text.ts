/**
 * Shared conventions of the CSAF mapping: the titles of the notes Wachtpost writes (so import can read
 * them back), URL and date normalisation for the CSAF schema's "uri" and "date-time" formats, and the
 * CPE pattern of the CSAF schema.
 */

/** Titles of the notes export writes and import reads back. */
export const NOTE = {
  summary: 'Summary',
  description: 'Description',
  advice: 'Advice',
  assessment: 'Assessment',
  tags: 'Tags',
  sources: 'Sources',
  withdrawn: 'Withdrawn',
  vulnerabilities: 'Vulnerabilities',
  cwe: 'CWE',
  cvssV4: 'CVSS v4.0',
  cvssV3: (version: '3.0' | '3.1') => `CVSS v${version}`,
  cvssV2: 'CVSS v2.0',
  /** Suffix of the notes that carry the English text. */
  english: ' (English)',
  englishTitle: 'Title (English)',
} as const;

/** The line export appends to remediation details for Remediation.fixedVersion. */
export const FIXED_VERSION_LINE = /\n*Fixed version: (.+)$/;
export const fixedVersionLine = (version: string): string => `Fixed version: ${version}`;

/** The text of a CVSS note: "<vector> (base score 9.3, CRITICAL)". */
export const cvssNoteText = (vector: string, score: number, severity: string): string => `${vector} (base score ${score.toFixed(1)}, ${severity})`;
export const CVSS_NOTE_TEXT = /^\s*(\S+)\s*\(base score/;

/** The CPE pattern of the CSAF 2.0 schema (CPE 2.2 URI or CPE 2.3 formatted string binding). */
export const CSAF_CPE =
  /^(cpe:2\.3:[aho*-](:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[*-]))(:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){4})|([c][pP][eE]:\/[AHOaho]?(:[A-Za-z0-9._\-~%]*){0,6})$/;

/** The purl pattern of the CSAF 2.0 schema. */
export const CSAF_PURL = /^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*\/.+/;

const UNRESERVED_OR_SUB = "A-Za-z0-9\\-._~!$&'()*+,;=";
const PCT = /^%[0-9A-Fa-f]{2}/;

/** Percent-encodes (as UTF-8) every character that is not allowed in a URI component. */
function encodeComponent(value: string, extraAllowed: string): string {
  const allowed = new RegExp(`^[${UNRESERVED_OR_SUB}${extraAllowed}]$`);
  let out = '';
  for (let i = 0; i < value.length;) {
    const rest = value.slice(i);
    if (PCT.test(rest)) {
      out += rest.slice(0, 3);
      i += 3;
      continue;
    }
    const cp = value.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (allowed.test(ch)) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '%EF%BF%BD';
    else out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * An http(s) URL in the form the CSAF schema accepts ("format": "uri", RFC 3986): host in punycode,
 * everything outside the URI character set percent-encoded, user info dropped. Returns null when the
 * value is not an absolute http(s) URL.
 */
export function toCsafUri(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  const host = encodeComponent(url.host, ':\\[\\]');
  const path = encodeComponent(url.pathname, ':@/');
  const query = url.search ? `?${encodeComponent(url.search.slice(1), ':@/?')}` : '';
  const fragment = url.hash ? `#${encodeComponent(url.hash.slice(1), ':@/?')}` : '';
  return `${url.protocol}//${host}${path}${query}${fragment}`;
}

/** A date-time with time zone (RFC 3339), as the CSAF schema's "date-time" format requires. */
export function toCsafDate(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`Not a date: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

/**
 * Trims and shortens text to at most `max` UTF-16 code units (the unit zod's max() counts), ending in
 * "…" when cut, without splitting a surrogate pair.
 */
export function clip(value: string, max: number): string {
  const text = value.trim();
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Like clip() for Markdown fields, which are not trimmed. */
export function clipMarkdown(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}
