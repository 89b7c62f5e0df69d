-- Session settings for every pipeline connection. Instants are stored as
-- TIMESTAMPTZ; a fixed session zone keeps date arithmetic and displayed
-- values independent of the machine's own clock setting.
SET TimeZone = 'UTC';
