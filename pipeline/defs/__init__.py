"""Dagster definitions, kept thin: each asset calls plain functions in pipeline/.

One module per asset area, named for what it holds: ingest (group ingest), validate (group validate;
the canonical CAD tables are the op `cad_canonical`), metrics (group metrics: program configuration,
marts, metric_values), scenarios (the expansion scenarios), impact (the impact estimates), catalog (the catalog comments and the data dictionary), reports (weekly,
council, quality, index), open_data (the open-data files), publish (the analysts' warehouse file).
keys.py holds the shared asset keys and groups, resources.py the resources; no defs module imports
another but those two. automation.py builds the jobs, schedule and sensor from the loaded assets.
"""
