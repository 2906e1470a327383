// Helpers for TanStack Router `validateSearch`: URL search params arrive untyped (and the router
// may have JSON-parsed numbers or booleans), so each filter is narrowed field by field.

export function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function optionalEnum<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/** Drops undefined/empty entries so the URL only carries filters that are actually set. */
export function compact<T extends Record<string, string | undefined>>(search: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key in search) {
    const value = search[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
