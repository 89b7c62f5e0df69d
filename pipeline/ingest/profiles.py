"""Source profiles: one TOML file per export layout, mapping it onto the contract.

A profile says which files it reads (file-name globs), how to read them (CSV
dialect, encoding, null tokens), how the source writes times and booleans,
which source column feeds each canonical field, and the code lookup tables
that translate source codes. Adding a city is a new profile file; nothing here
changes. See docs/source-profiles.md for the format.
"""

from __future__ import annotations

import csv
import dataclasses
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.ingest import contract

SUPPORTED_ENCODINGS = {"utf-8", "utf-16", "latin-1"}
ON_UNKNOWN = {"quarantine", "keep"}
# Open code lists: the source code is kept and a label describes it, so the label may
# come from a column of the export ({ column = ..., label_column = ... }).
LABEL_FIELDS = {"initial_call_type", "final_call_type", "disposition"}
AS_OF_TAKE = {"max", "min"}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class FieldSource:
    """Where one canonical field comes from in a source file."""

    column: str | None = None  # a single source column
    date_column: str | None = None  # date and time in two columns
    time_column: str | None = None
    value: str | None = None  # a constant for every row
    lookup: str | None = None  # name of a lookup table translating codes
    # Two-column times: each column's own formats (empty: [time_formats].date / .time).
    date_formats: tuple[str, ...] = ()
    time_formats: tuple[str, ...] = ()
    label_column: str | None = None  # the code's description, from the export itself

    def source_columns(self) -> list[str]:
        return [c for c in (self.column, self.date_column, self.time_column, self.label_column) if c]


@dataclass(frozen=True)
class Lookup:
    name: str
    codes: dict[str, str]  # normalised source code (trimmed, upper case) -> value
    on_unknown: str = "quarantine"


@dataclass(frozen=True)
class Profile:
    name: str
    kind: contract.Kind
    path: Path
    description: str
    origin: str
    timezone: str | None
    filenames: tuple[str, ...]
    delimiter: str
    encoding: str
    null_tokens: tuple[str, ...]
    as_of_regex: str | None
    datetime_formats: tuple[str, ...]
    date_formats: tuple[str, ...]
    time_formats: tuple[str, ...]
    true_tokens: tuple[str, ...]
    false_tokens: tuple[str, ...]
    fields: dict[str, FieldSource]
    lookups: dict[str, Lookup] = field(default_factory=dict)
    as_of_format: str = "%Y-%m-%d"  # strptime format of the file name's as-of group
    as_of_field: str | None = None  # or: the as-of date is the max/min of this time field
    as_of_take: str = "max"
    # [outcome_classes]: outcome class -> the disposition codes (normalised) that mean it. Empty: none mapped.
    outcome_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matches(self, file_name: str) -> bool:
        """The name matches a pattern; a gzipped copy (name.gz) of a file that matches does too."""
        names = [file_name]
        if file_name.lower().endswith(".gz"):
            names.append(file_name[:-3])
        return any(fnmatch.fnmatch(name, pattern) for name in names for pattern in self.filenames)

    def required_columns(self) -> list[str]:
        """Every source column the profile maps must be in the file's header."""
        seen: list[str] = []
        for source in self.fields.values():
            for column in source.source_columns():
                if column not in seen:
                    seen.append(column)
        return seen

    def export_as_of(self, file_name: str) -> str | None:
        """The export's as-of date (ISO) taken from its file name, if the profile says how."""
        if not self.as_of_regex:
            return None
        match = re.search(self.as_of_regex, file_name)
        if not match:
            return None
        try:
            return datetime.strptime(match.group(1), self.as_of_format).date().isoformat()
        except ValueError:
            return None  # a name whose digits are no date: no as-of date, load order decides


def normalise_code(code: str) -> str:
    return code.strip().upper()


def _as_list(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ProfileError(f"{where}: expected a string or a list of strings, got {value!r}")


def _field_source(name: str, spec, where: str) -> FieldSource:
    if isinstance(spec, str):
        return FieldSource(column=spec)
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: expected a column name or a table, got {spec!r}")
    unknown = set(spec) - {"column", "date", "time", "value", "lookup", "date_format", "time_format", "label_column"}
    if unknown:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}")
    source = FieldSource(
        column=spec.get("column"),
        date_column=spec.get("date"),
        time_column=spec.get("time"),
        value=None if spec.get("value") is None else str(spec["value"]),
        lookup=spec.get("lookup"),
        date_formats=_as_list(spec.get("date_format"), f"{where}.date_format"),
        time_formats=_as_list(spec.get("time_format"), f"{where}.time_format"),
        label_column=spec.get("label_column"),
    )
    if (source.date_formats or source.time_formats) and source.date_column is None:
        raise ProfileError(f"{where}: 'date_format' and 'time_format' go with 'date' and 'time'")
    if source.label_column is not None and (source.column is None or name not in LABEL_FIELDS):
        raise ProfileError(
            f"{where}: 'label_column' goes with 'column' on {', '.join(sorted(LABEL_FIELDS))} only"
        )
    ways = sum([source.column is not None, source.date_column is not None, source.value is not None])
    if ways != 1:
        raise ProfileError(f"{where}: give exactly one of column, date (with time), or value")
    if (source.date_column is None) != (source.time_column is None):
        raise ProfileError(f"{where}: 'date' and 'time' go together")
    return source


