-- metrics: every metric for every standard period (week, month, fiscal year,
-- program to date), by unit and breakdown, with its numerator, denominator and
-- interval, and each metric's definition. Each metric is defined once, in
-- sql/metrics/<metric_id>.sql; docs/metrics.md explains how to read them.

-- The comments on every table and column of the metrics schema (pipeline/warehouse/catalog.py
-- applies them after every build).

COMMENT ON TABLE metrics.metric_values IS 'One row per metric x period x unit x breakdown, with numerator, denominator, value and interval (docs/metrics.md). A count or sum with nothing in a period is a row with 0; a rate, median or percentile with nothing to measure has no row.';
COMMENT ON COLUMN metrics.metric_values.metric_id IS 'The metric: its file name under sql/metrics/ (metrics.metric_definitions.metric_id).';
COMMENT ON COLUMN metrics.metric_values.grain IS 'Period length: week (Monday to Monday), month, fiscal_year (from staging.program.fiscal_year_start_month), or all (program to date).';
COMMENT ON COLUMN metrics.metric_values.period_start IS 'First local date of the period (program time zone), inclusive. The first period may be partial: it starts at the first day the data covers.';
COMMENT ON COLUMN metrics.metric_values.period_end IS 'Local date after the last day of the period: exclusive end. The last period may be partial: the data covers only its first days.';
COMMENT ON COLUMN metrics.metric_values.unit IS 'ALL, or a unit code: CCD Crisis Call Diversion, CR Community Response, COR Co-Response, CN Care Navigation (which units a metric has: metric_definitions.units).';
COMMENT ON COLUMN metrics.metric_values.dimension IS 'Breakdown: ALL when not broken down, else its name (hour_of_day, weekday, call_type, beat, coverage, reason, outcome, contact_mode); a two-way breakdown joins the names with + (weekday+hour_of_day).';
COMMENT ON COLUMN metrics.metric_values.dimension_value IS 'Value of the breakdown: ALL when not broken down, else e.g. 08 (hour_of_day) or no_team_free (reason); a two-way breakdown joins the values with | (Mon|08).';
COMMENT ON COLUMN metrics.metric_values.numerator IS 'Rate: the count on top. Count: the count (= value). Sum: the total (= value). NULL for medians and percentiles.';
COMMENT ON COLUMN metrics.metric_values.denominator IS 'Rate: the count it is out of. Median or percentile: the number of observations. Sum: the events summed over (officer_hours_saved: diverted calls). NULL for counts.';
COMMENT ON COLUMN metrics.metric_values.value IS 'The figure, in the unit metric_definitions.value_unit names: rate = numerator / denominator (a share, 0 to 1); count or sum = numerator; median and p90 in minutes.';
COMMENT ON COLUMN metrics.metric_values.ci_low IS 'Lower end of the 95% interval: Wilson score interval for rates, distribution-free interval from order statistics for medians and percentiles; NULL for counts and sums.';
COMMENT ON COLUMN metrics.metric_values.ci_high IS 'Upper end of the 95% interval (as ci_low); NULL for counts and sums.';

COMMENT ON TABLE metrics.metric_definitions IS 'One row per metric: its definition, read from the header of sql/metrics/<metric_id>.sql (docs/metrics.md is generated from the same headers).';
COMMENT ON COLUMN metrics.metric_definitions.metric_id IS 'The metric''s id: its file name under sql/metrics/.';
COMMENT ON COLUMN metrics.metric_definitions.name IS 'The metric''s name, as reports show it.';
COMMENT ON COLUMN metrics.metric_definitions.kind IS 'count, sum, rate, median or p90 (90th percentile): how value is computed.';
COMMENT ON COLUMN metrics.metric_definitions.value_unit IS 'What value is measured in: calls, responses, people, share (a rate, 0 to 1), minutes or hours.';
COMMENT ON COLUMN metrics.metric_definitions.units IS 'Units the metric is computed for, comma-separated (ALL, CCD, CR, COR, CN).';
COMMENT ON COLUMN metrics.metric_definitions.dimensions IS 'Breakdowns the metric is computed for, comma-separated (ALL = not broken down).';
COMMENT ON COLUMN metrics.metric_definitions.headline_dimensions IS 'Breakdowns shown as headline figures (heart metrics and the reports), comma-separated; mostly ALL.';
COMMENT ON COLUMN metrics.metric_definitions.period_by IS 'The local date that places an event in a period, e.g. the local date the 911 call was received.';
COMMENT ON COLUMN metrics.metric_definitions.definition IS 'Plain-language definition.';
COMMENT ON COLUMN metrics.metric_definitions.numerator IS 'What is counted (a count), summed (a sum) or counted on top (a rate).';
COMMENT ON COLUMN metrics.metric_definitions.denominator IS 'What a rate is out of, or what a median is taken over; starts with none for counts.';
COMMENT ON COLUMN metrics.metric_definitions.caveats IS 'What the figure does not say, and known limits of the data behind it.';
COMMENT ON COLUMN metrics.metric_definitions.sql_file IS 'Path of the metric''s SQL file in the repository, e.g. sql/metrics/diversion_rate.sql.';
