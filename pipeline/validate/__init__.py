"""The validate stage: raw rows typed and checked into `staging`, `quarantine` and `audit`.

    build.py            typing, the row-level checks (sql/validate/), accepted vs quarantined rows, the load audit
    contract_checks.py  the pandera checks that hold the canonical tables to the contract (Dagster asset checks)

contract_checks is imported on its own (`from pipeline.validate import contract_checks`): it loads pandera and ibis.
"""

from pipeline.validate.build import (
    QuarantineShare,
    build_cad,
    build_heart,
    build_heart_responses,
    build_load_audit,
    define_macros,
    load_audit_rows,
    quarantine_share,
    run_clock,
    top_quarantine_reasons,
    transaction,
    validator_version,
)

__all__ = [
    "QuarantineShare", "build_cad", "build_heart", "build_heart_responses", "build_load_audit", "define_macros",
    "load_audit_rows", "quarantine_share", "run_clock", "top_quarantine_reasons", "transaction",
    "validator_version",
]
