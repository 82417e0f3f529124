-- Change sets: an editor's edits to any number of entities, reviewed and then published through the import path.
-- Accounts are referred to by id and e-mail as text, without a foreign key (accounts are never deleted, and the
-- accounts' own migration lands on its own).

CREATE TABLE changesets (
  id text PRIMARY KEY,                    -- cs_ + random
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
  author_id text NOT NULL,
  author_email text NOT NULL,
  reviewer_id text,                       -- who approved it (and so publishes it when scheduled)
  reviewer_email text,
  publisher_id text,                      -- who published it
  publisher_email text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_at timestamptz,
  approved_at timestamptz,
  published_at timestamptz,
  publish_at timestamptz,                 -- scheduled publication of an approved set
  published_seq bigint,                   -- the first change-log entry its publication wrote
  reverts text REFERENCES changesets (id) -- the published change set this one restores
);
CREATE INDEX changesets_status ON changesets (status, updated_at);
CREATE INDEX changesets_due ON changesets (publish_at) WHERE status = 'approved' AND publish_at IS NOT NULL;

-- One entity of a change set: its new canonical document (null when the set deletes it), the version of the published
-- entity it started from (sha256 of its content; null when it was not published), and, once published, what was
-- published before it (the change log's content; null when it was new), which a revert restores.
CREATE TABLE changeset_entities (
  changeset_id text NOT NULL REFERENCES changesets (id),
  kind text NOT NULL,
  entity_id text NOT NULL,
  base text,
  doc text,                               -- canonical JSON, null when deleted
  body text,                              -- a revision's Markdown
  previous text,                          -- set at publication
  saved_at timestamptz NOT NULL,
  saved_by text NOT NULL,                 -- account id
  PRIMARY KEY (changeset_id, kind, entity_id)
);

-- Reviewers' comments, and the notes that go with a return or an approval.
CREATE TABLE changeset_comments (
  id bigserial PRIMARY KEY,
  changeset_id text NOT NULL REFERENCES changesets (id),
  author_id text NOT NULL,
  author_email text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('comment', 'return', 'approve')),
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX changeset_comments_set ON changeset_comments (changeset_id, id);

-- The change log names the change set a publication came from (null for imports; entries without one hash as before).
ALTER TABLE change_log ADD COLUMN changeset text;
