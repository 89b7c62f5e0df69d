"""`heart sql`: ad hoc, read-only SQL against the analysts' published warehouse.

    heart sql "SELECT ..."                 run one query, print a table
    heart sql QUERY --format csv|json       for piping into other tools
    heart sql sql/examples/03_response_time_by_beat.sql    (or --file FILE, or - for stdin)
    heart sql 03                            a worked example by number or name (sql/examples/)
    heart sql                               an interactive prompt

The warehouse is always opened read-only: a statement that would change it is
refused with one line, not a traceback. TEMP tables and macros are allowed (they
live in memory and vanish with the session). Problems are one line on stderr and
exit code 2; the interactive prompt prints the line and carries on.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import duckdb

from pipeline import formatting, warehouse
from pipeline.settings import SQL_DIR
from pipeline.sqlfiles import read_header, read_sql

EXAMPLES_DIR = SQL_DIR / "examples"
# Header keys every worked example starts with (`-- key: value`, continued on
# lines indented after `--`, as the metric files' headers are).
EXAMPLE_HEADER_KEYS = ("question", "reading", "tables", "defines", "caveats")
DEFAULT_MAX_ROWS = 200
CELL_WIDTH = 80
FORMATS = ("table", "csv", "json")
# The prompt's line history, kept across sessions (HEART_SQL_HISTORY to move it).
HISTORY_FILE = Path(os.environ.get("HEART_SQL_HISTORY") or Path.home() / ".heart_sql_history")

_READ_ONLY_ERROR = re.compile(
    r'Cannot execute statement of type "([A-Z_ ]+)" on database "[^"]*" which is attached in read-only mode'
)
_ATTACH_FOR_WRITING = re.compile(r"\bREAD_WRITE\b|\bREAD_ONLY\s*(?:=\s*)?(?:FALSE|0)\b", re.IGNORECASE)


class SqlError(Exception):
    """A problem to show as one line: a bad query, a refused write, a missing file."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]
    total: int  # rows the query returned; more than len(rows) when output was capped

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Example:
    path: Path
    header: dict[str, str]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def question(self) -> str:
        return self.header.get("question", "")


# --- the warehouse, read-only ---------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    """DuckDB's message on one line: its first line, plus its "Did you mean" hint when it gives one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    text = lines[0]
    hint = next((line for line in lines[1:] if line.startswith("Did you mean")), None)
    return f"{text} {hint}" if hint else text


