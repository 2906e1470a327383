import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valuesOfPattern } from '../../src/modules/zdn/import-stix.ts';

/** A STIX string literal: backslash and quote escaped. */
const literal = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

describe('the values of a STIX pattern', () => {
  it('reads equality comparisons joined by OR', () => {
    expect(valuesOfPattern("[domain-name:value = 'bad.example' OR ipv4-addr:value = '192.0.2.7']")).toEqual({
      values: [
        { type: 'domain', value: 'bad.example' },
        { type: 'ipv4', value: '192.0.2.7' },
      ],
    });
    expect(valuesOfPattern("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']")).toEqual({
      values: [{ type: 'sha256', value: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' }],
    });
  });

  it('leaves brackets, OR and quotes inside a value to the value', () => {
    expect(valuesOfPattern("[email-message:subject = 'Re: [EXT] factuur']")).toEqual({ values: [{ type: 'email-subject', value: 'Re: [EXT] factuur' }] });
    expect(valuesOfPattern("[url:value = 'http://bad.example/a?b=1 OR 1=1']")).toEqual({ values: [{ type: 'url', value: 'http://bad.example/a?b=1 OR 1=1' }] });
    expect(valuesOfPattern("[email-message:subject = 'it\\'s ] OR [ here']")).toEqual({ values: [{ type: 'email-subject', value: "it's ] OR [ here" }] });
  });

  it('says why a pattern is not values to block', () => {
    expect(valuesOfPattern("[email-message:subject MATCHES '^[IMPORTANT] Please Review Before']")).toEqual({ error: expect.stringContaining('is not an equality comparison') });
    expect(valuesOfPattern("[domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']")).toEqual({ error: 'only a single observation expression is imported' });
    expect(valuesOfPattern("[domain-name:value = 'a.example'] WITHIN 10 SECONDS")).toEqual({ error: 'only a single observation expression is imported' });
    expect(valuesOfPattern("[domain-name:value = 'a.example]")).toEqual({ error: 'a string in the pattern is not closed' });
    expect(valuesOfPattern("domain-name:value = 'a.example'")).toEqual({ error: 'only a single observation expression is imported' });
    expect(valuesOfPattern("[process:name = 'x']")).toEqual({ error: 'process:name is not a property we share' });
  });

  it('gives back any value written as a literal (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.string({ minLength: 1, maxLength: 60 }), (a, b) => {
        expect(valuesOfPattern(`[email-message:subject = ${literal(a)} OR email-message:subject = ${literal(b)}]`)).toEqual({
          values: [
            { type: 'email-subject', value: a },
            { type: 'email-subject', value: b },
          ],
        });
      }),
    );
  });
});
