-- Helpers for the staging SQL. TEMP macros: defined per connection, never stored
-- in the warehouse file analysts open.

-- True when a wall-clock time falls in the repeated autumn hour (it names two instants).
CREATE OR REPLACE TEMP MACRO is_ambiguous_local(local_ts, tz) AS (
    timezone(tz, timezone(tz, local_ts) - INTERVAL 1 HOUR) = local_ts
);

-- A local wall-clock time (as the 911 center's clock showed it) to an instant.
-- DuckDB maps a time inside the repeated autumn hour to its later (standard-time)
-- instant. When the instant one hour earlier shows the same wall-clock time, the
-- time is ambiguous: take the earlier instant unless that would put this event
-- before the one it follows (not_before), so the repeated hour never yields a
-- negative duration. Times skipped in spring move forward an hour.
CREATE OR REPLACE TEMP MACRO local_to_instant(local_ts, tz, not_before) AS (
    CASE
        WHEN local_ts IS NULL THEN NULL
        WHEN is_ambiguous_local(local_ts, tz)
             AND (not_before IS NULL OR timezone(tz, local_ts) - INTERVAL 1 HOUR >= not_before)
            THEN timezone(tz, local_ts) - INTERVAL 1 HOUR
        ELSE timezone(tz, local_ts)
    END
);

-- The first time of a chain (call received) has nothing before it, so look at
-- the next time instead: if that one is unambiguous and comes after the later
-- reading of this one, the later (standard-time) reading is the one that keeps
-- the durations short (01:49 received, 02:02 arrived is 13 minutes, not 73).
-- Otherwise take the first occurrence.
CREATE OR REPLACE TEMP MACRO first_local_to_instant(local_ts, tz, next_local) AS (
    CASE
        WHEN local_ts IS NULL THEN NULL
        WHEN is_ambiguous_local(local_ts, tz)
             AND (next_local IS NULL OR is_ambiguous_local(next_local, tz)
                  OR timezone(tz, next_local) < timezone(tz, local_ts))
            THEN timezone(tz, local_ts) - INTERVAL 1 HOUR
        ELSE timezone(tz, local_ts)
    END
);

-- Blank text is no value.
CREATE OR REPLACE TEMP MACRO clean_text(value) AS nullif(trim(value), '');
