import { createCleartextMessage, sign, type PrivateKey } from 'openpgp';
import { badRequest } from '#server/errors.ts';

/**
 * RFC 9116 security.txt for a participant that delegated its coordinated vulnerability disclosure
 * to the CERT (../shared/STANDARDS.md §6.2): build, OpenPGP cleartext-sign, and check a file.
 *
 * Problems carry the codes of DigitalTrustCenter's sectxt (the checker behind internet.nl), so our
 * verdicts line up with what a participant sees there. Two differences, on purpose: a Contact whose
 * scheme is not mailto:, tel: or https: is `invalid_uri_scheme` (sectxt uses that code for a file
 * served over http), and a value that is no URI at all is `no_uri`.
 *
 * Lines end in LF. RFC 9116 §4 accepts CRLF or LF; LF is what the armor around a cleartext
 * signature uses (openpgp.js, GnuPG), so LF everywhere gives one line end per file, signed or not.
 * A cleartext signature covers the CRLF-canonical text (RFC 4880 §7.1), so it holds either way.
 */

export interface SecurityTxtInput {
  /** URIs: the CERT's form https://…/cvd?org=<id>, mailto:cvd@… */
  contacts: string[];
  /** Must be in the future; more than a year ahead is a `long_expiry` warning. */
  expires: Date;
  /** https://…/cvd/pgp-key.asc (or openpgp4fpr:…, dns:…) */
  encryption?: string | undefined;
  /** https://…/cvd/acknowledgements */
  acknowledgments?: string | undefined;
  policy?: string | undefined;
  /** https://www.<org domain>/.well-known/security.txt */
  canonical?: string[];
  /** ['nl', 'en'] */
  preferredLanguages?: string[];
  /** provider-metadata.json URL(s) */
  csaf?: string[];
  /** Lines emitted as '# …' at the top. */
  comment?: string;
}

export type SecurityTxtLevel = 'error' | 'recommendation' | 'notification';

const CATALOGUE = {
  no_contact: ['error', "'Contact' field must appear at least once."],
  no_expire: ['error', "'Expires' field must be present."],
  multi_expire: ['error', "'Expires' field must not appear more than once."],
  invalid_expiry: ['error', "Date and time in 'Expires' field must be formatted according to RFC 3339."],
  expired: ['error', "Date and time in 'Expires' field must not be in the past."],
  multi_lang: ['error', "'Preferred-Languages' field must not appear more than once."],
  invalid_lang: ['error', "Value in 'Preferred-Languages' field must be RFC 5646 language tags, separated by commas."],
  no_uri: ['error', "Field value must be a URI (e.g. beginning with 'mailto:')."],
  invalid_uri_scheme: ['error', "'Contact' must be a mailto:, tel: or https: URI; other fields an https: URI."],
  no_https: ['error', "Web URI must begin with 'https://'."],
  no_csaf_file: ['error', "'CSAF' field must point to a provider-metadata.json file."],
  prec_ws: ['error', 'There must be no whitespace before the field separator (colon).'],
  no_space: ['error', 'Field separator (colon) must be followed by a space.'],
  empty_key: ['error', 'Field name must not be empty.'],
  empty_value: ['error', 'Field value must not be empty.'],
  invalid_line: ['error', 'Line must contain a field name and value, unless the line is blank or contains a comment.'],
  no_line_separators: ['error', 'Every line must end with either a carriage return and line feed or just a line feed.'],
  signed_format_issue: ['error', "Signed security.txt must start with '-----BEGIN PGP SIGNED MESSAGE-----' and hold one complete signature."],
  data_after_sig: ['error', 'Signed security.txt must not contain data after the signature.'],
  long_expiry: ['recommendation', "Date and time in 'Expires' field should be less than a year into the future."],
  no_encryption: ['recommendation', "'Encryption' field should be present when 'Contact' field contains an email address."],
  not_signed: ['recommendation', 'security.txt should be digitally signed.'],
  no_canonical: ['recommendation', "'Canonical' field should be present in a signed file."],
  unknown_field: ['notification', 'security.txt contains an unknown field; it is ignored.'],
} as const satisfies Record<string, readonly [SecurityTxtLevel, string]>;

export type SecurityTxtCode = keyof typeof CATALOGUE;

export interface SecurityTxtProblem {
  code: SecurityTxtCode;
  level: SecurityTxtLevel;
  message: string;
  /** 1-based line in the text as given (for parse results). */
  line?: number;
}

export interface SecurityTxtField {
  /** The registered spelling for known fields (Contact, Expires, …), else as written. */
  name: string;
  value: string;
  line: number;
}

export interface ParsedSecurityTxt {
  fields: SecurityTxtField[];
  problems: SecurityTxtProblem[];
  signed: boolean;
}

const problem = (code: SecurityTxtCode, line?: number): SecurityTxtProblem => ({
  code,
  level: CATALOGUE[code][0],
  message: CATALOGUE[code][1],
  ...(line === undefined ? {} : { line }),
});

/** RFC 5646 language tag, simplified (no grandfathered tags). */
const LANG_TAG =
  /^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-x(?:-[A-Za-z0-9]{1,8})+)?$|^x(?:-[A-Za-z0-9]{1,8})+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

