"""Dagster definitions, kept thin: each asset calls plain functions in pipeline/."""
