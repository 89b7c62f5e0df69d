-- metrics: every metric for every standard period (week, month, fiscal year,
-- program to date), by unit and breakdown, with its numerator, denominator and
-- interval, and each metric's definition. Each metric is defined once, in
-- sql/metrics/<metric_id>.sql; docs/metrics.md explains how to read them.
-- metric_days holds the daily sums most periods are added up from; build_state and
-- changed_dates are the builds' own bookkeeping (pipeline/marts.py, pipeline/metrics/compute.py).

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

COMMENT ON TABLE metrics.metric_days IS 'The building block of metric_values for the metrics that add up over days (pipeline/metrics/compute.py SUMMED_BY_DAY: counts and rates of events each placed by one local date): one row per metric x local day x unit x breakdown, with the day''s numerator and denominator. Every period''s row in metric_values for these metrics is the sum of its days'' rows. Days run from the first period''s start to the last day with data; a day with nothing to count has no row.';
COMMENT ON COLUMN metrics.metric_days.metric_id IS 'The metric (metrics.metric_definitions.metric_id).';
COMMENT ON COLUMN metrics.metric_days.day IS 'Local date (program time zone) the events are placed on, as the metric''s period_by says.';
COMMENT ON COLUMN metrics.metric_days.unit IS 'ALL or a unit code, as in metric_values.';
COMMENT ON COLUMN metrics.metric_days.dimension IS 'Breakdown name, as in metric_values.';
COMMENT ON COLUMN metrics.metric_days.dimension_value IS 'Breakdown value, as in metric_values.';
COMMENT ON COLUMN metrics.metric_days.numerator IS 'The day''s count (a rate''s numerator, or the count itself).';
COMMENT ON COLUMN metrics.metric_days.denominator IS 'The day''s denominator for a rate; NULL for counts.';

COMMENT ON TABLE metrics.build_state IS 'Bookkeeping of the builds themselves, one row per stage: how the marts (stage marts, pipeline/marts.py) and metric_values (stage metric_values, pipeline/metrics/compute.py) were last built. A stage''s next build is incremental when its config_hash still matches (and, for metric_values, the marts have not been rebuilt in full since); otherwise full.';
COMMENT ON COLUMN metrics.build_state.stage IS 'marts or metric_values.';
COMMENT ON COLUMN metrics.build_state.config_hash IS 'SHA-256 of what the stage''s rows depend on besides its input data. marts: the staging.program_* tables, the time zone and the files under sql/marts/. metric_values: the files under sql/metrics/ and the fiscal year''s first month.';
COMMENT ON COLUMN metrics.build_state.build_seq IS 'Sequence number of the stage''s last build, 1 for the first.';
COMMENT ON COLUMN metrics.build_state.full_build_seq IS 'build_seq of the stage''s last full build.';
COMMENT ON COLUMN metrics.build_state.marts_build_seq IS 'The marts build the stage''s tables are of: for marts its own build_seq; for metric_values the marts build_seq it was computed from (0 when the marts kept no record). metric_values is rebuilt in full when the marts were rebuilt in full after it.';
COMMENT ON COLUMN metrics.build_state.mode IS 'full or incremental.';
COMMENT ON COLUMN metrics.build_state.reason IS 'Why the build was full (for example: the program configuration changed), or incremental.';
COMMENT ON COLUMN metrics.build_state.built_at IS 'When the build ran: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN metrics.build_state.incidents_rebuilt IS 'marts: CAD incidents whose rows were rebuilt (every one on a full build; on an incremental one the changed incidents and those the changed responses name). NULL for metric_values.';
COMMENT ON COLUMN metrics.build_state.responses_rebuilt IS 'marts: HEART responses whose rows were rebuilt (every one on a full build; on an incremental one the changed responses and those of the rebuilt incidents). NULL for metric_values.';
COMMENT ON COLUMN metrics.build_state.days_from IS 'metric_values: first local date metric_days covers (the first period''s start). NULL for marts.';
COMMENT ON COLUMN metrics.build_state.days_end IS 'metric_values: local date after the last one metric_days covers (the day after the last day with data). NULL for marts.';
COMMENT ON COLUMN metrics.build_state.days_recomputed IS 'metric_values: days whose metric_days rows were recomputed. NULL for marts.';
COMMENT ON COLUMN metrics.build_state.periods_recomputed IS 'metric_values: standard periods (week, month, fiscal year, all) whose rows were recomputed, besides the metrics recomputed for every period. NULL for marts.';

COMMENT ON TABLE metrics.changed_dates IS 'Bookkeeping: one row per incremental marts build and local date on which a mart row it deleted or inserted falls (every DATE column of the row, as it was and as it is). metric_values recomputes the days and periods holding the dates of the marts builds after the one it is of; a full marts build empties the table.';
COMMENT ON COLUMN metrics.changed_dates.marts_build_seq IS 'The marts build (metrics.build_state.build_seq of stage marts) that changed rows on this date.';
COMMENT ON COLUMN metrics.changed_dates.service_date IS 'Local date (program time zone) of a changed row: a call received, a response received, a follow-up due.';
