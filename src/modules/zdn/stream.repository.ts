import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Tlp } from '#lib/tlp.ts';
import { EVENT_OBJECT_TYPE, visibleIndicator } from './indicator.repository.ts';

export interface ChangeRow {
  seq: number;
  change: 'new' | 'changed' | 'expired' | 'revoked';
  id: string;
  event_id: string;
  type: string;
  value: string;
  tlp: Tlp;
  confidence: number;
  valid_until: Date | null;
  tags: string[];
  status: string;
  owner_organisation_id: string;
  recipients: { organisationId: string; userId: string | null }[];
}

const changeColumns = sql`c.seq, c.change, i.id, i.event_id, v.type, v.value, i.tlp, i.confidence, i.valid_until, i.tags, i.status,
  i.owner_organisation_id,
  coalesce((SELECT json_agg(json_build_object('organisationId', r.organisation_id, 'userId', r.user_id)) FROM tlp_recipients r
    WHERE r.object_type = ${EVENT_OBJECT_TYPE} AND r.object_id = i.event_id), '[]'::json) AS recipients`;

const normalise = (r: ChangeRow): ChangeRow => ({ ...r, seq: Number(r.seq), confidence: Number(r.confidence) });

/** Every change after a sequence number, with what each subscriber's TLP check needs (the hub filters). */
export async function changesAfter(db: Kysely<DB>, afterSeq: number, limit: number): Promise<ChangeRow[]> {
  const r = await sql<ChangeRow>`SELECT ${changeColumns} FROM zdn_changes c JOIN zdn_indicators i ON i.id = c.indicator_id
    JOIN zdn_values v ON v.id = i.value_id WHERE c.seq > ${afterSeq} ORDER BY c.seq LIMIT ${limit}`.execute(db);
  return r.rows.map(normalise);
}

/** The changes one reader missed (resuming from Last-Event-ID), filtered by the TLP rule in SQL. */
export async function visibleChangesAfter(db: Kysely<DB>, actor: Actor, afterSeq: number, limit: number): Promise<ChangeRow[]> {
  const r = await sql<ChangeRow>`SELECT ${changeColumns} FROM zdn_changes c JOIN zdn_indicators i ON i.id = c.indicator_id
    JOIN zdn_values v ON v.id = i.value_id WHERE c.seq > ${afterSeq} AND ${visibleIndicator(actor)} ORDER BY c.seq LIMIT ${limit}`.execute(db);
  return r.rows.map(normalise);
}

export async function lastSeq(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ seq: number | null }>`SELECT max(seq) AS seq FROM zdn_changes`.execute(db);
  return Number(r.rows[0]?.seq ?? 0);
}
