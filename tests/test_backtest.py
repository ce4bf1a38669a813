"""``sim backtest``: the fit without 2023, the prediction judged as the fit report judges, the fitted values
written beside the table, a prediction made again from them, and the shipped backtest reproduced from its file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, code_version_changing_after_the_first_evaluation
from sim.calibration.backtest import PREDICTED_YEAR, fitted_path, held_values, read_fitted
from sim.calibration.fit import FREE_PARAMETERS
from sim.calibration.report import JUDGE_DISPERSION
from sim.calibration.targets import load_targets
from sim.cli import _parser, main
from sim.parameters import load_calibration
from sim.yamlio import InputError

SHIPPED_TABLE = ROOT / "docs" / "calibration" / "backtest.md"
TINY = ["--scale", "0.02", "--workers", "1", "--predict-replications", "3"]


def _rows(text: str) -> tuple[list[str], list[str]]:
    """The prediction rows and the fitted-value rows of a backtest page."""
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith(("| table", "| value"))]
    return [r for r in rows if not r.startswith("| `")], [r for r in rows if r.startswith("| `")]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny backtest end to end (a few evaluations at 2% scale); the path of its table. The code version reads
    differently after its first call, as if the checkout changed during the fit."""
    import sim.calibration.backtest as backtest

    out = tmp_path_factory.mktemp("backtest") / "backtest.md"
    with pytest.MonkeyPatch.context() as mp:
        code_version_changing_after_the_first_evaluation(mp, backtest)
        assert main(["backtest", "--replications", "2", "--max-evaluations", "3", "--cycles", "1", *TINY,
                     "--out", str(out)]) == 0
    return out


def test_the_backtest_records_the_code_version_of_its_start(tiny: Path):
    assert read_fitted(fitted_path(tiny)).manifest.code_version == "0.1.0 (at-start)"
    assert "(fit: code 0.1.0 (at-start)," in tiny.read_text()


def test_the_backtest_predicts_every_2023_cell_and_says_how(tiny: Path):
    text = tiny.read_text()
    expected = [c for c in load_targets().cells if PREDICTED_YEAR in c.years and c.kind in ("cell", "column_total")]
    predictions, values = _rows(text)
    assert len(predictions) == len(expected) > 0
    assert [r.split(" | ")[3] for r in predictions] == [c.published for c in expected]
    assert len(values) == len(FREE_PARAMETERS)  # the fitted values, beside their priors
    assert "fitted without the 2023 column and without the pending counts" in text
    assert "2 replications at scale 0.02, cell dispersion" in text  # the fit's settings
    assert f"predicted with 3 replications and judged with {JUDGE_DISPERSION} dispersion" in text


def test_the_fitted_values_are_written_beside_the_table_in_full(tiny: Path):
    doc = read_fitted(fitted_path(tiny))
    assert doc.manifest.written_by == "sim backtest"
    assert (doc.manifest.replications, doc.manifest.scale, doc.manifest.dispersion) == (2, 0.02, "cell")
    assert doc.manifest.model_extra["excluded_years"] == [PREDICTED_YEAR]
    assert list(doc.parameters) == list(FREE_PARAMETERS)
    _, values = _rows(tiny.read_text())
    for row, (name, value) in zip(values, doc.parameters.items(), strict=True):
        held = " (held)" if name in doc.manifest.model_extra["held_at_year_before"] else ""
        assert row.startswith(f"| `{name}`{held} |") and row.endswith(f" | {value:.6g} |")


def test_the_predicted_years_values_are_held_at_the_year_before(tiny: Path):
    """The Art. 8 grant share of 2023 is not searched: the fit carries 2022's, and the file and table say so."""
    doc = read_fitted(fitted_path(tiny))
    assert held_values() == {"art8_grant_share[2023]": "art8_grant_share[2022]"}
    assert doc.manifest.model_extra["held_at_year_before"] == ["art8_grant_share[2023]"]
    assert doc.parameters["art8_grant_share[2023]"] == doc.parameters["art8_grant_share[2022]"]
    text = tiny.read_text()
    assert "the values of 2023 were not fitted but held at the year before's (`art8_grant_share[2023]`)" in text
    assert "| `art8_grant_share[2023]` (held) |" in text


