-- Foundation: organisations, identity, access, audit, outbox.
-- Plain PostgreSQL that runs unchanged on PGlite and on a PostgreSQL server.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('cert', 'participant', 'vendor', 'partner')),
  name text NOT NULL,
  short_name text,
  segment text CHECK (segment IN ('hospital', 'umc', 'mental_health', 'elderly_care', 'disability_care',
                                  'primary_care', 'lab', 'pharmacy', 'other')),
  membership_status text NOT NULL DEFAULT 'active'
    CHECK (membership_status IN ('prospect', 'active', 'suspended', 'ended')),
  member_since date,
  member_until date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'participant') = (segment IS NOT NULL))
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));
-- Exactly one CERT runs a Wachtpost installation.
CREATE UNIQUE INDEX organisations_single_cert ON organisations (kind) WHERE kind = 'cert';

-- A partner (MSSP) may act for named participant clients.
CREATE TABLE partner_clients (
  partner_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, client_id)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('cert-admin', 'cert-analyst', 'participant-admin', 'participant-member', 'partner')),
  status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
  password_hash text,
  totp_secret text,
  totp_enabled_at timestamptz,
  -- The last accepted TOTP time step, so a code cannot be replayed.
  totp_last_step bigint,
  locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
  last_login_at timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- Server-side sessions. The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- 'full' after every required factor; 'totp' waits for a code; 'totp_setup' must enrol first.
  stage text NOT NULL CHECK (stage IN ('full', 'totp', 'totp_setup')),
  csrf_token text NOT NULL,
  pending_totp_secret text,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- One-time links for invitations and password resets; only the hash is stored.
CREATE TABLE password_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Failed-login counters keyed by 'account:<email>' or 'ip:<address>', shared by every process.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  email text NOT NULL,
  kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'function')),
  roles text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{nl}',
  phone text,
  subscriptions text[] NOT NULL DEFAULT '{}',
  pgp_public_key text,
  pgp_fingerprint text,
  pgp_user_ids text[],
  pgp_expires_at timestamptz,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_organisation_idx ON contacts (organisation_id);
CREATE UNIQUE INDEX contacts_org_email_key ON contacts (organisation_id, lower(email));

CREATE TABLE assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('ip_range', 'asn', 'domain', 'product')),
  -- Normalised value: canonical CIDR, 'AS64500', lower-case punycode domain, or 'vendor/product/version'.
  value text NOT NULL,
  include_subdomains boolean NOT NULL DEFAULT false,
  -- For IP ranges: the first and last address as zero-padded hex (v4 mapped into v6), so overlap is a range test in SQL.
  range_start text,
  range_end text,
  product jsonb,
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
  reject_reason text,
  proposed_by uuid REFERENCES users(id) ON DELETE SET NULL,
  decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_organisation_idx ON assets (organisation_id);
CREATE INDEX assets_status_idx ON assets (status, created_at);
CREATE INDEX assets_range_idx ON assets (range_start, range_end) WHERE type = 'ip_range';
CREATE INDEX assets_value_idx ON assets (type, value);

-- Documents shared by the CERT (factsheets, reports), each with a TLP 2.0 marking.
CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  file_name text NOT NULL,
  media_type text NOT NULL,
  size_bytes integer NOT NULL,
  content bytea NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_created_idx ON documents (created_at DESC, id DESC);

-- Recipients of AMBER, AMBER+STRICT and RED objects: organisations, and for RED optionally named users.
CREATE TABLE tlp_recipients (
  object_type text NOT NULL,
  object_id uuid NOT NULL,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id uuid REFERENCES users(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX tlp_recipients_key ON tlp_recipients (object_type, object_id, organisation_id, COALESCE(user_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX tlp_recipients_org_idx ON tlp_recipients (organisation_id, object_type);

-- Append-only, hash-chained audit log (NEN 7513 fields).
CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  at timestamptz NOT NULL,
  actor_user_id uuid,
  actor_email text,
  actor_organisation_id uuid,
  on_behalf_of uuid,
  action text NOT NULL,
  target_type text,
  target_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  ip text,
  user_agent text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action);
CREATE INDEX audit_log_target_idx ON audit_log (target_id);
-- The newest entry is also kept here so removing the tail of the chain is detected.
CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq bigint NOT NULL,
  hash text NOT NULL
);

-- Transactional outbox: everything that leaves the machine is first a row here.
CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('mail')),
  dedupe_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (status, next_attempt_at);
