-- exports/police_time_by_call_type: one row per initial call type (every call type in the
-- CAD data, not only HEART-eligible ones): the officer time a call of that type takes when
-- police handle it, over every comparable incident in the warehouse (police unit(s), no
-- HEART crisis response, every police dispatch and clear time recorded; the definition of
-- sql/marts/police_time_by_call_type.sql, the table officer_hours_saved multiplies diverted
-- calls by). comparable_incidents is a count of incidents; the hours are per incident,
-- summed over its police units (dispatched -> cleared).
-- Label policy (issue 14, item 7): a call type is published by name only when a source
-- profile's lookup lists its code (raw.profile_codes) or the program configuration names it
-- (staging.program_eligible_call_types). Any other value came from a record, not from a code
-- list — it may be a name or a phone number typed into the field — so its incidents are
-- pooled into one row 'other' (counted, never labelled). With that pooling this file is
-- computed from marts.cad_incidents with the mart's comparable-incident filter rather than
-- from the mart's rows: a median of pooled call types cannot be made from their medians.
-- For a named call type every figure equals the mart's row.
WITH known AS (
    SELECT DISTINCT upper(trim(code)) AS call_type
    FROM raw.profile_codes WHERE field = 'initial_call_type'
    UNION
    SELECT DISTINCT upper(trim(call_type)) FROM staging.program_eligible_call_types WHERE call_type IS NOT NULL
),
comparable AS (
    SELECT
        CASE
            WHEN i.initial_call_type IS NULL THEN 'unknown'
            WHEN i.initial_call_type IN (SELECT call_type FROM known) THEN i.initial_call_type
            ELSE 'other'
        END AS call_type,
        i.police_unit_hours, i.police_units
    FROM marts.cad_incidents AS i
    WHERE i.police_units > 0 AND i.heart_responses = 0 AND i.police_unit_hours IS NOT NULL
)
SELECT
    call_type,
    count(*) AS comparable_incidents,
    avg(police_unit_hours::DECIMAL(38, 18))::DOUBLE AS mean_police_unit_hours,
    median(police_unit_hours) AS median_police_unit_hours,
    avg(police_units) AS mean_police_units
FROM comparable
GROUP BY call_type
ORDER BY call_type;
