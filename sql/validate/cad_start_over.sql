-- A full rebuild of the CAD side (the validator changed, a table is missing, or asked
-- for): every table validation writes for CAD goes, to be created again
-- (validate/create_tables.sql) and filled from every raw CAD row. Every incident there was
-- is touched (cad_touched): its canonical row is rebuilt, or gone.
CREATE OR REPLACE TEMP TABLE cad_touched AS SELECT incident_id FROM staging.cad_incidents;
DROP TABLE IF EXISTS staging.cad_rows;
DROP TABLE IF EXISTS quarantine.cad_failures;
DROP TABLE IF EXISTS staging.cad_incidents;
DROP TABLE IF EXISTS staging.cad_unit_assignments;
DELETE FROM audit.duplicate_rows WHERE kind = 'cad';
DELETE FROM audit.validated_files WHERE kind = 'cad';
