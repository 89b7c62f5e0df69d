"""Expansion scenarios: what more HEART would cover and cost, replayed on the program's own call data.

config (scenarios/*.toml: parsing and checks), stream (the eligible-call stream and the program's
dated coverage from the warehouse), engine (the replay), calibrate (routing share, field shares and
service times from observed data), costs (staff and cost of a team schedule), project (a scenario
over the latest year, 20 seeds), backtest (in-sample and out-of-sample), results (run them all and
write metrics.scenario_results and metrics.scenario_backtests). docs/scenarios.md explains the model.
"""
