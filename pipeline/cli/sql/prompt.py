"""The interactive prompt: dot commands, multi-line statements, line history."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import duckdb

from pipeline import warehouse
from pipeline.cli.sql.engine import (
    DEFAULT_MAX_ROWS,
    FORMATS,
    Result,
    SqlError,
    _sql_error,
    execute,
    open_warehouse,
    render,
)
from pipeline.cli.sql.examples import EXAMPLES_DIR, _read_source, examples, find_example
from pipeline.warehouse.sqlfiles import read_sql

# The prompt's line history, kept across sessions (HEART_SQL_HISTORY to move it).
HISTORY_FILE = Path(os.environ.get("HEART_SQL_HISTORY") or Path.home() / ".heart_sql_history")

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
