"""Profile versions: a file's rows are always read under its profile's current version.

A profile's version is a hash of what shapes the rows it reads — column mapping,
CSV reading, time formats, the time zone its times are read in, lookups,
true/false tokens, the export date — taken from the parsed profile in a canonical
form, so comments and whitespace in the TOML do not count. Each file's load
records the version (audit.file_loads.profile_version); every version's aspects
are kept in audit.profile_versions, so a run can say what changed.

When a profile changes, the files loaded under an older version are brought up to
date before new files load:

- formats, time zone, lookups, true/false tokens, export date: raw keeps every
  mapped field's original text, so the times are re-parsed from raw with the new
  formats and the file's time zone and as-of date are restamped; validation, which
  validates a file again whenever its load row, profile version or lookups differ
  from what it was validated under (audit.validated_files), does the rest ("re-validated");
- column mapping, CSV reading (or anything else a newer profile format adds): raw
  cannot give back a column it did not keep, so the file is re-read from the
  inbox when a file with the same SHA-256 is still there ("re-read"), and left
  as it was, said plainly on every run, when it is not ("not in inbox").

What the run did is in audit.profile_revalidations and the run summary.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.ingest import contract
from pipeline.ingest.profiles import FieldSource, Profile
from pipeline.warehouse.sqlfiles import query_sql_file, run_sql_file

# Aspects of a profile, by the Profile attributes they are made of. Field mapping
# and the lookups are split by field (see _aspect_values).
ASPECTS: dict[str, tuple[str, ...]] = {
    "column mapping": ("kind", "fields"),
    "CSV reading": ("delimiter", "encoding", "null_tokens"),
    "time format": ("datetime_formats", "date_formats", "time_formats"),
    "time zone": ("timezone",),
    "lookups": ("lookups",),
    "true/false tokens": ("true_tokens", "false_tokens"),
    "export date": ("as_of_regex",),
}
# Attributes that do not shape a file's rows (which files a profile reads is not a change to them).
NOT_ROWS = {"name", "path", "description", "origin", "filenames",
            # Read by the impact marts from raw.profile_outcome_classes, rebuilt whole on every run.
            "outcome_classes"}
# Anything a newer profile format adds lands here, and is treated like a mapping change.
OTHER = "other settings"
# Aspects raw cannot re-derive: the file has to be read again.
RE_READ = {"column mapping", "CSV reading", OTHER}
# A file loaded before versions were recorded: what changed is not known.
UNRECORDED = "version not recorded"

REVALIDATED, REREAD, NOT_IN_INBOX = "re-validated", "re-read", "not in inbox"


def _plain(value):
    """A profile value as plain JSON data, in a stable form."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    return value


# Parts of a field's source that belong to other aspects.
FIELD_FORMATS = ("date_formats", "time_formats")


def _mapping(source: FieldSource) -> dict:
    return {k: v for k, v in _plain(source).items() if k not in ("lookup", *FIELD_FORMATS)}


def _field_formats(profile: Profile) -> dict:
    """Formats given on a field itself (a date column's and a time column's own formats)."""
    found = {}
    for name, source in sorted(profile.fields.items()):
        own = {k: _plain(getattr(source, k)) for k in FIELD_FORMATS if getattr(source, k, None)}
        if own:
            found[name] = own
    return found


PERSON_KEY_STORAGE = "keyed sha256, 32 hex"