def _lookup(name: str, spec: dict, profile_path: Path, where: str) -> Lookup:
    on_unknown = spec.get("on_unknown", "quarantine")
    if on_unknown not in ON_UNKNOWN:
        raise ProfileError(f"{where}.on_unknown: expected one of {sorted(ON_UNKNOWN)}, got {on_unknown!r}")
    codes: dict[str, str] = {}
    if "file" in spec:
        lookup_path = (profile_path.parent / spec["file"]).resolve()
        code_column = spec.get("code_column", "code")
        value_column = spec.get("value_column", "value")
        try:
            # utf-8-sig: real lookup files (San Diego's) begin with a byte-order mark.
            with lookup_path.open(newline="", encoding="utf-8-sig") as handle:
                for row_number, row in enumerate(csv.DictReader(handle), start=1):
                    if code_column not in row or value_column not in row:
                        raise ProfileError(
                            f"{where}: {lookup_path.name} has no column {code_column!r} or {value_column!r}"
                        )
                    if row[code_column] and row[code_column].strip():
                        codes[normalise_code(row[code_column])] = (row[value_column] or "").strip()
        except OSError as exc:
            raise ProfileError(f"{where}.file: cannot read {lookup_path}: {exc.strerror}") from exc
    for code, value in spec.items():
        if code in {"file", "code_column", "value_column", "on_unknown"}:
            continue
        if not isinstance(value, str):
            raise ProfileError(f"{where}.{code}: expected a string value, got {value!r}")
        codes[normalise_code(code)] = value
    if not codes:
        raise ProfileError(f"{where}: the lookup is empty")
    return Lookup(name=name, codes=codes, on_unknown=on_unknown)


