-- Helpers for the staging SQL. TEMP macros: defined per connection, never stored
-- in the warehouse file analysts open.
--
-- Local wall-clock times (as the 911 center's clocks showed them) become instants
-- through the table local_hours (sql/staging/local_hours.sql): per time zone and
-- local hour, the instant the hour starts at and whether the hour is ambiguous.
-- DuckDB reads a time inside the repeated autumn hour as its later (standard-time)
-- instant; "late" below is that reading, and late - 1 hour is the other one.
-- (Assumes clock changes fall on the hour, as they do across North America.)

-- The later reading of a local time, from its hour's start instant.
CREATE OR REPLACE TEMP MACRO late_instant(hour_start, local_ts) AS (
    hour_start + (local_ts - date_trunc('hour', local_ts))
);

-- A time that follows another in a record: in the repeated hour take the earlier
-- reading unless that would put it before the time it follows (not_before), so
-- the repeated hour never yields a negative duration.
CREATE OR REPLACE TEMP MACRO resolve_time(late, ambiguous, not_before) AS (
    CASE
        WHEN late IS NULL THEN NULL
        WHEN ambiguous AND (not_before IS NULL OR late - INTERVAL 1 HOUR >= not_before)
            THEN late - INTERVAL 1 HOUR
        ELSE late
    END
);

-- The first time of a record (call received) has nothing before it, so look at the
-- next time instead: if that one is unambiguous and not before the later reading of
-- this one, the later reading keeps the durations short (01:49 received, 02:00
-- dispatched is 11 minutes, not 71). Otherwise take the first occurrence.
CREATE OR REPLACE TEMP MACRO resolve_first_time(late, ambiguous, next_late, next_ambiguous) AS (
    CASE
        WHEN late IS NULL THEN NULL
        WHEN ambiguous AND (next_late IS NULL OR next_ambiguous OR next_late < late)
            THEN late - INTERVAL 1 HOUR
        ELSE late
    END
);

-- Blank text is no value.
CREATE OR REPLACE TEMP MACRO clean_text(value) AS nullif(trim(value), '');