def _aspect_values(profile: Profile, timezone: str) -> dict[str, object]:
    """Each aspect's canonical content. The time zone is the one the times are read in."""
    values: dict[str, object] = {}
    listed = {name for names in ASPECTS.values() for name in names}
    for aspect, names in ASPECTS.items():
        if aspect == "column mapping":
            values[aspect] = {"kind": profile.kind, "fields": {f: _mapping(s) for f, s in sorted(profile.fields.items())}}
            if profile.kind == "heart":
                # Person keys are stored pseudonymised (pipeline/ingest/pseudonym.py): a warehouse loaded
                # before that re-reads its HEART files once, so no log's own key stays in raw.
                values[aspect]["person_key"] = PERSON_KEY_STORAGE
        elif aspect == "lookups":
            # By field, not by table name: renaming a [lookups] table changes nothing.
            values[aspect] = {
                f: _plain(dataclasses.replace(profile.lookups[s.lookup], name=""))
                for f, s in sorted(profile.fields.items()) if s.lookup
            }
        elif aspect == "time zone":
            values[aspect] = timezone
        elif aspect == "time format":
            values[aspect] = {name: _plain(getattr(profile, name)) for name in names}
            if _field_formats(profile):
                values[aspect]["fields"] = _field_formats(profile)
        else:
            values[aspect] = {name: _plain(getattr(profile, name)) for name in names}
    other = {f.name: _plain(getattr(profile, f.name)) for f in dataclasses.fields(profile)
             if f.name not in listed | NOT_ROWS}
    values[OTHER] = other
    return values


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def reading_timezone(profile: Profile, program_timezone: str) -> str:
    """The zone a profile's times are read in: its own override, else the program's (the city's clock)."""
    return profile.timezone or program_timezone


def aspects(profile: Profile, program_timezone: str) -> dict[str, str]:
    """Each aspect's hash."""
    return {a: _digest(v) for a, v in _aspect_values(profile, reading_timezone(profile, program_timezone)).items()}


def version(profile: Profile, program_timezone: str) -> str:
    """The profile's version: one hash of every aspect that shapes its rows."""
    return _digest(aspects(profile, program_timezone))


def single_column_formats(profile: Profile, source: FieldSource | None) -> list[str] | None:
    """The strptime formats a one-column (or constant) time field is parsed with at load; None: not mapped."""
    if source is None:
        return None
    return list(profile.datetime_formats) or None


def needs_reread(profile: Profile, changed: tuple[str, ...]) -> bool:
    """Whether raw cannot re-derive the change: a column mapping, the CSV reading, a newer
    setting, or the time formats of a time given as a date column and a time column (raw
    keeps the two joined, and each column is parsed by its own formats at load)."""
    if RE_READ & set(changed):
        return True
    return "time format" in changed and any(
        s.date_column for f, s in profile.fields.items() if f in contract.timestamp_fields(profile.kind)
    )


@dataclass(frozen=True)
class Revalidation:
    profile: str
    changed: tuple[str, ...]
    file_name: str
    action: str  # REVALIDATED | REREAD | NOT_IN_INBOX


# (path, file_id, profile, load_seq, version) -> status of the re-read ('loaded' or 'unreadable')
Reread = Callable[[Path, str, Profile, int, str], str]


def record_versions(con: duckdb.DuckDBPyConnection, profiles: list[Profile], program_timezone: str) -> dict[str, str]:
    """Keep every profile's current version and its aspects; returns {profile: version}."""
    current: dict[str, str] = {}
    for profile in profiles:
        parts = aspects(profile, program_timezone)
        current[profile.name] = _digest(parts)
        for aspect, aspect_hash in parts.items():
            run_sql_file(con, "raw/record_profile_version.sql", {
                "profile": profile.name, "version": current[profile.name], "aspect": aspect, "aspect_hash": aspect_hash,
            })
    return current


def changed_aspects(old: dict[str, str] | None, new: dict[str, str]) -> tuple[str, ...]:
    if not old:
        return (UNRECORDED,)
    return tuple(a for a in new if old.get(a) != new[a])


