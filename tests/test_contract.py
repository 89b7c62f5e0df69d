"""The contract, the raw-table DDL and the committed profiles agree."""

from __future__ import annotations

import pytest

from pipeline import warehouse
from pipeline.ingest import contract
from pipeline.ingest import ensure_schema
from pipeline.ingest.profiles import ProfileError, load_profile, load_profiles
from pipeline.settings import DEFAULT_PROFILES


@pytest.mark.parametrize("kind", ["cad", "heart"])
def test_raw_table_has_one_text_column_per_contract_field(tmp_path, kind):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        ensure_schema(con)
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = ? "
            "ORDER BY ordinal_position", [f"{kind}_rows"]).fetchall()]
    expected = ["file_id", "source_file", "source_row", "profile", *contract.field_names(kind)]
    expected += [f"{name}_local" for name in contract.timestamp_fields(kind)]
    assert columns == expected


def test_committed_profiles_load_and_have_distinct_patterns():
    profiles = load_profiles(DEFAULT_PROFILES)
    names = {p.name for p in profiles}
    assert {"durham_cad", "durham_heart", "decc_va_cad", "san_diego_cad"} <= names
    samples = ["durham_cad_2022-07-04.csv.gz", "durham_heart_2022-07-04.csv.gz", "week40.csv"]
    for sample in samples:
        assert sum(p.matches(sample) for p in profiles) == 1, sample


def test_profile_errors_name_file_and_key(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('[profile]\nkind = "cad"\n[fields]\nincident_id = "A"\nreceived_at = "B"\nbogus = "C"\n')
    with pytest.raises(ProfileError, match=r"x.toml \[fields\].bogus: not a cad contract field"):
        load_profile(path)
    path.write_text(
        '[profile]\nkind = "cad"\n[match]\nfilenames = ["a*"]\n[fields]\nincident_id = "A"\n'
        'received_at = "B"\ndiscipline = { column = "C", lookup = "nope" }\n'
    )
    with pytest.raises(ProfileError, match="lookup 'nope' is not defined"):
        load_profile(path)


CAD_PROFILE = ('[profile]\nkind = "cad"\n[match]\nfilenames = ["a*"]\n[time_formats]\ndatetime = ["%Y"]\n[fields]\nincident_id = "A"\nreceived_at = "B"\n'
               'disposition = { column = "D", lookup = "dispo" }\n[lookups.dispo]\nARR = "Arrest"\nTRN = "Transported"\n')


@pytest.mark.parametrize("section, message", [
    ('[outcome_classes]\narrested = ["ARR"]\n',
     r"x.toml \[outcome_classes\].arrested: not an outcome class \(one of arrest, ems_transport\)"),
    ('[outcome_classes]\narrest = ["ARX"]\n',
     r"x.toml \[outcome_classes\].arrest: code 'ARX' is not in \[lookups.dispo\]"),
    ('[outcome_classes]\narrest = []\n', r"x.toml \[outcome_classes\].arrest: give at least one disposition code"),
    ('[outcome_classes]\narrest = [1]\n', r"x.toml \[outcome_classes\].arrest: expected a string or a list"),
])
def test_outcome_class_mistakes_name_file_and_key(tmp_path, section, message):
    path = tmp_path / "x.toml"
    path.write_text(CAD_PROFILE + section)
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_outcome_classes_need_a_disposition_field(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('[profile]\nkind = "cad"\n[match]\nfilenames = ["a*"]\n[time_formats]\ndatetime = ["%Y"]\n'
                    '[fields]\nincident_id = "A"\nreceived_at = "B"\n[outcome_classes]\narrest = ["ARR"]\n')
    with pytest.raises(ProfileError, match=r"x.toml \[outcome_classes\]: map \[fields\].disposition first"):
        load_profile(path)


def test_outcome_classes_are_read_trimmed_and_upper_case(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(CAD_PROFILE + '[outcome_classes]\narrest = [" arr "]\nems_transport = "trn"\n')
    assert load_profile(path).outcome_classes == {"arrest": ("ARR",), "ems_transport": ("TRN",)}
    durham = load_profile(DEFAULT_PROFILES / "durham_cad.toml")
    assert durham.outcome_classes == {"arrest": ("ARR",), "ems_transport": ("TRN",)}
