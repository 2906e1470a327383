-- Monitoring reports by mail (MONITORING_INTAKE_SMTP_PORT): a report says which mail brought it, and
-- a mail is marked taken only once every CSV attachment in it has been read, so a retry of a mail
-- whose reading was cut short reads it again, and a retry of a finished one reads nothing.
ALTER TABLE monitoring_reports ADD COLUMN mail_from text;
ALTER TABLE monitoring_reports ADD COLUMN mail_message_id text;
CREATE INDEX monitoring_reports_mail_idx ON monitoring_reports (mail_message_id) WHERE mail_message_id IS NOT NULL;

CREATE TABLE monitoring_report_mails (
  message_id text PRIMARY KEY,
  mail_from text NOT NULL,
  subject text NOT NULL DEFAULT '',
  reports integer NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);
