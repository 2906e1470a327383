-- Network meetings: events the CERT organises for its community, with RSVPs, a waiting list,
-- reminders, calendar feeds and, afterwards, materials under TLP.

CREATE TABLE meetings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The organiser (the CERT's organisation): as with documents, the owner always sees its own.
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  agenda text NOT NULL DEFAULT '',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  place text,
  online_url text,
  capacity integer CHECK (capacity IS NULL OR capacity > 0),
  rsvp_deadline timestamptz,
  language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  -- Who may see the meeting and sign up; AMBER and up name organisations in tlp_recipients.
  tlp text NOT NULL CHECK (tlp IN ('GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
  -- iCalendar SEQUENCE: bumped on every change a calendar must pick up.
  sequence integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_starts_idx ON meetings (starts_at, id);

-- One answer per user and meeting. Who gets a seat follows from queued_at: the first `capacity`
-- people who want to come are 'going', the rest 'waiting' in that order.
CREATE TABLE meeting_rsvps (
  meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  status text NOT NULL CHECK (status IN ('going', 'waiting', 'not_going')),
  queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  responded_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the day-before reminder was queued: once per attendee, also after a restart.
  reminded_at timestamptz,
  PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_rsvps_user_idx ON meeting_rsvps (user_id);

-- Slides, minutes and other files after a meeting, each with its own marking (tlp_recipients,
-- object_type 'meeting_material'); never more open than the meeting itself.
CREATE TABLE meeting_materials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  kind text NOT NULL CHECK (kind IN ('slides', 'minutes', 'other')),
  title text NOT NULL,
  tlp text NOT NULL CHECK (tlp IN ('GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  file_name text NOT NULL,
  media_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_materials_meeting_idx ON meeting_materials (meeting_id, created_at);

-- The personal calendar feed: calendar clients cannot log in, so the URL carries a secret. Only its
-- hash is kept; rotating replaces the row.
CREATE TABLE meeting_feed_tokens (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
