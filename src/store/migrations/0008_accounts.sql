-- Accounts of the editorial workspace (editors, reviewers, admins), their sessions (pages) and API tokens, and the
-- audit log of who did what. Reading stays public: none of this is needed to read the guide or the API's reads.

-- An account. epoch grows when the role changes or the account is disabled: sessions remember the epoch they were
-- opened at, so a change ends every session opened before it.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
  password_hash text NOT NULL,            -- scrypt$N$r$p$salt$hash (src/accounts/passwords.ts)
  epoch integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- A signed-in browser: the cookie's value is never stored, only its sha256. The CSRF token of the session's forms is
-- stored as it is (it authenticates nothing on its own: a request needs the cookie too).
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id),
  epoch integer NOT NULL,
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,        -- the absolute expiry; idle expiry is last_seen_at + the idle time
  address text
);
CREATE INDEX sessions_account ON sessions (account_id);

-- An API token (hzn_…): shown once, only its sha256 kept. Its scopes are cut to the account's role when used.
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id),
  token_hash text NOT NULL UNIQUE,
  name text NOT NULL,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

-- Who did what, when, from where: logins (and failed ones), tokens, role changes, saves, reviews, publishing.
-- Append-only, as the change log is.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id text,                          -- the account, when known
  actor_email text,                       -- as it was then (or the address a failed login gave)
  action text NOT NULL,                   -- login, login.failed, logout, token.created …
  subject text,                           -- what it was done to (an account, a token, a change set …)
  address text,                           -- the client's address
  detail text NOT NULL DEFAULT '{}'       -- JSON
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
