-- The program configuration (config/program.toml) as warehouse tables.
-- pipeline/program.py checks the file and registers its entries as Arrow
-- tables named *_input; this file copies them into staging. Every dated table
-- carries `effective_from`: the entry in force on a date is the latest one
-- whose effective_from is on or before that date (marts/program_days.sql).
-- A list entry with no members (no eligible types, a citywide area, no days)
-- is one row with a NULL member, so that the entry itself still takes effect.

CREATE OR REPLACE TABLE staging.program AS
SELECT name, timezone, launch_date, fiscal_year_start_month, config_file FROM program_input;

CREATE OR REPLACE TABLE staging.program_units AS
SELECT code, name, effective_from, in_person, crisis_response, description FROM program_units_input;

CREATE OR REPLACE TABLE staging.program_eligible_call_types AS
SELECT effective_from, label, call_type FROM program_eligible_input;

CREATE OR REPLACE TABLE staging.program_service_area AS
SELECT effective_from, label, citywide, beat FROM program_area_input;

CREATE OR REPLACE TABLE staging.program_service_hours AS
SELECT effective_from, label, iso_weekday, start_time::TIME AS start_time, end_time::TIME AS end_time
FROM program_hours_input;

CREATE OR REPLACE TABLE staging.program_capacity AS
SELECT effective_from, unit, teams FROM program_capacity_input;

CREATE OR REPLACE TABLE staging.program_beats AS
SELECT beat FROM program_beats_input;
