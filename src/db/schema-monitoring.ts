import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the monitoring module (migration 0006; reports by mail: 0017). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type SourceKind = 'dnsbl' | 'blocklist' | 'shadowserver' | 'nmap' | 'csv' | 'check';
export type FindingStatus = 'new' | 'notified' | 'acknowledged' | 'resolved' | 'accepted_risk';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface MonitoringSourcesTable {
  id: Generated<string>;
  kind: SourceKind;
  name: string;
  config: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  last_run_at: Timestamp | null;
  last_rows: Generated<number>;
  last_errors: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface MonitoringFindingsTable {
  id: Generated<string>;
  organisation_id: string;
  asset_id: string | null;
  type: string;
  subject: string;
  port: Generated<number>;
  severity: Severity;
  status: Generated<FindingStatus>;
  sources: TextArray;
  first_seen: Timestamp;
  last_seen: Timestamp;
  evidence: Json<Record<string, unknown>>;
  evidence_raw: string | null;
  reopened_count: Generated<number>;
  reopened_at: Timestamp | null;
  notified_at: Timestamp | null;
  resolved_at: Timestamp | null;
  recheck_requested_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MonitoringFindingEventsTable {
  id: Generated<string>;
  finding_id: string;
  kind: 'opened' | 'status' | 'reopened' | 'notified' | 'recheck';
  from_status: string | null;
  to_status: string | null;
  actor_user_id: string | null;
  source: string | null;
  note: Generated<string>;
  at: CreatedAt;
}

export interface MonitoringReportsTable {
  id: Generated<string>;
  source_id: string | null;
  source_kind: string;
  report_type: string;
  file_name: Generated<string>;
  received_via: 'upload' | 'folder' | 'mail' | 'schedule' | 'manual';
  rows_total: Generated<number>;
  rows_matched: Generated<number>;
  rows_unmatched: Generated<number>;
  rows_failed: Generated<number>;
  findings_new: Generated<number>;
  findings_reopened: Generated<number>;
  unknown_columns: TextArray;
  columns: TextArray;
  created_by: string | null;
  created_at: CreatedAt;
  /** The sender and Message-ID of the mail that brought the report; null for any other way in. */
  mail_from: ColumnType<string | null, string | null | undefined, string | null>;
  mail_message_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A mail to the monitoring intake whose CSV attachments have all been read: a retry of it reads nothing. */
export interface MonitoringReportMailsTable {
  message_id: string;
  mail_from: string;
  subject: Generated<string>;
  reports: number;
  taken_at: CreatedAt;
}

export interface MonitoringFailedRowsTable {
  report_id: string;
  line: number;
  raw: string;
  reason: string;
}

export interface MonitoringDnsBudgetTable {
  zone: string;
  day: string;
  used: Generated<number>;
}

export interface MonitoringCalendarTable {
  day: ColumnType<string, string, string>;
  working: boolean;
  note: Generated<string>;
}

export interface MonitoringRunsTable {
  kind: string;
  day: string;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
}

export interface MonitoringTables {
  monitoring_sources: MonitoringSourcesTable;
  monitoring_findings: MonitoringFindingsTable;
  monitoring_finding_events: MonitoringFindingEventsTable;
  monitoring_reports: MonitoringReportsTable;
  monitoring_report_mails: MonitoringReportMailsTable;
  monitoring_failed_rows: MonitoringFailedRowsTable;
  monitoring_dns_budget: MonitoringDnsBudgetTable;
  monitoring_calendar: MonitoringCalendarTable;
  monitoring_runs: MonitoringRunsTable;
}
