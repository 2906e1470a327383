import type { ColumnType, Generated } from 'kysely';
import type { Tlp } from '#lib/tlp.ts';

/** Kysely table types of the intake module (migration 0015_intake.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type DefaultNow = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const INTAKE_SOURCE_KINDS = ['csaf', 'rss', 'kev', 'epss', 'mailbox'] as const;
export type IntakeSourceKind = (typeof INTAKE_SOURCE_KINDS)[number];
export const STORY_DECISIONS = ['advisory', 'no_action'] as const;
export type StoryDecision = (typeof STORY_DECISIONS)[number];

export interface StoredProduct {
  vendor: string;
  product: string;
  versions: string | null;
  cpe: string | null;
  purl: string | null;
}
export interface ItemChange {
  at: string;
  fields: string[];
  note: string;
}

export interface IntakeSourcesTable {
  id: Generated<string>;
  kind: IntakeSourceKind;
  name: string;
  url: string | null;
  tlp: Generated<Tlp>;
  interval_minutes: Generated<number>;
  enabled: Generated<boolean>;
  public_keys: TextArray;
  mail_address: string | null;
  cursor: ColumnType<unknown, string | null | undefined, string | null>;
  last_run_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_items: Generated<number>;
  total_items: Generated<number>;
  next_run_at: DefaultNow;
  running_since: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IntakeRunsTable {
  id: Generated<string>;
  source_id: string;
  started_at: Timestamp;
  finished_at: DefaultNow;
  ok: boolean;
  new_items: Generated<number>;
  updated_items: Generated<number>;
  warnings: TextArray;
  error: string | null;
}

export interface IntakeStoriesTable {
  id: Generated<string>;
  title: string;
  summary: Generated<string>;
  cves: TextArray;
  advisory_ids: TextArray;
  vendors: TextArray;
  products: Json<StoredProduct[]>;
  source_ids: TextArray;
  item_count: Generated<number>;
  tlp: Generated<Tlp>;
  first_seen_at: DefaultNow;
  last_activity_at: DefaultNow;
  change_note: string | null;
  kev: Generated<boolean>;
  known_ransomware: Generated<boolean>;
  epss_max: number | null;
  epss_percentile: number | null;
  concerned_organisations: Generated<number>;
  decision: StoryDecision | null;
  decision_reason: string | null;
  advisory_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  media_week: string | null;
  media_item_id: string | null;
  search: ColumnType<string | null, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IntakeItemsTable {
  id: Generated<string>;
  source_id: string;
  story_id: string;
  external_id: string;
  url: string | null;
  title: string;
  summary: Generated<string>;
  published_at: Timestamp | null;
  source_updated_at: Timestamp | null;
  revision: string | null;
  cves: TextArray;
  advisory_ids: TextArray;
  vendors: TextArray;
  products: Json<StoredProduct[]>;
  tlp: Tlp;
  csaf: ColumnType<unknown, string | null | undefined, string | null>;
  content_hash: string;
  changes: Json<ItemChange[]>;
  first_seen_at: DefaultNow;
  last_changed_at: DefaultNow;
}

export interface IntakeStoryReadsTable {
  story_id: string;
  user_id: string;
  read_at: DefaultNow;
}

export interface KevEntriesTable {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  date_added: DateOnly;
  due_date: DateOnly | null;
  short_description: Generated<string>;
  required_action: Generated<string>;
  known_ransomware: Generated<boolean>;
  notes: Generated<string>;
  catalog_version: string | null;
  updated_at: UpdatedAt;
}

export interface EpssScoresTable {
  cve: string;
  epss: number;
  percentile: number;
  model_version: string | null;
  score_date: DateOnly;
}

export interface IntakeTables {
  intake_sources: IntakeSourcesTable;
  intake_runs: IntakeRunsTable;
  intake_stories: IntakeStoriesTable;
  intake_items: IntakeItemsTable;
  intake_story_reads: IntakeStoryReadsTable;
  kev_entries: KevEntriesTable;
  epss_scores: EpssScoresTable;
}
