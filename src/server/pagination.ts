import { sql, type RawBuilder } from 'kysely';
import { badRequest } from './errors.ts';

/**
 * Keyset pagination: the cursor is the (timestamp, id) of the last row seen, opaque to clients.
 * Stable under inserts, unlike offsets, and cheap on any page.
 */

/**
 * The timestamp column as the cursor must carry it: at PostgreSQL's microsecond precision. A JS Date
 * keeps only milliseconds, and a cursor rounded to them skips (or, ascending, repeats) the rows
 * written in the same millisecond as the last row of a page.
 */
export function cursorTimestamp(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeCursor(at: string | Date, id: string): string {
  return Buffer.from(JSON.stringify([typeof at === 'string' ? at : at.toISOString(), id])).toString('base64url');
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only what encodeCursor makes: anything else would reach the database as an invalid timestamp or uuid. */
function validTimestamp(at: string): boolean {
  if (!CURSOR_AT.test(at)) return false;
  const d = new Date(at);
  return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.toISOString().slice(0, 19) === at.slice(0, 19);
}

export function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && validTimestamp(parsed[0]) && typeof parsed[1] === 'string' && UUID.test(parsed[1])) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this API gave out; start again without it.', { field: 'cursor' });
}
