import type { ColumnType, Generated } from 'kysely';
import type { Tlp } from '#lib/tlp.ts';

/** Kysely table types of the meetings module (migration 0010). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export const MEETING_STATUSES = ['planned', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const RSVP_STATUSES = ['going', 'waiting', 'not_going'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];
export const MATERIAL_KINDS = ['slides', 'minutes', 'other'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];
/** A meeting is for the community or named organisations: never public (CLEAR). */
export const MEETING_TLPS = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const satisfies readonly Tlp[];
export type MeetingTlp = (typeof MEETING_TLPS)[number];

export interface MeetingsTable {
  id: Generated<string>;
  owner_organisation_id: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  agenda: ColumnType<string, string | undefined, string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  place: string | null;
  online_url: string | null;
  capacity: number | null;
  rsvp_deadline: Timestamp | null;
  language: ColumnType<'nl' | 'en', 'nl' | 'en' | undefined, 'nl' | 'en'>;
  tlp: MeetingTlp;
  status: ColumnType<MeetingStatus, MeetingStatus | undefined, MeetingStatus>;
  sequence: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MeetingRsvpsTable {
  meeting_id: string;
  user_id: string;
  organisation_id: string;
  status: RsvpStatus;
  queued_at: ColumnType<Date, Date | string | undefined, Date | string>;
  responded_at: ColumnType<Date, Date | string | undefined, Date | string>;
  reminded_at: Timestamp | null;
}

export interface MeetingMaterialsTable {
  id: Generated<string>;
  meeting_id: string;
  owner_organisation_id: string;
  kind: MaterialKind;
  title: string;
  tlp: MeetingTlp;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface MeetingFeedTokensTable {
  user_id: string;
  token_hash: string;
  // Rotating the token renews the row, and with it this date.
  created_at: UpdatedAt;
}

export interface MeetingTables {
  meetings: MeetingsTable;
  meeting_rsvps: MeetingRsvpsTable;
  meeting_materials: MeetingMaterialsTable;
  meeting_feed_tokens: MeetingFeedTokensTable;
}
