-- Information requests: non-urgent security questions from participants to the CERT's specialists,
-- asked in the portal, by mail or in the secure chat, answered as a ticket; and the knowledge base
-- of anonymised answers every participant may read.

CREATE SEQUENCE info_request_number_seq;

-- Topics the CERT keeps for the "ask a question" form (a participant may also type a topic of their own).
CREATE TABLE info_request_topics (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_nl text NOT NULL,
  name_en text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX info_request_topics_name_key ON info_request_topics (lower(name_nl));

CREATE TABLE info_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- REQ-2026-0001: the year of receipt and a number that never repeats.
  reference text NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  asker_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  -- Where answers are mailed: the asker's address (a user's or a contact's of the organisation).
  asker_email text,
  asker_name text,
  topic text NOT NULL,
  subject text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('portal', 'mail', 'chat')),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered', 'closed')),
  assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  -- The end of the N-th Dutch working day after receipt; met by the CERT's first answer.
  first_answer_due timestamptz NOT NULL,
  first_answered_at timestamptz,
  closed_at timestamptz,
  -- The secret in the subject of every mail about this request ([REQ-2026-0001#token]): a reply
  -- that lost its In-Reply-To still threads, and a guessed reference alone does not.
  mail_token text NOT NULL UNIQUE,
  chat_state text CHECK (chat_state IN ('waiting', 'active', 'ended')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX info_requests_org_idx ON info_requests (organisation_id, created_at DESC);
CREATE INDEX info_requests_created_idx ON info_requests (created_at DESC, id DESC);
CREATE INDEX info_requests_open_idx ON info_requests (first_answer_due) WHERE first_answered_at IS NULL AND closed_at IS NULL;
CREATE INDEX info_requests_chat_idx ON info_requests (chat_state) WHERE chat_state IS NOT NULL;

CREATE TABLE info_request_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES info_requests(id) ON DELETE CASCADE,
  -- note: internal, seen by the CERT only, never mailed.
  kind text NOT NULL CHECK (kind IN ('question', 'answer', 'note')),
  channel text NOT NULL CHECK (channel IN ('portal', 'mail', 'chat')),
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  from_address text,
  body text NOT NULL,
  -- The Message-ID of the mail that brought it or that carried it out (without angle brackets).
  message_id text UNIQUE,
  in_reply_to text,
  -- What PGP said about the mail: 'signed', 'bad-signature', 'unknown-key', 'encrypted', 'encrypted+signed', ...
  pgp text,
  -- A reply from an address that is not a known contact or user of the organisation: the CERT
  -- releases or discards it; until then it is not part of the thread.
  held boolean NOT NULL DEFAULT false,
  -- clock_timestamp(), not now(): messages written in one transaction (a question and its note,
  -- a chat burst) keep the order they were written in.
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX info_request_messages_request_idx ON info_request_messages (request_id, created_at);
CREATE INDEX info_request_messages_held_idx ON info_request_messages (request_id) WHERE held;

-- Mail from an unknown sender that threads into no request: held until the CERT releases it
-- (as a new request of an organisation it chooses) or discards it.
CREATE TABLE info_request_held_mail (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id text NOT NULL UNIQUE,
  from_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  pgp text,
  reason text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Answers the CERT gives often; inserted into the answer box and edited before sending.
CREATE TABLE info_request_canned_answers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  body text NOT NULL,
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The knowledge base: anonymised answers every participant may read. The link back to the request
-- is for the CERT only and never presented to other readers.
CREATE TABLE kb_articles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  body text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  tlp text NOT NULL DEFAULT 'GREEN' CHECK (tlp IN ('CLEAR', 'GREEN')),
  source_request_id uuid REFERENCES info_requests(id) ON DELETE SET NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_articles_created_idx ON kb_articles (created_at DESC, id DESC);
