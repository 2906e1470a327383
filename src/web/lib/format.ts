// All timestamps are shown in Dutch time regardless of where the browser is, so analysts in
// different places read the same wall-clock time in incident timelines.
export const TIME_ZONE = 'Europe/Amsterdam';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: TIME_ZONE });
    cache.set(key, f);
  }
  return f;
}

function parse(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | Date | null | undefined, locale: string): string {
  if (value === null || value === undefined) return '';
  const date = parse(value);
  if (!date) return String(value);
  return formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

// Plain calendar dates (YYYY-MM-DD) have no time; formatting them at UTC noon keeps the day
// stable in any offset between -12 and +12 hours.
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
  const date = parse(plain);
  if (!date) return value;
  return formatter(locale, { dateStyle: 'medium' }).format(date);
}

function amsterdamParts(date: Date): Record<string, number> {
  const parts = formatter('en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const out: Record<string, number> = {};
  for (const part of parts) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out;
}

function offsetMs(date: Date): number {
  const p = amsterdamParts(date);
  const asUtc = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** Interprets a `datetime-local` value (YYYY-MM-DDTHH:mm) as Amsterdam time and returns ISO UTC. */
export function amsterdamLocalToIso(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const naiveUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Two passes settle the offset correctly around DST transitions.
  let guess = naiveUtc - offsetMs(new Date(naiveUtc));
  guess = naiveUtc - offsetMs(new Date(guess));
  return new Date(guess).toISOString();
}

/** Inverse of amsterdamLocalToIso, for filling a `datetime-local` input from an ISO value. */
export function isoToAmsterdamLocal(iso: string): string {
  const date = parse(iso);
  if (!date) return '';
  const p = amsterdamParts(date);
  const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${p.year ?? 0}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** Intl locale for a UI language: European date order for English too. */
export function intlLocale(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'nl-NL';
}
