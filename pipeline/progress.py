"""Progress messages for long steps, independent of Dagster's own event log.

Assets report progress here as well as to their Dagster context; `heart run`
attaches a terminal handler so a person watching sees which file is loading.
Under `dg dev` nothing is attached and only the Dagster log shows it.
"""

from __future__ import annotations

import logging
import sys

progress_logger = logging.getLogger("heart.progress")
progress_logger.propagate = False


def report(message: str) -> None:
    progress_logger.info(message)


class TerminalProgress(logging.Handler):
    """Rewrites one status line on a terminal; prints plain lines otherwise (logs, CI)."""

    def __init__(self, stream=None):
        super().__init__(logging.INFO)
        self.stream = stream or sys.stderr
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._width = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if self.interactive:
            padded = message.ljust(self._width)
            self._width = len(message)
            self.stream.write("\r" + padded)
        else:
            self.stream.write(message + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
