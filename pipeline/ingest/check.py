"""heart profile check FILE...: how a profile reads a file, before anything is loaded.

Reads the first rows of each file (5,000 by default) through the profile its name
matches (or --profile NAME) into an in-memory DuckDB, with the same code as a run
(ingest.read_file), and prints per canonical field the column(s) used, up to five
parsed values beside the text they came from, the share that fails, and the codes
the profile does not know. Samples are shown for times, codes, yes/no and numbers
only, never for text fields (ids, beats, names, narratives); unknown codes only
when they look like codes. Nothing is written to any warehouse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.ingest import contract
from pipeline.ingest.read import UnreadableFile, match_profile, read_file
from pipeline.ingest.profiles import FieldSource, Profile, normalise_code
from pipeline.warehouse.sqlfiles import query_sql_file

DEFAULT_ROWS = 5000
SAMPLES = 5
# A token that looks like a code: short, no spaces. Anything else may be free text.
CODE_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./#:+-]{0,11}$")


class CheckError(Exception):
    """The file cannot be checked (no profile, unreadable): one line, exit 2."""


@dataclass
class FieldReport:
    field: str
    source: str
    filled: int
    failed: int
    what_fails: str
    samples: list[tuple[str, str]]
    unknown: list[tuple[str, int]]
    unknown_hidden: int = 0


def describe_source(source: FieldSource, profile: Profile) -> str:
    if source.value is not None:
        return "constant value"
    if source.date_column:
        date_formats = " | ".join(source.date_formats or profile.date_formats)
        time_formats = " | ".join(source.time_formats or profile.time_formats)
        return f"{source.date_column} ({date_formats}) + {source.time_column} ({time_formats})"
    text = source.column or ""
    extras = []
    if source.label_column:
        extras.append(f"label {source.label_column}")
    if source.lookup:
        extras.append(f"lookup {source.lookup}")
    return f"{text} ({'; '.join(extras)})" if extras else text


def _text(value) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


def _spread(values: list, n: int = SAMPLES) -> list:
    """n items spread evenly over a list (all of them when there are few)."""
    if len(values) <= n:
        return values
    return [values[round(i * (len(values) - 1) / (n - 1))] for i in range(n)]


def _field_report(profile: Profile, spec: contract.Field, source: FieldSource, rows: list[dict]) -> FieldReport:
    name = spec.name
    texts = [_text(r[name]) for r in rows]
    filled = [i for i, t in enumerate(texts) if t is not None]
    report = FieldReport(name, describe_source(source, profile), len(filled), 0, "", [], [])
    if spec.type == "timestamp":
        flagged = {
            i for i, r in enumerate(rows) for c in (r["row_checks"] or []) if c is not None and c[0] == name
        }
        bad = [i for i in filled if rows[i][f"{name}_local"] is None or i in flagged]
        report.failed, report.what_fails = len(bad), "not read as a date and time"
        firsts: dict[str, object] = {}
        for i in filled:
            firsts.setdefault(texts[i], rows[i][f"{name}_local"])
        shown = _spread(list(firsts.items()))
        report.samples = [(t, "FAILS" if v is None else str(v)) for t, v in shown]
        report.samples += [(texts[i], "FAILS (" + ", ".join(c[1] for c in rows[i]["row_checks"] if c and c[0] == name) + ")")
                           for i in bad[:3] if i in flagged]
        if bad and not any(i in flagged for i in bad[:3]):
            report.samples += [(texts[i], "FAILS") for i in bad[:2] if (texts[i], "FAILS") not in report.samples]
        return report
    if spec.type == "integer":
        bad = [i for i in filled if not re.fullmatch(r"\s*[+-]?\d+\s*", texts[i])]
        report.failed, report.what_fails = len(bad), "not a whole number"
        firsts = list(dict.fromkeys(texts[i] for i in filled))
        report.samples = [(t, "FAILS" if i in bad else str(int(t))) for t in _spread(firsts)
                          for i in [texts.index(t)]]
        return report
    if spec.type not in ("code", "boolean"):
        report.what_fails = "empty"
        if spec.required:
            report.failed = len(texts) - len(filled)
        return report
    # Codes and yes/no: what each code means, and which the profile does not know.
    meaning: dict[str, str] = {}
    quarantine = True
    if source.lookup:
        lookup = profile.lookups[source.lookup]
        meaning, quarantine = dict(lookup.codes), lookup.on_unknown == "quarantine"
    elif spec.type == "boolean":
        meaning = {normalise_code(t): "true" for t in profile.true_tokens}
        meaning.update({normalise_code(t): "false" for t in profile.false_tokens})
    elif spec.domain:
        meaning = {c.upper(): c for c in spec.domain}  # no lookup: the source uses the canonical codes
    else:
        quarantine = False  # an open code list with no lookup: every code is kept as is
    labels: dict[str, Counter] = {}
    for r in rows:
        for entry in r["code_labels"] or []:
            if entry and entry[0] == name and _text(entry[1]) and _text(entry[2]):
                labels.setdefault(normalise_code(entry[1]), Counter())[entry[2].strip()] += 1
    counts = Counter(normalise_code(texts[i]) for i in filled)

    def means(code: str) -> str | None:
        if code in meaning:
            return meaning[code]
        if code in labels:
            return labels[code].most_common(1)[0][0]
        return None

    unknown = {c: n for c, n in counts.items() if means(c) is None and (meaning or source.label_column)}
    if quarantine:
        report.failed = sum(unknown.values())
    report.what_fails = "unknown code" if quarantine else "unknown code (kept)"
    if not meaning and not source.label_column:
        report.what_fails = "(no lookup: every code kept as written)"
    shown = [c for c, _ in counts.most_common() if CODE_LIKE.match(c)]
    report.samples = [(c, means(c) or ("unknown" if c in unknown else "kept as is")) for c in shown[:SAMPLES]]
    listed = sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))
    report.unknown = [(c, n) for c, n in listed if CODE_LIKE.match(c)]
    report.unknown_hidden = sum(1 for c, _ in listed if not CODE_LIKE.match(c))
    return report


def check_file(path: Path, profiles: list[Profile], profile_name: str | None = None,
               limit: int = DEFAULT_ROWS) -> tuple[Profile, int, list[FieldReport]]:
    if not path.is_file():
        raise CheckError(f"{path}: no such file")
    if profile_name:
        chosen = [p for p in profiles if p.name == profile_name]
        if not chosen:
            raise CheckError(f"no profile named {profile_name} (profiles: {', '.join(p.name for p in profiles)})")
        profile = chosen[0]
    else:
        try:
            profile = match_profile(path, profiles)
        except UnreadableFile as exc:
            raise CheckError(f"{path.name}: {exc}") from exc
    con = duckdb.connect()  # in memory: nothing is written anywhere
    try:
        try:
            read_file(con, path, profile, limit=limit)
        except UnreadableFile as exc:
            raise CheckError(f"{path.name}: cannot be read through profile {profile.name}: {exc}") from exc
        rows = query_sql_file(con, "raw/profile_check_rows.sql")
    finally:
        con.close()
    reports = [
        _field_report(profile, spec, profile.fields[spec.name], rows)
        for spec in contract.FIELDS[profile.kind]
        if spec.name in profile.fields
    ]
    return profile, len(rows), reports


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part:,} of {whole:,})" if whole else "-"


def render(path: Path, profile: Profile, n_rows: int, reports: list[FieldReport], limit: int) -> list[str]:
    lines = [
        f"{path.name}: profile {profile.name} ({profile.path.name}), {n_rows:,} rows read"
        + (f" (the first {limit:,})" if n_rows >= limit else ""),
    ]
    for r in reports:
        fails = f"{r.what_fails}: {_share(r.failed, r.filled)}" if r.what_fails and r.what_fails[0] != "(" else r.what_fails
        if r.what_fails == "empty":
            fails = f"filled {_share(r.filled, n_rows)}" + (f", empty (required): {_share(r.failed, n_rows)}"
                                                            if r.failed else "")
        lines.append(f"  {r.field:<27} {r.source}")
        lines.append(f"  {'':<27} {fails}")
        for text, parsed in r.samples:
            lines.append(f"  {'':<29} {text!r:<36} -> {parsed}")
        if r.unknown:
            listed = ", ".join(f"{c} ({n:,})" for c, n in r.unknown[:15])
            more = f" and {len(r.unknown) - 15} more" if len(r.unknown) > 15 else ""
            lines.append(f"  {'':<29} unknown codes: {listed}{more}")
        if r.unknown_hidden:
            lines.append(f"  {'':<29} {r.unknown_hidden} other unknown values not shown (not code-like)")
    return lines


def add_arguments(parser) -> None:
    actions = parser.add_subparsers(dest="profile_command", required=True)
    check = actions.add_parser(
        "check", help="read the first rows of each file through its profile and show how each field reads"
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="export files (.csv or .csv.gz)")
    check.add_argument("--profile", help="use this profile (its [profile].name) instead of matching the file name")
    check.add_argument("--profiles", help="folder of source profiles (default: profiles/)")
    check.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"rows to read per file (default {DEFAULT_ROWS:,})")


def command(args) -> int:
    """Exit 0 when every file could be read, 2 with one line on stderr when one could not."""
    import sys

    from pipeline.ingest.profiles import ProfileError, load_profiles
    from pipeline.settings import Settings

    folder = Path(args.profiles) if args.profiles else Settings().profiles
    try:
        profiles = load_profiles(folder)
    except ProfileError as exc:
        print(f"heart: {exc}", file=sys.stderr)
        return 2
    status = 0
    for number, name in enumerate(args.files):
        path = Path(name)
        try:
            profile, n_rows, reports = check_file(path, profiles, args.profile, max(args.rows, 1))
        except CheckError as exc:
            print(f"heart: {exc}", file=sys.stderr)
            status = 2
            continue
        if number:
            print()
        print("\n".join(render(path, profile, n_rows, reports, max(args.rows, 1))))
    return status
