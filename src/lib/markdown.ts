import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown for advisory text (body, advice): rendered to HTML once, at save time, and then served
 * unchanged on the portal, in mail and in PDF. The HTML must therefore be inert in every one of those
 * places, which is why this module is strict rather than convenient:
 *
 * - Raw HTML in the Markdown is shown as text, never interpreted. Analysts paste vendor text that
 *   contains `<tags>`; it should read as written, and no tag-level trick can get through.
 * - Images are not embedded: a remote image is a tracking pixel in mail and a server-side fetch in
 *   PDF rendering. `![alt](url)` becomes a plain link to the image (or just the alt text when the
 *   URL is not allowed).
 * - Links only go to http, https, mailto or a relative address (no protocol-relative `//host`), and
 *   always carry rel="noopener noreferrer".
 * - Headings are demoted one level (`#` becomes h2), so the document title stays the only h1.
 * - GFM task-list checkboxes are written as ☑/☐ characters instead of form inputs.
 *
 * The marked output then goes through sanitize-html with an allow-list, so even a rendering mistake
 * here cannot produce an element or attribute outside that list.
 */

const ALLOWED_SCHEMES = ['http', 'https', 'mailto'] as const;

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'b',
  'i',
  'del',
  's',
  'sup',
  'sub',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const ALIGN = { name: 'align', multiple: false, values: ['left', 'center', 'right'] };

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: [ALIGN], td: [ALIGN] },
  allowedClasses: { code: [/^language-[a-z0-9_+#.-]{1,40}$/i] },
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'action', 'formaction', 'data', 'xlink:href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Elements whose content is code or markup, not prose: dropped with their content.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'title',
    'xmp',
    'iframe',
    'noembed',
    'noframes',
    'plaintext',
    'template',
    'svg',
    'math',
    'object',
  ],
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
  // Deeper nesting than any advisory needs only serves to choke mail clients and PDF renderers.
  nestingLimit: 64,
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = { rel: 'noopener noreferrer' };
      if (attribs.href !== undefined && isSafeUrl(attribs.href)) out.href = attribs.href;
      if (attribs.title !== undefined) out.title = attribs.title;
      return { tagName, attribs: out };
    },
  },
};

// ---------------------------------------------------------------------------------------------
// URL and entity helpers
// ---------------------------------------------------------------------------------------------

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  colon: ':',
  tab: '\t',
  newline: '\n',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  period: '.',
  comma: ',',
  semi: ';',
  excl: '!',
  num: '#',
  percnt: '%',
  plus: '+',
  equals: '=',
  quest: '?',
  commat: '@',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  grave: '`',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  euro: '€',
  deg: '°',
  middot: '·',
  bull: '•',
  times: '×',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
};

function codePoint(n: number): string {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(n);
}

/**
 * Decodes numeric character references and the named ones that matter for URLs and prose. Unknown
 * named references stay as they are; {@link isSafeUrl} treats a leftover `&` in front of a scheme as
 * suspicious, so an unknown reference can never smuggle a scheme past it.
 */
export function decodeEntities(s: string): string {
  return s.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g, (m, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return codePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16));
    return (name !== undefined && NAMED_ENTITIES[name.toLowerCase()]) || m;
  });
}

/**
 * True when a link target is http(s), mailto or relative. Decodes character references (repeatedly,
 * so double encoding does not help) and removes what browsers ignore in a scheme (controls,
 * whitespace, invisible format characters) before looking at the scheme.
 */
