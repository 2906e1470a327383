import { describe, expect, it } from 'vitest';
import { AdvisoryContent } from '#modules/advisories/advisory.content.ts';
import { emptyState, forgetProductId, fromContent, newProduct, newVulnerability, nextProductId, renameProductId, toContent } from './editor-model';

const content = AdvisoryContent.parse({
  nl: { title: 'Kwetsbaarheid in InfuCare', summary: 'Kort', body: '# Tekst', advice: 'Bijwerken' },
  en: null,
  urgency: 'urgent',
  probability: 'high',
  impact: 'medium',
  tags: ['pomp'],
  references: [{ url: 'https://vendor.example/psirt', summary: 'PSIRT' }],
  // Optional fields are given as null, which is how the editor sends an empty input.
  sources: [{ name: 'Vendor PSIRT', url: null, reference: null }],
  products: [
    { id: 'P1', vendor: 'MedTech', name: 'InfuCare', versions: '<4.3', cpe: null, purl: null, medicalDevice: true, model: 'IC-400' },
    { id: 'P2', vendor: 'MedTech', name: 'Hub', cpe: 'cpe:2.3:a:medtech:hub:1.0:*:*:*:*:*:*:*', purl: null, model: null },
  ],
  vulnerabilities: [
    {
      cve: 'CVE-2026-12345',
      cwe: { id: 'CWE-79', name: 'XSS' },
      cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cvssV4: null,
      cvssV2: null,
      knownExploited: true,
      productStatus: [
        { productId: 'P1', status: 'affected' },
        { productId: 'P2', status: 'fixed' },
      ],
      remediations: [{ category: 'vendor_fix', details: 'Update', fixedVersion: '4.3', url: null, productIds: ['P1', 'P2'] }],
    },
  ],
});

describe('editor model', () => {
  it('gives content back unchanged after a round trip through the form', () => {
    const state = fromContent('advisory', 'AMBER', [], content);
    expect(AdvisoryContent.parse(toContent(state))).toEqual(content);
  });

  it('sends empty optional inputs as null, never as empty strings', () => {
    const state = emptyState();
    state.products = [newProduct([])];
    state.vulnerabilities = [newVulnerability()];
    const out = toContent(state);
    expect(out.products?.[0]).toMatchObject({ id: 'P1', cpe: null, purl: null, model: null });
    expect(out.vulnerabilities?.[0]).toMatchObject({ cve: null, cwe: null, cvssV3: null, cvssV4: null });
  });

  it('numbers new products P1, P2, … after the highest such id', () => {
    const first = newProduct([]);
    expect(first.id).toBe('P1');
    expect(newProduct([first]).id).toBe('P2');
    expect(nextProductId([first, { ...first, id: 'P3' }])).toBe('P4');
    expect(nextProductId([{ ...first, id: 'CSAFPID-0001' }])).toBe('P1');
  });

  it('follows a renamed or removed product in statuses and remediations', () => {
    const state = fromContent('advisory', 'AMBER', [], content);
    const renamed = renameProductId(state, 'P1', 'PUMP');
    expect(renamed[0]?.productStatus).toEqual({ PUMP: 'affected', P2: 'fixed' });
    expect(renamed[0]?.remediations[0]?.productIds).toEqual(['PUMP', 'P2']);
    const forgotten = forgetProductId(state, 'P2');
    expect(forgotten[0]?.productStatus).toEqual({ P1: 'affected' });
    expect(forgotten[0]?.remediations[0]?.productIds).toEqual(['P1']);
  });
});