def test_the_fitted_file_names_the_values_the_short_search_never_reached(tiny: Path):
    """Three evaluations leave every block at its floor of two per value, too few for a pass: the fitted file names
    the values after the last one searched, in each block's order."""
    from sim.calibration.fit import BLOCKS

    missed = read_fitted(fitted_path(tiny)).manifest.model_extra["not_searched"]
    assert "first-order nareis" in missed
    for block, names in missed.items():
        searched = [n for n in BLOCKS[block] if n not in held_values()]  # a held value is never searched
        assert names and names == searched[len(searched) - len(names):]


def test_a_prediction_made_again_from_the_fitted_file_gives_the_same_table(tiny: Path, tmp_path: Path):
    again = tmp_path / "again.md"
    assert main(["backtest", *TINY, "--predict-from", str(fitted_path(tiny)), "--out", str(again)]) == 0
    assert _rows(again.read_text()) == _rows(tiny.read_text())
    assert not fitted_path(again).exists()  # nothing was fitted, so no fitted file is written


@pytest.mark.parametrize(("edit", "field"), [
    (lambda d: d["parameters"].update({"young_adult_family_share": 0.4}), "parameters.young_adult_family_share"),
    (lambda d: d["parameters"].pop(next(iter(FREE_PARAMETERS))), "parameters"),
    (lambda d: d["manifest"].update({"scale": 0}), "manifest.scale"),
])
def test_a_bad_fitted_file_is_refused_before_anything_is_written(tiny: Path, tmp_path: Path, capsys, edit, field):
    doc = yaml.safe_load(fitted_path(tiny).read_text())
    edit(doc)
    bad = tmp_path / "fitted.yaml"
    bad.write_text(yaml.safe_dump(doc, sort_keys=False))
    out = tmp_path / "backtest.md"
    out.write_text("an earlier table\n")
    assert main(["backtest", *TINY, "--predict-from", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(bad))}:\d+: field '{re.escape(field)}'", err), err
    assert "nothing was written" in err
    assert out.read_text() == "an earlier table\n"
    with pytest.raises(InputError):
        read_fitted(bad)


def test_the_shipped_backtest_comes_from_its_fitted_file(tmp_path: Path):
    """The shipped table is what its fitted file predicts (the prediction made again), with the fit's settings."""
    fitted = read_fitted(fitted_path(SHIPPED_TABLE))
    shipped = SHIPPED_TABLE.read_text()
    m = fitted.manifest
    assert (f"(fit: code {m.code_version}, seed {m.seed}, {m.replications} replications at scale {m.scale}, "
            f"{m.dispersion} dispersion, {m.evaluations} evaluations, {m.wall_seconds:.0f} s") in shipped
    replications = int(re.search(r"predicted with (\d+) replications", shipped).group(1))
    out = tmp_path / "backtest.md"
    assert main(["backtest", "--workers", "2", "--predict-replications", str(replications),
                 "--predict-from", str(fitted_path(SHIPPED_TABLE)), "--out", str(out)]) == 0
    assert _rows(out.read_text()) == _rows(shipped)


def test_the_commands_default_to_the_shipped_settings():
    """``sim calibrate`` and ``sim backtest`` without options run as the shipped files were made (and as make does)."""
    parser = _parser()
    cal = parser.parse_args(["calibrate"])
    m = load_calibration()["manifest"]
    assert (cal.replications, cal.scale, cal.seed, cal.max_evaluations, cal.cycles, cal.ensemble_size,
            cal.dispersion) == (m["replications"], m["scale"], m["seed"], m["max_evaluations"], m["cycles"],
                                m["ensemble_size"], m["dispersion"])
    bt = parser.parse_args(["backtest"])
    f = read_fitted(fitted_path(SHIPPED_TABLE)).manifest
    assert (bt.replications, bt.scale, bt.seed, bt.max_evaluations, bt.cycles, bt.dispersion) == (
        f.replications, f.scale, f.seed, f.model_extra["max_evaluations"], f.model_extra["cycles"], f.dispersion)
    makefile = (ROOT / "Makefile").read_text()
    assert f"sim backtest --replications {f.replications} --scale {f.scale} --workers $(WORKERS) " \
           f"--max-evaluations {f.model_extra['max_evaluations']} --cycles {f.model_extra['cycles']}\n" in makefile
