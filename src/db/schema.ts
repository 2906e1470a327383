import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IncidentTables } from './schema-incidents.ts';
import type { CvdTables } from './schema-cvd.ts';
import type { MonitoringTables } from './schema-monitoring.ts';
import type { CommunityTables } from './schema-community.ts';
import type { MeetingTables } from './schema-meetings.ts';
import type { RequestTables } from './schema-requests.ts';
import type { PublicationTables } from './schema-publications.ts';
import type { IntakeTables } from './schema-intake.ts';
import type { DigestTables } from './schema-digests.ts';

// Kysely's view of the tables in migrations/. Keep the two in step: a column added in SQL is
// added here in the same commit.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: Generated<string>;
  kind: 'cert' | 'participant' | 'vendor' | 'partner';
  name: string;
  short_name: string | null;
  segment: string | null;
  membership_status: Generated<'prospect' | 'active' | 'suspended' | 'ended'>;
  /** The participant delegated its CVD to the CERT (its security.txt points at the CERT's form). */
  cvd_delegated: Generated<boolean>;
  member_since: ColumnType<string | null, string | null | undefined, string | null>;
  member_until: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PartnerClientsTable {
  partner_id: string;
  client_id: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  name: string;
  role: 'cert-admin' | 'cert-analyst' | 'participant-admin' | 'participant-member' | 'partner';
  status: Generated<'invited' | 'active' | 'disabled'>;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  locale: Generated<'nl' | 'en'>;
  last_login_at: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  stage: 'full' | 'totp' | 'totp_setup';
  csrf_token: string;
  pending_totp_secret: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string[];
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PasswordTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: 'invitation' | 'reset';
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: Timestamp | null;
}

export interface ContactsTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  email: string;
  kind: Generated<'person' | 'function'>;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  phone: string | null;
  subscriptions: ColumnType<string[], string[] | undefined, string[]>;
  pgp_public_key: string | null;
  pgp_fingerprint: string | null;
  pgp_user_ids: string[] | null;
  pgp_expires_at: Timestamp | null;
  user_id: string | null;
  only_relevant: Generated<boolean>;
  email_failing_since: Timestamp | null;
  email_failure: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AssetProduct {
  vendor: string;
  product: string;
  version: string | null;
  cpe: string | null;
  purl: string | null;
  medicalDevice: boolean;
  model: string | null;
}

