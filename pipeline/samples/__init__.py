"""Seeded sample data for a Durham-like city: weekly CAD exports and HEART logs, pre-launch CAD history,
and a known true effect on arrests (data_samples/README.md).

`generate()` writes the files in data_samples/ and returns their paths with `.truth` (an ImpactTruth).
`python -m pipeline.samples --help` shows the command line.
"""

from pipeline.samples.effect import EffectTruth, ImpactTruth, impact_truth
from pipeline.samples.generate import CAD_COLUMNS, HEART_COLUMNS, Generated, Program, generate

__all__ = ["CAD_COLUMNS", "HEART_COLUMNS", "EffectTruth", "Generated", "ImpactTruth", "Program", "generate",
           "impact_truth"]
