"""Same seed, same bytes: serially or on a process pool; a different seed gives different results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BASELINE
from sim.cli import main

CSVS = ("yearly.csv", "cohorts.csv", "breakdown.csv", "replications.csv")


def _run(out: Path, *extra: str) -> Path:
    code = main(["run", str(BASELINE), "--scale", "0.02", "--replications", "3", "--out", str(out), "--quiet",
                 *extra])
    assert code == 0
    return out / "baseline"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    serial = _run(base / "serial", "--workers", "1")
    serial_again = _run(base / "serial_again", "--workers", "1")
    parallel = _run(base / "parallel", "--workers", "2")
    other_seed = _run(base / "other_seed", "--workers", "1", "--seed", "7")
    return serial, serial_again, parallel, other_seed


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("name", CSVS)
def test_same_seed_same_bytes_serial_and_parallel(runs, name):
    serial, serial_again, parallel, _ = runs
    data = (serial / name).read_bytes()
    assert len(data.splitlines()) > 10
    assert data == (serial_again / name).read_bytes()
    assert data == (parallel / name).read_bytes()


def test_same_identity_block(runs):
    serial, serial_again, parallel, _ = runs
    ident = _manifest(serial)["identity"]
    assert ident == _manifest(serial_again)["identity"] == _manifest(parallel)["identity"]
    assert ident["seed"] == 20240216 and ident["replications"] == 3 and ident["scale"] == 0.02
    assert ident["scenario"]["run"]["scale"] == 0.02


def test_different_seed_gives_different_results(runs):
    serial, _, _, other_seed = runs
    assert (serial / "yearly.csv").read_bytes() != (other_seed / "yearly.csv").read_bytes()
    assert _manifest(other_seed)["identity"]["seed"] == 7
    digest = _manifest(serial)["identity"]["scenario_digest"]
    assert digest != _manifest(other_seed)["identity"]["scenario_digest"]


def test_run_block(runs):
    serial, _, parallel, _ = runs
    for folder, workers in ((serial, 1), (parallel, 2)):
        run = _manifest(folder)["run"]
        assert run["wall_seconds"] > 0
        assert run["events_scheduled"] > 0
        assert run["applications_processed"] > 0
        assert run["started_at"] and run["host"]
        assert run["workers"] == workers
    # The run block is informational; it is not part of the identity.
    assert "wall_seconds" not in _manifest(serial)["identity"]
