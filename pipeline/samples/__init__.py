"""Seeded sample data for a Durham-like city: weekly CAD exports and HEART logs.

`generate()` writes the files in data_samples/. `python -m pipeline.samples --help` shows the command line.
"""

from pipeline.samples.generate import CAD_COLUMNS, HEART_COLUMNS, Program, generate

__all__ = ["CAD_COLUMNS", "HEART_COLUMNS", "Program", "generate"]
