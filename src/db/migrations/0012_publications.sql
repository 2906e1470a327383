-- Publications: the CERT's library of whitepapers and factsheets (issue 9, §3).
-- A publication is marked with TLP 2.0 (named organisations of AMBER and above in tlp_recipients,
-- object type 'publication') and has an audience on top of it: the whole community the marking
-- reaches, participants only, participants of some segments, or people with a contact role (CISOs).
CREATE TABLE publications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  kind text NOT NULL CHECK (kind IN ('whitepaper', 'factsheet')),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  language text NOT NULL CHECK (language IN ('nl', 'en')),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  audience text NOT NULL DEFAULT 'community' CHECK (audience IN ('community', 'participants', 'segments', 'contact_roles')),
  audience_segments text[] NOT NULL DEFAULT '{}',
  audience_contact_roles text[] NOT NULL DEFAULT '{}',
  review_by date,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  -- The version readers get; null until the first publication.
  current_version integer,
  first_published_at timestamptz,
  published_at timestamptz,
  withdrawn_at timestamptz,
  withdrawn_reason text,
  -- Title and tags (A), summary (B), the current Markdown text (C); written by the repository.
  search tsvector,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'draft' OR current_version IS NOT NULL)
);
CREATE INDEX publications_search_idx ON publications USING gin (search);
CREATE INDEX publications_list_idx ON publications (status, published_at DESC);
CREATE INDEX publications_review_idx ON publications (review_by) WHERE status <> 'withdrawn';

-- Numbered versions: Markdown (rendered to PDF by Chromium, the bytes kept once rendered) or an
-- uploaded PDF. Every version stays; readers get the publication's current one.
CREATE TABLE publication_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  publication_id uuid NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version > 0),
  source text NOT NULL CHECK (source IN ('markdown', 'upload')),
  markdown text,
  file_name text NOT NULL,
  pdf bytea,
  pdf_sha256 text,
  size_bytes integer,
  rendered_at timestamptz,
  change_note text NOT NULL DEFAULT '',
  -- Downloads through the public site (no account, so not per person).
  public_downloads integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  UNIQUE (publication_id, version),
  CHECK ((source = 'markdown') = (markdown IS NOT NULL)),
  CHECK (source = 'markdown' OR pdf IS NOT NULL),
  CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL))
);

-- A download by a logged-in reader counts once per person per day.
CREATE TABLE publication_downloads (
  version_id uuid NOT NULL REFERENCES publication_versions(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  day date NOT NULL,
  PRIMARY KEY (version_id, user_id, day)
);
