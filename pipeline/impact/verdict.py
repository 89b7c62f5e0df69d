"""What an estimate may be called: the plausibility bound and the verdict, in plain words (docs/impact.md).

The bound (after the critique of the Denver STAR study, whose estimated fall in offences looked too large
for the ~750 calls STAR answered): HEART can only change what happens on calls it takes, so a fall in
police-handled calls, in arrests or EMS transports on them, or in repeat calls, larger than the calls
HEART answered in the served unit-weeks cannot be the program's doing; nor a fall in police unit-hours
larger than those calls times the police unit-hours a call took before any service started. When even
the smallest fall the 95% interval allows is larger, the estimate is 'implausible', never a 'finding'.

Verdicts: 'not estimable' (no estimate, or the design's own checks fail: a pre-trend or a placebo
effect), 'implausible', 'finding' (the 95% interval excludes no change), 'no clear change'.
"""

from __future__ import annotations

from dataclasses import dataclass

PRETREND_ALPHA = 0.05


@dataclass(frozen=True)
class Verdict:
    plausible: bool | None
    verdict: str
    reason: str


def bound(outcome: str, heart_answered: float, hours_per_call: float | None) -> float | None:
    """The largest fall the program could explain, in the outcome's own unit (calls, arrests, unit-hours)."""
    if outcome == "police_unit_hours":
        return None if hours_per_call is None else heart_answered * hours_per_call
    return heart_answered


def smallest_fall(observed: float, ci_high: float) -> float:
    """The fall the 95% interval's end nearest no change implies: observed - observed / (1 + ci_high); 0 when
    the interval reaches no change. The estimate itself implies observed - observed / (1 + estimate)."""
    return observed * -ci_high / (1 + ci_high) if ci_high < 0 else 0.0


def is_plausible(observed: float, ci_high: float, largest_fall: float | None) -> bool | None:
    """False when even the smallest fall the interval allows exceeds the bound; None with no bound to compare.

    The interval's end, not the point estimate: when HEART's whole effect is to take calls, the true fall in
    police-handled calls equals the calls it answered, and a point-estimate rule would flag half of the
    honest estimates by noise alone. The data must rule out every effect HEART could have had."""
    if largest_fall is None:
        return None
    return smallest_fall(observed, ci_high) <= largest_fall


def _pct(x: float) -> str:
    return f"{100 * x:+.0f}%"


def decide(words: str, unit_words: str, relative: float, ci_low: float, ci_high: float, observed: float,
           largest_fall: float | None, heart_answered: float, pretrend_p: float | None,
           placebo: tuple[float, float] | None, placebo_reason: str = "") -> Verdict:
    """The verdict and its reason for one estimate (its numbers already computed; `observed` is the outcome
    summed over the served unit-weeks)."""
    plausible = is_plausible(observed, ci_high, largest_fall)
    implied_change = observed - observed / (1 + relative)
    interval = f"{_pct(relative)} (95% interval {_pct(ci_low)} to {_pct(ci_high)})"
    checks = []
    if pretrend_p is not None and pretrend_p < PRETREND_ALPHA:
        checks.append(f"served and comparison {unit_words}s already drifted apart before service began "
                      f"(pre-trend test p = {pretrend_p:.3f})")
    if placebo is not None and not placebo[0] <= 0 <= placebo[1]:
        checks.append(f"a fake start one year early finds a change too ({_pct(placebo[0])} to {_pct(placebo[1])})")
    notes = []
    if pretrend_p is None:
        notes.append("no pre-trend test (too few periods before the start)")
    if placebo is None:
        notes.append(f"no placebo ({placebo_reason or 'too little history before the first start'})")
    note = f"; {'; '.join(notes)}" if notes else ""
    if plausible is False:
        fall = -implied_change
        return Verdict(False, "implausible",
                       f"{words}: {interval}, a fall of {fall:,.0f} (at least {smallest_fall(observed, ci_high):,.0f}"
                       ") in the served weeks, more than HEART could cause "
                       f"(at most {largest_fall:,.0f}, from the {heart_answered:,.0f} calls HEART answered in the "
                       f"served {unit_words}-weeks): not published as a finding; look for a change in how calls "
                       "were recorded, or another change at the same time"
                       + (f"; also {'; '.join(checks)}" if checks else "") + note)
    if plausible and largest_fall is not None and -implied_change > largest_fall:
        notes.append(f"the estimate's fall ({-implied_change:,.0f}) is above what HEART's {heart_answered:,.0f} "
                     "answered calls could cause, though its interval reaches within it")
        note = f"; {'; '.join(notes)}"
    if checks:
        return Verdict(plausible, "not estimable",
                       f"{words}: {interval}, but the design's checks fail: {'; '.join(checks)}" + note)
    if ci_low > 0 or ci_high < 0:
        return Verdict(plausible, "finding", f"{words} changed by {interval} in served {unit_words}s" + note)
    return Verdict(plausible, "no clear change",
                   f"{words}: {interval}; the interval includes no change" + note)
