-- Intake of outside information (issue 10, §1–2): the sources the CERT reads (CSAF providers, RSS/Atom
-- feeds, CISA KEV, FIRST EPSS, an intake mailbox), their runs, the items they yield clustered into
-- stories for triage, and the KEV and EPSS tables that enrich every story's CVEs.

CREATE TABLE intake_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('csaf', 'rss', 'kev', 'epss', 'mailbox')),
  name text NOT NULL,
  -- provider-metadata.json (or aggregator.json), the feed, the KEV JSON, the EPSS CSV; none for a mailbox.
  url text,
  -- The marking of what the source yields, unless an item carries its own (CSAF distribution.tlp).
  tlp text NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  interval_minutes integer NOT NULL DEFAULT 60 CHECK (interval_minutes BETWEEN 5 AND 10080),
  enabled boolean NOT NULL DEFAULT true,
  -- OpenPGP keys pinned on a CSAF source: they win over the keys the provider's metadata lists.
  public_keys text[] NOT NULL DEFAULT '{}',
  -- A mailbox source's recipient address (the intake address or a plus-address of it).
  mail_address text,
  -- The fetcher's cursor after the last successful run: a failing run leaves it as it was.
  cursor jsonb,
  last_run_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  last_items integer NOT NULL DEFAULT 0,
  total_items integer NOT NULL DEFAULT 0,
  next_run_at timestamptz NOT NULL DEFAULT now(),
  -- Set while a process runs the source (a lease: a run older than 15 minutes counts as crashed).
  running_since timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'mailbox') = (url IS NULL)),
  CHECK ((kind = 'mailbox') = (mail_address IS NOT NULL))
);
CREATE UNIQUE INDEX intake_sources_mail_address_key ON intake_sources (lower(mail_address)) WHERE mail_address IS NOT NULL;
CREATE INDEX intake_sources_due_idx ON intake_sources (next_run_at) WHERE enabled AND kind <> 'mailbox';

CREATE TABLE intake_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id uuid NOT NULL REFERENCES intake_sources(id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  ok boolean NOT NULL,
  new_items integer NOT NULL DEFAULT 0,
  updated_items integer NOT NULL DEFAULT 0,
  warnings text[] NOT NULL DEFAULT '{}',
  error text
);
CREATE INDEX intake_runs_source_idx ON intake_runs (source_id, started_at DESC);

-- A story: one thing in the world (a vulnerability, a vendor advisory, a news event) that one or more
-- items from one or more sources report. Its lists are the union of its items'.
CREATE TABLE intake_stories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  cves text[] NOT NULL DEFAULT '{}',
  advisory_ids text[] NOT NULL DEFAULT '{}',
  vendors text[] NOT NULL DEFAULT '{}',
  products jsonb NOT NULL DEFAULT '[]',
  source_ids uuid[] NOT NULL DEFAULT '{}',
  item_count integer NOT NULL DEFAULT 0,
  -- The least open marking of its items: drafts and media items made from the story take it.
  tlp text NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  -- When an item joined or changed: a story is unread for everyone who read it before this.
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  -- The latest change of an item already in the story, in words ("CSAF revision 2: ...").
  change_note text,
  -- Enrichment: KEV status and the highest EPSS score of its CVEs; participants whose declared products match.
  kev boolean NOT NULL DEFAULT false,
  known_ransomware boolean NOT NULL DEFAULT false,
  epss_max double precision,
  epss_percentile double precision,
  concerned_organisations integer NOT NULL DEFAULT 0,
  -- Triage: a draft advisory made from it, or "no action" with a reason; and a media item of a week.
  decision text CHECK (decision IN ('advisory', 'no_action')),
  decision_reason text,
  advisory_id uuid REFERENCES products(id) ON DELETE SET NULL,
  decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
  decided_at timestamptz,
  media_week text,
  media_item_id uuid,
  search tsvector,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decision IS DISTINCT FROM 'no_action' OR decision_reason IS NOT NULL)
);
CREATE INDEX intake_stories_activity_idx ON intake_stories (last_activity_at DESC, id DESC);
CREATE INDEX intake_stories_cves_idx ON intake_stories USING gin (cves);
CREATE INDEX intake_stories_advisory_ids_idx ON intake_stories USING gin (advisory_ids);
CREATE INDEX intake_stories_search_idx ON intake_stories USING gin (search);

CREATE TABLE intake_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id uuid NOT NULL REFERENCES intake_sources(id) ON DELETE CASCADE,
  story_id uuid NOT NULL REFERENCES intake_stories(id) ON DELETE CASCADE,
  external_id text NOT NULL,
  url text,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  published_at timestamptz,
  source_updated_at timestamptz,
  revision text,
  cves text[] NOT NULL DEFAULT '{}',
  advisory_ids text[] NOT NULL DEFAULT '{}',
  vendors text[] NOT NULL DEFAULT '{}',
  products jsonb NOT NULL DEFAULT '[]',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  -- The verified CSAF document, for CSAF items: a draft advisory imports it whole.
  csaf jsonb,
  -- SHA-256 of what the item says (title, summary, dates, lists): a different hash is a change.
  content_hash text NOT NULL,
  -- What changed, newest last: [{ at, fields, note }].
  changes jsonb NOT NULL DEFAULT '[]',
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, external_id)
);
CREATE INDEX intake_items_story_idx ON intake_items (story_id);

-- Read is per person: a story is read when the person read it after its last activity.
CREATE TABLE intake_story_reads (
  story_id uuid NOT NULL REFERENCES intake_stories(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (story_id, user_id)
);

-- CISA's Known Exploited Vulnerabilities catalogue, as last read.
CREATE TABLE kev_entries (
  cve text PRIMARY KEY,
  vendor text NOT NULL,
  product text NOT NULL,
  name text NOT NULL,
  date_added date NOT NULL,
  due_date date,
  short_description text NOT NULL DEFAULT '',
  required_action text NOT NULL DEFAULT '',
  known_ransomware boolean NOT NULL DEFAULT false,
  notes text NOT NULL DEFAULT '',
  catalog_version text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- FIRST's EPSS scores, the latest per CVE, with the model that made them.
CREATE TABLE epss_scores (
  cve text PRIMARY KEY,
  epss double precision NOT NULL CHECK (epss BETWEEN 0 AND 1),
  percentile double precision NOT NULL CHECK (percentile BETWEEN 0 AND 1),
  model_version text,
  score_date date NOT NULL
);
