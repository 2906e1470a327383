-- Products of the CERT: advisories, info messages and operational alerts, from draft to signed CSAF.

-- The CERT's OpenPGP keys. One is active and signs; retired keys stay so that old signatures verify.
CREATE TABLE signing_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fingerprint text NOT NULL UNIQUE,           -- upper-case hex, no spaces
  user_id text NOT NULL,                       -- e.g. "CERT voor de zorg <cert@cert.example>"
  algorithm text NOT NULL,
  public_key text NOT NULL,                    -- armored
  private_key text NOT NULL,                   -- armored; encrypted when WACHTPOST_KEY_PASSPHRASE is set
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (status) WHERE status = 'active';

-- Identifier counters: one per kind and year, taken at first publication under a row lock.
CREATE TABLE product_counters (
  kind text NOT NULL,
  year integer NOT NULL,
  last_value integer NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, year)
);

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('advisory', 'info', 'alert')),
  identifier text UNIQUE,                      -- allocated at first publication
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,

  -- The working copy: the latest draft version, what the editor shows. TLP and recipients of the
  -- draft apply from the next publication on; readers keep the published marking until then.
  draft_version integer NOT NULL DEFAULT 1,
  draft_tlp text NOT NULL CHECK (draft_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  draft_recipients uuid[] NOT NULL DEFAULT '{}',
  draft_content jsonb NOT NULL,
  draft_title text NOT NULL,
  -- Set when a draft is submitted for review after a publication: says what the new revision changes.
  change_summary text,
  submitted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  submitted_at timestamptz,

  -- The published state (null before the first publication), denormalised for fast lists.
  tlp text CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  current_revision integer,
  title text,
  title_en text,
  summary text,
  urgency text CHECK (urgency IN ('urgent', 'normal')),
  cves text[] NOT NULL DEFAULT '{}',
  vendors text[] NOT NULL DEFAULT '{}',
  product_names text[] NOT NULL DEFAULT '{}',
  search tsvector,
  first_published_at timestamptz,
  published_at timestamptz,                    -- of the current revision
  withdrawn_at timestamptz,
  withdrawn_reason text,

  import_source jsonb,                         -- where an imported draft came from
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((current_revision IS NULL) = (first_published_at IS NULL))
);
CREATE INDEX products_published_idx ON products (published_at DESC, id DESC) WHERE current_revision IS NOT NULL;
CREATE INDEX products_updated_idx ON products (updated_at DESC, id DESC);
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_cves_idx ON products USING gin (cves);

-- Every save of a draft is a version; nothing an analyst typed is lost.
CREATE TABLE product_versions (
  product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  version integer NOT NULL,
  tlp text NOT NULL,
  recipients uuid[] NOT NULL DEFAULT '{}',
  content jsonb NOT NULL,
  saved_by uuid REFERENCES users(id) ON DELETE SET NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, version)
);

-- Approvals of a draft version (four eyes). An approval covers one version: saving again voids it.
CREATE TABLE product_approvals (
  product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  draft_version integer NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id),
  approved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, draft_version, user_id)
);

-- Every publication is a revision: the frozen content, its HTML, and the signed CSAF document.
CREATE TABLE product_revisions (
  product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  revision integer NOT NULL,
  tlp text NOT NULL,
  recipients uuid[] NOT NULL DEFAULT '{}',     -- the named organisations this revision was marked for
  content jsonb NOT NULL,
  html jsonb NOT NULL,                         -- {"nl": {"body", "advice"}, "en": {...}}: sanitised once
  change_summary text NOT NULL,
  published_by uuid REFERENCES users(id) ON DELETE SET NULL,
  approved_by uuid[] NOT NULL DEFAULT '{}',    -- the approvers of the version that became this revision
  published_at timestamptz NOT NULL DEFAULT now(),
  csaf_path text NOT NULL,                     -- e.g. white/2026/wp-2026-0042.json
  csaf text NOT NULL,                          -- the exact bytes that were hashed and signed
  csaf_sha256 text NOT NULL,
  csaf_sha512 text NOT NULL,
  csaf_signature text NOT NULL,                -- armored detached signature
  signing_key_fingerprint text NOT NULL,
  PRIMARY KEY (product_id, revision)
);
CREATE INDEX product_revisions_published_idx ON product_revisions (published_at DESC);

-- Which participant organisations a published product concerns (an affected product matches one
-- of their declared products). Rebuilt at publication and when an organisation's products change.
CREATE TABLE product_relevance (
  product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  PRIMARY KEY (organisation_id, product_id)
);
CREATE INDEX product_relevance_product_idx ON product_relevance (product_id);

-- A publication leaves an outbox row of kind 'delivery' in its own transaction; the distribution
-- worker resolves its recipients. Only 'mail' rows go to the SMTP sender.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'delivery'));