def bring_up_to_date(
    con: duckdb.DuckDBPyConnection,
    profiles: list[Profile],
    program_timezone: str,
    inbox: dict[str, Path],
    reread: Reread,
) -> list[Revalidation]:
    """Re-validate (or re-read) every file loaded under an older version of its profile.

    `inbox` maps the SHA-256 of each file now in the inbox to its path. A file with
    a column-mapping change that is no longer in the inbox keeps its rows and its
    old version, so the run says so again until the file is put back.
    """
    run_sql_file(con, "raw/clear_revalidations.sql")
    by_name = {p.name: p for p in profiles}
    current = record_versions(con, profiles, program_timezone)
    stale = query_sql_file(con, "raw/stale_file_loads.sql", {
        "current": [{"profile": name, "version": v} for name, v in current.items()],
    })
    done: list[Revalidation] = []
    retype: dict[str, list[str]] = {}
    for f in stale:
        profile = by_name[f["profile"]]
        new_aspects = aspects(profile, program_timezone)
        changed = changed_aspects(f["old_aspects"], new_aspects)
        if f["status"] != "loaded":
            # Refused under an older version: the changed profile may read it now.
            if f["file_id"] not in inbox:
                continue
            action = REREAD
        elif needs_reread(profile, changed):
            action = REREAD if f["file_id"] in inbox else NOT_IN_INBOX
        else:
            action = REVALIDATED
        if action == REREAD:
            reread(inbox[f["file_id"]], f["file_id"], profile, f["load_seq"], current[profile.name])
        elif action == REVALIDATED:
            if "time format" in changed:
                retype.setdefault(profile.name, []).append(f["file_id"])
            run_sql_file(con, "raw/restamp_file_load.sql", {
                "file_id": f["file_id"],
                "timezone": reading_timezone(profile, program_timezone),
                "restamp_as_of": "export date" in changed,
                "export_as_of": profile.export_as_of(f["file_name"]),
                "profile_version": current[profile.name],
            })
        run_sql_file(con, "raw/record_revalidation.sql", {
            "profile": profile.name, "changed": list(changed), "file_id": f["file_id"], "file_name": f["file_name"],
            "action": action, "old_version": f["old_version"], "new_version": current[profile.name],
        })
        done.append(Revalidation(profile.name, changed, f["file_name"], action))
    for name, file_ids in retype.items():
        profile = by_name[name]
        params = {"file_ids": file_ids}
        for field_name in contract.timestamp_fields(profile.kind):
            params[field_name] = single_column_formats(profile, profile.fields.get(field_name))
        run_sql_file(con, f"raw/retype_{profile.kind}_times.sql", params)
    return done


def summary_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per profile and change: what the latest run did to the files loaded under an older version."""
    lines = []
    for r in query_sql_file(con, "audit/profile_revalidations_summary.sql"):
        n = r["files"]
        files = f"{n:,} file{'s' if n != 1 else ''}"
        changed = ", ".join(c for c in r["changed"])
        head = (f"profile {r['profile']}: {files} loaded before profile versions were recorded"
                if changed == UNRECORDED else f"profile {r['profile']} changed ({changed}): {files}")
        if r["action"] == REVALIDATED:
            lines.append(f"{head} re-validated" if changed != UNRECORDED else f"{head}, re-validated")
        elif r["action"] == REREAD:
            lines.append(f"{head} re-read from the inbox")
        else:
            names = ", ".join(r["file_names"])
            lines.append(
                f"{head} NOT re-read: no longer in the inbox ({names}); {'its' if n == 1 else 'their'} rows keep"
                f" the old reading. Put {'the file' if n == 1 else 'the files'} back in the inbox (the same bytes)"
                " and run again"
            )
    return lines


def timezone_lines(con: duckdb.DuckDBPyConnection, program_timezone: str) -> list[str]:
    """When some files' times were read in another zone than the program's: each zone, with its files and rows."""
    zones = query_sql_file(con, "audit/file_timezones.sql")
    if all(z["timezone"] == program_timezone for z in zones):
        return []
    lines = []
    in_program = [z for z in zones if z["timezone"] == program_timezone]
    files = sum(z["files"] for z in in_program)
    rows = sum(z["rows_read"] for z in in_program)
    lines.append(f"the program's clock is {program_timezone} (config [program].timezone): "
                 f"{files:,} file{'s' if files != 1 else ''}, {rows:,} rows read in it")
    for z in zones:
        if z["timezone"] == program_timezone:
            continue
        lines.append(
            f"profile {z['profile']} overrides it with {z['timezone']} ([profile].timezone): "
            f"{z['files']:,} file{'s' if z['files'] != 1 else ''}, {z['rows_read']:,} rows read in {z['timezone']}"
            " — remove the override unless that source's clock really is in that zone"
        )
    return lines
