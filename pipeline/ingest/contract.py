"""The input contract: the canonical fields every source profile maps onto.

This module is the one place that says which canonical fields exist, what type
each holds, which are required and which codes a fixed-domain field allows.
Profiles (profiles/*.toml) map source columns onto these names; the raw-table
DDL in sql/raw/create_tables.sql holds one text column per field (a test keeps
the two in step); the validation SQL binds the allowed codes from here.
docs/input-contract.md is the human-readable version of the same contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "timestamp", "integer", "boolean", "code"]
Kind = Literal["cad", "heart"]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool = False
    # For fixed-domain codes: the canonical codes allowed after the profile's
    # lookup has translated the source code.
    domain: tuple[str, ...] = ()
    # Timestamps only: the field this one must not precede (time order).
    after: tuple[str, ...] = ()
    description: str = ""


DISCIPLINES = ("police", "fire", "ems", "heart")
HEART_UNITS = ("CCD", "CR", "COR", "CN")
HEART_UNIT_NAMES = {
    "CCD": "Crisis Call Diversion",
    "CR": "Community Response",
    "COR": "Co-Response",
    "CN": "Care Navigation",
}
CONTACT_MODES = ("in_person", "phone", "none")
OUTCOMES = ("resolved_on_scene", "referred", "transported", "declined", "unable_to_locate")
# What a CAD call ended in, as a profile's [outcome_classes] maps its disposition codes (the impact marts).
OUTCOME_CLASSES = ("arrest", "ems_transport")

CAD_FIELDS: tuple[Field, ...] = (
    Field("incident_id", "text", required=True, description="CAD incident number."),
    Field("received_at", "timestamp", required=True, description="Call received at the 911 center."),
    Field("initial_call_type", "code", description="Call type assigned at intake (source code)."),
    Field("final_call_type", "code", description="Call type at close (source code)."),
    Field("priority", "integer", description="Dispatch priority as the source numbers it."),
    Field("beat", "text", description="Police beat / area of the call."),
    Field("block_key", "text", description="Block of the call's address (e.g. 1200 BLOCK W MAIN ST): the "
                                           "export's text is never stored, only a keyed hash of it normalised "
                                           "(pipeline/ingest/pseudonym.py), the same for the same block; for "
                                           "repeat calls at one place."),
    Field("disposition", "code", description="How the call was closed (source code)."),
    Field("unit_id", "text", description="Unit assigned; empty when the row carries no assignment."),
    Field("discipline", "code", domain=DISCIPLINES, description="Discipline of the unit."),
    Field("dispatched_at", "timestamp", after=("received_at",), description="Unit dispatched."),
    Field("enroute_at", "timestamp", after=("dispatched_at", "received_at"), description="Unit en route."),
    Field(
        "arrived_at",
        "timestamp",
        after=("enroute_at", "dispatched_at", "received_at"),
        description="Unit arrived on scene.",
    ),
    Field(
        "cleared_at",
        "timestamp",
        after=("arrived_at", "enroute_at", "dispatched_at", "received_at"),
        description="Unit cleared the call.",
    ),
)

HEART_FIELDS: tuple[Field, ...] = (
    Field("response_id", "text", required=True, description="HEART response id."),
    Field("cad_incident_id", "text", description="CAD incident answered, where there is one."),
    Field("unit", "code", required=True, domain=HEART_UNITS, description="HEART unit."),
    Field("team", "text", description="Team or clinician group."),
    Field("received_at", "timestamp", required=True, description="Request reached HEART."),
    Field("dispatched_at", "timestamp", after=("received_at",), description="Team dispatched."),
    Field("arrived_at", "timestamp", after=("dispatched_at", "received_at"), description="Team arrived."),
    Field(
        "cleared_at",
        "timestamp",
        after=("arrived_at", "dispatched_at", "received_at"),
        description="Team cleared.",
    ),
    Field("contact_mode", "code", required=True, domain=CONTACT_MODES, description="In person, phone or none."),
    Field("resolved_without_in_person", "boolean", description="Resolved with no in-person contact."),
    Field("police_requested", "boolean", description="Responders requested police on scene."),
    Field("felt_safe", "boolean", description="Responders felt safe (empty when not asked)."),
    Field("outcome", "code", domain=OUTCOMES, description="Outcome of the response."),
    Field("referrals", "text", description="Services referred to, ';'-separated."),
    Field("person_key", "text", description="Person key: the log's key is never stored, only its keyed hash "
                                            "(pipeline/ingest/pseudonym.py), the same for the same key."),
    Field("followup_due_at", "timestamp", after=("received_at",), description="Care-navigation follow-up due."),
    Field("followup_done_at", "timestamp", after=("received_at",), description="Care-navigation follow-up done."),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {"cad": CAD_FIELDS, "heart": HEART_FIELDS}


def field_names(kind: Kind) -> list[str]:
    return [f.name for f in FIELDS[kind]]


def required_fields(kind: Kind) -> list[str]:
    return [f.name for f in FIELDS[kind] if f.required]


def timestamp_fields(kind: Kind) -> list[str]:
    return [f.name for f in FIELDS[kind] if f.type == "timestamp"]


def get_field(kind: Kind, name: str) -> Field:
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no canonical field {name!r}")
