-- staging: the accepted rows, typed (codes translated through the profile's
-- lookups, times resolved to UTC instants), with their lineage; the canonical
-- tables built from them (one row per CAD incident, per unit assignment, per
-- HEART response, the newest export winning); the incidents and responses the
-- latest run changed; and the program configuration (config/program.toml) as
-- dated tables.

-- The comments on every table and column of the staging schema (pipeline/warehouse/catalog.py
-- applies them after every build). Columns that carry a contract field
-- (incident_id, received_at, unit, outcome ...) are commented from
-- pipeline/ingest/contract.py (Field.description), not here; see CONTRACT_COLUMNS there.

-- Accepted rows ------------------------------------------------------------------

COMMENT ON TABLE staging.cad_rows IS 'Accepted CAD rows: every raw CAD row that passed every check, typed (codes translated, times as UTC instants), with its lineage. One row per source row: an incident exported several times, or with several units, has several rows.';
COMMENT ON COLUMN staging.cad_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN staging.cad_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN staging.cad_rows.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN staging.cad_rows.profile IS 'Source profile that read the file (profiles/<profile>.toml).';
COMMENT ON COLUMN staging.cad_rows.timezone IS 'IANA time zone the file''s local times were read in (audit.file_loads.timezone).';
COMMENT ON COLUMN staging.cad_rows.export_as_of IS 'Date the export was taken, from the file name (local date); NULL when the name carries none. The newest export wins.';
COMMENT ON COLUMN staging.cad_rows.load_seq IS 'Order the file was loaded in (audit.file_loads.load_seq); breaks ties between exports of the same date.';
COMMENT ON COLUMN staging.cad_rows.initial_call_type_label IS 'Description of initial_call_type from the profile''s lookup; NULL when the lookup does not list the code.';
COMMENT ON COLUMN staging.cad_rows.final_call_type_label IS 'Description of final_call_type from the profile''s lookup; NULL when the lookup does not list the code.';
COMMENT ON COLUMN staging.cad_rows.disposition_label IS 'Description of disposition from the profile''s lookup; NULL when the lookup does not list the code.';

COMMENT ON TABLE staging.heart_rows IS 'Accepted HEART log rows: every raw HEART row that passed every check, typed (codes and yes/no answers translated, times as UTC instants), with its lineage. One row per source row: a response exported several times has several rows.';
COMMENT ON COLUMN staging.heart_rows.file_id IS 'Input file: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN staging.heart_rows.source_file IS 'Input file name as it was in the inbox.';
COMMENT ON COLUMN staging.heart_rows.source_row IS 'Row number in the file: 1 = first data row after the header.';
COMMENT ON COLUMN staging.heart_rows.profile IS 'Source profile that read the file (profiles/<profile>.toml).';
COMMENT ON COLUMN staging.heart_rows.timezone IS 'IANA time zone the file''s local times were read in (audit.file_loads.timezone).';
COMMENT ON COLUMN staging.heart_rows.export_as_of IS 'Date the export was taken, from the file name (local date); NULL when the name carries none. The newest export wins.';
COMMENT ON COLUMN staging.heart_rows.load_seq IS 'Order the file was loaded in (audit.file_loads.load_seq); breaks ties between exports of the same date.';

-- Canonical tables ---------------------------------------------------------------

COMMENT ON TABLE staging.cad_incidents IS 'One row per CAD incident id, from the newest export that has an accepted row for it (export as-of date, then load order), and within that export its last row. A re-exported incident updates, never duplicates. Its units are in staging.cad_unit_assignments.';
COMMENT ON COLUMN staging.cad_incidents.initial_call_type_label IS 'Description of initial_call_type from the profile''s lookup; NULL when the lookup does not list the code.';
COMMENT ON COLUMN staging.cad_incidents.final_call_type_label IS 'Description of final_call_type from the profile''s lookup; NULL when the lookup does not list the code.';
COMMENT ON COLUMN staging.cad_incidents.disposition_label IS 'Description of disposition from the profile''s lookup; NULL when the lookup does not list the code.';
COMMENT ON COLUMN staging.cad_incidents.profile IS 'Source profile of the export the incident''s version came from.';
COMMENT ON COLUMN staging.cad_incidents.timezone IS 'IANA time zone that export''s local times were read in.';
COMMENT ON COLUMN staging.cad_incidents.exports_seen IS 'Number of exports (files) with an accepted row for this incident.';
COMMENT ON COLUMN staging.cad_incidents.source_file_id IS 'File the incident''s version came from: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN staging.cad_incidents.source_file IS 'Name of that file.';
COMMENT ON COLUMN staging.cad_incidents.source_row IS 'Row of that file the incident fields came from (1 = first data row after the header).';