type UriKind = 'contact' | 'encryption' | 'web' | 'csaf';
const SCHEMES: Record<UriKind, readonly string[]> = {
  contact: ['mailto:', 'tel:', 'https:'],
  encryption: ['https:', 'openpgp4fpr:', 'dns:'],
  web: ['https:'],
  csaf: ['https:'],
};

/** The problem with a URI value of the given kind, or null when it is fine. */
function uriProblem(value: string, kind: UriKind): SecurityTxtCode | null {
  if (value === '') return 'empty_value';
  if (/\s/.test(value) || !URL.canParse(value)) return 'no_uri';
  const url = new URL(value);
  if (url.protocol === 'http:') return 'no_https';
  if (!SCHEMES[kind].includes(url.protocol)) return 'invalid_uri_scheme';
  if (kind === 'csaf' && !url.pathname.endsWith('/provider-metadata.json')) return 'no_csaf_file';
  return null;
}

const oneYearAfter = (d: Date): Date => {
  const later = new Date(d.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + 1);
  return later;
};

/** RFC 3339 in UTC with 'Z', to the second. */
const formatExpires = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Build

/**
 * The security.txt text (LF line ends, final newline). Throws a bad_request AppError whose code is
 * the sectxt code of the first error; a value with CR or LF in it is `invalid_line`.
 */
export function buildSecurityTxt(input: SecurityTxtInput, now: Date = new Date()): string {
  const fail = (code: SecurityTxtCode, field: string, value?: string): never => {
    throw badRequest(code, `${field}: ${CATALOGUE[code][1]}`, { field, ...(value === undefined ? {} : { value }) });
  };
  const lines: string[] = [];
  const add = (field: string, value: string, kind: UriKind): void => {
    // A CR or LF would end the line early and let the rest pose as a field of its own.
    if (/[\r\n]/.test(value)) fail('invalid_line', field, value);
    const v = value.trim();
    const issue = uriProblem(v, kind);
    if (issue) fail(issue, field, value);
    lines.push(`${field}: ${v}`);
  };

  // A comment may span lines: each becomes its own '#' line, so it can never break out into a field.
  if (input.comment !== undefined) for (const line of input.comment.split(/\r\n|\r|\n/)) lines.push(`# ${line}`.trimEnd());
  if (input.contacts.length === 0) fail('no_contact', 'Contact');
  for (const c of input.contacts) add('Contact', c, 'contact');
  if (Number.isNaN(input.expires.getTime())) fail('invalid_expiry', 'Expires');
  if (input.expires.getTime() <= now.getTime()) fail('expired', 'Expires', formatExpires(input.expires));
  lines.push(`Expires: ${formatExpires(input.expires)}`);
  if (input.encryption !== undefined) add('Encryption', input.encryption, 'encryption');
  if (input.acknowledgments !== undefined) add('Acknowledgments', input.acknowledgments, 'web');
  const languages = (input.preferredLanguages ?? []).map((l) => l.trim());
  if (languages.length > 0) {
    const bad = languages.find((l) => !LANG_TAG.test(l));
    if (bad !== undefined) fail('invalid_lang', 'Preferred-Languages', bad);
    lines.push(`Preferred-Languages: ${[...new Set(languages)].join(', ')}`);
  }
  for (const c of input.canonical ?? []) add('Canonical', c, 'web');
  if (input.policy !== undefined) add('Policy', input.policy, 'web');
  for (const c of input.csaf ?? []) add('CSAF', c, 'csaf');
  return `${lines.join('\n')}\n`;
}

/** Recommendations for input that builds: long_expiry, no_encryption (sectxt's wording). */
export function securityTxtWarnings(input: SecurityTxtInput, now: Date = new Date()): SecurityTxtProblem[] {
  const out: SecurityTxtProblem[] = [];
  if (input.expires.getTime() > oneYearAfter(now).getTime()) out.push(problem('long_expiry'));
  if (input.encryption === undefined && input.contacts.some((c) => c.trim().toLowerCase().startsWith('mailto:'))) out.push(problem('no_encryption'));
  return out;
}

/** The text as an OpenPGP cleartext-signed message (RFC 9116 §2.3), armored, LF line ends. */
export async function cleartextSign(text: string, privateKey: PrivateKey): Promise<string> {
  const message = await createCleartextMessage({ text });
  // openpgp.js writes the signed lines with CRLF but its armor with LF; the signature is over the
  // canonical CRLF form, so turning the body back to LF keeps it valid and the file uniform.
  return (await sign({ message, signingKeys: privateKey })).replace(/\r\n/g, '\n');
}

// ---------------------------------------------------------------------------------------------
// Parse and check

const KNOWN = new Map(
  ['Acknowledgments', 'Canonical', 'Contact', 'Encryption', 'Expires', 'Hiring', 'Policy', 'Preferred-Languages', 'CSAF'].map((n) => [n.toLowerCase(), n]),
);
const KIND: Partial<Record<string, UriKind>> = {
  Contact: 'contact',
  Encryption: 'encryption',
  Acknowledgments: 'web',
  Canonical: 'web',
  Hiring: 'web',
  Policy: 'web',
  CSAF: 'csaf',
};

