-- The CAD files this run validated, with what they were validated under; a file no
-- longer loaded loses its row. The next run validates a file again only when these differ.
DELETE FROM audit.validated_files
WHERE kind = 'cad' AND file_id IN (SELECT file_id FROM cad_files_to_validate);
INSERT INTO audit.validated_files (file_id, kind, inputs, validator)
SELECT file_id, 'cad', inputs, $validator FROM cad_files_to_validate WHERE inputs IS NOT NULL;
