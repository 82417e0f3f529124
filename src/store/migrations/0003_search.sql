-- Search: one row per searchable thing (instrument, lifecycle event, programme, guide article) with its shown text by
-- language, its facet values, and word vectors built from text the application has split into words (Chinese by a
-- dictionary segmenter): tsv_title (titles only) and tsv (A title, B summary, C body, D names of place, issuers and
-- topics). Status spans let the status facet read status as of any date without loading instruments. search_terms is
-- the vocabulary of Latin words that near spellings are corrected against (trigram similarity).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
  key text PRIMARY KEY,           -- type:id
  type text NOT NULL CHECK (type IN ('instrument', 'event', 'programme', 'article')),
  id text NOT NULL,
  instrument_id text,             -- the instrument whose status is the document's status
  jurisdiction text,
  kind text,                      -- instrument kind, event type or programme kind
  year integer,
  topics text[] NOT NULL,
  issuers text[] NOT NULL,
  title_en text NOT NULL,
  title_zh text NOT NULL,
  summary_en text NOT NULL,
  summary_zh text NOT NULL,
  body_en text NOT NULL,
  body_zh text NOT NULL,
  url text NOT NULL,
  terms text[] NOT NULL,          -- its Latin words in the vocabulary (so a delete can count them out)
  tsv_title tsvector NOT NULL,
  tsv tsvector NOT NULL
);
CREATE INDEX search_documents_tsv ON search_documents USING gin (tsv);
CREATE INDEX search_documents_tsv_title ON search_documents USING gin (tsv_title);
CREATE INDEX search_documents_instrument ON search_documents (instrument_id);

CREATE TABLE search_status (
  instrument_id text NOT NULL,
  from_day date NOT NULL,
  to_day date,                    -- exclusive; null while the status lasts
  status text NOT NULL,
  PRIMARY KEY (instrument_id, from_day)
);

CREATE TABLE search_terms (
  term text PRIMARY KEY,
  docs integer NOT NULL           -- documents that contain it
);
CREATE INDEX search_terms_trgm ON search_terms USING gin (term gin_trgm_ops);