interface Body {
  lines: { text: string; line: number }[];
  problems: SecurityTxtProblem[];
}

const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const BEGIN_SIG = '-----BEGIN PGP SIGNATURE-----';
const END_SIG = '-----END PGP SIGNATURE-----';

/** The lines of a cleartext-signed file's content, dash-escaping undone (RFC 4880 §7.1). Not verified. */
function signedBody(all: string[]): Body {
  const problems: SecurityTxtProblem[] = [];
  if (all[0]?.trimEnd() !== BEGIN_SIGNED) return { lines: [], problems: [problem('signed_format_issue', 1)] };
  let i = 1;
  for (; i < all.length && all[i]!.trim() !== ''; i++) if (!/^[A-Za-z-]+: \S/.test(all[i]!)) problems.push(problem('signed_format_issue', i + 1));
  const start = i + 1;
  const sig = all.findIndex((l, j) => j >= start && l.trimEnd() === BEGIN_SIG);
  const end = all.findIndex((l, j) => j > sig && l.trimEnd() === END_SIG);
  if (i >= all.length || sig < 0 || end < 0) return { lines: [], problems: [...problems, problem('signed_format_issue')] };
  if (all.slice(end + 1).some((l) => l.trim() !== '')) problems.push(problem('data_after_sig', end + 2));
  const lines = all.slice(start, sig).map((text, k) => {
    if (text.startsWith('- ')) return { text: text.slice(2), line: start + k + 1 };
    if (text.startsWith('-')) problems.push(problem('signed_format_issue', start + k + 1)); // not dash-escaped
    return { text, line: start + k + 1 };
  });
  return { lines, problems };
}

/**
 * Checks a security.txt (signed or unsigned) against RFC 9116 with sectxt's codes. A signature's
 * format is checked, not the signature itself: that needs the key (GnuPG or openpgp's verify).
 */
export function parseSecurityTxt(text: string, options: { now?: Date } = {}): ParsedSecurityTxt {
  const now = options.now ?? new Date();
  const content = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const problems: SecurityTxtProblem[] = [];
  if (/\r(?!\n)/.test(content) || (content !== '' && !content.endsWith('\n'))) problems.push(problem('no_line_separators'));
  const all = content.split(/\r?\n/);
  const signed = content.includes(BEGIN_SIGNED) || content.includes(BEGIN_SIG);
  const body: Body = signed ? signedBody(all) : { lines: all.map((t, k) => ({ text: t, line: k + 1 })), problems: [] };
  problems.push(...body.problems);

  const fields: SecurityTxtField[] = [];
  for (const { text: raw, line } of body.lines) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const m = /^([^:]*):(.*)$/.exec(raw);
    if (!m || /^\s/.test(raw)) {
      problems.push(problem('invalid_line', line));
      continue;
    }
    const [, key = '', rest = ''] = m;
    if (key.trim() === '') {
      problems.push(problem('empty_key', line));
      continue;
    }
    if (/\s$/.test(key)) problems.push(problem('prec_ws', line));
    if (rest !== '' && !/^[ \t]/.test(rest)) problems.push(problem('no_space', line));
    const value = rest.trim();
    const name = KNOWN.get(key.trim().toLowerCase()) ?? key.trim();
    if (!KNOWN.has(name.toLowerCase())) problems.push(problem('unknown_field', line));
    if (value === '') {
      problems.push(problem('empty_value', line));
      continue;
    }
    fields.push({ name, value, line });
    const kind = KIND[name];
    const issue = kind ? uriProblem(value, kind) : null;
    if (issue) problems.push(problem(issue, line));
  }

  const named = (n: string) => fields.filter((f) => f.name === n);
  if (named('Contact').length === 0) problems.push(problem('no_contact'));
  const expires = named('Expires');
  if (expires.length === 0) problems.push(problem('no_expire'));
  if (expires.length > 1) problems.push(problem('multi_expire', expires[1]!.line));
  for (const e of expires.slice(0, 1)) {
    const at = RFC3339.test(e.value) ? new Date(e.value) : null;
    if (!at || Number.isNaN(at.getTime())) problems.push(problem('invalid_expiry', e.line));
    else if (at.getTime() <= now.getTime()) problems.push(problem('expired', e.line));
    else if (at.getTime() > oneYearAfter(now).getTime()) problems.push(problem('long_expiry', e.line));
  }
  const languages = named('Preferred-Languages');
  if (languages.length > 1) problems.push(problem('multi_lang', languages[1]!.line));
  for (const l of languages) if (l.value.split(',').some((tag) => !LANG_TAG.test(tag.trim()))) problems.push(problem('invalid_lang', l.line));

  if (!signed) problems.push(problem('not_signed'));
  else if (named('Canonical').length === 0) problems.push(problem('no_canonical'));
  if (named('Encryption').length === 0 && named('Contact').some((c) => c.value.toLowerCase().startsWith('mailto:'))) problems.push(problem('no_encryption'));
  return { fields, problems, signed };
}