COMMENT ON TABLE staging.cad_unit_assignments IS 'One row per unit assignment (a CAD row that names a unit) of each incident, taken whole from the export that supplied the incident''s version in staging.cad_incidents: the newest export''s picture of who was sent. A unit sent twice to one incident has two rows.';
COMMENT ON COLUMN staging.cad_unit_assignments.source_file_id IS 'File the assignment came from: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN staging.cad_unit_assignments.source_file IS 'Name of that file.';
COMMENT ON COLUMN staging.cad_unit_assignments.source_row IS 'Row of that file (1 = first data row after the header).';

COMMENT ON TABLE staging.heart_responses IS 'One row per HEART response id, the newest export winning (export as-of date, then load order, then last row). A response naming a CAD incident not (yet) in the warehouse is kept and flagged cad_linked = false; it links on the run that brings that CAD export.';
COMMENT ON COLUMN staging.heart_responses.cad_linked IS 'true when cad_incident_id names an incident in staging.cad_incidents; false for walk-ups and for numbers that match no incident (yet).';
COMMENT ON COLUMN staging.heart_responses.profile IS 'Source profile of the export the response''s version came from.';
COMMENT ON COLUMN staging.heart_responses.timezone IS 'IANA time zone that export''s local times were read in.';
COMMENT ON COLUMN staging.heart_responses.exports_seen IS 'Number of exports (files) with an accepted row for this response.';
COMMENT ON COLUMN staging.heart_responses.source_file_id IS 'File the response''s version came from: SHA-256 of its bytes (audit.file_loads.file_id).';
COMMENT ON COLUMN staging.heart_responses.source_file IS 'Name of that file.';
COMMENT ON COLUMN staging.heart_responses.source_row IS 'Row of that file (1 = first data row after the header).';

-- What the latest validation changed ---------------------------------------------

COMMENT ON TABLE staging.changed_incidents IS 'The CAD incidents whose rows validation added, updated or removed (an incident with an accepted row among the rows it validated, before or after): their rows in staging.cad_incidents and staging.cad_unit_assignments were rebuilt, possibly to none. Validation adds to it and the marts empty it once they have rebuilt those incidents, so it holds the changes not yet in the marts (all incidents after a full validation). For building what depends on the incidents from what changed only.';
COMMENT ON COLUMN staging.changed_incidents.incident_id IS 'CAD incident number (staging.cad_incidents.incident_id); it may no longer be there when its rows were removed or quarantined.';

COMMENT ON TABLE staging.changed_responses IS 'The HEART responses whose rows validation added, updated or removed, including those linked to a changed CAD incident (their rows are checked again): their rows in staging.heart_responses were rebuilt, possibly to none. Validation adds to it and the marts empty it once they have rebuilt those responses, so it holds the changes not yet in the marts (all responses after a full validation). For building what depends on the responses from what changed only.';
COMMENT ON COLUMN staging.changed_responses.response_id IS 'HEART response id (staging.heart_responses.response_id); it may no longer be there when its rows were removed or quarantined.';

-- The program configuration (config/program.toml) --------------------------------
-- A dated entry is in force from its effective_from date until the next entry of
-- its section; marts.program_days resolves which entry holds on each day.

COMMENT ON TABLE staging.program IS 'The program itself ([program] in config/program.toml): one row.';
COMMENT ON COLUMN staging.program.name IS 'Program name.';
COMMENT ON COLUMN staging.program.timezone IS 'IANA time zone of the program, e.g. America/New_York: every local date, hour and period in marts and metrics is in this zone.';
COMMENT ON COLUMN staging.program.launch_date IS 'First day of the program (local date); marts.program_days starts here.';
COMMENT ON COLUMN staging.program.fiscal_year_start_month IS 'Month (1-12) whose first day starts the fiscal year: 7 = July to June.';
COMMENT ON COLUMN staging.program.config_file IS 'Name of the configuration file loaded.';

