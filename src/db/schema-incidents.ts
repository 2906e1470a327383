import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the incidents module (migration 0007). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type CaseStatus = 'reported' | 'triage' | 'in_progress' | 'contained' | 'recovered' | 'closed';
export type CaseSeverity = 'low' | 'medium' | 'high' | 'critical';
export type CasePriority = 'p1' | 'p2' | 'p3' | 'p4';
export type CaseIntake = 'portal' | 'mail' | 'phone' | 'analyst';
export type TaskSide = 'cert' | 'participant';
export type CustodyAction = 'upload' | 'download' | 'handover' | 'deletion_requested' | 'deletion_approved' | 'deletion_refused';
export interface ChecklistItem {
  text: string;
  done: boolean;
}
export interface TemplateTask {
  title: string;
  side: TaskSide;
  dueInHours?: number | undefined;
  checklist: string[];
}

export interface IncidentCustomFieldsTable {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'boolean' | 'select';
  options: TextArray;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface IncidentCasesTable {
  id: Generated<string>;
  reference: string;
  title: string;
  description: Generated<string>;
  category_class: Generated<string>;
  category_type: Generated<string>;
  severity: Generated<CaseSeverity>;
  priority: Generated<CasePriority>;
  tlp: Generated<'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED'>;
  pap: Generated<'CLEAR' | 'GREEN' | 'AMBER' | 'RED'>;
  status: Generated<CaseStatus>;
  intake: CaseIntake;
  report: Json<Record<string, unknown>>;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  reporter_phone: string | null;
  advice: Generated<string>;
  custom_fields: Json<Record<string, string | number | boolean>>;
  nis2_applies: Generated<boolean>;
  personal_data: Generated<boolean>;
  aware_at: ColumnType<Date, Date | string | undefined, Date | string>;
  early_warning_at: Timestamp | null;
  notification_at: Timestamp | null;
  final_report_at: Timestamp | null;
  dpa_notified_at: Timestamp | null;
  occurred_at: Timestamp | null;
  opened_at: ColumnType<Date, Date | string | undefined, Date | string>;
  first_response_at: Timestamp | null;
  contained_at: Timestamp | null;
  recovered_at: Timestamp | null;
  closed_at: Timestamp | null;
  merged_into_id: string | null;
  created_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IncidentCaseOrganisationsTable {
  case_id: string;
  organisation_id: string;
}

export interface IncidentCaseGuestsTable {
  case_id: string;
  organisation_id: string;
  invited_by: string | null;
  invited_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface IncidentCaseAssigneesTable {
  case_id: string;
  user_id: string;
}

export interface IncidentCaseLinksTable {
  case_a: string;
  case_b: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface IncidentTemplatesTable {
  id: Generated<string>;
  name: string;
  category_class: string;
  category_type: string | null;
  advice: Generated<string>;
  tasks: Json<TemplateTask[]>;
  created_at: CreatedAt;
}

export interface IncidentTasksTable {
  id: Generated<string>;
  case_id: string;
  title: string;
  side: TaskSide;
  assignee_user_id: string | null;
  due_at: Timestamp | null;
  status: Generated<'open' | 'done'>;
  checklist: Json<ChecklistItem[]>;
  position: Generated<number>;
  template_id: string | null;
  created_at: CreatedAt;
  done_at: Timestamp | null;
}

export interface IncidentEvidenceTable {
  id: Generated<string>;
  case_id: string;
  request_id: string | null;
  file_name: string;
  description: Generated<string>;
  size_bytes: ColumnType<string, number | string | bigint, number | string | bigint>;
  sha256: string;
  storage_name: string;
  encrypted: Generated<boolean>;
  shared: Generated<boolean>;
  uploaded_by: string | null;
  uploaded_by_organisation_id: string | null;
  uploaded_at: CreatedAt;
  deletion_requested_by: string | null;
  deletion_requested_at: Timestamp | null;
  deletion_reason: string | null;
  deleted_at: Timestamp | null;
}

export interface IncidentEvidenceRequestsTable {
  id: Generated<string>;
  case_id: string;
  description: string;
  requested_by: string | null;
  requested_at: CreatedAt;
  fulfilled_at: Timestamp | null;
}

export interface IncidentCustodyTable {
  id: Generated<string>;
  evidence_id: string;
  case_id: string;
  action: CustodyAction;
  actor_user_id: string | null;
  actor_name: string;
  reason: Generated<string>;
  sha256: string;
  details: Json<Record<string, unknown>>;
  at: CreatedAt;
}

export interface IncidentTimelineTable {
  id: Generated<string>;
  case_id: string;
  at: Timestamp;
  source: Generated<string>;
  text: string;
  shared: Generated<boolean>;
  evidence_id: string | null;
  indicator_id: string | null;
  author_user_id: string | null;
  author_organisation_id: string | null;
  created_at: CreatedAt;
}

export interface IncidentObservablesTable {
  id: Generated<string>;
  case_id: string;
  type: string;
  value: string;
  comment: Generated<string>;
  timeline_id: string | null;
  indicator_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface IncidentMessagesTable {
  id: Generated<string>;
  case_id: string;
  internal: Generated<boolean>;
  body: string;
  author_user_id: string | null;
  author_organisation_id: string | null;
  created_at: CreatedAt;
}

export interface IncidentTables {
  incident_custom_fields: IncidentCustomFieldsTable;
  incident_cases: IncidentCasesTable;
  incident_case_organisations: IncidentCaseOrganisationsTable;
  incident_case_guests: IncidentCaseGuestsTable;
  incident_case_assignees: IncidentCaseAssigneesTable;
  incident_case_links: IncidentCaseLinksTable;
  incident_templates: IncidentTemplatesTable;
  incident_tasks: IncidentTasksTable;
  incident_evidence: IncidentEvidenceTable;
  incident_evidence_requests: IncidentEvidenceRequestsTable;
  incident_custody: IncidentCustodyTable;
  incident_timeline: IncidentTimelineTable;
  incident_observables: IncidentObservablesTable;
  incident_messages: IncidentMessagesTable;
}
