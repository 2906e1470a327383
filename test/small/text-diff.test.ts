import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdvisoryContent, type AdvisoryContentInput } from '#modules/advisories/advisory.content.ts';
import { diffRevisions, diffSide, diffText } from '#lib/text-diff.ts';

describe('diffText', () => {
  it('returns nothing for two empty texts and one equal part for equal texts', () => {
    expect(diffText('', '')).toEqual([]);
    expect(diffText('same\ntext', 'same\ntext')).toEqual([{ op: 'equal', text: 'same\ntext' }]);
  });

  it('shows a whole insertion or deletion', () => {
    expect(diffText('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(diffText('old text', '')).toEqual([{ op: 'delete', text: 'old text' }]);
  });

  it('marks changed words, not whole paragraphs', () => {
    const before = 'Update to 2.4.1 now.\n\nThe second paragraph stays as it is.\n';
    const after = 'Update to 2.4.2 immediately.\n\nThe second paragraph stays as it is.\n';
    expect(diffText(before, after)).toEqual([
      { op: 'equal', text: 'Update to ' },
      { op: 'delete', text: '2.4.1' },
      { op: 'insert', text: '2.4.2' },
      { op: 'equal', text: ' ' },
      { op: 'delete', text: 'now' },
      { op: 'insert', text: 'immediately' },
      { op: 'equal', text: '.\n\nThe second paragraph stays as it is.\n' },
    ]);
  });

  it('keeps version numbers, CVE ids and host names whole', () => {
    const parts = diffText('See CVE-2026-0001 at vendor.example.', 'See CVE-2026-0002 at psirt.vendor.example.');
    expect(parts.filter((p) => p.op !== 'equal')).toEqual([
      { op: 'delete', text: 'CVE-2026-0001' },
      { op: 'insert', text: 'CVE-2026-0002' },
      { op: 'delete', text: 'vendor.example' },
      { op: 'insert', text: 'psirt.vendor.example' },
    ]);
  });

  it('keeps Markdown lines that did not change together', () => {
    const before = '## Advies\n\n- Patch naar 2.4.1\n- Herstart de dienst\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const after = '## Advies\n\n- Patch naar 2.4.2\n- Herstart de dienst\n- Controleer de logs\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    const parts = diffText(before, after);
    expect(parts[0]).toEqual({ op: 'equal', text: '## Advies\n\n- Patch naar ' });
    expect(parts.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual(['2.4.2', '- Controleer de logs\n']);
    expect(parts.filter((p) => p.op === 'delete').map((p) => p.text)).toEqual(['2.4.1']);
    expect(parts[parts.length - 1]).toEqual({ op: 'equal', text: '\n| a | b |\n|---|---|\n| 1 | 2 |\n' });
  });

  it('never has two adjacent parts with the same op, nor empty parts', () => {
    const parts = diffText('a b c\nd e f\n', 'a x c\nd e y\nz\n');
    for (let i = 0; i < parts.length; i++) {
      expect(parts[i]!.text).not.toBe('');
      if (i > 0) expect(parts[i]!.op).not.toBe(parts[i - 1]!.op);
    }
  });

  it('rebuilds both texts exactly from the parts (property)', () => {
    const text = fc.array(fc.constantFrom('word', 'other', '2.4.1', 'CVE-2026-0001', ' ', '  ', '\n', '\n\n', '- ', '| ', '.', ',', '**', 'é', '😀', '\t'), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const before = a.join('');
        const after = b.join('');
        const parts = diffText(before, after);
        expect(diffSide(parts, 'before')).toBe(before);
        expect(diffSide(parts, 'after')).toBe(after);
        for (const p of parts) expect(p.text).not.toBe('');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (before, after) => {
        const parts = diffText(before, after);
        expect(diffSide(parts, 'before')).toBe(before);
        expect(diffSide(parts, 'after')).toBe(after);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to replace-whole-block for very different large blocks, still exactly', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
    expect(diffText(before, after)).toEqual([
      { op: 'delete', text: before },
      { op: 'insert', text: after },
    ]);
  });
});

describe('diffRevisions', () => {
  const base: AdvisoryContentInput = {
    nl: { title: 'Kwetsbaarheid in Gateway', summary: 'Samenvatting', body: 'Tekst over 2.4.1.', advice: 'Patch.' },
    products: [
      { id: 'P1', vendor: 'Example', name: 'Gateway', versions: '>=2.0 <2.4.1' },
      { id: 'P2', vendor: 'Example', name: 'Console' },
    ],
    vulnerabilities: [{ cve: 'CVE-2026-0001', productStatus: [{ productId: 'P1', status: 'affected' }] }, { cve: 'CVE-2026-0002' }, { title: 'No CVE yet' }],
  };
  const content = (over: Partial<AdvisoryContentInput> = {}) => AdvisoryContent.parse({ ...base, ...over });

  it('reports no change for identical revisions', () => {
    const d = diffRevisions(content(), content());
    expect(d.changed).toBe(false);
    expect(d.fields).toHaveLength(8);
    expect(d.fields.every((f) => !f.changed)).toBe(true);
    expect(d.cves).toEqual({ added: [], removed: [] });
    expect(d.products).toEqual({ added: [], removed: [] });
  });

  it('diffs every text field of both languages', () => {
    const b = content({
      nl: { title: 'Kwetsbaarheid in Gateway', summary: 'Nieuwe samenvatting', body: 'Tekst over 2.4.2.', advice: 'Patch.' },
      en: { title: 'Vulnerability in Gateway', summary: '', body: '', advice: 'Patch now.' },
    });
    const d = diffRevisions(content(), b);
    expect(d.changed).toBe(true);
    expect(d.fields.map((f) => `${f.lang}.${f.field}:${f.changed}`)).toEqual([
      'nl.title:false',
      'nl.summary:true',
      'nl.body:true',
      'nl.advice:false',
      'en.title:true',
      'en.summary:false',
      'en.body:false',
      'en.advice:true',
    ]);
    const body = d.fields.find((f) => f.lang === 'nl' && f.field === 'body')!;
    expect(body.parts).toEqual([
      { op: 'equal', text: 'Tekst over ' },
      { op: 'delete', text: '2.4.1' },
      { op: 'insert', text: '2.4.2' },
      { op: 'equal', text: '.' },
    ]);
    // English was missing before: everything in it is inserted.
    expect(d.fields.find((f) => f.lang === 'en' && f.field === 'title')!.parts).toEqual([{ op: 'insert', text: 'Vulnerability in Gateway' }]);
  });

  it('lists added and removed CVEs', () => {
    const b = content({ vulnerabilities: [{ cve: 'cve-2026-0002' }, { cve: 'CVE-2026-0003' }, { cve: 'CVE-2025-9999' }] });
    const d = diffRevisions(content(), b);
    expect(d.cves).toEqual({ added: ['CVE-2025-9999', 'CVE-2026-0003'], removed: ['CVE-2026-0001'] });
    expect(d.changed).toBe(true);
  });

  it('lists added and removed products by what they are, not by their id', () => {
    const b = content({
      products: [
        { id: 'CSAFPID-0002', vendor: 'Example', name: 'Console' }, // renumbered only
        { id: 'P1', vendor: 'Example', name: 'Gateway', versions: '>=2.0 <2.4.2' }, // range changed
        { id: 'P3', vendor: 'Example', name: 'Agent', versions: '1.0' },
      ],
      vulnerabilities: [{ cve: 'CVE-2026-0001' }, { cve: 'CVE-2026-0002' }],
    });
    const d = diffRevisions(content(), b);
    expect(d.products.added.map((p) => p.label)).toEqual(['Example Gateway >=2.0 <2.4.2', 'Example Agent 1.0']);
    expect(d.products.removed.map((p) => p.label)).toEqual(['Example Gateway >=2.0 <2.4.1']);
    expect(d.products.added[1]!.product.id).toBe('P3');
  });
});