def load_profile(path: Path) -> Profile:
    """Read and check one profile; every problem is a ProfileError naming file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name}: not valid TOML: {exc}") from exc
    where = path.name
    head = data.get("profile", {})
    kind = head.get("kind")
    if kind not in contract.FIELDS:
        raise ProfileError(f"{where} [profile].kind: expected 'cad' or 'heart', got {kind!r}")
    name = head.get("name") or path.stem
    csv_spec = data.get("csv", {})
    encoding = csv_spec.get("encoding", "utf-8").lower()
    if encoding not in SUPPORTED_ENCODINGS:
        raise ProfileError(f"{where} [csv].encoding: expected one of {sorted(SUPPORTED_ENCODINGS)}")
    formats = data.get("time_formats", {})
    booleans = data.get("booleans", {})
    lookups = {
        lookup_name: _lookup(lookup_name, spec, path, f"{where} [lookups.{lookup_name}]")
        for lookup_name, spec in data.get("lookups", {}).items()
    }
    known_fields = set(contract.field_names(kind))
    fields: dict[str, FieldSource] = {}
    for field_name, spec in data.get("fields", {}).items():
        field_where = f"{where} [fields].{field_name}"
        if field_name not in known_fields:
            raise ProfileError(f"{field_where}: not a {kind} contract field (see docs/input-contract.md)")
        source = _field_source(field_name, spec, field_where)
        if source.lookup and source.lookup not in lookups:
            raise ProfileError(f"{field_where}: lookup {source.lookup!r} is not defined under [lookups]")
        fields[field_name] = source
    missing = [f for f in contract.required_fields(kind) if f not in fields]
    if missing:
        raise ProfileError(f"{where} [fields]: required contract fields not mapped: {', '.join(missing)}")
    profile = Profile(
        name=name,
        kind=kind,
        path=path,
        description=head.get("description", ""),
        origin=head.get("origin", ""),
        timezone=head.get("timezone"),
        filenames=_as_list(data.get("match", {}).get("filenames"), f"{where} [match].filenames"),
        delimiter=csv_spec.get("delimiter", ","),
        encoding=encoding,
        null_tokens=_as_list(csv_spec.get("null_tokens", ["", "NULL"]), f"{where} [csv].null_tokens"),
        **_as_of(data.get("export", {}), f"{where} [export]"),
        datetime_formats=_as_list(formats.get("datetime"), f"{where} [time_formats].datetime"),
        date_formats=_as_list(formats.get("date"), f"{where} [time_formats].date"),
        time_formats=_as_list(formats.get("time"), f"{where} [time_formats].time"),
        true_tokens=_as_list(booleans.get("true", ["Y", "YES", "TRUE", "1"]), f"{where} [booleans].true"),
        false_tokens=_as_list(booleans.get("false", ["N", "NO", "FALSE", "0"]), f"{where} [booleans].false"),
        fields=fields,
        lookups=lookups,
    )
    if not profile.filenames:
        raise ProfileError(f"{where} [match].filenames: give at least one file-name pattern")
    _check_time_formats(profile)
    return dataclasses.replace(profile, outcome_classes=_outcome_classes(data.get("outcome_classes"), profile))


def _outcome_classes(spec, profile: Profile) -> dict[str, tuple[str, ...]]:
    """[outcome_classes]: class = [disposition codes]; each code must be one the disposition lookup lists
    (when the disposition has a lookup), so a typo cannot silently count nothing."""
    where = f"{profile.path.name} [outcome_classes]"
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: expected a table of class = [disposition codes], got {spec!r}")
    if profile.kind != "cad":
        raise ProfileError(f"{where}: only a CAD profile has dispositions to class")
    disposition = profile.fields.get("disposition")
    if spec and disposition is None:
        raise ProfileError(f"{where}: map [fields].disposition first; the classes are disposition codes")
    lookup = profile.lookups.get(disposition.lookup) if disposition and disposition.lookup else None
    classes: dict[str, tuple[str, ...]] = {}
    for name, codes in spec.items():
        if name not in contract.OUTCOME_CLASSES:
            raise ProfileError(f"{where}.{name}: not an outcome class (one of {', '.join(contract.OUTCOME_CLASSES)})")
        normalised = tuple(normalise_code(c) for c in _as_list(codes, f"{where}.{name}"))
        if not normalised:
            raise ProfileError(f"{where}.{name}: give at least one disposition code, or leave the class out")
        for code in normalised:
            if lookup is not None and code not in lookup.codes:
                raise ProfileError(f"{where}.{name}: code {code!r} is not in [lookups.{lookup.name}]")
        classes[name] = normalised
    return classes


def _as_of(spec: dict, where: str) -> dict:
    """[export]: the as-of date from the file name (regex group 1 + its format) or from a time field."""
    regex, as_of = spec.get("as_of_filename_regex"), spec.get("as_of")
    if as_of is None:
        return {"as_of_regex": regex}
    if regex is not None:
        raise ProfileError(f"{where}: give as_of or as_of_filename_regex, not both")
    if not isinstance(as_of, dict):
        raise ProfileError(f"{where}.as_of: expected a table, e.g. {{ filename_pattern = '...', format = '%Y%m%d' }}")
    unknown = set(as_of) - {"filename_pattern", "format", "field", "take"}
    if unknown:
        raise ProfileError(f"{where}.as_of: unknown keys {sorted(unknown)}")
    if ("filename_pattern" in as_of) == ("field" in as_of):
        raise ProfileError(f"{where}.as_of: give exactly one of filename_pattern or field")
    if "filename_pattern" in as_of:
        try:
            groups = re.compile(as_of["filename_pattern"]).groups
        except re.error as exc:
            raise ProfileError(f"{where}.as_of.filename_pattern: not a regular expression ({exc})") from exc
        if groups < 1:
            raise ProfileError(f"{where}.as_of.filename_pattern: needs a group ( ) around the date")
        return {"as_of_regex": as_of["filename_pattern"], "as_of_format": as_of.get("format", "%Y-%m-%d")}
    take = as_of.get("take", "max")
    if take not in AS_OF_TAKE:
        raise ProfileError(f"{where}.as_of.take: expected one of {sorted(AS_OF_TAKE)}, got {take!r}")
    return {"as_of_regex": None, "as_of_field": as_of["field"], "as_of_take": take}


def _check_time_formats(profile: Profile) -> None:
    where = profile.path.name
    formats = [*profile.datetime_formats, *profile.date_formats, *profile.time_formats]
    for source in profile.fields.values():
        formats += [*source.date_formats, *source.time_formats]
    for fmt in formats:
        # %I without %p: "1:30" could be 01:30 or 13:30, and "12:30" is read as 12:30 or 00:30
        # depending on what follows it. Refused rather than guessed.
        if "%I" in fmt and "%p" not in fmt:
            raise ProfileError(f"{where}: time format {fmt!r} has a 12-hour hour (%I) without AM/PM (%p)")
    if profile.as_of_field is not None:
        fields = contract.FIELDS[profile.kind]
        if profile.as_of_field not in profile.fields or not any(
            f.name == profile.as_of_field and f.type == "timestamp" for f in fields
        ):
            raise ProfileError(f"{where} [export].as_of.field: {profile.as_of_field!r} is not a time field mapped under [fields]")
    for field_name, source in profile.fields.items():
        if contract.get_field(profile.kind, field_name).type != "timestamp" or source.value is not None:
            continue
        if source.column and not profile.datetime_formats:
            raise ProfileError(f"{where} [time_formats].datetime: needed for {field_name}")
        if source.date_column and not (
            (source.date_formats or profile.date_formats) and (source.time_formats or profile.time_formats)
        ):
            raise ProfileError(
                f"{where} [fields].{field_name}: give date_format and time_format (or [time_formats].date/time)"
            )


def load_profiles(directory: Path) -> list[Profile]:
    """Every *.toml profile in a folder, checked; names must be unique."""
    if not directory.is_dir():
        raise ProfileError(f"profile folder not found: {directory}")
    profiles = [load_profile(path) for path in sorted(directory.glob("*.toml"))]
    names = [p.name for p in profiles]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ProfileError(f"{directory}: profile names used twice: {', '.join(duplicates)}")
    return profiles