export interface AssetsTable {
  id: Generated<string>;
  organisation_id: string;
  type: 'ip_range' | 'asn' | 'domain' | 'product';
  value: string;
  include_subdomains: Generated<boolean>;
  range_start: string | null;
  range_end: string | null;
  product: Json<AssetProduct | null> | null;
  status: Generated<'proposed' | 'approved' | 'rejected'>;
  reject_reason: string | null;
  proposed_by: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface DocumentsTable {
  id: Generated<string>;
  owner_organisation_id: string;
  title: string;
  description: Generated<string>;
  tlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  file_name: string;
  media_type: string;
  size_bytes: number;
  content: Uint8Array;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface TlpRecipientsTable {
  object_type: string;
  object_id: string;
  organisation_id: string;
  user_id: string | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  at: Timestamp;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_organisation_id: string | null;
  on_behalf_of: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  singleton: Generated<boolean>;
  seq: number;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  kind: 'mail' | 'delivery' | 'dispatch' | 'webhook' | 'digest';
  dedupe_key: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  delivery_id: string | null;
  contact_id: string | null;
  organisation_id: string | null;
  recipient: string | null;
  encrypted: Generated<boolean>;
  permanent_failure: Generated<boolean>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'held';

export interface InstallationSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  subject_type: 'product';
  subject_id: string;
  revision: number;
  tlp: TlpText;
  title: string;
  contacts: number;
  organisations: number;
  encrypted: number;
  held: number;
  webhooks: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export type WebhookFormat = 'json' | 'slack' | 'teams';

export interface WebhooksTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  secret: string;
  max_tlp: Generated<TlpText>;
  kinds: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  last_status: string | null;
  last_attempt_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  subject_type: string | null;
  subject_id: string | null;
  dedupe_key: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

export type AlertResponseStatus = 'received' | 'not_affected' | 'mitigating' | 'patched';

export interface AlertResponsesTable {
  id: Generated<string>;
  product_id: string;
  organisation_id: string;
  status: AlertResponseStatus;
  comment: string | null;
  via: 'link' | 'portal';
  contact_id: string | null;
  user_id: string | null;
  responded_at: CreatedAt;
}

export interface UsedLinksTable {
  token_hash: string;
  used_at: CreatedAt;
}

export interface WebauthnCredentialsTable {
  id: string;
  user_id: string;
  name: string;
  public_key: Uint8Array;
  counter: Generated<number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  backed_up: Generated<boolean>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
}

export interface WebauthnChallengesTable {
  id: Generated<string>;
  challenge: string;
  purpose: 'register' | 'authenticate';
  user_id: string | null;
  session_id: string | null;
  created_at: CreatedAt;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: CreatedAt;
}

export type TlpText = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

export interface SigningKeysTable {
  id: Generated<string>;
  fingerprint: string;
  user_id: string;
  algorithm: string;
  public_key: string;
  private_key: string;
  status: Generated<'active' | 'retired'>;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

export interface ProductCountersTable {
  kind: string;
  year: number;
  last_value: Generated<number>;
}

export interface ProductsTable {
  id: Generated<string>;
  kind: 'advisory' | 'info' | 'alert';
  identifier: string | null;
  status: Generated<'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn'>;
  owner_organisation_id: string;
  author_id: string | null;
  draft_version: Generated<number>;
  draft_tlp: TlpText;
  draft_recipients: ColumnType<string[], string[] | undefined, string[]>;
  draft_content: Json<unknown>;
  draft_title: string;
  change_summary: string | null;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  tlp: TlpText | null;
  current_revision: number | null;
  title: string | null;
  title_en: string | null;
  summary: string | null;
  urgency: 'urgent' | 'normal' | null;
  cves: ColumnType<string[], string[] | undefined, string[]>;
  vendors: ColumnType<string[], string[] | undefined, string[]>;
  product_names: ColumnType<string[], string[] | undefined, string[]>;
  search: ColumnType<string | null, never, never>;
  first_published_at: Timestamp | null;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
  import_source: Json<unknown> | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProductVersionsTable {
  product_id: string;
  version: number;
  tlp: TlpText;
  recipients: ColumnType<string[], string[] | undefined, string[]>;
  content: Json<unknown>;
  saved_by: string | null;
  saved_at: CreatedAt;
}

export interface ProductApprovalsTable {
  product_id: string;
  draft_version: number;
  user_id: string;
  approved_at: CreatedAt;
}

export interface ProductRevisionsTable {
  product_id: string;
  revision: number;
  tlp: TlpText;
  recipients: ColumnType<string[], string[] | undefined, string[]>;
  content: Json<unknown>;
  html: Json<unknown>;
  change_summary: string;
  published_by: string | null;
  approved_by: ColumnType<string[], string[] | undefined, string[]>;
  published_at: CreatedAt;
  csaf_path: string;
  csaf: string;
  csaf_sha256: string;
  csaf_sha512: string;
  csaf_signature: string;
  signing_key_fingerprint: string;
}

export interface ProductRelevanceTable {
  product_id: string;
  organisation_id: string;
}

type TlpColumn = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ZdnEventsTable {
  id: Generated<string>;
  owner_organisation_id: string;
  source_anonymous: Generated<boolean>;
  title: string;
  description: Generated<string>;
  tlp: TlpColumn;
  threat_level: Generated<number>;
  analysis: Generated<number>;
  event_date: ColumnType<string, string | undefined, string>;
  tags: TextArray;
  origin: Generated<'api' | 'misp' | 'stix' | 'csv' | 'text' | 'demo'>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ZdnValuesTable {
  id: Generated<number>;
  type: string;
  value: string;
  range_start: string | null;
  range_end: string | null;
  host: string | null;
  pattern: string | null;
  pattern_type: string | null;
}

export interface ZdnIndicatorsTable {
  id: Generated<string>;
  event_id: string;
  value_id: number;
  owner_organisation_id: string;
  tlp: TlpColumn;
  pap: Generated<'CLEAR' | 'GREEN' | 'AMBER' | 'RED'>;
  confidence: Generated<number>;
  first_seen: Timestamp | null;
  last_seen: Timestamp | null;
  valid_from: ColumnType<Date, Date | string | undefined, Date | string>;
  valid_until: Timestamp | null;
  tags: TextArray;
  comment: Generated<string>;
  status: Generated<'active' | 'pending' | 'held' | 'rejected'>;
  warning: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  modified_at: ColumnType<Date, Date | string | undefined, Date | string>;
  date_added: ColumnType<Date, Date | string | undefined, Date | string>;
  expired_noted_at: Timestamp | null;
  for_detection: Generated<boolean>;
}

export interface ZdnChangesTable {
  seq: Generated<number>;
  indicator_id: string;
  change: 'new' | 'changed' | 'expired' | 'revoked';
  at: CreatedAt;
}

export interface ZdnSightingsTable {
  id: Generated<string>;
  value_id: number;
  indicator_id: string | null;
  organisation_id: string;
  user_id: string | null;
  kind: 'seen' | 'blocked' | 'false-positive';
  count: Generated<number>;
  seen_at: Timestamp;
  share_identity: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ZdnWarninglistsTable {
  id: Generated<string>;
  name: string;
  version: Generated<number>;
  description: Generated<string>;
  type: 'string' | 'substring' | 'hostname' | 'cidr' | 'regex';
  matching_attributes: TextArray;
  entries: string[];
  enabled: Generated<boolean>;
  created_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ZdnHitsTable {
  indicator_id: string;
  organisation_id: string;
  asset_id: string | null;
  created_at: CreatedAt;
}

export interface ZdnTaxiiStatusTable {
  id: Generated<string>;
  organisation_id: string;
  result: Json<unknown>;
  created_at: CreatedAt;
}

export interface DB extends MonitoringTables, IncidentTables, CvdTables, CommunityTables, MeetingTables, RequestTables, PublicationTables, IntakeTables, DigestTables {
  organisations: OrganisationsTable;
  partner_clients: PartnerClientsTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  password_tokens: PasswordTokensTable;
  login_throttle: LoginThrottleTable;
  contacts: ContactsTable;
  assets: AssetsTable;
  documents: DocumentsTable;
  tlp_recipients: TlpRecipientsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  outbox: OutboxTable;
  installation_secrets: InstallationSecretsTable;
  deliveries: DeliveriesTable;
  webhooks: WebhooksTable;
  notifications: NotificationsTable;
  alert_responses: AlertResponsesTable;
  used_links: UsedLinksTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  schema_migrations: SchemaMigrationsTable;
  signing_keys: SigningKeysTable;
  product_counters: ProductCountersTable;
  products: ProductsTable;
  product_versions: ProductVersionsTable;
  product_revisions: ProductRevisionsTable;
  product_approvals: ProductApprovalsTable;
  product_relevance: ProductRelevanceTable;
  zdn_events: ZdnEventsTable;
  zdn_values: ZdnValuesTable;
  zdn_indicators: ZdnIndicatorsTable;
  zdn_changes: ZdnChangesTable;
  zdn_sightings: ZdnSightingsTable;
  zdn_warninglists: ZdnWarninglistsTable;
  zdn_hits: ZdnHitsTable;
  zdn_taxii_status: ZdnTaxiiStatusTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type ContactRow = Selectable<ContactsTable>;
export type AssetRow = Selectable<AssetsTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ProductRow = Selectable<ProductsTable>;
export type ProductRevisionRow = Selectable<ProductRevisionsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
