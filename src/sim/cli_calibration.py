"""The options of the calibration commands of ``sim``: ``fit-report``, ``calibrate`` and ``backtest``.

Their work is in :mod:`sim.calibration.io`, which :mod:`sim.cli` imports only when one of them runs: it brings
scipy, which is slow to import, and the other commands do not need it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.scenario import SHIPPED_SCENARIOS

__all__ = ["add_calibration_parsers"]


def add_calibration_parsers(sub: Any) -> None:
    """Add the ``fit-report``, ``calibrate`` and ``backtest`` sub-commands to ``sub`` (argparse sub-parsers)."""
    fit = sub.add_parser("fit-report", help="compare a run of a scenario with every IND target")
    fit.add_argument("scenario", nargs="?", type=Path, default=SHIPPED_SCENARIOS / "baseline.yaml")
    _run_settings(fit, replications=10, scale=0.5, seed=None, workers=1)
    fit.add_argument("--out", type=Path, default=Path("results") / "fit_report.csv")
    fit.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")
    _dispersion_option(fit, "the report's", default="cell_mc")
    fit.add_argument("--parameter-uncertainty", action="store_true",
                     help="draw one calibration ensemble member per replication, as `sim run` does, so that the "
                          "90%% intervals hold the calibration's uncertainty too (use at least as many "
                          "replications as the ensemble has members)")

    cal = sub.add_parser("calibrate", help="fit the free parameters to the IND tables and write calibrated.yaml")
    _run_settings(cal, replications=4, scale=0.5, seed=20240216, workers=2)
    cal.add_argument("--max-evaluations", type=int, default=600,
                     help="model evaluations of the optimiser (the profiles and the ensemble come on top)")
    cal.add_argument("--cycles", type=int, default=2, help="rounds over the parameter blocks")
    cal.add_argument("--ensemble-size", type=int, default=20)
    cal.add_argument("--start", type=Path, default=None, metavar="FILE",
                     help="start the search from the values in this file (written by `sim calibrate` or `sim "
                          "backtest`) instead of the priors; the manifest records the file and its SHA-256")
    cal.add_argument("--starts", type=_at_least(1), default=1,
                     help="optimiser runs from different starting values (the first from the priors or --start), "
                          "each with "
                          "the whole --max-evaluations; the one whose best set scores best on --selection-seeds "
                          "other seeds is kept")
    cal.add_argument("--selection-seeds", type=_at_least(1), default=5,
                     help="with several starts: other seeds (not the held-out ones) on which the starts are compared")
    cal.add_argument("--redraw-ensemble", action="store_true",
                     help="keep the calibration file's best set and profiles and draw its ensemble again with the "
                          "current method, on the file's own run settings (the fit is not re-run)")
    _dispersion_option(cal, "the fit's")
    cal.add_argument("--held-out-seeds", type=int, default=5,
                     help="other seeds on which the start and the best set are scored at the end")
    cal.add_argument("--out", type=Path, default=None, help="default: the package's parameters/calibrated.yaml")

    bt = sub.add_parser("backtest", help="fit without 2023 and the pending counts, then predict 2023")
    _run_settings(bt, replications=4, scale=0.5, seed=20240216, workers=2)
    bt.add_argument("--max-evaluations", type=int, default=600)
    bt.add_argument("--cycles", type=int, default=2, help="rounds over the parameter blocks")
    _dispersion_option(bt, "the fit's")
    bt.add_argument("--predict-replications", type=_at_least(2), default=20,
                    help="replications of the run that predicts 2023 from the fitted values (judged with each "
                         "cell's variance plus the Monte Carlo error of its mean); default: %(default)s")
    bt.add_argument("--predict-from", type=Path, default=None,
                    help="do not fit: predict 2023 from the values in this file, written by an earlier backtest "
                         "(its scale and seed are used)")
    bt.add_argument("--out", type=Path, default=Path("docs") / "calibration" / "backtest.md")
    bt.add_argument("--fitted-out", type=Path, default=None,
                    help="where the fitted values are written (default: beside --out, <name>_fitted.yaml)")


def _at_least(low: int) -> Any:
    """An argparse type: a whole number not below ``low``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{value} is below the least allowed, {low}")
        return value
    return parse


def _dispersion_option(parser: argparse.ArgumentParser, whose: str, default: str = "cell") -> None:
    # The choices are sim.calibration.likelihood.DISPERSIONS, the report's default its JUDGE_DISPERSION (neither
    # imported here: scipy.stats is slow to import).
    parser.add_argument("--dispersion", choices=("cell", "cell_mc", "cell_zero", "pooled"), default=default,
                        help=f"{whose} predictive variance of a cell: its own replicate variance (cell), the same "
                             "plus the Monte Carlo error of the mean, with no point mass at a mean of zero (cell_mc), "
                             "its own replicate variance with no point mass at a mean of zero (cell_zero), "
                             "or one dispersion pooled over the cells plus that error (pooled); default: %(default)s")


def _run_settings(parser: argparse.ArgumentParser, replications: int, scale: float, seed: int | None,
                  workers: int) -> None:
    """The run-setting options of the calibration commands, with their defaults."""
    parser.add_argument("--replications", type=int, default=replications)
    parser.add_argument("--scale", type=float, default=scale)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--workers", type=int, default=workers)
