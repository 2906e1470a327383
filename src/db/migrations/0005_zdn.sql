-- ZorgDetectieNetwerk: indicators of compromise shared in real time, with sightings fed back.

-- An event (a campaign, an incident, a report) groups indicators. Its id is also the MISP event uuid
-- and the STIX report id. TLP recipients of AMBER and above live in tlp_recipients ('zdn_event').
CREATE TABLE zdn_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  -- The source asked not to be named: others see the CERT as the source.
  source_anonymous boolean NOT NULL DEFAULT false,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  threat_level smallint NOT NULL DEFAULT 4 CHECK (threat_level BETWEEN 1 AND 4),
  analysis smallint NOT NULL DEFAULT 0 CHECK (analysis BETWEEN 0 AND 2),
  event_date date NOT NULL DEFAULT CURRENT_DATE,
  tags text[] NOT NULL DEFAULT '{}',
  origin text NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'misp', 'stix', 'csv', 'text', 'demo')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zdn_events_created_idx ON zdn_events (created_at DESC, id DESC);

-- Correlation: one row per distinct (type, value); indicators link to it, so storage grows with the
-- distinct values, not with the pairs of events that share one. The unique key hashes the value
-- because YARA and Sigma rules exceed what a b-tree entry may hold.
CREATE TABLE zdn_values (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL,
  value text NOT NULL,
  -- For addresses and ranges: first and last address as hex in IPv6 space (like assets), for hits.
  range_start text,
  range_end text,
  -- For URLs, hostnames and domains: the host name, for hits on declared domains.
  host text,
  -- The STIX pattern, made once per value (null where STIX has none, e.g. a CVE).
  pattern text,
  pattern_type text
);
CREATE UNIQUE INDEX zdn_values_key ON zdn_values (type, md5(value));
CREATE INDEX zdn_values_range_idx ON zdn_values (range_start, range_end) WHERE range_start IS NOT NULL;
CREATE INDEX zdn_values_host_idx ON zdn_values (host) WHERE host IS NOT NULL;

-- An indicator: a value in an event, with its own marking and lifetime. Its id is the STIX id.
-- status: active (shared), pending (submitted by a participant or partner, awaiting review), held (on
-- a warninglist: flagged before it is shared), rejected.
CREATE TABLE zdn_indicators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL REFERENCES zdn_events(id) ON DELETE CASCADE,
  value_id bigint NOT NULL REFERENCES zdn_values(id),
  owner_organisation_id uuid NOT NULL REFERENCES organisations(id),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  confidence smallint NOT NULL DEFAULT 50 CHECK (confidence BETWEEN 0 AND 100),
  first_seen timestamptz,
  last_seen timestamptz,
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_until timestamptz,
  tags text[] NOT NULL DEFAULT '{}',
  comment text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'held', 'rejected')),
  warning text,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  -- When this version entered the feeds (TAXII date_added). Writers take the change lock first, so
  -- these stamps and change sequence numbers become visible in order (see zdn_changes).
  date_added timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Set once the expiry sweep has told the streams; expired indicators stay searchable.
  expired_noted_at timestamptz,
  UNIQUE (event_id, value_id)
);
CREATE INDEX zdn_indicators_added_idx ON zdn_indicators (date_added, id);
CREATE INDEX zdn_indicators_value_idx ON zdn_indicators (value_id);
CREATE INDEX zdn_indicators_review_idx ON zdn_indicators (status, created_at) WHERE status IN ('pending', 'held');
CREATE INDEX zdn_indicators_expiry_idx ON zdn_indicators (valid_until) WHERE expired_noted_at IS NULL AND valid_until IS NOT NULL;

-- The change log the live stream reads: new, changed and expired indicators, in commit order.
CREATE TABLE zdn_changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  indicator_id uuid NOT NULL REFERENCES zdn_indicators(id) ON DELETE CASCADE,
  change text NOT NULL CHECK (change IN ('new', 'changed', 'expired', 'revoked')),
  at timestamptz NOT NULL DEFAULT now()
);

-- Sightings fed back by participants and partners: about a value, whichever event carries it.
CREATE TABLE zdn_sightings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  value_id bigint NOT NULL REFERENCES zdn_values(id),
  indicator_id uuid REFERENCES zdn_indicators(id) ON DELETE SET NULL,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('seen', 'blocked', 'false-positive')),
  count integer NOT NULL DEFAULT 1 CHECK (count > 0),
  seen_at timestamptz NOT NULL,
  -- The organisation lets others see its name next to its sighting.
  share_identity boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zdn_sightings_value_idx ON zdn_sightings (value_id, seen_at DESC);

-- Warninglists (MISP warninglist format, and the sector's own list of benign infrastructure).
CREATE TABLE zdn_warninglists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  version integer NOT NULL DEFAULT 1,
  description text NOT NULL DEFAULT '',
  type text NOT NULL CHECK (type IN ('string', 'substring', 'hostname', 'cidr', 'regex')),
  matching_attributes text[] NOT NULL DEFAULT '{}',
  entries text[] NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- "Hits my network": an indicator inside a participant's declared ranges or domains, told once.
CREATE TABLE zdn_hits (
  indicator_id uuid NOT NULL REFERENCES zdn_indicators(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  asset_id uuid REFERENCES assets(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator_id, organisation_id)
);
CREATE INDEX zdn_hits_organisation_idx ON zdn_hits (organisation_id, created_at DESC);

-- TAXII status resources for POSTed envelopes.
CREATE TABLE zdn_taxii_status (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
