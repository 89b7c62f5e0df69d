-- The TEMP tables a build of the marts works from (pipeline/marts.py). mart_plan says whether
-- the build is full; the scopes list the keys an incremental build deletes and inserts again
-- (on a full build they stay empty: the mart files' $full reads every row);
-- mart_busy_changes holds the busy intervals of the responses rebuilt, as they were and as they
-- are; mart_changed_dates the local dates of every row deleted or inserted.
-- Parameters: $full.
CREATE OR REPLACE TEMP TABLE mart_plan AS SELECT $full::BOOLEAN AS is_full;
CREATE OR REPLACE TEMP TABLE mart_scope_incidents (incident_id VARCHAR);
CREATE OR REPLACE TEMP TABLE mart_scope_responses (response_id VARCHAR);
CREATE OR REPLACE TEMP TABLE mart_scope_eligible (incident_id VARCHAR);
CREATE OR REPLACE TEMP TABLE mart_scope_times (incident_id VARCHAR);
CREATE OR REPLACE TEMP TABLE mart_busy_changes (busy_from TIMESTAMPTZ, busy_until TIMESTAMPTZ);
CREATE OR REPLACE TEMP TABLE mart_changed_dates (service_date DATE);
