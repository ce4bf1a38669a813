"""Malformed scenario files are refused with file, line, field and a plain message; uploads use no paths."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import BASELINE, TESTS
from sim.cli import main
from sim.scenario import Scenario
from sim.yamlio import MAX_FILE_BYTES, InputError

BAD = TESTS / "bad_scenarios"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))

#: Files written by the test from bytes rather than committed.
GENERATED = {
    "binary": b"name: binary-nul\ndescription: A NUL byte\x00 in the middle.\n",
    "latin1": "name: latin1\ndescription: Caf\u00e9 written in Latin-1.\n".encode("latin-1"),
    "oversize": b"name: oversize\ndescription: >\n" + b"  padding padding padding padding\n" * (
        MAX_FILE_BYTES // 30),
}


def _path_of(name: str, tmp_path: Path) -> Path:
    spec = EXPECTED[name]
    if "generate" in spec:
        path = tmp_path / name
        path.write_bytes(GENERATED[spec["generate"]])
        return path
    return BAD / name


def test_manifest_lists_every_bad_file_and_at_least_30():
    on_disk = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*.yaml")} - {"expected.yaml"}
    committed = {k for k, v in EXPECTED.items() if "generate" not in v}
    assert on_disk == committed
    assert len(EXPECTED) >= 30
    assert all(spec.get("contains") for spec in EXPECTED.values())
    assert len(GENERATED["oversize"]) > MAX_FILE_BYTES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_scenario_is_refused_with_location(name, tmp_path):
    spec = EXPECTED[name]
    path = _path_of(name, tmp_path)
    with pytest.raises(InputError) as info:
        Scenario.from_yaml(path)
    exc = info.value
    assert str(path) in exc.message, "the message names the file"
    assert exc.line == spec["line"]
    if spec["line"] is not None:
        assert exc.message.startswith(f"{path}:{spec['line']}:")
    if "field" in spec:
        assert exc.field == spec["field"]
        assert f"field '{spec['field']}'" in exc.message
    for text in spec["contains"]:
        assert str(text) in exc.message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_scenario_via_cli_exits_2(name, tmp_path, capsys):
    path = _path_of(name, tmp_path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "nothing was written" in err


@pytest.mark.parametrize("name", ["binary", "latin1", "oversize"])
def test_generated_bad_bytes_rejected_from_text(name):
    with pytest.raises(InputError):
        Scenario.from_text(GENERATED[name], "upload.yaml")


def test_latin1_error_gives_the_line_of_the_bad_byte():
    with pytest.raises(InputError) as info:
        Scenario.from_text(b"name: x\n\ndescription: caf\xe9\n", "upload.yaml")
    assert info.value.line == 3


# --- uploads ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("parent", ["../something", "../scenarios/baseline", "/etc/passwd", "./baseline",
                                    "sub/baseline", "..\\baseline"])
def test_upload_cannot_extend_a_path(parent):
    text = f"name: upload\ndescription: An upload.\nextends: {parent}\n"
    with pytest.raises(InputError) as info:
        Scenario.from_text(text, "upload.yaml")
    assert info.value.field == "extends"
    assert info.value.line == 3
    assert "not a path" in info.value.message


def test_upload_can_extend_a_shipped_scenario_by_name():
    s = Scenario.from_text("name: upload\ndescription: An upload.\nextends: baseline\nrun: {scale: 0.1}\n")
    base = Scenario.from_yaml(BASELINE)
    assert s.extends == "baseline"
    assert s.run.scale == 0.1 and s.run.seed == base.run.seed
    assert s.rules == base.rules


def test_upload_extending_an_unknown_name_fails():
    with pytest.raises(InputError) as info:
        Scenario.from_text("name: upload\ndescription: An upload.\nextends: not_shipped\n")
    assert "not found" in info.value.message


# --- good files and extends semantics -----------------------------------------------------------------------

def test_baseline_is_valid_and_round_trips():
    s = Scenario.from_yaml(BASELINE)
    assert s.name == "baseline"
    again = Scenario.model_validate(s.to_dict())
    assert again == s and again.digest() == s.digest()


def test_extends_merges_keys_and_replaces_rules(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(
        "name: child\ndescription: Baseline without the 2026 nuclear family rule.\nextends: baseline\n"
        "run: {replications: 3}\nrules:\n  nuclear_family_only: []\nparameters: {nareis_grant_prob: 0.8}\n",
        "utf-8")
    s = Scenario.from_yaml(child)
    base = Scenario.from_yaml(BASELINE)
    assert s.run.replications == 3 and s.run.seed == base.run.seed and s.run.horizon == base.run.horizon
    assert s.rules.nuclear_family_only == []
    assert s.rules.b_status_waiting_period == base.rules.b_status_waiting_period
    assert s.parameters == {"nareis_grant_prob": 0.8}
    assert "nuclear_family_only" not in s.rule_periods()


def test_parent_dates_outside_a_shorter_child_run_are_not_the_childs_error(tmp_path):
    # The child shortens the run; the baseline's 2026 rules then lie after its horizon but the child did not
    # set them, so this is not an error in the child.
    child = tmp_path / "short.yaml"
    child.write_text("name: short\ndescription: Up to 2025.\nextends: baseline\nrun: {horizon: 2025-12-31}\n",
                     "utf-8")
    assert Scenario.from_yaml(child).run.horizon.year == 2025


def test_error_in_parent_names_the_parent_file(tmp_path):
    (tmp_path / "parent.yaml").write_text("name: parent\ndescription: x\nrun: {scale: -1}\n", "utf-8")
    (tmp_path / "child.yaml").write_text("name: child\ndescription: x\nextends: parent\n", "utf-8")
    with pytest.raises(InputError) as info:
        Scenario.from_yaml(tmp_path / "child.yaml")
    assert str(tmp_path / "parent.yaml") in info.value.message
    assert info.value.line == 3
