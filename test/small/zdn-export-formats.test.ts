import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP_LEVELS, type Tlp } from '#lib/tlp.ts';
import { EXPORT_FORMATS, EXPORT_INDICATOR_TYPES, exportNeedsType, exportTypes, renderExport, ZEEK_FIELDS, type ExportIndicatorType, type ExportRow } from '#modules/zdn/export-formats.ts';

// Documentation addresses (RFC 5737, RFC 3849) and names (RFC 2606) only.
const generatedAt = new Date('2025-03-04T05:06:07Z');
const base = { generatedAt, feedName: 'ZDN test feed' };
let nextSeq = 0;

function row(type: ExportIndicatorType, value: string, extra: Partial<ExportRow> = {}): ExportRow {
  nextSeq++;
  return {
    id: `00000000-0000-4000-8000-${String(nextSeq).padStart(12, '0')}`, type, value, tlp: 'GREEN', confidence: 80, validUntil: null,
    eventTitle: 'Phishing wave', tags: ['phishing', 'ransomware'], firstSeen: new Date('2025-01-02T03:04:05Z'), lastSeen: null, seq: nextSeq, ...extra,
  };
}

/** A lone surrogate has no UTF-8 form; written out it becomes U+FFFD. */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
const lines = (body: string) => body.split('\n').slice(0, -1);

// Nasty text: any Unicode plus the characters that break CSV, rules, Zeek and zone files.
const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom('"', ';', '|', '\\', '\n', '\r', '\t', ':', '=', '+', '-', '@', "'", ',', '#', ' ', 'a', 'é', '\u2028', '\u0085', '*', '.'), { maxLength: 20 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom("=cmd|' /C calc'!A0", '-', '(empty)', '#', '";alert ip any any -> any any (sid:1;)', 'evil.example\n* CNAME .', '@SUM(1+1)*cmd|', '') },
);

