-- Attach the byte copy of the working file (the temp file beside the published one) read-only,
-- to check it against the working file before it is renamed into place: reading it proves it
-- opens, and nothing can change it between the check and the rename.
ATTACH $path AS published_copy (READ_ONLY);
