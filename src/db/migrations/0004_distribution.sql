-- Distribution: every product to the right contacts, signed, once; webhooks, the portal inbox and
-- responses to operational alerts.

-- Secrets the installation makes for itself at first use (the key that signs links in mail).
CREATE TABLE installation_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Contacts: "only what concerns my organisation's assets", and the state of the address.
ALTER TABLE contacts ADD COLUMN only_relevant boolean NOT NULL DEFAULT false;
ALTER TABLE contacts ADD COLUMN email_failing_since timestamptz;
ALTER TABLE contacts ADD COLUMN email_failure text;

-- One delivery per product revision: the resolved audience as it was at publication.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_type text NOT NULL CHECK (subject_type IN ('product')),
  subject_id uuid NOT NULL,
  revision integer NOT NULL,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  title text NOT NULL,
  contacts integer NOT NULL,
  organisations integer NOT NULL,
  encrypted integer NOT NULL,
  held integer NOT NULL,
  webhooks integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subject_type, subject_id, revision)
);

-- The outbox gets one row per recipient: 'dispatch' rows are rendered, signed (and encrypted) by the
-- worker from the stored revision; 'webhook' rows are posted. 'held' rows wait for a key (policy).
-- Rows of the earlier single 'delivery' kind are superseded by the per-recipient rows.
UPDATE outbox SET status = 'failed', last_error = 'superseded: deliveries are now one row per recipient (migration 0004)'
  WHERE kind = 'delivery' AND status IN ('pending', 'sending');
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'delivery', 'dispatch', 'webhook'));
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'held'));
ALTER TABLE outbox ADD COLUMN delivery_id uuid REFERENCES deliveries(id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL;
ALTER TABLE outbox ADD COLUMN organisation_id uuid REFERENCES organisations(id) ON DELETE SET NULL;
ALTER TABLE outbox ADD COLUMN recipient text;
ALTER TABLE outbox ADD COLUMN encrypted boolean NOT NULL DEFAULT false;
ALTER TABLE outbox ADD COLUMN permanent_failure boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_delivery_idx ON outbox (delivery_id) WHERE delivery_id IS NOT NULL;
-- Claims look for due rows only: a partial index that sent rows leave, instead of one over every status.
DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');

-- Webhooks of an organisation (or of the CERT itself when organisation_id is the CERT's).
CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  url text NOT NULL,
  format text NOT NULL CHECK (format IN ('json', 'slack', 'teams')),
  secret text NOT NULL,                        -- HMAC-SHA256 key for the generic JSON format
  max_tlp text NOT NULL DEFAULT 'GREEN' CHECK (max_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  kinds text[] NOT NULL DEFAULT '{advisory,info,alert}',
  enabled boolean NOT NULL DEFAULT true,
  last_status text,
  last_attempt_at timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_organisation_idx ON webhooks (organisation_id);

-- The portal inbox.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  subject_type text,
  subject_id uuid,
  dedupe_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- Responses of recipient organisations to an operational alert; every answer is kept.
CREATE TABLE alert_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('received', 'not_affected', 'mitigating', 'patched')),
  comment text,
  via text NOT NULL CHECK (via IN ('link', 'portal')),
  contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  responded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_responses_product_idx ON alert_responses (product_id, organisation_id, responded_at);

-- A signed link in a mail works once: its hash is kept when it is used.
CREATE TABLE used_links (
  token_hash text PRIMARY KEY,
  used_at timestamptz NOT NULL DEFAULT now()
);
