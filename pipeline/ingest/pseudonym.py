"""The person key as the warehouse keeps it: a keyed hash of the log's own key, never the key itself.

The same secret hashes the block of a CAD call's address (contract field block_key, for repeat
calls at one block; sql/raw/stage_mapped_file.sql), normalised and tagged 'block' so that a
block's hash is never a person's.

A HEART log's person key may be anything the desk typed there (a case number, a
date of birth, a name). It is replaced at ingest, before any row is written, by
sha256(secret || US || trimmed key) in DuckDB (sql/raw/stage_mapped_heart_file.sql,
the secret bound as a parameter, never pasted into SQL or stored). The same key
gives the same pseudonym on every run with the same secret, so distinct and
repeat people count as before; without the secret a name cannot be hashed to
find its row.

Why sha256 over secret || value rather than HMAC: DuckDB has sha256 built in but no
HMAC, and hashing 2 million keys in Python would cost more than the load. HMAC's
extra construction guards against length extension, which lets someone who holds
a hash forge the hash of a LONGER message; it does not help anyone find the value
behind a hash or hash a guess without the secret, which is the only threat here.
The secret is 256 random bits, so guessing it is out of reach.

The secret lives outside the warehouse: the environment variable
HEART_PSEUDONYM_KEY when set, else a key file beside the warehouse file
(Settings.pseudonym_key_file, `pseudonym.key` in the warehouse's folder), created
with mode 0600 on the first run. Back it up with the warehouse: a run with another
secret gives every person a new pseudonym, so repeat-person figures would no longer
link people across the files loaded before and after.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path

import duckdb

from pipeline.settings import PSEUDONYM_KEY_FILE_NAME as KEY_FILE_NAME

ENV_VAR = "HEART_PSEUDONYM_KEY"
# Characters of the hex digest kept: 128 bits, so two people sharing a pseudonym is out of reach
# (about 1 in 10^26 for a million people), at half the storage of the full digest.
PSEUDONYM_HEX_CHARS = 32


class PseudonymKeyError(RuntimeError):
    """The key file exists but cannot be read, or is empty."""


def key_file_beside(warehouse_file: Path) -> Path:
    """The key file for a warehouse file: in the same folder, never inside the DuckDB file."""
    return Path(warehouse_file).parent / KEY_FILE_NAME


def load_key(key_file: Path | None) -> str:
    """The secret: HEART_PSEUDONYM_KEY when set, else the key file's (created, 0600, when missing).

    `key_file` None (an in-memory database): a secret for this process only.
    """
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    if key_file is None:
        return _process_key()
    key_file = Path(key_file)
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass   # another process created it meanwhile: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    try:
        key = key_file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise PseudonymKeyError(f"cannot read the pseudonym key file {key_file}: {exc}") from exc
    if not key:
        raise PseudonymKeyError(f"the pseudonym key file {key_file} is empty; restore it from the backup")
    return key


def key_for_connection(con: duckdb.DuckDBPyConnection) -> str:
    """The secret for the database a connection has open: its key file beside it (see load_key)."""
    path = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return load_key(key_file_beside(Path(path[0])) if path and path[0] else None)


@cache
def _process_key() -> str:
    return secrets.token_hex(32)
