-- question: Since launch, which call types does HEART handle most often without police, and which
--   save the most officer time?
-- reading: One row per initial call type HEART handled (a crisis-response unit's response names
--   the incident), most officer-hours saved first. handled_calls: incidents of that type HEART
--   handled; diverted_calls: those with no police unit in CAD and no police requested by HEART;
--   diversion_share = diverted_calls / handled_calls; officer_hours_saved: the diverted calls
--   times the typical police unit-hours for the type; hours_per_diverted_call is that typical
--   value (0 when police never handled a comparable call of the type).
-- tables: metrics.metric_values (officer_hours_saved, grain all, broken down by call_type: hours
--   and diverted calls), marts.heart_handled_incidents (handled calls per type),
--   marts.cad_incidents (the call type's label)
-- defines: new here: handled_calls and diversion_share by call type (diversion_rate is published
--   without a call-type breakdown); it uses the same handled and diverted as diversion_rate.
--   officer_hours_saved and diverted_calls are the published officer_hours_saved metric.
-- caveats: Officer-hours saved is an estimate: it assumes a diverted call would have needed as
--   much police time as the calls of its type police kept. Co-Response calls are never diverted,
--   so call types Co-Response takes often show lower shares. "Since launch" is the all period of
--   metric_values (launch to the latest day with data).
WITH program AS (
    SELECT period_start, period_end
    FROM metrics.metric_values
    WHERE metric_id = 'officer_hours_saved' AND grain = 'all' AND unit = 'ALL' AND dimension = 'ALL'
),
saved AS (
    SELECT dimension_value AS call_type, numerator AS hours, denominator AS diverted
    FROM metrics.metric_values
    WHERE metric_id = 'officer_hours_saved' AND grain = 'all' AND unit = 'ALL' AND dimension = 'call_type'
),
handled AS (
    SELECT coalesce(h.initial_call_type, 'unknown') AS call_type, count(DISTINCT h.incident_id) AS handled_calls
    FROM marts.heart_handled_incidents AS h
    JOIN program AS p ON h.received_date >= p.period_start AND h.received_date < p.period_end
    GROUP BY ALL
),
labels AS (
    SELECT coalesce(initial_call_type, 'unknown') AS call_type, max(initial_call_type_label) AS call_type_label
    FROM marts.cad_incidents
    GROUP BY ALL
)
SELECT h.call_type, l.call_type_label, h.handled_calls,
    coalesce(s.diverted, 0)::BIGINT AS diverted_calls,
    round(coalesce(s.diverted, 0) / h.handled_calls, 3) AS diversion_share,
    round(coalesce(s.hours, 0), 2) AS officer_hours_saved,
    round(coalesce(s.hours / nullif(s.diverted, 0), 0), 2) AS hours_per_diverted_call
FROM handled AS h
LEFT JOIN saved AS s USING (call_type)
LEFT JOIN labels AS l USING (call_type)
ORDER BY officer_hours_saved DESC, diverted_calls DESC, h.call_type;
