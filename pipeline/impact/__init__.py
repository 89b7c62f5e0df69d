"""Is it working? Causal impact estimates from the program's own phased rollout (docs/impact.md).

panel (the two designs, the outcomes, each design's panel from marts.impact_beat_week /
marts.impact_hour_week and the estimation sample), estimate (the Sun-Abraham event study in a Poisson
model with pyfixest: the overall effect, the event study, the pre-trend test), verdict (the
plausibility bound against the calls HEART answered, and what an estimate may be called), results
(every outcome x design with its placebo into metrics.impact_estimates and metrics.impact_event_study).
"""
