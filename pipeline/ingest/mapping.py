"""Mapping a file onto the contract: its columns as DuckDB expressions, its code lookups as tables.

Built with DuckDB's expression API rather than SQL text, so no source column name
is ever pasted into a query string.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.ingest import contract
from pipeline.ingest.profiles import Profile, normalise_code
from pipeline.warehouse.sqlfiles import registered, run_sql_file


def refresh_profile_codes(con: duckdb.DuckDBPyConnection, profiles: list[Profile]) -> None:
    """Store every profile's code lookups (and boolean tokens) for the validation SQL, and its
    outcome classes for the impact marts."""
    coded_fields: list[tuple[str, str, str]] = []
    codes: list[tuple[str, str, str, str]] = []
    for profile in profiles:
        for field_name, source in profile.fields.items():
            spec = contract.get_field(profile.kind, field_name)
            if source.lookup:
                lookup = profile.lookups[source.lookup]
                coded_fields.append((profile.name, field_name, lookup.on_unknown))
                codes.extend((profile.name, field_name, code, value) for code, value in lookup.codes.items())
            elif spec.type == "boolean":
                coded_fields.append((profile.name, field_name, "quarantine"))
                codes.extend((profile.name, field_name, normalise_code(t), "true") for t in profile.true_tokens)
                codes.extend((profile.name, field_name, normalise_code(t), "false") for t in profile.false_tokens)
    new_coded_fields = pd.DataFrame(coded_fields, columns=["profile", "field", "on_unknown"])
    # A lookup file may list a code twice (San Diego's lists FP twice); the last entry wins.
    new_codes = pd.DataFrame(codes, columns=["profile", "field", "code", "value"]).drop_duplicates(
        ["profile", "field", "code"], keep="last"
    )
    new_outcome_classes = pd.DataFrame(
        [(p.name, name, code) for p in profiles for name, codes in p.outcome_classes.items() for code in codes],
        columns=["profile", "outcome_class", "code"]).drop_duplicates()
    with registered(con, {"new_coded_fields": new_coded_fields, "new_codes": new_codes,
                          "new_outcome_classes": new_outcome_classes}):
        run_sql_file(con, "raw/refresh_profile_codes.sql")


def _field_expressions(profile: Profile) -> list[duckdb.Expression]:
    """Relational expressions mapping the file's columns onto the contract's raw table.

    Built with DuckDB's expression API rather than SQL text, so no source column
    name is ever pasted into a query string.
    """
    col = duckdb.ColumnExpression
    expressions: list[duckdb.Expression] = []
    checks: list[duckdb.Expression] = []  # [field, check, text] per two-column time (NULL when fine)
    labels: list[duckdb.Expression] = []  # [field, code, label] per field with a label_column
    for spec in contract.FIELDS[profile.kind]:
        source = profile.fields.get(spec.name)
        if source is not None and source.label_column:
            labels.append(duckdb.FunctionExpression(
                "list_value", duckdb.ConstantExpression(spec.name), col(source.column), col(source.label_column)
            ))
        if source is None:
            text = duckdb.ConstantExpression(None).cast(duckdb.sqltypes.VARCHAR)
            formats: list[str] = []
        elif source.value is not None:
            text = duckdb.ConstantExpression(source.value)
            formats = list(profile.datetime_formats)
        elif source.date_column:
            text = duckdb.FunctionExpression(
                "concat_ws", duckdb.ConstantExpression(" "), col(source.date_column), col(source.time_column)
            )
            parsed, check = _two_column_time(spec.name, source, profile)
            expressions += [text.alias(spec.name), parsed.alias(f"{spec.name}_local")]
            checks.append(check)
            continue
        else:
            text = col(source.column)
            formats = list(profile.datetime_formats)
        expressions.append(text.alias(spec.name))
        if spec.type == "timestamp":
            if formats and source is not None:
                parsed = duckdb.FunctionExpression(
                    "try_strptime", duckdb.FunctionExpression("trim", text), duckdb.ConstantExpression(formats)
                ).cast(duckdb.sqltypes.TIMESTAMP)
            else:
                parsed = duckdb.ConstantExpression(None).cast(duckdb.sqltypes.TIMESTAMP)
            expressions.append(parsed.alias(f"{spec.name}_local"))
    # Kept beside the contract's columns, never inserted into raw.*_rows:
    # row_checks [field, check, text] -> raw.row_checks, code_labels [field, code, label] -> raw.code_labels.
    for name, items in (("row_checks", checks), ("code_labels", labels)):
        extra = (
            duckdb.FunctionExpression("list_value", *items) if items
            else duckdb.ConstantExpression(None).cast(duckdb.list_type(duckdb.list_type(duckdb.sqltypes.VARCHAR)))
        )
        expressions.append(extra.alias(name))
    return expressions


def has_row_extras(profile: Profile) -> bool:
    """Whether _field_expressions can give a row row_checks or code_labels (else both are NULL
    on every row): a time given as a date column and a time column, or a field with a label_column."""
    for spec in contract.FIELDS[profile.kind]:
        source = profile.fields.get(spec.name)
        if source is not None and (source.label_column or (source.value is None and source.date_column)):
            return True
    return False


def _parse_all(text: duckdb.Expression, formats: tuple[str, ...]) -> list[duckdb.Expression]:
    trimmed = duckdb.FunctionExpression("trim", text)
    return [
        duckdb.FunctionExpression("try_strptime", trimmed, duckdb.ConstantExpression(f)).cast(duckdb.sqltypes.TIMESTAMP)
        for f in formats
    ]


def _reads_two_ways(parses: list[duckdb.Expression]) -> duckdb.Expression:
    """True when two of the formats read the text as different values (03/04 as March or April)."""
    if len(parses) < 2:
        return duckdb.ConstantExpression(False)
    values = duckdb.FunctionExpression("list_value", *parses)
    distinct = duckdb.FunctionExpression("list_distinct", values)  # drops NULLs
    return duckdb.FunctionExpression("len", distinct) > duckdb.ConstantExpression(1)


def _two_column_time(name: str, source, profile: Profile) -> tuple[duckdb.Expression, duckdb.Expression]:
    """A time given as a date column and a time column, each read by its own formats.

    The value is the date column's day plus the time column's time of day. The check
    (else NULL) is [field, check, text]: inconsistent_date_time when the date column
    carries a time of day other than midnight (a real time, not the fake midnight of
    "6/14/2022 12:00:00 AM"), ambiguous_time when either column reads two ways.
    """
    col, const = duckdb.ColumnExpression, duckdb.ConstantExpression
    date_parses = _parse_all(col(source.date_column), source.date_formats or profile.date_formats)
    time_parses = _parse_all(col(source.time_column), source.time_formats or profile.time_formats)
    day = duckdb.CoalesceOperator(*date_parses)
    clock = duckdb.CoalesceOperator(*time_parses)
    parsed = (day.cast(duckdb.sqltypes.DATE) + clock.cast(duckdb.sqltypes.TIME)).cast(duckdb.sqltypes.TIMESTAMP)
    text = duckdb.FunctionExpression("concat_ws", const(" "), col(source.date_column), col(source.time_column))
    midnight = const("00:00:00").cast(duckdb.sqltypes.TIME)
    check = duckdb.CaseExpression(
        _reads_two_ways(date_parses) | _reads_two_ways(time_parses),
        duckdb.FunctionExpression("list_value", const(name), const("ambiguous_time"), text),
    ).when(
        day.cast(duckdb.sqltypes.TIME) != midnight,
        duckdb.FunctionExpression("list_value", const(name), const("inconsistent_date_time"), text),
    )
    return parsed, check
