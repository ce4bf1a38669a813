"""The ``sim`` command, called in-process: files written, their columns, errors and overwriting."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import BASELINE, FILES, HEADERS, ROOT
from sim.cli import main
from sim.codes import FLOWS, MEASURES

SMALL = ["--scale", "0.02", "--replications", "2", "--quiet"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "results"
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL]) == 0
    return out / "baseline"


def test_run_writes_exactly_the_documented_files(default_run):
    assert {p.name for p in default_run.iterdir()} == FILES
    # no temporary folders are left beside it
    assert [p.name for p in default_run.parent.iterdir()] == ["baseline"]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_headers(default_run, name):
    first = (default_run / name).read_text("utf-8").splitlines()[0]
    assert first == HEADERS[name]


def test_flows_and_measures(default_run):
    for name in ("yearly.csv", "breakdown.csv", "replications.csv"):
        rows = _rows(default_run / name)
        assert {r["flow"] for r in rows} <= set(FLOWS)
        assert {r["measure"] for r in rows} <= set(MEASURES)
        assert {r["scenario"] for r in rows} == {"baseline"}
    yearly = _rows(default_run / "yearly.csv")
    assert {r["flow"] for r in yearly} == set(FLOWS)
    assert {r["year"] for r in yearly} == {str(y) for y in range(2014, 2036)}
    assert {r["flow"] for r in _rows(default_run / "cohorts.csv")} == set(FLOWS)
    # asylum claimants do not arrive
    assert not [r for r in yearly if r["flow"].startswith("asylum") and r["measure"] == "arrivals"]
    # values are non-negative numbers with two decimals and ordered quantiles
    for r in yearly:
        p05, p50, p95 = float(r["p05"]), float(r["p50"]), float(r["p95"])
        assert 0 <= p05 <= p50 <= p95
        assert r["mean"].count(".") == 1 and len(r["mean"].split(".")[1]) == 2


def test_breakdown_sums_to_yearly(default_run):
    """docs/results.md: summed over relation and status, the means equal those in yearly.csv."""
    from collections import defaultdict

    yearly = {(r["year"], r["flow"], r["measure"]): float(r["mean"])
              for r in _rows(default_run / "yearly.csv")}
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in _rows(default_run / "breakdown.csv"):
        key = (r["year"], r["flow"], r["measure"])
        sums[key] += float(r["mean"])
        cells[key] += 1
    assert "asylum_first" not in {k[1] for k in sums}
    assert set(sums) == {k for k in yearly if k[1] != "asylum_first"}
    assert any(v > 0 for v in sums.values())
    for key, total in sums.items():
        assert total == pytest.approx(yearly[key], abs=0.005 * (cells[key] + 1)), key


def test_cohort_means_add_up(default_run):
    """docs/results.md: applications = grants + refusals + pending, also for the means."""
    by = {}
    for r in _rows(default_run / "cohorts.csv"):
        by[(r["as_of"], r["application_year"], r["flow"], r["outcome"])] = float(r["mean"])
    keys = {k[:3] for k in by}
    assert len(keys) > 100
    for k in keys:
        parts = by[(*k, "grants")] + by[(*k, "refusals")] + by[(*k, "pending")]
        assert by[(*k, "applications")] == pytest.approx(parts, abs=0.02), k


def test_cohorts_default_as_of(default_run):
    rows = _rows(default_run / "cohorts.csv")
    assert {r["as_of"] for r in rows} == {"2023-12-31", "2035-12-31"}
    assert {r["outcome"] for r in rows} == {"applications", "grants", "refusals", "pending"}
    assert max(int(r["application_year"]) for r in rows if r["as_of"] == "2023-12-31") == 2023
    manifest = json.loads((default_run / "manifest.json").read_text("utf-8"))
    assert manifest["identity"]["as_of"] == ["2023-12-31", "2035-12-31"]


def test_as_of_option(tmp_path):
    out = tmp_path / "r"
    assert main(["run", str(BASELINE), "--out", str(out), "--as-of", "2022-06-30", *SMALL]) == 0
    rows = _rows(out / "baseline" / "cohorts.csv")
    assert {r["as_of"] for r in rows} == {"2022-06-30"}
    assert max(int(r["application_year"]) for r in rows) == 2022


@pytest.mark.parametrize("args", [
    ["--as-of", "2040-01-01"],      # outside the run
    ["--as-of", "2022-13-01"],      # not a date
    ["--scale", "0"],
    ["--replications", "0"],
    ["--workers", "0"],
])
def test_bad_options_exit_2_and_write_nothing(tmp_path, args, capsys):
    out = tmp_path / "r"
    assert main(["run", str(BASELINE), "--out", str(out), "--quiet", *args]) == 2
    assert not out.exists()
    assert capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--starts", "0"], "argument --starts: 0 is below the least allowed, 1"),
    (["--selection-seeds", "two"], "argument --selection-seeds: 'two' is not a whole number"),
])
def test_bad_calibrate_options_exit_2_name_the_option_and_write_nothing(tmp_path, args, message, capsys):
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", "--out", str(out), *args]) == 2
    assert not out.exists()
    assert message in capsys.readouterr().err


def test_validate_baseline_exits_0(capsys):
    assert main(["validate", str(BASELINE)]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path, capsys):
    assert main(["validate", str(path)]) == 0


def test_malformed_scenario_exits_2_names_file_line_field_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndescription: x\nrun:\n  replications: 0\n", "utf-8")
    out = tmp_path / "results"
    assert main(["run", str(bad), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err
    assert "run.replications" in err
    assert "nothing was written" in err
    assert not out.exists()
    assert main(["validate", str(bad)]) == 2


def test_one_bad_scenario_among_good_ones_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndescription: x\nrun: {scale: -1}\n", "utf-8")
    out = tmp_path / "results"
    assert main(["run", str(BASELINE), str(bad), "--out", str(out), "--quiet"]) == 2
    assert not out.exists()


def test_two_scenarios_with_the_same_name_are_refused(tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["run", str(BASELINE), str(BASELINE), "--out", str(out), "--quiet"]) == 2
    assert "collide" in capsys.readouterr().err
    assert not out.exists()


def test_existing_different_results_need_force(tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL, "--seed", "1"]) == 0
    folder = out / "baseline"
    first = (folder / "yearly.csv").read_bytes()
    # Same run again: same identity, allowed without --force (and the same numbers).
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL, "--seed", "1"]) == 0
    assert (folder / "yearly.csv").read_bytes() == first
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # A different run: refused, earlier results untouched.
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL, "--seed", "2"]) == 2
    assert "--force" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # With --force: replaced.
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL, "--seed", "2", "--force"]) == 0
    after = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert after["identity"]["seed"] == 2
    assert (folder / "yearly.csv").read_bytes() != before["yearly.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["baseline"]


def test_folder_that_is_not_a_results_folder_is_never_replaced(tmp_path):
    out = tmp_path / "results"
    (out / "baseline").mkdir(parents=True)
    (out / "baseline" / "notes.txt").write_text("mine", "utf-8")
    assert main(["run", str(BASELINE), "--out", str(out), *SMALL, "--force"]) == 2
    assert (out / "baseline" / "notes.txt").read_text("utf-8") == "mine"


def test_schema_is_current(capsys):
    """The committed scenarios/scenario.schema.json matches the scenario model (regenerate: `sim schema`)."""
    assert main(["schema", "--check", "--out", str(ROOT / "scenarios" / "scenario.schema.json")]) == 0


def test_schema_check_detects_a_stale_file(tmp_path):
    stale = tmp_path / "scenario.schema.json"
    stale.write_text("{}\n", "utf-8")
    assert main(["schema", "--check", "--out", str(stale)]) == 1
    assert main(["schema", "--out", str(stale)]) == 0
    assert main(["schema", "--check", "--out", str(stale)]) == 0


def test_usage_error_exits_2():
    assert main(["run"]) == 2
    assert main(["frobnicate"]) == 2
