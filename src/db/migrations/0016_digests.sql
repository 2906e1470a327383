-- Digests: the end-of-week and end-of-month overviews of what the CERT published (decision 017).
-- A digest is one row per kind and period; its entries (products, media items chosen in triage,
-- background links) are rows in the order the editor set. What was sent is frozen in `snapshot`.
CREATE TABLE digests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('week', 'month')),
  period text NOT NULL,                        -- '2026-W48' (ISO week) or '2026-11'
  starts_at timestamptz NOT NULL,              -- the period's first midnight in Europe/Amsterdam (for ordering)
  title text NOT NULL,                         -- Dutch, with the ISO week number
  title_en text NOT NULL,
  introduction text NOT NULL DEFAULT '',       -- Markdown
  commentary text NOT NULL DEFAULT '',         -- Markdown, the experts' commentary (month)
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'held', 'in_review', 'approved', 'sent')),
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,      -- the first person who wrote in it
  last_edited_by uuid REFERENCES users(id) ON DELETE SET NULL,
  last_edited_at timestamptz,
  submitted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  submitted_at timestamptz,
  reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,    -- the second analyst who approved (month)
  approved_at timestamptz,
  scheduled_at timestamptz,                    -- when the schedule sends it
  assembled_at timestamptz,
  sent_at timestamptz,
  sent_by uuid REFERENCES users(id) ON DELETE SET NULL,
  snapshot jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, period),
  CHECK (
    (kind = 'week' AND period ~ '^[0-9]{4}-W[0-9]{2}$' AND status IN ('draft', 'held', 'sent'))
    OR (kind = 'month' AND period ~ '^[0-9]{4}-[0-9]{2}$' AND status IN ('draft', 'in_review', 'approved', 'sent'))
  ),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL AND snapshot IS NOT NULL))
);
CREATE INDEX digests_list_idx ON digests (starts_at DESC, id DESC);

CREATE TABLE digest_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  digest_id uuid NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('product', 'media', 'link')),
  product_id uuid REFERENCES products(id) ON DELETE CASCADE,
  -- Media items and background links carry their own text and marking; products are read from
  -- the products table (their current title and marking) until the digest is sent.
  title text NOT NULL DEFAULT '',
  url text,
  source_name text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  tlp text NOT NULL DEFAULT 'CLEAR' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  story_id uuid,                               -- intake's story; no foreign key (decision 017)
  added_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'product') = (product_id IS NOT NULL)),
  CHECK (kind = 'product' OR title <> '')
);
CREATE INDEX digest_entries_digest_idx ON digest_entries (digest_id, position);
CREATE UNIQUE INDEX digest_entries_product ON digest_entries (digest_id, product_id) WHERE product_id IS NOT NULL;
-- A story becomes a media item of a week once, however often triage asks.
CREATE UNIQUE INDEX digest_entries_story ON digest_entries (digest_id, story_id) WHERE story_id IS NOT NULL;

-- Digest mail is one outbox row per contact, rendered, signed (once per class of recipients) and
-- encrypted by the digest handler.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('mail', 'delivery', 'dispatch', 'webhook', 'digest'));
