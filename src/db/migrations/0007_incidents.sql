-- Incident handling: cases the CERT and the affected organisation share, with tasks, a timeline,
-- observables, a message thread, evidence with its chain of custody, and the NIS2/GDPR clocks.

-- Fields the CERT defines for every case (e.g. "ticket at the hospital's supplier").
CREATE TABLE incident_custom_fields (
  key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('text', 'number', 'boolean', 'select')),
  options text[] NOT NULL DEFAULT '{}',
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE incident_case_number_seq;

CREATE TABLE incident_cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- INC-2026-0001: the year of opening and a number that never repeats.
  reference text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- ENISA Reference Security Incident Taxonomy: class and type (src/lib/rsit.ts).
  category_class text NOT NULL DEFAULT 'other',
  category_type text NOT NULL DEFAULT 'undetermined',
  severity text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  priority text NOT NULL DEFAULT 'p3' CHECK (priority IN ('p1', 'p2', 'p3', 'p4')),
  tlp text NOT NULL DEFAULT 'AMBER+STRICT' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  status text NOT NULL DEFAULT 'triage' CHECK (status IN ('reported', 'triage', 'in_progress', 'contained', 'recovered', 'closed')),
  intake text NOT NULL CHECK (intake IN ('portal', 'mail', 'phone', 'analyst')),
  -- What the reporter told us (the guided form, the mail, the call): kept as given.
  report jsonb NOT NULL DEFAULT '{}',
  reporter_user_id uuid REFERENCES users(id),
  reporter_name text,
  reporter_email text,
  reporter_phone text,
  -- Advice from the CERT, shown in the room.
  advice text NOT NULL DEFAULT '',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  -- The clocks: NIS2 (Cyberbeveiligingswet) runs from the moment the organisation became aware of a
  -- significant incident; the GDPR data-breach clock when personal data is involved.
  nis2_applies boolean NOT NULL DEFAULT false,
  personal_data boolean NOT NULL DEFAULT false,
  aware_at timestamptz NOT NULL DEFAULT now(),
  early_warning_at timestamptz,
  notification_at timestamptz,
  final_report_at timestamptz,
  dpa_notified_at timestamptz,
  occurred_at timestamptz,
  opened_at timestamptz NOT NULL DEFAULT now(),
  first_response_at timestamptz,
  contained_at timestamptz,
  recovered_at timestamptz,
  closed_at timestamptz,
  merged_into_id uuid REFERENCES incident_cases(id),
  created_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_cases_status_idx ON incident_cases (status, opened_at DESC);
-- One case per mail: a sending server that retries, even at the same moment, cannot open a second.
CREATE UNIQUE INDEX incident_cases_mail_message_idx ON incident_cases ((report->>'messageId')) WHERE intake = 'mail' AND report->>'messageId' IS NOT NULL;

-- The affected organisations; their users see the case's room.
CREATE TABLE incident_case_organisations (
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX incident_case_organisations_org_idx ON incident_case_organisations (organisation_id);

-- An IT supplier or MSSP invited into the room: the same scoped view as the affected organisation.
CREATE TABLE incident_case_guests (
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  invited_by uuid REFERENCES users(id),
  invited_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX incident_case_guests_org_idx ON incident_case_guests (organisation_id);

CREATE TABLE incident_case_assignees (
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id),
  PRIMARY KEY (case_id, user_id)
);

-- Related cases, stored once per pair (case_a < case_b).
CREATE TABLE incident_case_links (
  case_a uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  case_b uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_a, case_b),
  CHECK (case_a < case_b)
);

