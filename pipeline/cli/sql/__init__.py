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

    engine.py    the warehouse opened read-only, statements, output
    examples.py  the worked questions in sql/examples/
    prompt.py    the interactive prompt
    (here)       the command: its arguments and what it does with them
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import IO

from pipeline import warehouse
from pipeline.cli.sql.engine import DEFAULT_MAX_ROWS, FORMATS, SqlError, execute, open_warehouse, render, run_query
from pipeline.cli.sql.examples import EXAMPLE_HEADER_KEYS, EXAMPLES_DIR, Example, parse_example_header, resolve_query
from pipeline.cli.sql.prompt import Repl, _statement_complete, repl

# Re-exported: what the tests and `heart sql`'s callers use by the package's name.
__all__ = ["DEFAULT_MAX_ROWS", "EXAMPLES_DIR", "EXAMPLE_HEADER_KEYS", "FORMATS", "Example", "Repl", "SqlError",
           "_statement_complete", "add_arguments", "command", "execute", "open_warehouse", "parse_example_header",
           "render", "repl", "resolve_query", "run_query"]

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
