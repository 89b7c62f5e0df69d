-- exports/police_time_by_call_type: one row per initial call type (every call type in the
-- CAD data, not only HEART-eligible ones): the officer time a call of that type takes when
-- police handle it, over every comparable incident in the warehouse (police unit(s), no
-- HEART crisis response, every police dispatch and clear time recorded; see
-- sql/marts/police_time_by_call_type.sql). It is the table officer_hours_saved multiplies
-- diverted calls by. comparable_incidents is a count of incidents; the hours are per
-- incident, summed over its police units (dispatched -> cleared).
SELECT
    coalesce(initial_call_type::VARCHAR, 'unknown') AS call_type,
    comparable_incidents,
    mean_police_unit_hours,
    median_police_unit_hours,
    mean_police_units
FROM marts.police_time_by_call_type
ORDER BY call_type;
