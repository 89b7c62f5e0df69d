-- Bring metrics.metric_days up to date: the rows of the days recomputed (metric_days_todo) and
-- of days now outside the data's range go; the recomputed rows come in.
CREATE TABLE IF NOT EXISTS metrics.metric_days (
    metric_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    unit VARCHAR NOT NULL,
    dimension VARCHAR NOT NULL,
    dimension_value VARCHAR NOT NULL,
    numerator DOUBLE,
    denominator DOUBLE
);
DELETE FROM metrics.metric_days
WHERE day IN (SELECT day FROM metric_days_todo) OR day NOT IN (SELECT day FROM metric_day_atoms);
INSERT INTO metrics.metric_days
SELECT * FROM metric_day_rows ORDER BY metric_id, day, unit, dimension, dimension_value;