export function isSafeUrl(raw: string): boolean {
  let url = raw;
  for (let i = 0; i < 3; i++) {
    const next = decodeEntities(url);
    if (next === url) break;
    url = next;
  }
  // eslint-disable-next-line no-control-regex
  url = url.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]+/g, '');
  if (url === '') return false;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (scheme) return (ALLOWED_SCHEMES as readonly string[]).includes(scheme[1]!.toLowerCase());
  // Protocol-relative ("//host", "\\host", "/\host"): leaves the site without saying how.
  if (/^[/\\]{2}/.test(url)) return false;
  // Anything odd before the first path/query/fragment delimiter could be an obfuscated scheme.
  const head = url.split(/[/?#]/, 1)[0] ?? '';
  return !/[&:\\]/.test(head);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The URL as it should appear in an attribute: entity references resolved, then percent-encoded where needed. */
function hrefFor(token: { href: string; autolink?: boolean }): string {
  const url = token.autolink ? token.href : decodeEntities(token.href);
  let encoded: string;
  try {
    encoded = encodeURI(url).replace(/%25/g, '%');
  } catch {
    encoded = url;
  }
  return escapeHtml(encoded);
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

const htmlMarked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 1);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    html({ text, block }) {
      const escaped = escapeHtml(text);
      return block ? `<p>${escaped.trim()}</p>\n` : escaped;
    },
    link(token) {
      const inner = this.parser.parseInline(token.tokens);
      if (!isSafeUrl(token.href)) return inner;
      const title = token.title ? ` title="${escapeHtml(decodeEntities(token.title))}"` : '';
      return `<a href="${hrefFor(token)}"${title} rel="noopener noreferrer">${inner}</a>`;
    },
    image({ href, title, text }) {
      const alt = escapeHtml(decodeEntities(text));
      if (!isSafeUrl(href)) return alt;
      const t = title ? ` title="${escapeHtml(decodeEntities(title))}"` : '';
      return `<a href="${hrefFor({ href })}"${t} rel="noopener noreferrer">${alt || escapeHtml(decodeEntities(href))}</a>`;
    },
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

/** Passes HTML through the same allow-list as rendered Markdown (e.g. for HTML that was stored earlier). */
export function sanitizeFragment(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}

/** The text as escaped paragraphs: used when the Markdown parser gives up (e.g. thousands of nested quotes). */
function plainParagraphs(md: string): string {
  return md
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br />')}</p>`)
    .join('\n');
}

/** Renders advisory Markdown to HTML that is safe to store and serve on web, in mail and in PDF. */
export function renderMarkdown(md: string): string {
  const text = md.replace(/\r\n?/g, '\n');
  let html: string;
  try {
    html = htmlMarked.parse(text, { async: false });
  } catch {
    html = plainParagraphs(text);
  }
  return sanitizeFragment(html);
}

// ---------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------

const textMarked = new Marked({ gfm: true, breaks: false, async: false });

function inlineText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  return tokens.map(inlineTokenText).join('');
}

function linkText(label: string, href: string, autolink: boolean | undefined): string {
  // An autolink's label is the address exactly as it was typed.
  if (autolink) return label;
  const url = decodeEntities(href);
  if (!isSafeUrl(url)) return label;
  const bare = url.replace(/^mailto:/i, '');
  if (label === '' || label === url || label === bare) return bare === url ? url : bare;
  return `${label} (${url})`;
}

function inlineTokenText(token: Token): string {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case 'text': {
      const tok = token as Tokens.Text;
      return tok.tokens ? inlineText(tok.tokens) : decodeEntities(tok.text);
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'codespan':
      return decodeEntities((token as Tokens.Codespan).text);
    case 'strong':
    case 'em':
    case 'del':
      return inlineText((token as Tokens.Strong).tokens);
    case 'br':
      return '\n';
    case 'link': {
      const tok = token as Tokens.Link;
      return linkText(inlineText(tok.tokens), tok.href, tok.autolink);
    }
    case 'image': {
      const tok = token as Tokens.Image;
      return linkText(decodeEntities(tok.text), tok.href, false);
    }
    case 'html':
      // Raw HTML is shown as written on the web too (it is escaped there, never interpreted).
      return (token as Tokens.HTML).text;
    case 'checkbox':
      return (token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ';
    default:
      return t.tokens ? inlineText(t.tokens) : typeof t.text === 'string' ? decodeEntities(t.text) : '';
  }
}

function indent(text: string, prefix: string, first = prefix): string {
  return text
    .split('\n')
    .map((line, i) => (line === '' ? line : (i === 0 ? first : prefix) + line))
    .join('\n');
}

function blocksText(tokens: readonly Token[]): string {
  return tokens
    .map(blockText)
    .filter((b) => b.trim() !== '')
    .join('\n\n');
}

function listText(list: Tokens.List): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  const items = list.items.map((item, i) => {
    const marker = list.ordered ? `${start + i}. ` : '- ';
    const box = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    const body = item.tokens
      .filter((t) => t.type !== 'checkbox')
      .map(blockText)
      .filter((b) => b.trim() !== '')
      .join(item.loose ? '\n\n' : '\n');
    return indent(box + body, ' '.repeat(marker.length), marker);
  });
  return items.join(list.loose ? '\n\n' : '\n');
}

function blockText(token: Token): string {
  const t = token as Tokens.Generic;
  switch (t.type) {
    case 'space':
    case 'def':
      return '';
    case 'hr':
      return '----';
    case 'heading':
    case 'paragraph':
      return inlineText((token as Tokens.Paragraph).tokens).trim();
    case 'text': {
      const tok = token as Tokens.Text;
      return tok.tokens ? inlineText(tok.tokens) : decodeEntities(tok.text);
    }
    case 'code':
      return indent((token as Tokens.Code).text, '    ');
    case 'blockquote':
      return blocksText((token as Tokens.Blockquote).tokens)
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'list':
      return listText(token as Tokens.List);
    case 'table': {
      const tok = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inlineText(c.tokens).trim()).join(' | ');
      return [row(tok.header), ...tok.rows.map(row)].join('\n');
    }
    case 'html':
      return (token as Tokens.HTML).text.trim();
    default:
      return t.tokens ? inlineText(t.tokens) : typeof t.text === 'string' ? decodeEntities(t.text) : '';
  }
}

/**
 * Plain text for text/plain mail and CSAF notes: formatting removed, structure kept with simple
 * conventions (list markers, "a | b" table rows, "> " quotes, indented code), and link targets
 * written out after their label as "label (https://…)". Links with a disallowed scheme keep only
 * their label. Raw HTML stays as typed, matching the web rendering, which shows it as text.
 */
export function markdownToText(md: string): string {
  const source = md.replace(/\r\n?/g, '\n');
  let text: string;
  try {
    text = blocksText(textMarked.lexer(source));
  } catch {
    text = source; // the parser gave up (absurd nesting): the Markdown itself is the best plain text
  }
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '');
}
