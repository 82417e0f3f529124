-- The knowledge base. Each entity row keeps its canonical document (`doc`, JSON text in bundle order, so export
-- reproduces the bundle) beside the columns that queries filter and join on. Foreign keys are deferred so an import
-- can write entities in any order inside its one transaction.

CREATE TABLE documents (
  name text PRIMARY KEY,          -- 'bundle' (bundle.yaml) and 'taxonomy' (taxonomy.yaml)
  doc text NOT NULL
);

CREATE TABLE jurisdictions (
  code text PRIMARY KEY,
  parent text REFERENCES jurisdictions (code) DEFERRABLE INITIALLY DEFERRED,
  name_en text NOT NULL,
  name_zh text NOT NULL,
  position integer NOT NULL,
  doc text NOT NULL
);

CREATE TABLE taxonomy_terms (
  scheme text NOT NULL,           -- topics, scenario_categories, fields, demonstration_scenarios, …
  code text NOT NULL,
  parent text,                    -- a field's category
  label_en text NOT NULL,
  label_zh text NOT NULL,
  legal_force text,               -- instrument kinds only
  position integer NOT NULL,
  PRIMARY KEY (scheme, code)
);

CREATE TABLE chapters (
  code text PRIMARY KEY,
  title_en text NOT NULL,
  title_zh text NOT NULL,
  position integer NOT NULL,
  doc text NOT NULL
);

CREATE TABLE sources (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('official', 'secondary', 'mirror')),
  title text NOT NULL,
  url text,
  position integer NOT NULL,
  doc text NOT NULL
);

CREATE TABLE bodies (
  id text PRIMARY KEY,
  name_en text NOT NULL,
  name_zh text NOT NULL,
  jurisdiction text NOT NULL REFERENCES jurisdictions (code) DEFERRABLE INITIALLY DEFERRED,
  position integer NOT NULL,
  doc text NOT NULL
);

CREATE TABLE instruments (
  id text PRIMARY KEY,
  kind text NOT NULL,
  jurisdiction text NOT NULL REFERENCES jurisdictions (code) DEFERRABLE INITIALLY DEFERRED,
  title_en text NOT NULL,
  title_zh text NOT NULL,
  document_number text,
  first_day date,                 -- earliest dated event: the instrument does not exist before it
  doc text NOT NULL
);
CREATE INDEX instruments_jurisdiction ON instruments (jurisdiction);
CREATE INDEX instruments_kind ON instruments (kind);

CREATE TABLE instrument_issuers (
  instrument_id text NOT NULL REFERENCES instruments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  body_id text NOT NULL REFERENCES bodies (id) DEFERRABLE INITIALLY DEFERRED,
  position integer NOT NULL,
  PRIMARY KEY (instrument_id, body_id)
);
CREATE INDEX instrument_issuers_body ON instrument_issuers (body_id);

CREATE TABLE instrument_tags (
  instrument_id text NOT NULL REFERENCES instruments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  scheme text NOT NULL,
  code text NOT NULL,
  PRIMARY KEY (instrument_id, scheme, code)
);
CREATE INDEX instrument_tags_code ON instrument_tags (scheme, code);

CREATE TABLE instrument_events (
  instrument_id text NOT NULL REFERENCES instruments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  key text NOT NULL,
  position integer NOT NULL,
  type text NOT NULL,
  date_text text,                 -- as written: YYYY, YYYY-MM or YYYY-MM-DD (the preferred claim when disputed)
  day date,                       -- the day from which it had certainly happened
  disputed boolean NOT NULL,
  PRIMARY KEY (instrument_id, key)
);
CREATE INDEX instrument_events_day ON instrument_events (day);

CREATE TABLE instrument_relations (
  from_id text NOT NULL REFERENCES instruments (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  type text NOT NULL,
  to_id text NOT NULL REFERENCES instruments (id) DEFERRABLE INITIALLY DEFERRED,
  position integer NOT NULL,
  PRIMARY KEY (from_id, type, to_id)
);
CREATE INDEX instrument_relations_to ON instrument_relations (to_id);

CREATE TABLE articles (
  id text PRIMARY KEY,
  chapter text NOT NULL REFERENCES chapters (code) DEFERRABLE INITIALLY DEFERRED,
  jurisdiction text NOT NULL REFERENCES jurisdictions (code) DEFERRABLE INITIALLY DEFERRED,
  title_en text NOT NULL,
  title_zh text NOT NULL,
  position integer NOT NULL,
  doc text NOT NULL
);

CREATE TABLE article_revisions (
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  accurate_up_to date NOT NULL,
  lang text NOT NULL CHECK (lang IN ('en', 'zh')),
  doc text NOT NULL,              -- front matter
  body text NOT NULL,             -- Markdown
  PRIMARY KEY (article_id, accurate_up_to, lang)
);
