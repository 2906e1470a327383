import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the publications module (migration 0012). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const PUBLICATION_KINDS = ['whitepaper', 'factsheet'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];
export const PUBLICATION_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];
export const PUBLICATION_LANGUAGES = ['nl', 'en'] as const;
export type PublicationLanguage = (typeof PUBLICATION_LANGUAGES)[number];
/** Who a publication is for, on top of its TLP marking (see access/policy-publications.ts). */
export const PUBLICATION_AUDIENCES = ['community', 'participants', 'segments', 'contact_roles'] as const;
export type PublicationAudience = (typeof PUBLICATION_AUDIENCES)[number];

export interface PublicationsTable {
  id: Generated<string>;
  owner_organisation_id: string;
  kind: PublicationKind;
  title: string;
  summary: Generated<string>;
  tags: TextArray;
  language: PublicationLanguage;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  audience: Generated<PublicationAudience>;
  audience_segments: TextArray;
  audience_contact_roles: TextArray;
  review_by: DateOnly | null;
  status: Generated<PublicationStatus>;
  current_version: number | null;
  first_published_at: Timestamp | null;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
  search: ColumnType<string | null, never, never>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PublicationVersionsTable {
  id: Generated<string>;
  publication_id: string;
  version: number;
  source: 'markdown' | 'upload';
  markdown: string | null;
  file_name: string;
  pdf: Uint8Array | null;
  pdf_sha256: string | null;
  size_bytes: number | null;
  rendered_at: Timestamp | null;
  change_note: Generated<string>;
  public_downloads: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  published_at: Timestamp | null;
}

export interface PublicationDownloadsTable {
  version_id: string;
  user_id: string;
  day: DateOnly;
}

export interface PublicationTables {
  publications: PublicationsTable;
  publication_versions: PublicationVersionsTable;
  publication_downloads: PublicationDownloadsTable;
}
