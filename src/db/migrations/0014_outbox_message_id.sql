-- A bounce names the Message-ID of the mail that failed: find its outbox row without a scan.
CREATE INDEX outbox_message_id ON outbox ((payload->>'messageId'));
