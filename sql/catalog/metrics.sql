-- metrics: every metric for every standard period (week, month, fiscal year,
-- program to date), by unit and breakdown, with its numerator, denominator and
-- interval, and each metric's definition. Each metric is defined once, in
-- sql/metrics/<metric_id>.sql; docs/metrics.md explains how to read them.
-- metric_days holds the daily sums most periods are added up from; build_state and
-- changed_dates are the builds' own bookkeeping (pipeline/marts.py, pipeline/metrics/compute.py).
-- scenario_results and scenario_backtests: the expansion scenarios (docs/scenarios.md);
-- impact_estimates and impact_event_study: is it working? (docs/impact.md).

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

COMMENT ON TABLE metrics.scenario_results IS 'Expansion scenarios (scenarios/*.toml, docs/scenarios.md): one row per scenario x measure x unit x breakdown, from replaying the latest year of eligible calls through each scenario''s hours, area and teams, 20 seeds. Projections, not records: value is the median over seeds, low and high the 95% prediction interval over the seeds (mean +/- t x sd x sqrt(1 + 1/n)). Rows with assumption = true are inputs the result rests on (cost inputs from the scenario file; routing share and service times calibrated from the data), not outcomes.';
COMMENT ON COLUMN metrics.scenario_results.scenario_id IS 'The scenario file''s name without .toml (scenarios/<scenario_id>.toml).';
COMMENT ON COLUMN metrics.scenario_results.scenario_name IS 'The scenario''s name as the file gives it, e.g. 24/7 citywide.';
COMMENT ON COLUMN metrics.scenario_results.measure IS 'eligible_calls, answered, share_answered, answered_per_year, unmet (by reason), utilisation (busy / on-duty team-minutes by hour), post_hours_per_year, mean_wait_minutes, staff_needed, annual_cost_usd, position_cost_usd, cost_per_answered_call_usd, hires_per_24_7_post, routing_share_in_coverage, routing_share_outside_area, service_minutes_median, after_call_minutes (an assumption of the scenario file).';
COMMENT ON COLUMN metrics.scenario_results.unit IS 'ALL, or a crisis-response unit: CCD Crisis Call Diversion, CR Community Response, COR Co-Response.';
COMMENT ON COLUMN metrics.scenario_results.dimension IS 'Breakdown: ALL, reason (unmet reason), hour_of_day (local, 00-23) or role (clinician, peer, emt, officer).';
COMMENT ON COLUMN metrics.scenario_results.dimension_value IS 'Value of the breakdown: ALL, an unmet reason (outside_service_hours, outside_service_area, no_team_free, not_routed), an hour 00-23 or a role.';
COMMENT ON COLUMN metrics.scenario_results.value IS 'The figure in value_unit: the median over seeds for replayed measures, the input itself for assumptions.';
COMMENT ON COLUMN metrics.scenario_results.low IS 'Low end of the 95% prediction interval over the seeds: mean - t(0.975, n-1) x sd x sqrt(1 + 1/n), not below 0; NULL for inputs and deterministic figures.';
COMMENT ON COLUMN metrics.scenario_results.high IS 'High end of the 95% prediction interval over the seeds: mean + t(0.975, n-1) x sd x sqrt(1 + 1/n), a share at most 1; NULL for inputs and deterministic figures.';
COMMENT ON COLUMN metrics.scenario_results.value_unit IS 'calls, share (0 to 1), minutes, hours, positions (full-time equivalents) or usd (US dollars a year, or per call).';
COMMENT ON COLUMN metrics.scenario_results.assumption IS 'true: an input the projection rests on (cost figures from the scenario file, routing share and service times calibrated from the data), not an outcome.';
COMMENT ON COLUMN metrics.scenario_results.source IS 'Where the figure comes from: replay, the scenario file, or the calibration window of observed data.';
COMMENT ON COLUMN metrics.scenario_results.period_start IS 'First local date of the replayed year of eligible calls (inclusive).';
COMMENT ON COLUMN metrics.scenario_results.period_end IS 'Local date after the replayed year (exclusive).';
COMMENT ON COLUMN metrics.scenario_results.seeds IS 'Number of seeds replayed (each a different draw of which calls are routed and how long they take).';

