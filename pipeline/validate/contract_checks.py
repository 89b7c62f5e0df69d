"""The pandera contract checks on the canonical tables: the contract the accepted data must meet.

They run through pandera's ibis backend, so the checks compile to SQL and run
inside DuckDB over the whole table without pulling it into pandas. The
row-level quarantine (sql/validate/) decides which rows are accepted; these
schemas are the independent guard that what was accepted holds to the
contract — types, required fields, allowed codes and time order — and they
back the Dagster asset checks on those tables.
"""

from __future__ import annotations

import ibis
import pandera.ibis as pa
from pandera.ibis import DataFrameModel, Field

from pipeline.ingest import contract

# DuckDB TIMESTAMPTZ as ibis sees it: microsecond instants, shown in UTC.
TIMESTAMPTZ = ibis.expr.datatypes.Timestamp(timezone="UTC", scale=6)
INT32 = ibis.expr.datatypes.Int32()


def _not_before(table, later: str, earlier: str):
    """Row passes when either time is missing or later >= earlier."""
    return table[later].isnull() | table[earlier].isnull() | (table[later] >= table[earlier])


class CadIncidents(DataFrameModel):
    incident_id: str = Field(nullable=False, unique=True)
    received_at: TIMESTAMPTZ = Field(nullable=False)
    initial_call_type: str = Field(nullable=True)
    final_call_type: str = Field(nullable=True)
    priority: INT32 = Field(nullable=True)
    beat: str = Field(nullable=True)
    disposition: str = Field(nullable=True)
    source_file: str = Field(nullable=False)
    source_row: int = Field(nullable=False, ge=1)

    class Config:
        strict = False  # labels and lineage extras are allowed


class CadUnitAssignments(DataFrameModel):
    incident_id: str = Field(nullable=False)
    unit_id: str = Field(nullable=False)
    discipline: str = Field(nullable=False, isin=list(contract.DISCIPLINES))
    dispatched_at: TIMESTAMPTZ = Field(nullable=True)
    enroute_at: TIMESTAMPTZ = Field(nullable=True)
    arrived_at: TIMESTAMPTZ = Field(nullable=True)
    cleared_at: TIMESTAMPTZ = Field(nullable=True)

    class Config:
        strict = False

    @pa.dataframe_check
    def time_order(cls, data) -> bool:
        t = data.table
        return (
            _not_before(t, "enroute_at", "dispatched_at")
            & _not_before(t, "arrived_at", "enroute_at")
            & _not_before(t, "arrived_at", "dispatched_at")
            & _not_before(t, "cleared_at", "arrived_at")
            & _not_before(t, "cleared_at", "dispatched_at")
        )


class HeartResponses(DataFrameModel):
    response_id: str = Field(nullable=False, unique=True)
    cad_incident_id: str = Field(nullable=True)
    cad_linked: bool = Field(nullable=False)
    unit: str = Field(nullable=False, isin=list(contract.HEART_UNITS))
    received_at: TIMESTAMPTZ = Field(nullable=False)
    dispatched_at: TIMESTAMPTZ = Field(nullable=True)
    arrived_at: TIMESTAMPTZ = Field(nullable=True)
    cleared_at: TIMESTAMPTZ = Field(nullable=True)
    contact_mode: str = Field(nullable=False, isin=list(contract.CONTACT_MODES))
    resolved_without_in_person: bool = Field(nullable=True)
    police_requested: bool = Field(nullable=True)
    felt_safe: bool = Field(nullable=True)
    outcome: str = Field(nullable=True, isin=list(contract.OUTCOMES))

    class Config:
        strict = False

    @pa.dataframe_check
    def time_order(cls, data) -> bool:
        t = data.table
        return (
            _not_before(t, "dispatched_at", "received_at")
            & _not_before(t, "arrived_at", "dispatched_at")
            & _not_before(t, "arrived_at", "received_at")
            & _not_before(t, "cleared_at", "arrived_at")
            & _not_before(t, "cleared_at", "received_at")
        )


# Canonical table (schema.table in the warehouse) -> its pandera model.
CONTRACTS: dict[str, type[DataFrameModel]] = {
    "staging.cad_incidents": CadIncidents,
    "staging.cad_unit_assignments": CadUnitAssignments,
    "staging.heart_responses": HeartResponses,
}


def contract_failures(con, table: str) -> list[str]:
    """Validate a warehouse table against its pandera model inside DuckDB.

    Returns one line per failed check (empty when the table meets the contract).
    """
    schema_name, table_name = table.split(".")
    backend = ibis.duckdb.from_connection(con)
    relation = backend.table(table_name, database=schema_name)
    # pandera's ibis backend reports not_nullable failures on an empty table;
    # an empty table trivially meets the contract.
    if relation.count().execute() == 0:
        return []
    try:
        CONTRACTS[table].validate(relation, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        grouped = cases.groupby(["column", "check"], dropna=False).size()
        return [f"{column}: {check} failed ({count} cases)" for (column, check), count in grouped.items()]
    return []
