"""The ingest stage: the input contract, source profiles, and reading each new inbox file once into `raw`.

    contract.py  the input contract: the canonical fields of each kind, their types and allowed codes
    profiles.py  one TOML source profile per export layout (pipeline reads profiles/*.toml)
    versions.py  a profile's version; files loaded under an older one are brought up to date
    inbox.py     which files a run reads, and the SHA-256 a file is known by
    mapping.py   a file's columns onto the contract as DuckDB expressions; the profiles' code lookups
    read.py      reading one CSV file through its profile (header, malformed lines, row numbers)
    pseudonym.py the secret HEART person keys are hashed with at ingest (kept outside the warehouse)
    load.py      loading one file: its rows and its audit row in one transaction
    run.py       ingest_inbox, the orchestration: every new file, in as-of order
    check.py     `heart profile check`: how a profile reads a file, before anything is loaded
"""

from pipeline.ingest.inbox import IGNORED_SUFFIXES, IN_PROGRESS_SUFFIXES, file_sha256, inbox_files
from pipeline.ingest.load import FileResult, ensure_schema
from pipeline.ingest.mapping import refresh_profile_codes
from pipeline.ingest.read import UnreadableFile, as_of_from_rows, match_profile, read_file, read_header
from pipeline.ingest.run import IngestSummary, Progress, ingest_inbox

__all__ = [
    "IGNORED_SUFFIXES", "IN_PROGRESS_SUFFIXES", "FileResult", "IngestSummary", "Progress", "UnreadableFile",
    "as_of_from_rows", "ensure_schema", "file_sha256", "inbox_files", "ingest_inbox", "match_profile",
    "read_file", "read_header", "refresh_profile_codes",
]
