-- Coordinated vulnerability disclosure: reports from finders (no account), relayed by the CERT to
-- the participants, manufacturers and other CERTs concerned, each party in a channel of its own.

-- Participants may delegate their CVD to the CERT: their security.txt then points at our form.
ALTER TABLE organisations ADD COLUMN cvd_delegated boolean NOT NULL DEFAULT false;

CREATE SEQUENCE cvd_case_number_seq;

CREATE TABLE cvd_cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- CVD-2026-0001: the year of receipt and a number that never repeats.
  reference text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'triaged', 'coordinating', 'fixed', 'disclosed', 'rejected', 'out_of_scope')),
  intake text NOT NULL CHECK (intake IN ('form', 'mail', 'analyst')),
  -- What is affected: a participant's website or system (target: URL, domain or IP), or a product.
  target_kind text NOT NULL CHECK (target_kind IN ('website', 'system', 'product')),
  target text,
  vendor text,
  product text,
  model text,
  version text,
  title text NOT NULL,
  description text NOT NULL,
  steps text NOT NULL DEFAULT '',
  impact text NOT NULL DEFAULT '',
  -- The finder's wishes. Their name and address live on their party row (cvd_parties, kind 'finder').
  credit text NOT NULL DEFAULT 'none' CHECK (credit IN ('none', 'name', 'alias', 'anonymous')),
  credit_name text,
  -- The finder agrees that the parties may learn who they are (the party must agree too: both ways).
  finder_shares_identity boolean NOT NULL DEFAULT false,
  -- The finder agrees that the CERT passes their attachments on to the parties.
  finder_shares_attachments boolean NOT NULL DEFAULT false,
  -- The report arrived encrypted (in the browser or as PGP mail) and was decrypted with the CERT key.
  encrypted boolean NOT NULL DEFAULT false,
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  mail_message_id text,
  -- Who the report concerns, as the scope check found it at intake (and on every re-check).
  scope jsonb NOT NULL DEFAULT '{"organisations":[],"checkedAt":null}',
  cve_id text CHECK (cve_id ~ '^CVE-[0-9]{4}-[0-9]{4,19}$'),
  cwe_id text CHECK (cwe_id ~ '^CWE-[0-9]{1,6}$'),
  cvss_vector text,
  advisory_id uuid REFERENCES products(id) ON DELETE SET NULL,
  assignee_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- The end of the fifth Dutch working day after receipt; met by the CERT's first message to the finder.
  first_response_due timestamptz NOT NULL,
  first_response_at timestamptz,
  -- The target disclosure date (embargo end); changed only with a reason (cvd_events).
  disclosure_due text NOT NULL CHECK (disclosure_due ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  disclosed_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cvd_cases_received_idx ON cvd_cases (received_at DESC, id DESC);
CREATE UNIQUE INDEX cvd_cases_message_id_key ON cvd_cases (mail_message_id) WHERE mail_message_id IS NOT NULL;
CREATE INDEX cvd_cases_open_idx ON cvd_cases (first_response_due, disclosure_due) WHERE closed_at IS NULL;

-- Everyone the CERT coordinates with on a case; each has one message channel with the CERT.
CREATE TABLE cvd_parties (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cvd_cases(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('finder', 'participant', 'manufacturer', 'cert', 'other')),
  -- A party with an account reads its channel in the portal; one without follows a private link.
  organisation_id uuid REFERENCES organisations(id) ON DELETE RESTRICT,
  name text NOT NULL DEFAULT '',
  email text,
  status text NOT NULL DEFAULT 'notified' CHECK (status IN ('notified', 'acknowledged', 'fix_planned', 'fixed', 'not_affected')),
  -- The party agrees that the finder may learn who it is (shown only when the finder agrees too).
  shares_identity boolean NOT NULL DEFAULT false,
  -- SHA-256 of the private link's token (the token itself is never stored).
  token_hash text UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cvd_parties_case_idx ON cvd_parties (case_id);
CREATE UNIQUE INDEX cvd_parties_case_org_key ON cvd_parties (case_id, organisation_id) WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX cvd_parties_one_finder_key ON cvd_parties (case_id) WHERE kind = 'finder';
CREATE INDEX cvd_parties_org_idx ON cvd_parties (organisation_id) WHERE organisation_id IS NOT NULL;

-- The channels: 'in' from the party, 'out' from the CERT to the party, 'note' internal to the CERT.
CREATE TABLE cvd_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cvd_cases(id) ON DELETE CASCADE,
  party_id uuid REFERENCES cvd_parties(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out', 'note')),
  body text NOT NULL,
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  -- A CERT message that passes on (edited) what another party wrote.
  relayed_from_id uuid REFERENCES cvd_messages(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (direction = 'note' OR party_id IS NOT NULL)
);
CREATE INDEX cvd_messages_case_idx ON cvd_messages (case_id, created_at, id);

-- Attachments: stored like incident evidence (random name, hashed, optionally encrypted at rest).
CREATE TABLE cvd_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cvd_cases(id) ON DELETE CASCADE,
  -- The party that handed it in (null: the CERT).
  party_id uuid REFERENCES cvd_parties(id) ON DELETE CASCADE,
  message_id uuid REFERENCES cvd_messages(id) ON DELETE SET NULL,
  file_name text NOT NULL,
  content_type text NOT NULL DEFAULT 'application/octet-stream',
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  storage_name text NOT NULL UNIQUE,
  encrypted boolean NOT NULL DEFAULT false,
  -- The other parties the CERT passed it on to (a finder's only with the finder's consent).
  shared_with uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cvd_attachments_case_idx ON cvd_attachments (case_id, created_at);

-- What happened on a case, for the CERT: status moves, date changes with their reasons, parties.
CREATE TABLE cvd_events (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cvd_cases(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  text text NOT NULL,
  reason text,
  actor_user_id uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX cvd_events_case_idx ON cvd_events (case_id, at);

-- Deadline reminders sent, one per case, clock and stage, so a retry never sends one twice.
CREATE TABLE cvd_reminders (
  case_id uuid NOT NULL REFERENCES cvd_cases(id) ON DELETE CASCADE,
  clock text NOT NULL CHECK (clock IN ('first_response', 'disclosure')),
  stage text NOT NULL CHECK (stage IN ('soon', 'overdue')),
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, clock, stage)
);

-- Single-use form tickets of the public report form (replay protection of its anti-abuse check).
CREATE TABLE cvd_form_tickets (
  nonce text PRIMARY KEY,
  used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cvd_form_tickets_used_idx ON cvd_form_tickets (used_at);
