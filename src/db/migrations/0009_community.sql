-- The participants' community: spaces with members by organisation role, threads and replies
-- (posts) under a TLP marking each, edit history, reactions, attachments, notification preferences.

CREATE TABLE community_spaces (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- Who may see the space: users with one of these roles, of an organisation of one of these kinds
  -- (and, when segments is not empty, of one of these segments) or of an organisation named below.
  roles text[] NOT NULL DEFAULT '{}',
  organisation_kinds text[] NOT NULL DEFAULT '{}',
  segments text[] NOT NULL DEFAULT '{}',
  archived_at timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE community_space_organisations (
  space_id uuid NOT NULL REFERENCES community_spaces(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  PRIMARY KEY (space_id, organisation_id)
);
CREATE INDEX community_space_organisations_org_idx ON community_space_organisations (organisation_id);

CREATE TABLE community_threads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  space_id uuid NOT NULL REFERENCES community_spaces(id),
  title text NOT NULL,
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  author_organisation_id uuid NOT NULL REFERENCES organisations(id),
  pinned boolean NOT NULL DEFAULT false,
  locked boolean NOT NULL DEFAULT false,
  answer_post_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_activity_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_threads_space_idx ON community_threads (space_id, pinned DESC, last_activity_at DESC);

-- The thread's opening post and its replies. Each carries its own TLP marking; the thread is seen
-- by whoever may see its opening post.
CREATE TABLE community_posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  thread_id uuid NOT NULL REFERENCES community_threads(id) ON DELETE CASCADE,
  opening boolean NOT NULL DEFAULT false,
  author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  author_organisation_id uuid NOT NULL REFERENCES organisations(id),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  body_md text NOT NULL,
  body_html text NOT NULL,
  body_text text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  edited_at timestamptz,
  hidden_at timestamptz,
  hidden_reason text,
  hidden_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_posts_thread_idx ON community_posts (thread_id, created_at);
CREATE UNIQUE INDEX community_posts_opening_idx ON community_posts (thread_id) WHERE opening;
CREATE INDEX community_posts_search_idx ON community_posts USING gin (to_tsvector('simple', body_text));
ALTER TABLE community_threads ADD CONSTRAINT community_threads_answer_fk FOREIGN KEY (answer_post_id) REFERENCES community_posts(id) ON DELETE SET NULL;

-- Every edit keeps the version it replaced.
CREATE TABLE community_post_versions (
  post_id uuid NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
  version integer NOT NULL,
  title text,
  body_md text NOT NULL,
  edited_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  replaced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, version)
);

CREATE TABLE community_reactions (
  post_id uuid NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, user_id, kind)
);

CREATE TABLE community_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  post_id uuid NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  media_type text NOT NULL,
  size_bytes bigint NOT NULL,
  sha256 text NOT NULL,
  storage_name text NOT NULL,
  encrypted boolean NOT NULL,
  uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_attachments_post_idx ON community_attachments (post_id);

CREATE TABLE community_preferences (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  space_id uuid NOT NULL REFERENCES community_spaces(id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('instant', 'digest', 'never')),
  PRIMARY KEY (user_id, space_id)
);

CREATE TABLE community_thread_reads (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  thread_id uuid NOT NULL REFERENCES community_threads(id) ON DELETE CASCADE,
  read_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, thread_id)
);
