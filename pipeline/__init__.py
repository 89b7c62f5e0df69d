"""HEART outcomes pipeline: 911 CAD exports and HEART logs into a validated DuckDB warehouse."""
