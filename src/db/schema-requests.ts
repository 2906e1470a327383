import type { ColumnType, Generated } from 'kysely';

/** Kysely table types of the information requests module (migration 0011). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const REQUEST_STATUSES = ['new', 'answered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_CHANNELS = ['portal', 'mail', 'chat'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export const REQUEST_MESSAGE_KINDS = ['question', 'answer', 'note'] as const;
export type RequestMessageKind = (typeof REQUEST_MESSAGE_KINDS)[number];
export type ChatState = 'waiting' | 'active' | 'ended';
export type RequestLanguage = 'nl' | 'en';
export const KB_TLPS = ['CLEAR', 'GREEN'] as const;
export type KbTlp = (typeof KB_TLPS)[number];

export interface InfoRequestTopicsTable {
  id: Generated<string>;
  name_nl: string;
  name_en: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface InfoRequestsTable {
  id: Generated<string>;
  reference: string;
  organisation_id: string;
  asker_user_id: string | null;
  asker_email: string | null;
  asker_name: ColumnType<string | null, string | null | undefined, string | null>;
  topic: string;
  subject: string;
  channel: RequestChannel;
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  language: ColumnType<RequestLanguage, RequestLanguage | undefined, RequestLanguage>;
  first_answer_due: Timestamp;
  first_answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  mail_token: string;
  chat_state: ColumnType<ChatState | null, ChatState | null | undefined, ChatState | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface InfoRequestMessagesTable {
  id: Generated<string>;
  request_id: string;
  kind: RequestMessageKind;
  channel: RequestChannel;
  author_user_id: string | null;
  from_address: ColumnType<string | null, string | null | undefined, string | null>;
  body: string;
  message_id: ColumnType<string | null, string | null | undefined, string | null>;
  in_reply_to: ColumnType<string | null, string | null | undefined, string | null>;
  pgp: ColumnType<string | null, string | null | undefined, string | null>;
  held: Generated<boolean>;
  created_at: CreatedAt;
}

export interface InfoRequestHeldMailTable {
  id: Generated<string>;
  message_id: string;
  from_address: string;
  subject: string;
  body: string;
  pgp: string | null;
  reason: string;
  received_at: CreatedAt;
}

export interface InfoRequestCannedAnswersTable {
  id: Generated<string>;
  title: string;
  body: string;
  language: ColumnType<RequestLanguage, RequestLanguage | undefined, RequestLanguage>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KbArticlesTable {
  id: Generated<string>;
  title: string;
  body: string;
  tags: TextArray;
  language: ColumnType<RequestLanguage, RequestLanguage | undefined, RequestLanguage>;
  tlp: ColumnType<KbTlp, KbTlp | undefined, KbTlp>;
  source_request_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RequestTables {
  info_request_topics: InfoRequestTopicsTable;
  info_requests: InfoRequestsTable;
  info_request_messages: InfoRequestMessagesTable;
  info_request_held_mail: InfoRequestHeldMailTable;
  info_request_canned_answers: InfoRequestCannedAnswersTable;
  kb_articles: KbArticlesTable;
}