COMMENT ON TABLE staging.program_units IS 'HEART units ([[units]]): one row per unit entry, with the role that decides how the metrics count it.';
COMMENT ON COLUMN staging.program_units.code IS 'Canonical unit code: CCD Crisis Call Diversion, CR Community Response, COR Co-Response, CN Care Navigation.';
COMMENT ON COLUMN staging.program_units.name IS 'Unit name.';
COMMENT ON COLUMN staging.program_units.effective_from IS 'Local date the unit exists from.';
COMMENT ON COLUMN staging.program_units.in_person IS 'true when the unit sends a team into the field: bound by the service area, counted in in-person team capacity, measured for response time.';
COMMENT ON COLUMN staging.program_units.crisis_response IS 'true when the unit can answer an eligible 911 call (false for Care Navigation, which follows up).';
COMMENT ON COLUMN staging.program_units.description IS 'What the unit does, in a sentence.';

COMMENT ON TABLE staging.program_eligible_call_types IS 'Eligible call types ([[eligible_call_types]]): one row per entry and call type. The list in force on a date is the entry with the latest effective_from on or before it; an entry with no call types is one row with call_type NULL.';
COMMENT ON COLUMN staging.program_eligible_call_types.effective_from IS 'Local date the entry takes effect (in force until the next entry''s date).';
COMMENT ON COLUMN staging.program_eligible_call_types.label IS 'The entry''s label from the configuration file.';
COMMENT ON COLUMN staging.program_eligible_call_types.call_type IS 'CAD initial call type (source code, as in staging.cad_incidents.initial_call_type) that is eligible for HEART; NULL for an entry with none.';

COMMENT ON TABLE staging.program_service_area IS 'Service area ([[service_area]]): one row per entry and police beat served by the in-person teams. A citywide entry (or one with no beats) is one row with beat NULL.';
COMMENT ON COLUMN staging.program_service_area.effective_from IS 'Local date the entry takes effect (in force until the next entry''s date).';
COMMENT ON COLUMN staging.program_service_area.label IS 'The entry''s label from the configuration file.';
COMMENT ON COLUMN staging.program_service_area.citywide IS 'true when every beat is served (staging.program_beats).';
COMMENT ON COLUMN staging.program_service_area.beat IS 'Police beat served (as in staging.cad_incidents.beat); NULL for a citywide entry.';

COMMENT ON TABLE staging.program_service_hours IS 'Service hours ([[service_hours]]): one row per entry and weekday served, with the local hours [start_time, end_time). A weekday the entry in force does not list has no service.';
COMMENT ON COLUMN staging.program_service_hours.effective_from IS 'Local date the entry takes effect (in force until the next entry''s date).';
COMMENT ON COLUMN staging.program_service_hours.label IS 'The entry''s label from the configuration file.';
COMMENT ON COLUMN staging.program_service_hours.iso_weekday IS 'ISO weekday served: 1 = Monday ... 7 = Sunday; NULL for an entry with no days.';
COMMENT ON COLUMN staging.program_service_hours.start_time IS 'Local time (program time zone) service starts: inclusive.';
COMMENT ON COLUMN staging.program_service_hours.end_time IS 'Local time (program time zone) service ends: exclusive.';

COMMENT ON TABLE staging.program_capacity IS 'Capacity on shift ([[capacity]]): one row per entry and unit, how many teams can take calls at the same time during service hours.';
COMMENT ON COLUMN staging.program_capacity.effective_from IS 'Local date the entry takes effect (in force until the next entry''s date).';
COMMENT ON COLUMN staging.program_capacity.unit IS 'Unit code: CCD, CR, COR or CN.';
COMMENT ON COLUMN staging.program_capacity.teams IS 'Teams (or clinicians) of the unit on shift at the same time; 0 when the entry does not name the unit.';

COMMENT ON TABLE staging.program_beats IS 'Every police beat of the city ([beats] all): what a citywide service area covers. One row per beat.';
COMMENT ON COLUMN staging.program_beats.beat IS 'Police beat code, as in staging.cad_incidents.beat.';
