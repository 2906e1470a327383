-- Monitoring: participants' addresses and names on blacklists, and their vulnerable systems.

-- A source of findings: a DNSBL zone, a blocklist feed, a report format (Shadowserver, nmap, a
-- generic CSV with its saved column mapping) or one of the CERT's own checks. Health is kept here.
CREATE TABLE monitoring_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('dnsbl', 'blocklist', 'shadowserver', 'nmap', 'csv', 'check')),
  name text NOT NULL UNIQUE,
  config jsonb NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  last_run_at timestamptz,
  last_rows integer NOT NULL DEFAULT 0,
  last_errors integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A finding: one participant's asset with one kind of problem. The key merges what several sources
-- and days report about the same thing; the lifecycle runs new → notified → acknowledged → resolved
-- or accepted risk, and a resolved finding seen again is reopened.
CREATE TABLE monitoring_findings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  asset_id uuid REFERENCES assets(id) ON DELETE SET NULL,
  type text NOT NULL,
  -- The address or name concerned, normalised; port 0 when the finding is not about a service.
  subject text NOT NULL,
  port integer NOT NULL DEFAULT 0,
  severity text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'notified', 'acknowledged', 'resolved', 'accepted_risk')),
  sources text[] NOT NULL DEFAULT '{}',
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  -- The evidence of the latest sighting: where it came from (report, line) and what the source said;
  -- a CSV row is kept as its raw line (its header is the report's columns), which is far cheaper to
  -- store by the million than the same row as a JSON object.
  evidence jsonb NOT NULL DEFAULT '{}',
  evidence_raw text,
  reopened_count integer NOT NULL DEFAULT 0,
  reopened_at timestamptz,
  notified_at timestamptz,
  resolved_at timestamptz,
  recheck_requested_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, type, subject, port)
);
CREATE INDEX monitoring_findings_status_idx ON monitoring_findings (organisation_id, status);
CREATE INDEX monitoring_findings_seen_idx ON monitoring_findings (last_seen DESC, id DESC);

-- What happened to a finding: opened, status changes (who, why), reopened, notified.
CREATE TABLE monitoring_finding_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  finding_id uuid NOT NULL REFERENCES monitoring_findings(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('opened', 'status', 'reopened', 'notified', 'recheck')),
  from_status text,
  to_status text,
  actor_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  source text,
  note text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_finding_events_finding_idx ON monitoring_finding_events (finding_id, id);

-- One received report or one run of a check: what came in and what became of every row.
CREATE TABLE monitoring_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id uuid REFERENCES monitoring_sources(id) ON DELETE SET NULL,
  source_kind text NOT NULL,
  report_type text NOT NULL,
  file_name text NOT NULL DEFAULT '',
  received_via text NOT NULL CHECK (received_via IN ('upload', 'folder', 'mail', 'schedule', 'manual')),
  rows_total integer NOT NULL DEFAULT 0,
  rows_matched integer NOT NULL DEFAULT 0,
  rows_unmatched integer NOT NULL DEFAULT 0,
  rows_failed integer NOT NULL DEFAULT 0,
  findings_new integer NOT NULL DEFAULT 0,
  findings_reopened integer NOT NULL DEFAULT 0,
  unknown_columns text[] NOT NULL DEFAULT '{}',
  -- The header row of a CSV report: how its findings' raw evidence lines read.
  columns text[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_reports_created_idx ON monitoring_reports (created_at DESC);

-- Rows that could not be read are kept with the reason: no row is dropped silently.
CREATE TABLE monitoring_failed_rows (
  report_id uuid NOT NULL REFERENCES monitoring_reports(id) ON DELETE CASCADE,
  line integer NOT NULL,
  raw text NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (report_id, line)
);

-- DNS queries spent per zone and day: reserved before they are sent, so a budget is never exceeded
-- even by several processes at once.
CREATE TABLE monitoring_dns_budget (
  zone text NOT NULL,
  day date NOT NULL,
  used integer NOT NULL DEFAULT 0,
  PRIMARY KEY (zone, day)
);

-- The CERT's changes to the working-day calendar (a holiday added, a public holiday worked).
CREATE TABLE monitoring_calendar (
  day date PRIMARY KEY,
  working boolean NOT NULL,
  note text NOT NULL DEFAULT ''
);

-- Daily runs happen once per working day, whichever process's scheduler gets there first.
CREATE TABLE monitoring_runs (
  kind text NOT NULL,
  day date NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (kind, day)
);
