import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { isSafeUrl, markdownToText, renderMarkdown, sanitizeFragment } from '#lib/markdown.ts';

/** What the rendered HTML may contain: element name → allowed attributes. */
const ALLOWED: Record<string, readonly string[]> = {
  p: [],
  br: [],
  hr: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  strong: [],
  em: [],
  b: [],
  i: [],
  del: [],
  s: [],
  sup: [],
  sub: [],
  code: ['class'],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'title', 'rel'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
};
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'cite', 'poster', 'background']);

interface ParsedElement {
  name: string;
  attribs: Record<string, string>;
}

/** Parses the output the way a browser-like tokenizer would (attribute entities decoded). */
function parse(html: string): ParsedElement[] {
  const elements: ParsedElement[] = [];
  const parser = new Parser(
    { onopentag: (name, attribs) => elements.push({ name, attribs }) },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return elements;
}

/** The scheme of a URL as a browser sees it: controls and whitespace removed, case folded. */
function schemeOf(url: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028\u2029\ufeff]/g, '');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  return m ? m[1]!.toLowerCase() : null;
}

/** Every invariant the stored HTML must satisfy, whatever the input. */
function assertInert(md: string): string {
  const html = renderMarkdown(md);
  for (const el of parse(html)) {
    expect(Object.keys(ALLOWED), `element <${el.name}> from ${JSON.stringify(md)}`).toContain(el.name);
    for (const [attr, value] of Object.entries(el.attribs)) {
      expect(attr.startsWith('on'), `event handler ${attr} from ${JSON.stringify(md)}`).toBe(false);
      expect(ALLOWED[el.name], `attribute ${attr} on <${el.name}> from ${JSON.stringify(md)}`).toContain(attr);
      if (URL_ATTRIBUTES.has(attr)) {
        const scheme = schemeOf(value);
        if (scheme !== null) expect(['http', 'https', 'mailto'], `${attr}="${value}" from ${JSON.stringify(md)}`).toContain(scheme);
        expect(/^\s*[/\\]{2}/.test(value), `protocol-relative ${value}`).toBe(false);
      }
      if (el.name === 'a' && attr === 'rel') expect(value).toBe('noopener noreferrer');
    }
  }
  // Outside any parsed tag there is no live markup either: the sanitiser leaves it unchanged.
  expect(sanitizeFragment(html)).toBe(html);
  expect(html).not.toMatch(/<\s*\/?\s*(script|style|iframe|object|embed|svg|math|form|input|img|meta|base|link|noscript|template)\b/i);
  return html;
}

const XSS_CORPUS: readonly string[] = [
  // script and obvious event handlers
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  'text <script>alert(1)</script> more',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)">',
  '<IMG SRC=x ONERROR=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<div style="width: expression(alert(1))">x</div>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<a href="#" style="behavior:url(x.htc)">x</a>',
  // javascript: in every spelling, Markdown link syntax
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript&#x3A;alert(1))',
  '[click](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](java&Tab;script:alert(1))',
  '[click](<java\tscript:alert(1)>)',
  '[click](<java\nscript:alert(1)>)',
  '[click]( javascript:alert(1))',
  '[click](\\javascript:alert(1))',
  '[click](jav&amp;#x61;script:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '[click](//evil.example/x)',
  '[a][ref]\n\n[ref]: javascript:alert(1)',
  '[a][ref]\n\n[ref]: <JAVASCRIPT:alert(1)> "title"',
  '<javascript:alert(1)>',
  '<vbscript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '![x](javascript:alert(1))',
  '![x" onerror="alert(1)](https://example.com/x.png)',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '[x](https://example.com/"onmouseover="alert(1))',
  // javascript: in raw HTML
  '<a href="javascript:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<math href="javascript:alert(1)">CLICK</math>',
  '<form action="javascript:alert(1)"><input type=submit></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<style>@import "javascript:alert(1)";</style>',
  '<template><img src=x onerror=alert(1)></template>',
  // comments and mutation-XSS classics
  '<!--<img src=x onerror=alert(1)>-->',
  '<!-- --!><img src=x onerror=alert(1)>-->',
  '<!--><img src=x onerror=alert(1)>-->',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<title><img src=x onerror=alert(1)></title>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<p>\n\n<img src=x onerror=alert(1)>\n\n</p>',
  // inside Markdown constructs
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '```"><script>alert(1)</script>\nx\n```',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  '- <svg onload=alert(1)>\n- [x](javascript:alert(1))',
  '> <script>alert(1)</script>',
  '# <img src=x onerror=alert(1)>',
  '**<a href="javascript:alert(1)">bold</a>**',
  '<div>\n\n[x](javascript:alert(1))\n\n</div>',
  '<a href="https://ok.example" onclick="alert(1)">ok</a>',
  '<a href="https://ok.example" target="_blank">ok</a>',
  '<h1>title</h1>',
];

