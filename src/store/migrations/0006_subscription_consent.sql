-- Subscriptions that cannot be turned against a third party. A new e-mail subscription is 'pending' until the link of
-- its one confirmation e-mail is followed (double opt-in); a new webhook is 'unverified' until its receiver echoes a
-- challenge; only 'active' subscriptions are matched and delivered to. Subscriptions made before this migration were
-- already delivering: they stay active (confirmed as of when they were made).
ALTER TABLE subscriptions ADD COLUMN status text NOT NULL DEFAULT 'active'
  CHECK (status IN ('pending', 'unverified', 'active'));
ALTER TABLE subscriptions ALTER COLUMN status DROP DEFAULT;
-- The language of the request that made it: the confirmation e-mail speaks it.
ALTER TABLE subscriptions ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh'));
-- When it became active: events from before then are not its business.
ALTER TABLE subscriptions ADD COLUMN activated_at timestamptz;
UPDATE subscriptions SET activated_at = created_at;
-- E-mail: the confirmation link's single-use token, as a sha256 hash, and when it stops working.
ALTER TABLE subscriptions ADD COLUMN confirm_hash text;
ALTER TABLE subscriptions ADD COLUMN confirm_expires_at timestamptz;
CREATE UNIQUE INDEX subscriptions_confirm_hash ON subscriptions (confirm_hash) WHERE confirm_hash IS NOT NULL;
-- Webhooks: why the last verification handshake failed (null once it passed).
ALTER TABLE subscriptions ADD COLUMN verify_error text;

-- A subscription that becomes active is logged, so workers' subscription indexes add it then.
ALTER TABLE subscription_log DROP CONSTRAINT subscription_log_op_check;
ALTER TABLE subscription_log ADD CONSTRAINT subscription_log_op_check
  CHECK (op IN ('created', 'deleted', 'activated'));

-- Sliding windows of the rate limits (src/watch/limits.ts), shared by every process of one database: one row per
-- counted act (a subscription made from a client address, for a target; a confirmation e-mail to an address). Keys are
-- sha256 hashes, so no address is kept here; rows older than the longest window are pruned.
CREATE TABLE rate_events (
  scope text NOT NULL,
  key_hash text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_events_key ON rate_events (scope, key_hash, at);
CREATE INDEX rate_events_at ON rate_events (at);