describe('renderExport: csv', () => {
  it('writes the header, ISO dates, joined tags, and guards formula-like cells', () => {
    const out = renderExport('csv', [row('url', "=cmd|' /C calc'!A0", { eventTitle: 'He said "hi", then left' })], base);
    expect(out.mediaType).toBe('text/csv; charset=utf-8');
    expect(out.fileName).toBe('zdn-test-feed-tlp-green.csv');
    const [header, record] = out.body.split('\r\n');
    expect(header).toBe('id,type,value,tlp,confidence,valid_until,first_seen,last_seen,event,tags');
    expect(record).toBe(`${'00000000-0000-4000-8000-'}${String(nextSeq).padStart(12, '0')},url,'=cmd|' /C calc'!A0,GREEN,80,,2025-01-02T03:04:05.000Z,,"He said ""hi"", then left",phishing;ransomware`);
  });

  it('leaves out rows whose validUntil has passed', () => {
    const out = renderExport('csv', [row('ipv4', '192.0.2.1', { validUntil: new Date('2025-03-04T05:06:07Z') }), row('ipv4', '192.0.2.2', { validUntil: new Date('2026-01-01T00:00:00Z') })], base);
    expect(out.body).not.toContain('192.0.2.1');
    expect(out.body).toContain('192.0.2.2,GREEN,80,2026-01-01T00:00:00.000Z');
  });

  it('parses back to the same rows and cells, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ value: nasty, title: nasty, tags: fc.array(nasty, { maxLength: 3 }) }), { minLength: 1, maxLength: 5 }), (inputs) => {
        const rows = inputs.map((i) => row('filename', i.value, { eventTitle: i.title, tags: i.tags }));
        const records = parse(renderExport('csv', rows, base).body);
        expect(records).toHaveLength(rows.length + 1);
        const unguard = (cell: string, input: string) => (/^[=+\-@\t\r]/.test(input) ? cell.replace(/^'/, '') : cell);
        records.slice(1).forEach((cells, i) => {
          expect(cells).toHaveLength(10);
          expect(unguard(cells[2]!, inputs[i]!.value)).toBe(inputs[i]!.value);
          expect(unguard(cells[8]!, inputs[i]!.title)).toBe(inputs[i]!.title);
          // Guarded exactly when the text starts like a formula.
          expect(cells[2]!.startsWith("'") && !inputs[i]!.value.startsWith("'")).toBe(/^[=+\-@\t\r]/.test(inputs[i]!.value));
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderExport: plain', () => {
  it('writes the values of one type, once, and skips values with a line break', () => {
    const rows = [row('domain', 'evil.example'), row('ipv4', '192.0.2.1'), row('domain', 'evil.example'), row('domain', 'a.example\nb.example'), row('domain', 'c.test')];
    const out = renderExport('plain', rows, { ...base, type: 'domain' });
    expect(out.body).toBe('evil.example\nc.test\n');
    expect(out.fileName).toBe('zdn-test-feed-domain-tlp-green.txt');
    expect(() => renderExport('plain', rows, base)).toThrow(RangeError);
  });
});

describe('renderExport: suricata', () => {
  it('writes one rule per supported row, with sid, TLP metadata and the marking comment', () => {
    const rows = [
      row('ipv4', '192.0.2.1', { seq: 1 }),
      row('cidr', '198.51.100.0/24', { seq: 2, tlp: 'AMBER' }),
      row('ipv6', '2001:db8::1', { seq: 3 }),
      row('domain', 'evil.example', { seq: 4 }),
      row('url', 'https://evil.example/a/b?c=1#frag', { seq: 5 }),
      row('ja3', 'E7D705A3286E19EA42F587B344EE6865', { seq: 6 }),
      row('user-agent', 'Evil"Agent;1|x\\y', { seq: 7, eventTitle: 'Title "q"; \\ x\ny' }),
      row('sha256', 'a'.repeat(64), { seq: 8 }),
    ];
    const out = renderExport('suricata', rows, { ...base, sidBase: 1_000_000 });
    expect(out.fileName).toBe('zdn-test-feed-tlp-amber.rules');
    expect(lines(out.body)).toEqual([
      '# ZDN test feed | generated 2025-03-04T05:06:07.000Z | TLP:AMBER | 7 indicators',
      'alert ip $HOME_NET any <> 192.0.2.1 any (msg:"Wachtpost ZDN ipv4 Phishing wave"; metadata:tlp GREEN, confidence 80; sid:1000001; rev:1;)',
      'alert ip $HOME_NET any <> 198.51.100.0/24 any (msg:"Wachtpost ZDN cidr Phishing wave"; metadata:tlp AMBER, confidence 80; sid:1000002; rev:1;)',
      'alert ip $HOME_NET any <> 2001:db8::1 any (msg:"Wachtpost ZDN ipv6 Phishing wave"; metadata:tlp GREEN, confidence 80; sid:1000003; rev:1;)',
      'alert dns any any -> any any (msg:"Wachtpost ZDN domain Phishing wave"; dns.query; dotprefix; content:".evil.example"; nocase; endswith; metadata:tlp GREEN, confidence 80; sid:1000004; rev:1;)',
      'alert http $HOME_NET any -> any any (msg:"Wachtpost ZDN url Phishing wave"; flow:established,to_server; http.host; content:"evil.example"; bsize:12; http.uri; content:"/a/b?c=1"; startswith; metadata:tlp GREEN, confidence 80; sid:1000005; rev:1;)',
      'alert tls $HOME_NET any -> any any (msg:"Wachtpost ZDN ja3 Phishing wave"; ja3.hash; content:"e7d705a3286e19ea42f587b344ee6865"; metadata:tlp GREEN, confidence 80; sid:1000006; rev:1;)',
      'alert http $HOME_NET any -> any any (msg:"Wachtpost ZDN user-agent Title \\"q\\"\\; \\\\ x y"; flow:established,to_server; http.user_agent; content:"Evil|22|Agent|3B|1|7C|x|5C|y"; bsize:16; metadata:tlp GREEN, confidence 80; sid:1000007; rev:1;)',
    ]);
    expect(renderExport('suricata', [row('ipv4', '192.0.2.9', { seq: 5 })], base).body).toContain('sid:9000005;');
    expect(() => renderExport('suricata', rows, { ...base, type: 'md5' })).toThrow(RangeError);
  });

  it('gives well-formed single-line rules whose msg and content decode to the input (property)', () => {
    const keywords = new Set(['msg', 'flow', 'dns.query', 'dotprefix', 'content', 'nocase', 'endswith', 'http.host', 'bsize', 'http.uri', 'startswith', 'ja3.hash', 'http.user_agent', 'metadata', 'sid', 'rev']);
    const type = fc.constantFrom<ExportIndicatorType>('user-agent', 'url', 'domain', 'hostname', 'ipv4', 'ipv6', 'cidr', 'ja3');
    fc.assert(
      fc.property(fc.array(fc.record({ type, value: nasty, title: nasty }), { minLength: 1, maxLength: 6 }), nasty, (inputs, feedName) => {
        const rows = inputs.map((i, n) => row(i.type, i.value, { eventTitle: i.title, seq: n + 1 }));
        const body = renderExport('suricata', rows, { ...base, feedName }).body;
        const [comment, ...rules] = lines(body);
        expect(comment).toMatch(/^# .* \| TLP:[A-Z+]+ \| \d+ indicators$/);
        for (const rule of rules) {
          const options = parseRuleOptions(rule);
          for (const o of options) expect(keywords.has(o.key), o.key).toBe(true);
          const input = rows[Number(options.find((o) => o.key === 'sid')!.value) - 9_000_001]!;
          expect(unescapeMsg(options[0]!.value!)).toBe(Array.from(`Wachtpost ZDN ${input.type} ${input.eventTitle}`.replace(/[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/gu, ' ')).slice(0, 200).join(''));
          const contents = options.filter((o) => o.key === 'content').map((o) => decodeContent(o.value!));
          if (input.type === 'user-agent') expect(contents).toEqual([Buffer.from(input.value, 'utf8')]);
        }
        // Every non-empty user agent gets its rule: nothing is lost to escaping.
        expect(rules.filter((r) => r.includes('http.user_agent'))).toHaveLength(rows.filter((r) => r.type === 'user-agent' && r.value !== '').length);
      }),
      { numRuns: 300 },
    );
  });
});

/** Splits the option list the way Suricata does: on ';' not escaped with a backslash. */
function parseRuleOptions(rule: string): { key: string; value?: string }[] {
  const m = /^alert (ip|dns|http|tls) (\S+) (\S+) (->|<>) (\S+) (\S+) \((.*)\)$/.exec(rule);
  expect(m, rule).not.toBeNull();
  const options: { key: string; value?: string }[] = [];
  let current = '';
  let escaped = false;
  for (const ch of m![7]!) {
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ';') {
      const text = current.trim();
      const colon = text.indexOf(':');
      options.push(colon < 0 ? { key: text } : { key: text.slice(0, colon), value: text.slice(colon + 1) });
      current = '';
      continue;
    }
    current += ch;
  }
  expect(current.trim()).toBe('');
  expect(options[0]?.key).toBe('msg');
  return options;
}

function unescapeMsg(value: string): string {
  const m = /^"((?:[^"\\]|\\[\\";])*)"$/.exec(value);
  expect(m, value).not.toBeNull();
  return m![1]!.replace(/\\(.)/g, '$1');
}

/** A content value holds no raw '"', ';', '\\' or ':'; '|' only delimits hex bytes. */
function decodeContent(value: string): Buffer {
  const m = /^"([^"\\;:]*)"$/.exec(value);
  expect(m, value).not.toBeNull();
  const parts = m![1]!.split('|');
  expect(parts.length % 2).toBe(1);
  return Buffer.concat(parts.map((part, i) => {
    if (i % 2 === 0) return Buffer.from(part, 'latin1');
    expect(part).toMatch(/^[0-9A-F]{2}( [0-9A-F]{2})*$/);
    return Buffer.from(part.replace(/ /g, ''), 'hex');
  }));
}

describe('renderExport: suricata-dataset', () => {
  it('writes hex for hashes, base64 for strings, addresses as text, and no comments', () => {
    const rows = [row('md5', 'D41D8CD98F00B204E9800998ECF8427E'), row('domain', 'evil.example'), row('domain', 'bad name.example'), row('ipv4', '192.0.2.1'), row('cidr', '192.0.2.0/24'), row('user-agent', 'x'.repeat(800))];
    expect(renderExport('suricata-dataset', rows, { ...base, type: 'md5' }).body).toBe('d41d8cd98f00b204e9800998ecf8427e\n');
    expect(renderExport('suricata-dataset', rows, { ...base, type: 'domain' }).body).toBe(`${Buffer.from('evil.example').toString('base64')}\n`);
    expect(renderExport('suricata-dataset', rows, { ...base, type: 'ipv4' }).body).toBe('192.0.2.1\n');
    // Suricata reads dataset lines into 1024 bytes; a longer line would load as garbage.
    expect(renderExport('suricata-dataset', rows, { ...base, type: 'user-agent' }).body).toBe('');
    // ja3.hash is hex text, and an md5 set compares raw digests: JA3 goes in a string set.
    expect(renderExport('suricata-dataset', [row('ja3', 'E7D705A3286E19EA42F587B344EE6865')], { ...base, type: 'ja3' }).body).toBe(`${Buffer.from('e7d705a3286e19ea42f587b344ee6865').toString('base64')}\n`);
    expect(() => renderExport('suricata-dataset', rows, { ...base, type: 'cidr' })).toThrow(RangeError);
    expect(() => renderExport('suricata-dataset', rows, base)).toThrow(RangeError);
  });
});

describe('renderExport: zeek', () => {
  it('writes an Intel file with Zeek types, URLs without scheme and - for empty fields', () => {
    const rows = [row('ipv4', '192.0.2.1'), row('cidr', '2001:db8::/32'), row('hostname', 'c2.evil.example'), row('url', 'http://evil.example:8080/x?y#z'), row('sha256', 'A'.repeat(64)), row('email', 'ceo@evil.example'), row('filename', '#invoice\t.pdf.exe'), row('user-agent', 'EvilAgent/1.0'), row('ja3', 'e7d705a3286e19ea42f587b344ee6865')];
    const out = renderExport('zeek', rows, base);
    expect(out.fileName).toBe('zdn-test-feed-tlp-green.intel');
    const desc = 'Phishing wave (TLP:GREEN, confidence 80)';
    expect(lines(out.body)).toEqual([
      '# ZDN test feed | generated 2025-03-04T05:06:07.000Z | TLP:GREEN | 8 indicators',
      '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url',
      ...[
        ['192.0.2.1', 'Intel::ADDR'], ['2001:db8::/32', 'Intel::SUBNET'], ['c2.evil.example', 'Intel::DOMAIN'], ['evil.example:8080/x?y', 'Intel::URL'],
        ['a'.repeat(64), 'Intel::FILE_HASH'], ['ceo@evil.example', 'Intel::EMAIL'], ['\\x23invoice\\x09.pdf.exe', 'Intel::FILE_NAME'], ['EvilAgent/1.0', 'Intel::SOFTWARE'],
      ].map(([indicator, type]) => `${indicator}\t${type}\tZDN test feed\t${desc}\t-`),
    ]);
  });

  it('keeps every line at the header field count, and the indicator decodes back (property)', () => {
    // What Zeek's reader does: \xNN is one byte, the rest is the UTF-8 text.
    const zeekUnescape = (s: string) => Buffer.concat(s.split(/(\\x[0-9a-f]{2})/).map((p) => (/^\\x[0-9a-f]{2}$/.test(p) ? Buffer.from(p.slice(2), 'hex') : Buffer.from(p, 'utf8')))).toString('utf8');
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.constantFrom<ExportIndicatorType>('filename', 'user-agent', 'email', 'domain', 'url', 'ipv4'), value: nasty, title: nasty }), { maxLength: 6 }), nasty, (inputs, feedName) => {
        const rows = inputs.map((i) => row(i.type, i.value, { eventTitle: i.title }));
        const all = lines(renderExport('zeek', rows, { ...base, feedName }).body);
        expect(all[0]!.startsWith('# ')).toBe(true);
        expect(all[1]).toBe(`#fields\t${ZEEK_FIELDS.join('\t')}`);
        for (const line of all.slice(2)) {
          expect(line.startsWith('#')).toBe(false);
          const fields = line.split('\t');
          expect(fields).toHaveLength(ZEEK_FIELDS.length);
          expect(fields.every((f) => f !== '')).toBe(true);
          expect(zeekUnescape(fields[2]!)).toBe(feedName === '' ? '-' : wellFormed(feedName));
        }
        const literal = rows.filter((r) => ['filename', 'user-agent', 'email'].includes(r.type) && r.value !== '').map((r) => wellFormed(r.value));
        const written = all.slice(2).map((l) => zeekUnescape(l.split('\t')[0]!));
        for (const value of literal) expect(written).toContain(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderExport: rpz', () => {
  it('writes the zone head, names with their subdomains, and RPZ IP triggers', () => {
    const rows = [
      row('domain', 'evil.example'), row('hostname', 'C2.Evil.Test'), row('ipv4', '192.0.2.1'), row('cidr', '198.51.100.0/24', { tlp: 'AMBER+STRICT' }),
      row('ipv6', '2001:db8::1'), row('cidr', '2001:db8::/32'), row('cidr', '2001:db8:0:1::/64'),
      row('domain', 'evil_host.example'), row('domain', '-bad.example'), row('domain', 'a b.example'), row('domain', 'example'), row('cidr', '192.0.0.0/7'), row('url', 'http://evil.example/'),
    ];
    const out = renderExport('rpz', rows, base);
    expect(out.fileName).toBe('zdn-test-feed-tlp-amber-strict.rpz');
    expect(out.body).toBe(
      [
        '; ZDN test feed | generated 2025-03-04T05:06:07.000Z | TLP:AMBER+STRICT | 7 indicators',
        '$TTL 300',
        '$ORIGIN rpz.wachtpost.example.',
        `@ IN SOA localhost. hostmaster.localhost. ${generatedAt.getTime() / 1000} 3600 600 604800 300`,
        '@ IN NS localhost.',
        'evil.example CNAME .', '*.evil.example CNAME .', 'c2.evil.test CNAME .', '*.c2.evil.test CNAME .',
        '32.1.2.0.192.rpz-ip CNAME .', '24.0.100.51.198.rpz-ip CNAME .',
        '128.1.zz.db8.2001.rpz-ip CNAME .', '32.zz.db8.2001.rpz-ip CNAME .', '64.zz.1.0.db8.2001.rpz-ip CNAME .',
        '',
      ].join('\n'),
    );
    expect(renderExport('rpz', [], { ...base, rpzOrigin: 'Block.Hospital.Example' }).body).toContain('$ORIGIN block.hospital.example.\n');
    expect(() => renderExport('rpz', [], { ...base, rpzOrigin: 'bad origin.example.' })).toThrow(RangeError);
  });

  it('never writes an owner name outside [a-z0-9.*-] (property)', () => {
    const ipLike = fc.oneof(fc.ipV4(), fc.ipV6(), fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 0, max: 130 })).map(([ip, p]) => `${ip}/${p}`));
    const value = fc.oneof(nasty, fc.domain(), ipLike);
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.constantFrom<ExportIndicatorType>('domain', 'hostname', 'ipv4', 'ipv6', 'cidr', 'url'), value }), { maxLength: 8 }), nasty, (inputs, feedName) => {
        const body = renderExport('rpz', inputs.map((i) => row(i.type, i.value)), { ...base, feedName }).body;
        const [comment, ...rest] = lines(body);
        expect(comment!.startsWith('; ')).toBe(true);
        for (const line of rest.slice(4)) {
          const m = /^(\S+) CNAME \.$/.exec(line);
          expect(m, line).not.toBeNull();
          expect(m![1]).toMatch(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderExport: EDLs', () => {
  const rows = [
    row('ipv4', '192.0.2.1'), row('cidr', '198.51.100.0/24'), row('ipv6', '2001:db8::1'), row('domain', 'evil.example'), row('hostname', 'c2.evil.test'),
    row('url', 'https://evil.example/login?next=1#top'), row('url', 'http://evil.test'), row('url', 'http://evil.example/*'), row('url', 'http://evil.example/a b'), row('sha1', 'B'.repeat(40)),
  ];
  it('Palo Alto: one list per type group, URLs without scheme, no comments', () => {
    const ip = renderExport('edl-paloalto', rows, { ...base, type: 'ipv6' });
    expect(ip.body).toBe('192.0.2.1\n198.51.100.0/24\n2001:db8::1\n');
    expect(ip.fileName).toBe('zdn-test-feed-paloalto-ip-tlp-green.txt');
    expect(renderExport('edl-paloalto', rows, { ...base, type: 'domain' }).body).toBe('evil.example\nc2.evil.test\n');
    expect(renderExport('edl-paloalto', rows, { ...base, type: 'url' }).body).toBe('evil.example/login?next=1\nevil.test/\n');
    expect(() => renderExport('edl-paloalto', rows, base)).toThrow(RangeError);
    expect(() => renderExport('edl-paloalto', rows, { ...base, type: 'md5' })).toThrow(RangeError);
  });
  it('Fortinet: URLs keep their scheme (not the fragment); hashes have their own feed', () => {
    expect(renderExport('edl-fortinet', rows, { ...base, type: 'url' }).body).toBe('https://evil.example/login?next=1\nhttp://evil.test\n');
    expect(renderExport('edl-fortinet', rows, { ...base, type: 'md5' }).body).toBe(`${'b'.repeat(40)}\n`);
  });
  it('never writes whitespace or control characters into an entry (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.constantFrom(...EXPORT_INDICATOR_TYPES), value: nasty }), { maxLength: 8 }), fc.constantFrom<ExportIndicatorType>('ipv4', 'domain', 'url'), (inputs, type) => {
        for (const format of ['edl-paloalto', 'edl-fortinet'] as const) {
          for (const line of lines(renderExport(format, inputs.map((i) => row(i.type, i.value)), { ...base, type }).body)) expect(line).toMatch(/^[^\s\p{Cc}]+$/u);
        }
      }),
    );
  });
});

