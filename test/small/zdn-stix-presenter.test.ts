import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stixObjectJson, type StixSourceRow } from '../../src/modules/zdn/stix.presenter.ts';
import { TLP2_MARKING } from '../../src/modules/zdn/stix-markings.ts';
import { createStixValidator } from '../helpers/stix-validate.ts';

/** The STIX objects the TAXII server and event bundles emit are written as text: they must parse, validate and omit what is absent. */

const identity = 'identity--6d3b1d2e-1c4f-4c55-9b7e-2f0f4f1e9a10';
const row = (over: Partial<StixSourceRow>): StixSourceRow => ({
  id: '0b7e5d56-3f6b-4f1e-8a8e-6f2a1c9d4e21',
  type: 'domain',
  value: 'c2.example',
  pattern: "[domain-name:value = 'c2.example']",
  pattern_type: 'stix',
  tlp: 'GREEN',
  confidence: 70,
  tags: [],
  created: '2026-11-29T08:00:00.123Z',
  modified: '2026-11-29T09:00:00.456Z',
  valid_from: '2026-11-29T08:00:00.123Z',
  valid_until: null,
  ...over,
});
const validator = createStixValidator();

describe('STIX objects written as text', () => {
  it('an indicator: its pattern, marking and creator; no valid_until or labels when there are none', () => {
    const o = JSON.parse(stixObjectJson(row({}), identity)) as Record<string, unknown>;
    expect(o).toEqual({
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--0b7e5d56-3f6b-4f1e-8a8e-6f2a1c9d4e21',
      created_by_ref: identity,
      created: '2026-11-29T08:00:00.123Z',
      modified: '2026-11-29T09:00:00.456Z',
      name: 'domain: c2.example',
      indicator_types: ['malicious-activity'],
      pattern: "[domain-name:value = 'c2.example']",
      pattern_type: 'stix',
      valid_from: '2026-11-29T08:00:00.123Z',
      confidence: 70,
      object_marking_refs: [TLP2_MARKING.GREEN],
    });
    if (validator) expect(validator.validateObject(o)).toEqual([]);
  });

  it('a CVE is a vulnerability with its external reference; tags become labels, valid_until is kept', () => {
    const v = JSON.parse(stixObjectJson(row({ type: 'cve', value: 'CVE-2026-12345', pattern: null, pattern_type: null, tags: ['tlp:amber', 'rsit:vulnerable="vulnerable-system"'], tlp: 'AMBER' }), identity)) as Record<string, unknown>;
    expect(v).toMatchObject({ type: 'vulnerability', id: 'vulnerability--0b7e5d56-3f6b-4f1e-8a8e-6f2a1c9d4e21', name: 'CVE-2026-12345', labels: ['tlp:amber', 'rsit:vulnerable="vulnerable-system"'], object_marking_refs: [TLP2_MARKING.AMBER] });
    expect(v.external_references).toEqual([{ source_name: 'cve', external_id: 'CVE-2026-12345' }]);
    expect(v).not.toHaveProperty('pattern');
    const i = JSON.parse(stixObjectJson(row({ valid_until: '2027-02-27T08:00:00.123Z' }), identity)) as Record<string, unknown>;
    expect(i.valid_until).toBe('2027-02-27T08:00:00.123Z');
    if (validator) {
      expect(validator.validateObject(v)).toEqual([]);
      expect(validator.validateObject(i)).toEqual([]);
    }
  });

  it('a long value is named by its first 200 characters, counted as PostgreSQL counts them (not cut inside a character)', () => {
    const value = `${'🦠'.repeat(150)}${'x'.repeat(100)}`;
    const o = JSON.parse(stixObjectJson(row({ type: 'yara', value, pattern: `rule x { strings: $a = "${'x'.repeat(10)}" condition: $a }`, pattern_type: 'yara' }), identity)) as { name: string };
    expect(o.name).toBe(`yara: ${'🦠'.repeat(150)}${'x'.repeat(50)}`);
  });

  it('any value and tag survive as JSON: quotes, backslashes, control characters and line breaks cannot break out', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 3 }), (value, tags) => {
        const pattern = `[url:value = '${value}']`;
        const o = JSON.parse(stixObjectJson(row({ type: 'url', value, pattern, tags }), identity)) as { pattern: string; labels?: string[]; name: string };
        expect(o.pattern).toBe(pattern);
        expect(o.labels ?? []).toEqual(tags);
        expect(o.name.startsWith('url: ')).toBe(true);
      }),
    );
  });
});
