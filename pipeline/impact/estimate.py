"""The estimator: a Sun-Abraham event study in a Poisson model, fitted with pyfixest (docs/impact.md).

One coefficient per cohort x event period (4 weeks; the period just before the start is the reference),
unit and week fixed effects (served_hours: unit and beat x week), a log offset of the calls police handled alone for the
rates. Because every cohort x period has its own coefficient and the only comparison rows are units
not (yet) served, no already-served unit is ever a control: the staggered-timing bias of a single
two-way fixed-effects coefficient (Goodman-Bacon; Sun & Abraham 2021) cannot arise.

The overall effect is the ratio of what was observed in the served unit-weeks to what the model says
they would have had without service (each cell's observed count divided by exp(its coefficient)),
minus one: the same ratio the sample generator's truth defines (sum(A1 - A0) / sum(A0)).

The overall effect is fitted with coefficients for the served cells only (every unit's weeks before its
start are the baseline); the event study, with coefficients before the start too, against the period
just before it, gives the chart and the pre-trend test.

Inference, with 40 beats of which 12 are served first: cluster-robust (CR1) by beat; intervals from a
t distribution and the joint pre-trend test as an F test with the Hotelling small-sample correction, on
at most 4 block means of the pre-period coefficients; both count as clusters the fewest clusters behind
one cohort of served units or behind the comparison units (12, not 40: with 40 the pre-trend test
rejected 15% of parallel-trend cities at the 5% level; bench/impact_coverage.py measures it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from pipeline.impact.panel import Design, NotEstimable, Sample

MAX_PRETREND_BLOCKS = 4
LEVEL = 0.95


@dataclass(frozen=True)
class Effect:
    relative: float
    ci_low: float
    ci_high: float
    observed: float          # outcome summed over served unit-weeks
    counterfactual: float    # the same, as the model says it would have been without service
    denominator: float       # police-handled calls in those unit-weeks (rates), else the unit-weeks


@dataclass(frozen=True)
class EventStudy:
    coefficients: pd.DataFrame   # event_time, estimate, ci_low, ci_high, n_units
    pretrend_p: float | None


def _name(cohort: int, event: int) -> str:
    return f"c{cohort}_e{'m' if event < 0 else ''}{abs(event)}"


def _fit(sample: Sample, design: Design, cells: list[tuple[int, int]]):
    """The Poisson model with one dummy per cell; the kept coefficients, their cluster vcov, a name -> index map."""
    import pyfixest as pf

    names = [_name(c, e) for c, e in cells]
    # All dummy columns at once (one insert per column fragments the frame and pandas warns).
    rows = pd.concat([sample.rows, pd.DataFrame({name: _cell_of(sample.rows, c, e).astype(float)
                                                 for (c, e), name in zip(cells, names)}, index=sample.rows.index)],
                     axis=1)
    formula = f"y ~ {' + '.join(names)} | {design.fixed_effects}"
    try:
        with warnings.catch_warnings():
            # pyfixest warns when it drops units whose outcome is all zero (they carry no information in a
            # Poisson model) or singletons; the sample's counts (n_units) are ours, so nothing is hidden.
            warnings.simplefilter("ignore")
            # Sparse counts (a small city's arrests by beat-hour) converge slowly in the alternating
            # projections of the fixed effects: allow more sweeps than pyfixest's default 10,000.
            model = pf.fepois(formula, data=rows, vcov={"CRV1": "cluster"}, offset="offset", fixef_maxiter=100_000)
        coef = model.coef()
        vcov_all = pd.DataFrame(model._vcov, index=coef.index, columns=coef.index)
    except Exception as exc:  # noqa: BLE001 - any failure inside the library becomes one plain reason
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotEstimable(f"the model could not be fitted ({first[:160]})") from exc
    kept = [n for n in names if n in coef.index and np.isfinite(coef[n])]
    vcov = vcov_all.loc[kept, kept].to_numpy()
    if not kept or not np.all(np.isfinite(vcov)):
        raise NotEstimable("the model's standard errors could not be computed")
    return rows, coef[kept].to_numpy(), vcov, {n: i for i, n in enumerate(kept)}


def _t_crit(sample: Sample) -> float:
    """t quantile with G - 1 degrees of freedom, G the fewest clusters behind one cohort of served units or
    behind the comparison: with 12 pilot beats among 40, the first cohort's effect rests on 12 clusters'
    worth of information, whatever the other 28 add; with t(39) the served_hours intervals covered the
    truth in 90% of 40 test cities (docs/impact.md)."""
    return float(stats.t.ppf(0.5 + LEVEL / 2, max(sample.n_clusters_min, 2) - 1))


def effect(sample: Sample, design: Design) -> Effect:
    """The overall effect: served cells have a coefficient each; every unit's weeks before its start (and
    the comparison units' weeks) are the baseline, so the effect is not measured against one noisy period."""
    post = [(c, e) for c, e in sample.cells if e >= 0]
    rows, beta, vcov, index = _fit(sample, design, post)
    return Effect(*_overall(rows, post, beta, vcov, index, _t_crit(sample)))