COMMENT ON TABLE metrics.scenario_backtests IS 'Back-tests of the scenario replay (docs/scenarios.md): in_sample = the configuration in force, calibrated on each configuration period, against the observed share of eligible calls answered per fiscal year (tolerance 3 points); out_of_sample = calibrated only on the six months before the latest configuration change, predicting the share answered after it (tolerance 5 points); diagnostic = the same replay calibrated after the change, to show how much of the error the routing share explains.';
COMMENT ON COLUMN metrics.scenario_backtests.kind IS 'in_sample, out_of_sample or diagnostic.';
COMMENT ON COLUMN metrics.scenario_backtests.label IS 'The period tested: a fiscal year (FY2023-24) or after <date of the change>.';
COMMENT ON COLUMN metrics.scenario_backtests.period_start IS 'First local date tested (inclusive).';
COMMENT ON COLUMN metrics.scenario_backtests.period_end IS 'Local date after the last one tested (exclusive).';
COMMENT ON COLUMN metrics.scenario_backtests.calls IS 'Eligible calls in the period tested.';
COMMENT ON COLUMN metrics.scenario_backtests.observed_share IS 'Share of those calls HEART answered, observed (marts.eligible_calls.answered), 0 to 1.';
COMMENT ON COLUMN metrics.scenario_backtests.predicted_share IS 'Share the replay answered: median over the seeds, 0 to 1.';
COMMENT ON COLUMN metrics.scenario_backtests.predicted_low IS 'Low end of the 95% prediction interval of the replayed share over the seeds (mean - t x sd x sqrt(1 + 1/n)).';
COMMENT ON COLUMN metrics.scenario_backtests.predicted_high IS 'High end of the 95% prediction interval of the replayed share over the seeds (mean + t x sd x sqrt(1 + 1/n)).';
COMMENT ON COLUMN metrics.scenario_backtests.error_points IS 'predicted_share minus observed_share, in percentage points.';
COMMENT ON COLUMN metrics.scenario_backtests.tolerance_points IS 'The error allowed, in percentage points (3 in sample, 5 out of sample); NULL for the diagnostic.';
COMMENT ON COLUMN metrics.scenario_backtests.within_tolerance IS 'abs(error_points) <= tolerance_points; NULL for the diagnostic.';
COMMENT ON COLUMN metrics.scenario_backtests.inside_interval IS 'observed_share lies between predicted_low and predicted_high.';
COMMENT ON COLUMN metrics.scenario_backtests.routing_share IS 'Share of eligible calls in coverage routed to HEART that the replay used (calibrated; median over seeds, calls weighted).';
COMMENT ON COLUMN metrics.scenario_backtests.calibration_start IS 'First local date of the data the routing share and service times were calibrated on.';
COMMENT ON COLUMN metrics.scenario_backtests.calibration_end IS 'Local date after the calibration data (exclusive).';
COMMENT ON COLUMN metrics.scenario_backtests.seeds IS 'Number of seeds replayed.';
COMMENT ON COLUMN metrics.scenario_backtests.interval_kind IS 'How the interval is taken: 95% prediction interval over the seeds, mean +/- t(0.975, n-1) x sd x sqrt(1 + 1/n).';

