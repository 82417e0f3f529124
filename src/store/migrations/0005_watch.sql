-- The watch service: the hash-chained change log, the events people are told about, subscriptions, the outbox of
-- deliveries, digests waiting for their day and the scheduler's memory of the days it has handled.

-- Every write to the knowledge base, one entry per entity changed; append-only. hash = sha256 of the entry's canonical
-- content, which includes prev_hash (the hash of the entry before it), so rewriting history breaks the chain.
CREATE TABLE change_log (
  seq bigint PRIMARY KEY,                 -- 1, 2, 3 … with no gaps
  recorded_at text NOT NULL,              -- ISO 8601 UTC with milliseconds, as hashed
  actor text NOT NULL,                    -- who made the write
  action text NOT NULL,                   -- import | edit | publish
  entity_kind text NOT NULL,
  entity_id text NOT NULL,
  change text NOT NULL CHECK (change IN ('added', 'changed', 'removed')),
  before text,                            -- the entity's canonical content before (null when added)
  after text,                             -- and after (null when removed)
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX change_log_entity ON change_log (entity_kind, entity_id, seq);

-- Refuse updates and deletes: the log only grows. (An operator who disables this can still rewrite rows, but
-- `horizon verify` then names the first entry whose hash no longer holds.)
CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'change_log is append-only';
END;
$$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_append_only();

-- What people are told about: derived from change-log entries (new instrument, new event, status changed, text revised),
-- from eligibility changes of stored profiles, and from the scheduler (in force from today, dates ahead).
CREATE TABLE watch_events (
  id bigserial PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,        -- the same happening is recorded once
  kind text NOT NULL,
  occurred_at text NOT NULL,              -- ISO 8601 UTC
  change_seq bigint,                      -- the change-log entry it comes from, if any
  instrument_id text,
  article_id text,
  jurisdiction text,
  topics text[] NOT NULL DEFAULT '{}',
  programmes text[] NOT NULL DEFAULT '{}',
  profile_id text,                        -- private: eligibility of a stored profile (never in public feeds)
  day date,                               -- the date the event is about (effective date, deadline), if any
  ahead_days integer,                     -- dates ahead: N of "in N days"
  doc text NOT NULL,                      -- the event as JSON (titles and summary in both languages)
  dispatched_at timestamptz               -- when it was matched to subscriptions and its deliveries queued
);
CREATE INDEX watch_events_undispatched ON watch_events (id) WHERE dispatched_at IS NULL;
CREATE INDEX watch_events_public ON watch_events (id) WHERE profile_id IS NULL;
CREATE INDEX watch_events_jurisdiction ON watch_events (jurisdiction, id);
CREATE INDEX watch_events_topics ON watch_events USING gin (topics);

-- A subscription: what to watch (filter JSON) and how to hear of it. Owners hold a token (stored as a hash).
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  owner_hash text NOT NULL,
  label text,
  filter text NOT NULL,                   -- JSON: jurisdictions, topics, instruments, programmes, kinds, profile, ahead
  channel text NOT NULL CHECK (channel IN ('webhook', 'email', 'atom', 'ical')),
  target text,                            -- webhook URL or e-mail address
  secret text,                            -- webhook signing secret (kept to sign)
  digest text NOT NULL DEFAULT 'none' CHECK (digest IN ('none', 'daily', 'weekly')),
  feed_token_hash text,                   -- atom/ical: the private feed URL's token
  effective_ahead integer,                -- N of "effective in N days", if watched
  deadline_ahead integer,                 -- N of "comment deadline in N days", if watched
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_owner ON subscriptions (owner_hash);
CREATE INDEX subscriptions_effective_ahead ON subscriptions (effective_ahead) WHERE effective_ahead IS NOT NULL;
CREATE INDEX subscriptions_deadline_ahead ON subscriptions (deadline_ahead) WHERE deadline_ahead IS NOT NULL;

-- Subscriptions created and deleted, in commit order (writers hold an advisory lock): workers keep their in-memory
-- subscription index (src/watch/subscription-index.ts: postings by each subscription's most selective watched
-- dimension) fresh by reading what came after the last entry they applied.
CREATE TABLE subscription_log (
  seq bigserial PRIMARY KEY,
  subscription_id text NOT NULL,
  op text NOT NULL CHECK (op IN ('created', 'deleted'))
);

-- Every delivery to send (webhook, e-mail). Workers claim rows with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  channel text NOT NULL,
  payload text NOT NULL,                  -- JSON: the events this delivery carries
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  claim_token text,                       -- the claim in force: only its holder may settle the row
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE state = 'sending';
CREATE INDEX outbox_subscription ON outbox (subscription_id, id);

-- Events waiting for a daily or weekly e-mail digest.
CREATE TABLE digest_items (
  subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  event_id bigint NOT NULL REFERENCES watch_events (id),
  PRIMARY KEY (subscription_id, event_id)
);

-- The scheduler's memory: the last day whose dates it has turned into events.
CREATE TABLE watch_state (
  name text PRIMARY KEY,
  value text NOT NULL
);
