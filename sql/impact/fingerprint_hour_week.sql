-- What the impact estimates were computed from (pipeline/impact/results.py): marts.impact_hour_week's row count
-- and the sum of its rows' hashes, as text (row order does not matter; any changed value changes it).
-- Run only when the mart exists. No parameters.
SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(m)::HUGEINT), 0)::VARCHAR AS fingerprint
FROM marts.impact_hour_week m;
