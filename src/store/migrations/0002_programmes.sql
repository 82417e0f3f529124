-- Programmes: what an instrument offers or demands of an enterprise (pilot, scenario call, incentive, obligation),
-- each with its eligibility rule inside its document.

CREATE TABLE programmes (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('pilot', 'scenario-call', 'incentive', 'obligation')),
  instrument_id text NOT NULL REFERENCES instruments (id) DEFERRABLE INITIALLY DEFERRED,
  position integer NOT NULL,
  doc text NOT NULL
);
CREATE INDEX programmes_instrument ON programmes (instrument_id);
