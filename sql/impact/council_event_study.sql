-- The council dashboard's event-study chart (pipeline/reports/council/impact.py): the estimated
-- change by time since service started, for one outcome and design. Parameters: $outcome, $design.
SELECT event_time, estimate, ci_low, ci_high, n_units
FROM metrics.impact_event_study
WHERE outcome = $outcome AND design = $design
ORDER BY event_time;