def _sql_error(exc: duckdb.Error) -> SqlError:
    message = str(exc)
    refused = _READ_ONLY_ERROR.search(message)
    if refused:
        return SqlError(
            f"the analysts' warehouse is read-only; {refused.group(1)} statements cannot change it "
            "(TEMP tables are allowed; the warehouse itself is rebuilt by `heart run`)"
        )
    return SqlError(_one_line(exc))


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, with the pipeline's session settings."""
    path = Path(path)
    if not path.is_file():
        raise SqlError(f"no published warehouse at {path} yet: run `heart run` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        text = str(exc)
        if "Conflicting lock" in text or "Could not set lock" in text:
            raise SqlError(
                f"the warehouse {path} is held open for writing by another program "
                "(a `heart run` in progress?); try again when it has finished"
            ) from exc
        raise SqlError(f"cannot read the warehouse {path}: {_one_line(exc)}") from exc
    try:
        return warehouse.prepare(con)
    except Exception:
        con.close()
        raise


def _statements(sql: str) -> list:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise _sql_error(exc) from exc
    if not statements:
        raise SqlError("no SQL statement to run")
    for statement in statements:
        if statement.type == duckdb.StatementType.ATTACH and _ATTACH_FOR_WRITING.search(statement.query):
            raise SqlError("the analysts' warehouse is read-only; ATTACH is allowed only read-only here")
    return statements


def execute(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int | None = None) -> Result:
    """Run every statement of `sql`; the last one's rows (at most max_rows kept, all counted)."""
    cursor = None
    try:
        for statement in _statements(sql):
            cursor = con.execute(statement)
        if cursor is None or cursor.description is None:
            return Result([], [], 0)
        columns = [d[0] for d in cursor.description]
        if max_rows is None:
            rows = cursor.fetchall()
            return Result(columns, rows, len(rows))
        rows = cursor.fetchmany(max_rows) if max_rows > 0 else []
        total = len(rows)
        while chunk := cursor.fetchmany(10_000):
            total += len(chunk)
        return Result(columns, rows, total)
    except duckdb.Error as exc:
        raise _sql_error(exc) from exc


def run_query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run `sql` read-only against the warehouse file at `path`; (column names, rows)."""
    con = open_warehouse(path)
    try:
        result = execute(con, sql)
    finally:
        con.close()
    return result.columns, result.rows


# --- output -------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """One value as table text."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value == 0 or 1e-4 <= abs(value) < 1e15:
            text = f"{value:.6f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
        return f"{value:.6g}"
    if isinstance(value, (list, dict, tuple)):
        text = json.dumps(formatting.plain_value(value), ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def _unique(columns: Sequence[str]) -> list[str]:
    """Column names as keys: a repeated name gets _2, _3 (SELECT 1 AS a, 2 AS a)."""
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return names


def render(result: Result, fmt: str, all_rows_hint: str = "use --format csv for all of them") -> str:
    if fmt in ("csv", "json"):
        columns = _unique(result.columns)
        rows = [{c: formatting.plain_value(v) for c, v in zip(columns, row)} for row in result.rows]
        if fmt == "json":
            return formatting.to_json(rows)
        return formatting.to_csv(rows, columns).rstrip("\n") if columns else ""
    if not result.columns:
        return "OK"
    numeric = [
        bool(result.rows) and all(
            isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) for r in result.rows
            if r[i] is not None
        )
        for i in range(len(result.columns))
    ]
    text = formatting.to_table([[_cell(v) for v in row] for row in result.rows], result.columns, numeric)
    shown = len(result.rows)
    footer = f"({shown} row{'' if shown == 1 else 's'})"
    if result.more:
        footer = f"(first {shown} rows shown; {result.more} more row{'' if result.more == 1 else 's'}; {all_rows_hint})"
    return f"{text}\n{footer}"


# --- worked examples ----------------------------------------------------------------------


def parse_example_header(text: str) -> dict[str, str]:
    return read_header(text)


def examples(directory: Path = EXAMPLES_DIR) -> list[Example]:
    return [
        Example(path, parse_example_header(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.sql"))
    ]


def find_example(name: str, directory: Path = EXAMPLES_DIR) -> Example | None:
    """An example by file name, stem, number (3, 03) or the words after the number."""
    wanted = name.strip().removesuffix(".sql")
    for example in examples(directory):
        stem = example.name
        number, _, words = stem.partition("_")
        if wanted in (stem, words) or (wanted.isdigit() and number.isdigit() and int(wanted) == int(number)):
            return example
    return None


def _read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SqlError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc


def resolve_query(query: str | None, file: str | None, stdin: IO[str] | None = None) -> str | None:
    """The SQL to run: --file, `-` (stdin), a .sql path, an example's name or number, or the text itself."""
    if file is not None and query is not None:
        raise SqlError("give either a query or --file, not both")
    source = file if file is not None else query
    if source is None:
        return None
    if source == "-":
        return (stdin or sys.stdin).read()
    token = source.strip()
    if token.endswith(".sql") and Path(token).is_file():
        return _read_source(Path(token))
    if file is not None or (token.endswith(".sql") and not any(c.isspace() for c in token)):
        if Path(token).is_file():
            return _read_source(Path(token))
        example = find_example(Path(token).name)
        if example is not None:
            return _read_source(example.path)
        raise SqlError(f"no such SQL file: {source}")
    if re.fullmatch(r"[\w.-]+", token):
        example = find_example(token)
        if example is not None:
            return _read_source(example.path)
    return source


# --- the interactive prompt ---------------------------------------------------------------

HELP = """\
Type SQL ending with ; (it can span lines). The warehouse is read-only; TEMP tables are allowed.
Instants (TIMESTAMPTZ) show in UTC; the marts have *_local / *_date columns in local time.
  .tables [schema]          schemas, tables and views, with their comments
  .describe schema.table    a table's columns and types
  .examples                 the worked analyst questions in sql/examples/
  .run NAME                 run one: .run 3, .run 03_response_time_by_beat
  .show NAME                print an example's SQL without running it
  .format table|csv|json    how results print (now: {fmt})
  .help                     this text
  .quit                     leave (or Ctrl-D)"""


class Repl:
    """The interactive prompt. Reads from `input_stream`, writes to `output`; testable with StringIO.

    At a terminal (use_readline) lines come through input(), with prompts, line editing and
    history; from any other stream they are read plainly, without prompts or banner, so a
    scripted session's output holds only results and error lines.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, input_stream: IO[str], output: IO[str],
                 fmt: str = "table", max_rows: int = DEFAULT_MAX_ROWS, use_readline: bool = False,
                 location: str = ""):
        self.con = con
        self.input = input_stream
        self.out = output
        self.fmt = fmt
        self.max_rows = max_rows
        self.use_readline = use_readline
        self.location = location
        self.read_line: Callable[[str], str | None] = self._input if use_readline else self._readline

    def _readline(self, prompt: str) -> str | None:
        line = self.input.readline()
        if line == "":
            return None
        return line.rstrip("\n")

    def _input(self, prompt: str) -> str | None:
        try:
            return input(prompt)
        except EOFError:
            return None

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def error(self, text: str) -> None:
        self.say(f"error: {text}")

    def run(self) -> int:
        if self.use_readline:
            self.say(f"heart sql: {self.location or 'the warehouse'}, read-only. "
                     "End statements with ;  .help for commands, .quit or Ctrl-D to leave.")
        buffer: list[str] = []
        while True:
            try:
                line = self.read_line("heart> " if not buffer else "   ..> ")
            except KeyboardInterrupt:
                self.say("^C")
                buffer = []
                continue
            if line is None:  # Ctrl-D / end of input
                if buffer and "".join(buffer).strip():
                    self.run_sql("\n".join(buffer))
                if self.use_readline:
                    self.say("")
                return 0
            if not buffer and line.strip().startswith("."):
                if self.command(line.strip()) == "quit":
                    return 0
                continue
            if not buffer and not line.strip():
                continue
            buffer.append(line)
            if _statement_complete("\n".join(buffer)):
                self.run_sql("\n".join(buffer))
                buffer = []

    def run_sql(self, sql: str) -> None:
        try:
            result = execute(self.con, sql, self.max_rows if self.fmt == "table" else None)
        except SqlError as exc:
            self.error(str(exc))
            return
        except KeyboardInterrupt:
            self.error("interrupted")
            return
        self.say(render(result, self.fmt, "type .format csv for all of them"))

    def command(self, line: str) -> str | None:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        name = name.lower()
        if name in (".quit", ".exit", ".q"):
            return "quit"
        try:
            if name == ".help":
                self.say(HELP.format(fmt=self.fmt))
            elif name == ".tables":
                self.say(render(self._query("cli/tables.sql", {"schema": arg}), "table"))
            elif name == ".describe":
                self.describe(arg)
            elif name == ".examples":
                self.list_examples()
            elif name in (".run", ".show"):
                example = find_example(arg) if arg else None
                if example is None:
                    self.error(f"no example {arg!r}; .examples lists them" if arg else f"usage: {name} NAME")
                elif name == ".show":
                    self.say(_read_source(example.path).rstrip())
                else:
                    self.say(f"-- {example.name}: {example.question}")
                    self.run_sql(_read_source(example.path))
            elif name == ".format":
                if arg not in FORMATS:
                    self.error(f"usage: .format {'|'.join(FORMATS)}")
                else:
                    self.fmt = arg
            else:
                self.error(f"unknown command {name}; .help lists them")
        except SqlError as exc:
            self.error(str(exc))
        return None

    def _query(self, sql_file: str, params: dict) -> Result:
        """One of the prompt's own queries (sql/cli/), with bound parameters."""
        try:
            cursor = self.con.execute(read_sql(sql_file), params)
            return Result([d[0] for d in cursor.description], rows := cursor.fetchall(), len(rows))
        except duckdb.Error as exc:
            raise _sql_error(exc) from exc

    def describe(self, arg: str) -> None:
        if not arg:
            self.error("usage: .describe schema.table")
            return
        schema, _, table = arg.rpartition(".")
        found = self._query("cli/describe_find.sql", {"table": table, "schema": schema}).rows
        if not found:
            self.error(f"no table or view named {arg}; .tables lists them")
            return
        if len(found) > 1:
            self.error(f"{table} is in several schemas ({', '.join(s for s, _ in found)}); name one: schema.{table}")
            return
        schema, table = found[0]
        comment = self._query("cli/describe_comment.sql", {"schema": schema, "table": table}).rows
        if comment:
            self.say(f"{schema}.{table}: {comment[0][0]}")
        self.say(render(self._query("cli/describe_columns.sql", {"schema": schema, "table": table}), "table"))

    def list_examples(self) -> None:
        found = examples()
        if not found:
            self.say(f"no examples in {EXAMPLES_DIR}")
            return
        for example in found:
            self.say(f"{example.name}\n    {example.question}")
        self.say(".run NAME (or its number) runs one; .show NAME prints its SQL.")


def _statement_complete(sql: str) -> bool:
    """The buffer ends with ; outside quotes and comments."""
    in_single = in_double = in_line_comment = in_block_comment = False
    last = ""
    i = 0
    while i < len(sql):
        ch = sql[i]
        nxt = sql[i + 1] if i + 1 < len(sql) else ""
        if in_line_comment:
            if ch == "\n":
                in_line_comment = False
        elif in_block_comment:
            if ch == "*" and nxt == "/":
                in_block_comment = False
                i += 1
        elif in_single:
            if ch == "'":
                in_single = False
        elif in_double:
            if ch == '"':
                in_double = False
        elif ch == "'":
            in_single = True
        elif ch == '"':
            in_double = True
        elif ch == "-" and nxt == "-":
            in_line_comment = True
            i += 1
        elif ch == "/" and nxt == "*":
            in_block_comment = True
            i += 1
        elif not ch.isspace():
            last = ch
        i += 1
    return last == ";" and not (in_single or in_double or in_block_comment)


def _setup_readline() -> Callable[[], None]:
    """Line editing and history across sessions when the terminal has readline; returns the saver."""
    try:
        import readline
    except ImportError:
        return lambda: None
    try:
        readline.read_history_file(HISTORY_FILE)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save() -> None:
        try:
            readline.write_history_file(HISTORY_FILE)
        except OSError:
            pass

    return save


def repl(path: Path, input_stream: IO[str] | None = None, output: IO[str] | None = None,
         fmt: str = "table", max_rows: int = DEFAULT_MAX_ROWS) -> int:
    """The interactive prompt on the warehouse at `path` (read-only)."""
    input_stream = input_stream if input_stream is not None else sys.stdin
    output = output if output is not None else sys.stdout
    use_readline = input_stream is sys.stdin and output is sys.stdout and sys.stdin.isatty()
    con = open_warehouse(path)
    save_history = _setup_readline() if use_readline else (lambda: None)
    try:
        return Repl(con, input_stream, output, fmt, max_rows, use_readline, location=str(path)).run()
    finally:
        save_history()
        con.close()


# --- the command --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query", nargs="?",
        help="SQL to run; or a .sql file, an example's name or number (sql/examples/), or - for stdin. "
             "Without it: an interactive prompt",
    )
    parser.add_argument("--file", "-f", help="read the SQL from this file (- for stdin)")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--warehouse", help="DuckDB file to read (default: the published warehouse)")
    parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, metavar="N",
                        help=f"table output shows at most N rows (default {DEFAULT_MAX_ROWS}); csv and json show all")


def command(args: argparse.Namespace, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
            stderr: IO[str] | None = None) -> int:
    """`heart sql`: 0 on success; a problem is one line on stderr and exit code 2, as elsewhere in `heart`."""
    from pipeline.settings import Settings

    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    path = Path(args.warehouse) if args.warehouse else Settings().warehouse
    try:
        sql = resolve_query(args.query, args.file, stdin)
        if sql is None:
            return repl(path, stdin, stdout, args.format, args.max_rows)
        con = open_warehouse(path)
        try:
            result = execute(con, sql, args.max_rows if args.format == "table" else None)
        finally:
            con.close()
        stdout.write(render(result, args.format) + "\n")
        stdout.flush()
    except SqlError as exc:
        print(f"heart: {exc}", file=stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped early (`heart sql ... | head`): not an error. Point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        if stdout is sys.stdout:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
        return 0
    return 0