def event_study(sample: Sample, design: Design) -> EventStudy:
    """Coefficients by event period against the period just before the start, and the joint pre-trend test."""
    rows, beta, vcov, index = _fit(sample, design, sample.cells)
    coefficients = _event_study(rows, sample, beta, vcov, index, _t_crit(sample))
    # The test's clusters: as _t_crit's (12 pilot beats, not 40). With 40 the test rejected 15% of 40
    # cities with parallel trends at the 5% level; with 12, 2.5% (docs/impact.md).
    return EventStudy(coefficients, _pretrend_p(rows, sample, beta, vcov, index, sample.n_clusters_min))


def _cell_of(rows: pd.DataFrame, cohort: int, event: int) -> pd.Series:
    return (rows["cohort"] == cohort) & (rows["event"] == event)


def _overall(rows, cells, beta, vcov, index, t_crit):
    """Observed / counterfactual - 1 over the served unit-weeks, with its delta-method interval."""
    observed = counterfactual = 0.0
    grad = np.zeros(len(beta))
    for c, e in cells:
        y = rows.loc[_cell_of(rows, c, e), "y"].sum()
        b = beta[index[_name(c, e)]] if _name(c, e) in index else 0.0
        observed += y
        counterfactual += y * np.exp(-b)
        if _name(c, e) in index:
            grad[index[_name(c, e)]] = y * np.exp(-b)
    if observed <= 0 or counterfactual <= 0:
        raise NotEstimable("nothing was recorded in the served unit-weeks")
    # log(observed / counterfactual): its derivative in each coefficient is that cell's share of the counterfactual.
    log_ratio = np.log(observed) - np.log(counterfactual)
    g = grad / counterfactual
    se = float(np.sqrt(g @ vcov @ g))
    post = rows.loc[rows["event"] >= 0]
    return (float(np.expm1(log_ratio)), float(np.expm1(log_ratio - t_crit * se)),
            float(np.expm1(log_ratio + t_crit * se)), float(observed), float(counterfactual),
            float(post["denom"].sum()))


def _weights(rows, sample, event, index, size):
    """The cohorts' coefficients at one event period, averaged with their treated rows as weights."""
    w = np.zeros(size)
    for c, e in sample.cells:
        if e == event and _name(c, e) in index:
            w[index[_name(c, e)]] = _cell_of(rows, c, e).sum()
    return w / w.sum() if w.sum() > 0 else None


def _event_study(rows, sample, beta, vcov, index, t_crit) -> pd.DataFrame:
    out = []
    treated = rows.loc[rows["cohort"].notna()]
    for event in sorted({e for _, e in sample.cells} | {-1}):
        units = int(treated.loc[treated["event"] == event, "unit"].nunique())
        if event == -1:
            out.append((event, 0.0, None, None, units))
            continue
        w = _weights(rows, sample, event, index, len(beta))
        if w is None:
            continue
        b, se = float(w @ beta), float(np.sqrt(w @ vcov @ w))
        out.append((event, float(np.expm1(b)), float(np.expm1(b - t_crit * se)), float(np.expm1(b + t_crit * se)),
                    units))
    return pd.DataFrame(out, columns=["event_time", "estimate", "ci_low", "ci_high", "n_units"])


def _pretrend_p(rows, sample, beta, vcov, index, clusters) -> float | None:
    """p-value of the joint test that the pre-period coefficients (block means) are all zero."""
    pre_events = sorted({e for _, e in sample.cells if e <= -2})
    vectors = [w for w in (_weights(rows, sample, e, index, len(beta)) for e in pre_events) if w is not None]
    if not vectors:
        return None
    k = min(MAX_PRETREND_BLOCKS, len(vectors), clusters - 2)
    if k < 1:
        return None
    blocks = np.array_split(np.arange(len(vectors)), k)
    restriction = np.array([np.mean([vectors[i] for i in block], axis=0) for block in blocks])
    diff = restriction @ beta
    middle = restriction @ vcov @ restriction.T
    wald = float(diff @ np.linalg.pinv(middle) @ diff)
    f_stat = wald * (clusters - k) / (k * (clusters - 1))
    return float(stats.f.sf(f_stat, k, clusters - k))
