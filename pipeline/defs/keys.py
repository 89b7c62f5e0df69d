"""The names the Dagster layer shares: groups, asset keys, the weekly partitions, metadata keys.

Every defs module takes the keys it depends on from here, so no defs module
imports another (resources aside). These names are pinned: users select
assets by them, runs and schedules record them.
"""

import dagster as dg

# Asset groups, in pipeline order.
INGEST = "ingest"
VALIDATE = "validate"
METRICS = "metrics"
REPORTS = "reports"
PUBLISH = "publish"

METRIC_VALUES_KEY = dg.AssetKey(["metrics", "metric_values"])
METRIC_DEFINITIONS_KEY = dg.AssetKey(["metrics", "metric_definitions"])
SCENARIOS_KEY = dg.AssetKey(["metrics", "scenario_results"])
IMPACT_KEY = dg.AssetKey(["metrics", "impact_estimates"])
CATALOG_KEY = dg.AssetKey(["warehouse", "catalog_comments"])
PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])
DICTIONARY_KEY = dg.AssetKey(["reports", "data_dictionary"])
OPEN_DATA_KEY = dg.AssetKey(["reports", "open_data"])
WEEKLY_KEY = dg.AssetKey(["reports", "weekly_operations"])
COUNCIL_KEY = dg.AssetKey(["reports", "council_dashboard"])
QUALITY_KEY = dg.AssetKey(["reports", "data_quality"])
INDEX_KEY = dg.AssetKey(["reports", "index"])

# The last assets that create or replace tables: metric_values and metric_definitions come
# after every staging table and mart; the load audit and the quarantine (with its view) sit
# beside them, not upstream of them. The catalog comments and publishing follow all of them.
TABLE_BUILDERS = [
    METRIC_VALUES_KEY,
    METRIC_DEFINITIONS_KEY,
    SCENARIOS_KEY,
    IMPACT_KEY,
    dg.AssetKey("load_audit"),
    dg.AssetKey("quarantine_cad_failures"),
    dg.AssetKey("quarantine_heart_failures"),
]

# The weekly report's partitions: one key per week with data, its Monday (YYYY-MM-DD, local).
WEEKS_NAME = "heart_weeks"
# Asset metadata on the weekly report: the program's time zone, which the schedule runs in.
TIMEZONE_METADATA = "timezone"
