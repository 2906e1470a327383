import type { ColumnType, Generated } from 'kysely';
import type { Tlp } from '#lib/tlp.ts';

/** Kysely table types of the community module (migration 0009). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const COMMUNITY_PREFERENCE_MODES = ['instant', 'digest', 'never'] as const;
export type CommunityPreferenceMode = (typeof COMMUNITY_PREFERENCE_MODES)[number];

export interface CommunitySpacesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  roles: TextArray;
  organisation_kinds: TextArray;
  segments: TextArray;
  archived_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CommunitySpaceOrganisationsTable {
  space_id: string;
  organisation_id: string;
}

export interface CommunityThreadsTable {
  id: Generated<string>;
  space_id: string;
  title: string;
  author_user_id: string | null;
  author_organisation_id: string;
  pinned: Generated<boolean>;
  locked: Generated<boolean>;
  answer_post_id: string | null;
  created_at: CreatedAt;
  last_activity_at: UpdatedAt;
}

export interface CommunityPostsTable {
  id: Generated<string>;
  thread_id: string;
  opening: Generated<boolean>;
  author_user_id: string | null;
  author_organisation_id: string;
  tlp: Tlp;
  body_md: string;
  body_html: string;
  body_text: string;
  version: Generated<number>;
  edited_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_reason: string | null;
  hidden_by: string | null;
  created_at: CreatedAt;
}

export interface CommunityPostVersionsTable {
  post_id: string;
  version: number;
  title: string | null;
  body_md: string;
  edited_by: string | null;
  created_at: Timestamp;
  replaced_at: CreatedAt;
}

export interface CommunityReactionsTable {
  post_id: string;
  user_id: string;
  kind: string;
  created_at: CreatedAt;
}

export interface CommunityAttachmentsTable {
  id: Generated<string>;
  post_id: string;
  file_name: string;
  media_type: string;
  size_bytes: ColumnType<string, number | string, number | string>;
  sha256: string;
  storage_name: string;
  encrypted: boolean;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface CommunityPreferencesTable {
  user_id: string;
  space_id: string;
  mode: CommunityPreferenceMode;
}

export interface CommunityThreadReadsTable {
  user_id: string;
  thread_id: string;
  read_at: Timestamp;
}

export interface CommunityTables {
  community_spaces: CommunitySpacesTable;
  community_space_organisations: CommunitySpaceOrganisationsTable;
  community_threads: CommunityThreadsTable;
  community_posts: CommunityPostsTable;
  community_post_versions: CommunityPostVersionsTable;
  community_reactions: CommunityReactionsTable;
  community_attachments: CommunityAttachmentsTable;
  community_preferences: CommunityPreferencesTable;
  community_thread_reads: CommunityThreadReadsTable;
}
