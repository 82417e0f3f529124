-- Stored enterprise profiles (saved by their owners, who hold a token), the last computed eligibility of each
-- profile for each programme, and the changes of eligibility (ready for the watch service to deliver).

CREATE TABLE profiles (
  id text PRIMARY KEY,
  token_hash text NOT NULL,             -- sha256 of the owner's token
  doc text NOT NULL,                    -- the profile v1 JSON
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profile_eligibility (
  profile_id text NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  programme_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('applies', 'unknown')),   -- absent row: does not apply
  as_of date NOT NULL,
  PRIMARY KEY (profile_id, programme_id)
);
CREATE INDEX profile_eligibility_programme ON profile_eligibility (programme_id);

CREATE TABLE eligibility_changes (
  id bigserial PRIMARY KEY,
  profile_id text NOT NULL,
  programme_id text NOT NULL,
  previous text NOT NULL,               -- applies | unknown | does_not_apply
  current text NOT NULL,
  as_of date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX eligibility_changes_profile ON eligibility_changes (profile_id, id);