describe('renderMarkdown: XSS corpus', () => {
  it('has a corpus of at least 40 payloads', () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(XSS_CORPUS.map((p) => [p]))('keeps %j inert', (payload) => {
    assertInert(payload);
  });

  it('never turns a dangerous link into a live link', () => {
    for (const md of [
      '[click](javascript:alert(1))',
      '[click](&#106;avascript:alert(1))',
      '[a][r]\n\n[r]: javascript:alert(1)',
      '<javascript:alert(1)>',
      '[x](data:text/html,hi)',
    ]) {
      const anchors = parse(renderMarkdown(md)).filter((e) => e.name === 'a' && e.attribs.href !== undefined);
      expect(anchors, md).toEqual([]);
    }
  });

  it('shows raw HTML as text rather than dropping it', () => {
    expect(renderMarkdown('<b>bold</b> & <i>it</i>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;it&lt;/i&gt;</p>');
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('holds the invariants for random mixes of the fragments (property)', () => {
    const fragment = fc.oneof(
      fc.constantFrom(...XSS_CORPUS),
      fc.constantFrom(
        '<',
        '>',
        '"',
        "'",
        '`',
        '&',
        '&#',
        ';',
        ':',
        'javascript',
        'JaVaScRiPt:',
        '&#106;',
        '&colon;',
        '\t',
        '\n',
        '\n\n',
        ' ',
        '[',
        ']',
        '(',
        ')',
        '![',
        '](',
        '<a href="',
        '<img src=',
        ' onerror=',
        'alert(1)',
        '<svg',
        '<math',
        '-->',
        '<!--',
        '</',
        '# ',
        '- ',
        '| ',
        '```',
        '    ',
        '> ',
        '*',
        '_',
        'https://example.com',
        'data:text/html,',
        'vbscript:',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (parts) => {
        assertInert(parts.join(''));
      }),
      { numRuns: 400 },
    );
  });
});

describe('isSafeUrl', () => {
  it('accepts http, https, mailto and relative addresses', () => {
    for (const ok of [
      'https://example.com/a?b=1#c',
      'http://example.com',
      'mailto:cert@example.com',
      '/advisories/WP-2026-0001',
      '#section',
      'page.html',
      '?q=1',
      'HTTPS://EXAMPLE.COM',
    ])
      expect(isSafeUrl(ok), ok).toBe(true);
  });
  it('refuses other schemes in any disguise, and protocol-relative addresses', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JAVASCRIPT:alert(1)',
      'java\tscript:alert(1)',
      'java\u0000script:alert(1)',
      '&#106;avascript:alert(1)',
      '&#x6a;avascript&#58;alert(1)',
      'javascript&colon;alert(1)',
      '&amp;#106;avascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example',
      '\\\\evil.example',
      '/\\evil.example',
      'java&unknownentity;script:alert(1)',
      '',
    ])
      expect(isSafeUrl(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('renderMarkdown: advisory Markdown', () => {
  const md = [
    '# Samenvatting',
    '',
    'Een kwetsbaarheid in **Example Gateway** maakt *remote code execution* mogelijk.',
    '',
    '## Getroffen versies',
    '',
    '- 2.0 tot en met 2.4.0',
    '- 3.x vóór 3.1.2',
    '',
    '1. Patch',
    '2. Herstart',
    '',
    '| Product | Versie | Opgelost in |',
    '|:--------|:------:|------------:|',
    '| Gateway | 2.4.0  | 2.4.1       |',
    '',
    '```sh',
    'curl -s https://example.com/check.sh | sh',
    '```',
    '',
    'Zie [de melding van de leverancier](https://vendor.example/psirt/1 "PSIRT") en <https://nvd.nist.gov/>.',
    'Vragen: <cert@example.nl>.',
    '',
    '> Let op: actief misbruikt.',
    '',
    '---',
    '',
    '![schema](https://example.com/diagram.png)',
  ].join('\n');

  it('renders headings (demoted), lists, tables, code and links', () => {
    const html = renderMarkdown(md);
    expect(html).toContain('<h2>Samenvatting</h2>');
    expect(html).toContain('<h3>Getroffen versies</h3>');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<strong>Example Gateway</strong>');
    expect(html).toContain('<em>remote code execution</em>');
    expect(html).toContain('<li>2.0 tot en met 2.4.0</li>');
    expect(html).toMatch(/<ol>\s*<li>Patch<\/li>/);
    expect(html).toContain('<th align="left">Product</th>');
    expect(html).toContain('<th align="center">Versie</th>');
    expect(html).toContain('<td align="right">2.4.1</td>');
    expect(html).toContain('<pre><code class="language-sh">curl -s https://example.com/check.sh | sh\n</code></pre>');
    expect(html).toContain('<a rel="noopener noreferrer" href="https://vendor.example/psirt/1" title="PSIRT">de melding van de leverancier</a>');
    expect(html).toContain('<a rel="noopener noreferrer" href="https://nvd.nist.gov/">https://nvd.nist.gov/</a>');
    expect(html).toContain('<a rel="noopener noreferrer" href="mailto:cert@example.nl">cert@example.nl</a>');
    expect(html).toMatch(/<blockquote>\s*<p>Let op: actief misbruikt.<\/p>\s*<\/blockquote>/);
    expect(html).toContain('<hr />');
    // Images become links: no remote fetch in mail or PDF.
    expect(html).toContain('<a rel="noopener noreferrer" href="https://example.com/diagram.png">schema</a>');
    expect(html).not.toContain('<img');
    assertInert(md);
  });

  it('demotes every heading level and keeps h6 as the floor', () => {
    expect(renderMarkdown('# a\n\n###### f')).toBe('<h2>a</h2>\n<h6>f</h6>');
    expect(renderMarkdown('Title\n=====')).toBe('<h2>Title</h2>');
  });

  it('renders task lists without form inputs', () => {
    expect(renderMarkdown('- [x] patched\n- [ ] rebooted')).toBe('<ul>\n<li>☑ patched</li>\n<li>☐ rebooted</li>\n</ul>');
  });

  it('keeps relative links and ordered-list starts', () => {
    expect(renderMarkdown('[advisory](/advisories/WP-2026-0001)')).toBe('<p><a rel="noopener noreferrer" href="/advisories/WP-2026-0001">advisory</a></p>');
    expect(renderMarkdown('3. three\n4. four')).toContain('<ol start="3">');
  });

  it('falls back to escaped paragraphs when the parser gives up on absurd nesting', () => {
    const md = `${'>'.repeat(5000)} x <img src=x onerror=alert(1)>`;
    const html = assertInert(md);
    expect(html.startsWith('<p>&gt;&gt;&gt;')).toBe(true);
    expect(markdownToText(md)).toBe(md);
  });

  it('renders nothing for empty input', () => {
    expect(renderMarkdown('')).toBe('');
    expect(markdownToText('')).toBe('');
  });
});

describe('markdownToText', () => {
  it('strips formatting and keeps link targets', () => {
    const text = markdownToText(
      '# Titel\n\nEen **vette** en *schuine* tekst met `code` en [een link](https://example.com/a "t").\n\n- een\n- twee\n  - drie\n\n1. eerste\n2. tweede\n\nZie <https://nvd.nist.gov/> of mail <cert@example.nl>.',
    );
    expect(text).toBe(
      [
        'Titel',
        '',
        'Een vette en schuine tekst met code en een link (https://example.com/a).',
        '',
        '- een',
        '- twee',
        '  - drie',
        '',
        '1. eerste',
        '2. tweede',
        '',
        'Zie https://nvd.nist.gov/ of mail cert@example.nl.',
      ].join('\n'),
    );
  });

  it('writes tables, quotes, code and images in plain form', () => {
    expect(markdownToText('| a | b |\n|---|---|\n| 1 | 2 |')).toBe('a | b\n1 | 2');
    expect(markdownToText('> quoted\n>\n> more')).toBe('> quoted\n>\n> more');
    expect(markdownToText('```\nline 1\nline 2\n```')).toBe('    line 1\n    line 2');
    expect(markdownToText('![diagram](https://example.com/d.png)')).toBe('diagram (https://example.com/d.png)');
    expect(markdownToText('- [x] done\n- [ ] todo')).toBe('- [x] done\n- [ ] todo');
  });

  it('decodes entities and escapes, and keeps raw HTML as typed', () => {
    expect(markdownToText('a &amp; b \\*not em\\* &copy;')).toBe('a & b *not em* ©');
    expect(markdownToText('Use <b>bold</b> here')).toBe('Use <b>bold</b> here');
  });

  it('drops the target of a link with a disallowed scheme', () => {
    expect(markdownToText('[click](javascript:alert(1))')).toBe('click');
    expect(markdownToText('[click](&#106;avascript:alert(1))')).toBe('click');
  });
});