COMMENT ON TABLE metrics.impact_estimates IS 'Is it working? One row per outcome x design: the relative change in the outcome where and when HEART served, against beats or hours not (yet) served, from the program''s own phased rollout (pipeline/impact/, docs/impact.md). Estimates, not records; every row stands beside its pre-trend test, its placebo and the calls HEART answered. Rebuilt only when the outcome marts or the estimator change (inputs_fingerprint). A row that cannot be estimated has verdict not estimable and its reason, with the figures NULL.';
COMMENT ON COLUMN metrics.impact_estimates.outcome IS 'arrests and ems_transports (on impact-type calls police handled alone, with no HEART answer, as a rate per such call), police_handled_calls, police_unit_hours, repeat_calls (counts), as marts.impact_beat_week defines them.';
COMMENT ON COLUMN metrics.impact_estimates.design IS 'staggered_beats: beats (marts.impact_beat_week), each from the week it was first served, against beats not yet or never served. served_hours: beat x hour of day (marts.impact_hour_week), each from the week that beat-hour was first served, against hours never or not yet served, within the same beat and week.';
COMMENT ON COLUMN metrics.impact_estimates.scale IS 'rate per call police handled alone (arrests, ems_transports) or count: what estimate is a relative change of.';
COMMENT ON COLUMN metrics.impact_estimates.estimator IS 'How the estimate was made: the Sun-Abraham event study in a Poisson model with fixed effects (pyfixest), its comparison units, its errors and the event period length (4 weeks).';
COMMENT ON COLUMN metrics.impact_estimates.estimate IS 'Relative change (-0.25 = 25% lower): the outcome observed in the served unit-weeks divided by what the model says it would have been there without service, minus 1. For a rate, the change in the rate per call police handled alone. NULL when not estimable.';
COMMENT ON COLUMN metrics.impact_estimates.ci_low IS 'Lower end of the 95% interval of estimate: delta method on the log ratio, errors clustered by beat (CR1), t distribution with G - 1 degrees of freedom, G the fewest beats behind one cohort of served units or behind the comparison units (12 with 12 pilot beats).';
COMMENT ON COLUMN metrics.impact_estimates.ci_high IS 'Upper end of the 95% interval of estimate (as ci_low).';
COMMENT ON COLUMN metrics.impact_estimates.estimate_level IS 'The outcome as observed in the served unit-weeks after service started: for a rate, per call police handled alone (police_only_arrests / police_only_calls); for a count, the total over those unit-weeks (calls, or police unit-hours).';
COMMENT ON COLUMN metrics.impact_estimates.counterfactual_level IS 'The same as estimate_level, as the model says it would have been without service (estimate = estimate_level / counterfactual_level - 1).';
COMMENT ON COLUMN metrics.impact_estimates.pretrend_p IS 'p-value of the joint test that the event-study coefficients before the start are zero (at most 4 block means of the 4-week periods; F test with the Hotelling small-sample correction, counting clusters as ci_low does). Small (below 0.05): served and comparison units already drifted apart before service, and the row is not a finding. NULL: too few periods before the start.';
COMMENT ON COLUMN metrics.impact_estimates.placebo_estimate IS 'The same estimate with every start moved 52 weeks earlier, on the weeks before the first real start only: should be near 0. NULL when the history before the first start is too short.';
COMMENT ON COLUMN metrics.impact_estimates.placebo_ci_low IS 'Lower end of the placebo''s 95% interval; an interval that excludes 0 makes the row not a finding.';
COMMENT ON COLUMN metrics.impact_estimates.placebo_ci_high IS 'Upper end of the placebo''s 95% interval.';
COMMENT ON COLUMN metrics.impact_estimates.implied_change IS 'The change the estimate implies over the served unit-weeks, in the outcome''s own unit: estimate_level total minus its counterfactual (arrests, EMS transports, calls or police unit-hours; negative = fewer).';
COMMENT ON COLUMN metrics.impact_estimates.heart_answered_in_treated IS 'Impact-type calls HEART answered in the served unit-weeks of the estimation sample (marts heart_answered_calls): what the program took, the plausibility bound.';
COMMENT ON COLUMN metrics.impact_estimates.plausible IS 'false when even the smallest fall the 95% interval allows is larger than HEART could cause: more calls, arrests, EMS transports or repeat calls than heart_answered_in_treated, or more police unit-hours than those calls times the unit-hours per police-handled call before any service. NULL when not estimable.';
COMMENT ON COLUMN metrics.impact_estimates.verdict IS 'finding (the interval excludes no change, plausible, checks pass), no clear change (the interval includes no change), implausible (beyond what HEART could cause: never published as a finding), not estimable (no estimate could be made, or the pre-trend test or placebo fails).';
COMMENT ON COLUMN metrics.impact_estimates.reason IS 'The verdict in plain words: the change and its interval, or why there is no estimate (no outcome marts, no history before the start, no comparison units, outcome classes missing from the profile).';
COMMENT ON COLUMN metrics.impact_estimates.n_units IS 'Units in the estimation sample: beats (staggered_beats) or beat-hours (served_hours).';
COMMENT ON COLUMN metrics.impact_estimates.n_treated_units IS 'Of n_units, those served within the sample''s weeks (the rest are comparison units).';
COMMENT ON COLUMN metrics.impact_estimates.first_week IS 'Monday (local) of the first week in the estimation sample.';
COMMENT ON COLUMN metrics.impact_estimates.last_week IS 'Monday (local) of the last week in the estimation sample (with no never-served unit, the week before the last group starts).';
COMMENT ON COLUMN metrics.impact_estimates.inputs_fingerprint IS 'SHA-256 of the outcome marts'' rows and the estimator''s code the row was computed from: the pipeline estimates again only when it changes.';

COMMENT ON TABLE metrics.impact_event_study IS 'The event study behind each metrics.impact_estimates row: one row per outcome x design x event period (4 weeks), the relative difference between served and comparison units against the period just before service started (event_time -1, the reference, 0 by construction). Flat near 0 before 0 supports parallel trends.';
COMMENT ON COLUMN metrics.impact_event_study.outcome IS 'As metrics.impact_estimates.outcome.';
COMMENT ON COLUMN metrics.impact_event_study.design IS 'As metrics.impact_estimates.design.';
COMMENT ON COLUMN metrics.impact_event_study.event_time IS 'Periods of 4 weeks relative to the start of service: 0 = the start week and the 3 after it, -1 = the 4 weeks before (the reference), -2 = the 4 before those.';
COMMENT ON COLUMN metrics.impact_event_study.estimate IS 'Relative difference at that event period against the reference period (exp(coefficient) - 1), the cohorts averaged with their served units'' rows as weights; 0 at event_time -1.';
COMMENT ON COLUMN metrics.impact_event_study.ci_low IS 'Lower end of the 95% interval (clustered by beat, t with G - 1 degrees of freedom as in metrics.impact_estimates.ci_low); NULL at the reference period.';
COMMENT ON COLUMN metrics.impact_event_study.ci_high IS 'Upper end of the 95% interval; NULL at the reference period.';
COMMENT ON COLUMN metrics.impact_event_study.n_units IS 'Served units (beats or pooled beat-hour groups) observed at that event period.';