describe('renderExport: every format', () => {
  it('marks the file with the highest TLP of the rows written, in the file name at least', () => {
    for (const tlp of TLP_LEVELS) {
      const rows = [row('ipv4', '192.0.2.1'), row('ipv4', '192.0.2.2', { tlp })];
      for (const format of EXPORT_FORMATS) {
        const type = exportNeedsType(format) ? ('ipv4' as const) : undefined;
        const out = renderExport(format, rows, { ...base, type });
        const expected: Tlp = tlp === 'CLEAR' ? 'GREEN' : tlp;
        expect(out.fileName, format).toContain(`tlp-${expected.toLowerCase().replace('+', '-')}`);
        if (['suricata', 'zeek', 'rpz'].includes(format)) expect(lines(out.body)[0], format).toContain(`TLP:${expected} |`);
      }
    }
  });
  it('refuses a type the format cannot express, and lists what it can', () => {
    for (const format of EXPORT_FORMATS) {
      for (const type of EXPORT_INDICATOR_TYPES) {
        const render = () => renderExport(format, [row(type, 'x')], { ...base, type });
        if (exportTypes(format).includes(type)) expect(render, `${format} ${type}`).not.toThrow();
        else expect(render, `${format} ${type}`).toThrow(RangeError);
      }
    }
  });
  it('never splits a value over lines, in any format (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.constantFrom(...EXPORT_INDICATOR_TYPES), value: nasty, title: nasty }), { maxLength: 6 }), nasty, (inputs, feedName) => {
        const rows = inputs.map((i) => row(i.type, i.value, { eventTitle: i.title }));
        for (const format of EXPORT_FORMATS) {
          if (format === 'csv') continue;
          for (const type of exportNeedsType(format) ? exportTypes(format) : [undefined]) {
            const body = renderExport(format, rows, { ...base, feedName, type }).body;
            expect(body === '' || body.endsWith('\n')).toBe(true);
            // Only Zeek uses a control character (TAB, its separator); nothing has CR or another line break.
            for (const line of lines(body)) expect(format === 'zeek' ? line.replace(/\t/g, '') : line, `${format} ${type}`).not.toMatch(/[\p{Cc}\p{Zl}\p{Zp}]/u);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