-- Playbooks per category: the tasks (with checklists) a template creates.
CREATE TABLE incident_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  category_class text NOT NULL,
  category_type text,
  advice text NOT NULL DEFAULT '',
  tasks jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE incident_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  title text NOT NULL,
  -- Whose task: the CERT's (internal) or the participant's (shown in the room).
  side text NOT NULL CHECK (side IN ('cert', 'participant')),
  assignee_user_id uuid REFERENCES users(id),
  due_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  checklist jsonb NOT NULL DEFAULT '[]',
  position integer NOT NULL DEFAULT 0,
  template_id uuid REFERENCES incident_templates(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX incident_tasks_case_idx ON incident_tasks (case_id, position);

-- Evidence files: stored on disk under a random name outside the web root, hashed on arrival.
CREATE TABLE incident_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  request_id uuid,
  file_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  size_bytes bigint NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_name text NOT NULL UNIQUE,
  encrypted boolean NOT NULL DEFAULT false,
  -- Shared evidence is listed in the room; what the affected side uploads is always theirs to see.
  shared boolean NOT NULL DEFAULT false,
  uploaded_by uuid REFERENCES users(id),
  uploaded_by_organisation_id uuid REFERENCES organisations(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  deletion_requested_by uuid REFERENCES users(id),
  deletion_requested_at timestamptz,
  deletion_reason text,
  deleted_at timestamptz
);
CREATE INDEX incident_evidence_case_idx ON incident_evidence (case_id, uploaded_at);

-- What the CERT asks the affected organisation to upload.
CREATE TABLE incident_evidence_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  description text NOT NULL,
  requested_by uuid REFERENCES users(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  fulfilled_at timestamptz
);

-- Chain of custody: append-only, one row per upload, download, hand-over and deletion step.
CREATE TABLE incident_custody (
  id bigserial PRIMARY KEY,
  evidence_id uuid NOT NULL REFERENCES incident_evidence(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('upload', 'download', 'handover', 'deletion_requested', 'deletion_approved', 'deletion_refused')),
  actor_user_id uuid REFERENCES users(id),
  actor_name text NOT NULL,
  reason text NOT NULL DEFAULT '',
  sha256 text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX incident_custody_case_idx ON incident_custody (case_id, id);

-- The timeline: what happened when (stored UTC), from whom; shared entries appear in the room.
CREATE TABLE incident_timeline (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  source text NOT NULL DEFAULT '',
  text text NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  evidence_id uuid REFERENCES incident_evidence(id) ON DELETE SET NULL,
  indicator_id uuid REFERENCES zdn_indicators(id) ON DELETE SET NULL,
  author_user_id uuid REFERENCES users(id),
  author_organisation_id uuid REFERENCES organisations(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_timeline_case_idx ON incident_timeline (case_id, at);

-- Observables found in the case (internal to the CERT); shared ones point at their ZDN indicator.
CREATE TABLE incident_observables (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  type text NOT NULL,
  value text NOT NULL,
  comment text NOT NULL DEFAULT '',
  timeline_id uuid REFERENCES incident_timeline(id) ON DELETE SET NULL,
  indicator_id uuid REFERENCES zdn_indicators(id) ON DELETE SET NULL,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, type, value)
);

-- The thread between the CERT and the room; internal notes never leave the CERT.
CREATE TABLE incident_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES incident_cases(id) ON DELETE CASCADE,
  internal boolean NOT NULL DEFAULT false,
  body text NOT NULL,
  author_user_id uuid REFERENCES users(id),
  author_organisation_id uuid REFERENCES organisations(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_messages_case_idx ON incident_messages (case_id, created_at);

-- Playbooks that ship with the platform; the CERT edits or adds its own.
INSERT INTO incident_templates (name, category_class, category_type, advice, tasks) VALUES
('Ransomware', 'malicious-code', 'ransomware',
 'Isolate affected systems from the network but leave them powered on (memory holds evidence). Do not pay or contact the attackers before talking to us. Check that backups are offline and intact before restoring.',
 '[{"title":"Isolate affected systems and preserve memory images","side":"participant","dueInHours":4,"checklist":["Disconnect from the network, keep powered on","Make a memory image of one affected system","Note the time of isolation"]},
   {"title":"Upload the ransom note and a sample encrypted file","side":"participant","dueInHours":12,"checklist":["Ransom note","One encrypted file with its original name"]},
   {"title":"Check the state of the backups","side":"participant","dueInHours":24,"checklist":["Offline copies present","Last good backup date known"]},
   {"title":"Identify the ransomware family and known decryptors","side":"cert","dueInHours":24,"checklist":["Note and sample analysed","Decryptors checked"]},
   {"title":"Extract indicators and share them with the detection network","side":"cert","dueInHours":24,"checklist":[]},
   {"title":"Assess NIS2 and GDPR notification duties with the organisation","side":"cert","dueInHours":20,"checklist":["NIS2 significant incident?","Personal data affected?"]}]'),
('Phishing', 'fraud', 'phishing',
 'Block the sender and the links at the mail gateway, reset the passwords of users who entered them, and look for forwarding rules on their mailboxes.',
 '[{"title":"Send us the phishing mail as an attachment (.eml)","side":"participant","dueInHours":4,"checklist":[]},
   {"title":"Reset credentials of users who clicked","side":"participant","dueInHours":8,"checklist":["List of users","Passwords reset","Sessions revoked"]},
   {"title":"Extract and share indicators","side":"cert","dueInHours":8,"checklist":[]}]');
