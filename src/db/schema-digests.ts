import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the digest tables (migration 0016_digests.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type TlpColumn = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

export const DIGEST_KINDS = ['week', 'month'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];
/** week: draft | held → sent; month: draft → in_review → approved → sent. */
export const DIGEST_STATUSES = ['draft', 'held', 'in_review', 'approved', 'sent'] as const;
export type DigestStatus = (typeof DIGEST_STATUSES)[number];
export const DIGEST_ENTRY_KINDS = ['product', 'media', 'link'] as const;
export type DigestEntryKind = (typeof DIGEST_ENTRY_KINDS)[number];

export interface DigestsTable {
  id: Generated<string>;
  kind: DigestKind;
  /** '2026-W48' (ISO week) or '2026-11'. */
  period: string;
  starts_at: Timestamp;
  title: string;
  title_en: string;
  introduction: Generated<string>;
  commentary: Generated<string>;
  status: Generated<DigestStatus>;
  author_id: string | null;
  last_edited_by: string | null;
  last_edited_at: Timestamp | null;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  reviewer_id: string | null;
  approved_at: Timestamp | null;
  scheduled_at: Timestamp | null;
  assembled_at: Timestamp | null;
  sent_at: Timestamp | null;
  sent_by: string | null;
  /** What was sent (content, entries with their markings, figures, recipient counts); null before sending. */
  snapshot: Json<unknown> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DigestEntriesTable {
  id: Generated<string>;
  digest_id: string;
  position: number;
  kind: DigestEntryKind;
  product_id: string | null;
  title: Generated<string>;
  url: string | null;
  source_name: Generated<string>;
  summary: Generated<string>;
  tlp: Generated<TlpColumn>;
  /** The intake story a media item came from (no foreign key: digests never read intake's tables). */
  story_id: string | null;
  added_by: string | null;
  created_at: CreatedAt;
}

export interface DigestTables {
  digests: DigestsTable;
  digest_entries: DigestEntriesTable;
}
