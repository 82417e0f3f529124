-- A fifth kind of programme: what a non-binding policy only encourages (no benefit to claim), kept apart from
-- incentives. Numbered 0010 so that it sorts after migrations being written on other branches (0008, 0009).

ALTER TABLE programmes DROP CONSTRAINT programmes_kind_check;
ALTER TABLE programmes ADD CONSTRAINT programmes_kind_check
  CHECK (kind IN ('pilot', 'scenario-call', 'incentive', 'obligation', 'encouragement'));
