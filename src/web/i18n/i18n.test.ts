import { describe, expect, it } from 'vitest';
import { en, nl, parts } from './resources';

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

describe('translations', () => {
  it('have the same keys in Dutch and English', () => {
    const keys = (obj: unknown) =>
      leaves(obj)
        .map(([key]) => key)
        .sort();
    expect(keys(nl)).toEqual(keys(en));
  });

  it('have no empty strings', () => {
    const empty = (obj: unknown) =>
      leaves(obj)
        .filter(([, leaf]) => leaf === '')
        .map(([key]) => key);
    expect(empty(en)).toEqual([]);
    expect(empty(nl)).toEqual([]);
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (text: unknown) =>
      typeof text === 'string' ? (text.match(/{{\s*\w+\s*}}/g) ?? []).sort() : [];
    const nlMap = new Map(leaves(nl));
    const mismatched = leaves(en).filter(
      ([key, text]) => JSON.stringify(vars(text)) !== JSON.stringify(vars(nlMap.get(key))),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('split into parts that never define the same top-level key twice', () => {
    for (const language of ['en', 'nl'] as const) {
      const keys = parts[language].flatMap((part) => Object.keys(part));
      expect(
        keys.filter((key, index) => keys.indexOf(key) !== index),
        language,
      ).toEqual([]);
    }
  });
});
