-- A fifth kind of programme: what a non-binding policy only encourages (no benefit to claim), kept apart from
-- incentives (numbered 0010: 0008 and 0009 are taken by work in progress elsewhere).

ALTER TABLE programmes DROP CONSTRAINT programmes_kind_check;
ALTER TABLE programmes ADD CONSTRAINT programmes_kind_check
  CHECK (kind IN ('pilot', 'scenario-call', 'incentive', 'obligation', 'encouragement'));
