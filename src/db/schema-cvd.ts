import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the coordinated vulnerability disclosure module (migration 0008). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;
type DateOnly = ColumnType<string, string, string>;
type UuidArray = ColumnType<string[], string[] | undefined, string[]>;

export const CVD_STATUSES = ['received', 'triaged', 'coordinating', 'fixed', 'disclosed', 'rejected', 'out_of_scope'] as const;
export type CvdStatus = (typeof CVD_STATUSES)[number];
/** The statuses that end a case. */
export const CVD_CLOSED_STATUSES: readonly CvdStatus[] = ['disclosed', 'rejected', 'out_of_scope'];
export type CvdIntake = 'form' | 'mail' | 'analyst';

/**
 * The moves a case may make. Rejecting and out of scope need a reason; so does reopening a closed
 * case (to 'triaged' or, after disclosure, back to 'coordinating'). The service and the web app
 * both read this one table.
 */
export const CVD_NEXT_STATUSES: Record<CvdStatus, readonly CvdStatus[]> = {
  received: ['triaged', 'coordinating', 'rejected', 'out_of_scope'],
  triaged: ['coordinating', 'fixed', 'rejected', 'out_of_scope'],
  coordinating: ['fixed', 'disclosed', 'rejected', 'triaged'],
  fixed: ['disclosed', 'coordinating'],
  disclosed: ['coordinating'],
  rejected: ['triaged'],
  out_of_scope: ['triaged'],
};

/** A move that must say why: rejecting, out of scope, and reopening a closed case. */
export function cvdMoveNeedsReason(from: CvdStatus, to: CvdStatus): boolean {
  return to === 'rejected' || to === 'out_of_scope' || CVD_CLOSED_STATUSES.includes(from);
}
export const CVD_TARGET_KINDS = ['website', 'system', 'product'] as const;
export type CvdTargetKind = (typeof CVD_TARGET_KINDS)[number];
export const CVD_CREDITS = ['none', 'name', 'alias', 'anonymous'] as const;
export type CvdCredit = (typeof CVD_CREDITS)[number];
export const CVD_PARTY_KINDS = ['finder', 'participant', 'manufacturer', 'cert', 'other'] as const;
export type CvdPartyKind = (typeof CVD_PARTY_KINDS)[number];
export const CVD_PARTY_STATUSES = ['notified', 'acknowledged', 'fix_planned', 'fixed', 'not_affected'] as const;
export type CvdPartyStatus = (typeof CVD_PARTY_STATUSES)[number];

/** Which kinds of organisation a party of each kind may be (an outside party has no organisation). */
export const CVD_PARTY_ORGANISATION_KINDS: Record<Exclude<CvdPartyKind, 'finder'>, readonly ('cert' | 'participant' | 'vendor' | 'partner')[]> = {
  participant: ['participant'],
  manufacturer: ['vendor', 'partner'],
  cert: ['cert', 'partner'],
  other: ['vendor', 'partner', 'participant'],
};
export type CvdDirection = 'in' | 'out' | 'note';
export type CvdLanguage = 'nl' | 'en';

/** Who a report concerns, as the scope check found it. */
export interface CvdScope {
  organisations: { id: string; name: string; via: 'ip' | 'domain' | 'asn' | 'product' | 'delegated'; matched: string }[];
  checkedAt: string | null;
}

export interface CvdCasesTable {
  id: Generated<string>;
  reference: string;
  status: Generated<CvdStatus>;
  intake: CvdIntake;
  target_kind: CvdTargetKind;
  target: string | null;
  vendor: string | null;
  product: string | null;
  model: string | null;
  version: string | null;
  title: string;
  description: string;
  steps: Generated<string>;
  impact: Generated<string>;
  credit: Generated<CvdCredit>;
  credit_name: string | null;
  finder_shares_identity: Generated<boolean>;
  finder_shares_attachments: Generated<boolean>;
  encrypted: Generated<boolean>;
  language: Generated<CvdLanguage>;
  mail_message_id: string | null;
  scope: Json<CvdScope>;
  cve_id: string | null;
  cwe_id: string | null;
  cvss_vector: string | null;
  advisory_id: string | null;
  assignee_user_id: string | null;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  first_response_due: Timestamp;
  first_response_at: Timestamp | null;
  disclosure_due: DateOnly;
  disclosed_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CvdPartiesTable {
  id: Generated<string>;
  case_id: string;
  kind: CvdPartyKind;
  organisation_id: string | null;
  name: Generated<string>;
  email: string | null;
  status: Generated<CvdPartyStatus>;
  shares_identity: Generated<boolean>;
  token_hash: string | null;
  language: Generated<CvdLanguage>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CvdMessagesTable {
  id: Generated<string>;
  case_id: string;
  party_id: string | null;
  direction: CvdDirection;
  body: string;
  author_user_id: string | null;
  relayed_from_id: string | null;
  created_at: CreatedAt;
}

export interface CvdAttachmentsTable {
  id: Generated<string>;
  case_id: string;
  party_id: string | null;
  message_id: string | null;
  file_name: string;
  content_type: Generated<string>;
  size_bytes: number;
  sha256: string;
  storage_name: string;
  encrypted: Generated<boolean>;
  shared_with: UuidArray;
  created_at: CreatedAt;
}

export interface CvdEventsTable {
  id: Generated<number>;
  case_id: string;
  at: ColumnType<Date, Date | string | undefined, Date | string>;
  kind: string;
  text: string;
  reason: string | null;
  actor_user_id: string | null;
}

export interface CvdRemindersTable {
  case_id: string;
  clock: 'first_response' | 'disclosure';
  stage: 'soon' | 'overdue';
  sent_at: CreatedAt;
}

export interface CvdFormTicketsTable {
  nonce: string;
  used_at: CreatedAt;
}

export interface CvdTables {
  cvd_cases: CvdCasesTable;
  cvd_parties: CvdPartiesTable;
  cvd_messages: CvdMessagesTable;
  cvd_attachments: CvdAttachmentsTable;
  cvd_events: CvdEventsTable;
  cvd_reminders: CvdRemindersTable;
  cvd_form_tickets: CvdFormTicketsTable;
}
