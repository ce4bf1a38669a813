"""The ``sim backtest`` command: fit without the 2023 column and the pending counts, then predict 2023.

Two steps, each with its own settings:

- **the fit**: :func:`sim.calibration.fit.calibrate` from the priors, with the same blocks, method and dispersion
  as ``sim calibrate``, on the targets without 2023 and without the pending counts. Its values are written, at full
  precision and with their settings, to a YAML file beside the table (``--fitted-out``). A fitted value of the
  predicted year itself (the Art. 8 grant share of 2023) is not searched but held at the year before's
  (:func:`held_values`), as a projection made at the end of 2022 would hold it: searched, it is set from the
  decisions of 2023 that the earlier columns, published as seen at the end of 2023, include;
- **the prediction**: a run of the fitted values with ``--predict-replications`` replications (more than the fit's,
  so that the mean the figures are judged around is steadier), judged as the fit report judges a run
  (:data:`sim.calibration.report.JUDGE_DISPERSION`: each cell's variance plus the Monte Carlo error of its mean).

``--predict-from`` makes the prediction again from a file the fit wrote, without fitting.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import yaml
from rich.console import Console

from sim.calibration.fit import FREE_PARAMETERS, calibrate
from sim.calibration.io import code_version, fit_base, progress_printer, warn_not_searched
from sim.calibration.likelihood import CellView, log_likelihood
from sim.calibration.report import BACKLOG_DATE, JUDGE_DISPERSION
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.output import write_file_atomic
from sim.parameters import prior_value
from sim.runner import run_scenario
from sim.yamlio import InputError, load_yaml, validate

__all__ = ["run_backtest", "predict_2023", "scores", "fitted_path", "read_fitted", "held_values"]

#: The year the backtest predicts.
PREDICTED_YEAR = 2023


class FittedManifest(pydantic.BaseModel):
    """What the fit of a backtest was run with (the part of the fitted file a prediction needs is checked)."""

    model_config = pydantic.ConfigDict(extra="allow")

    written_by: str
    code_version: str
    seed: int
    replications: int = pydantic.Field(gt=0)
    scale: float = pydantic.Field(gt=0, le=1)
    dispersion: str
    evaluations: int = pydantic.Field(ge=0)
    wall_seconds: float = pydantic.Field(ge=0)


class FittedFile(pydantic.BaseModel):
    """The file ``sim backtest`` writes beside its table: the values fitted without 2023."""

    model_config = pydantic.ConfigDict(extra="forbid")

    manifest: FittedManifest
    parameters: dict[str, float]


def read_fitted(path: Path) -> FittedFile:
    """Read a file of fitted values; a bad file is an :class:`InputError` naming its line and field."""
    loaded = load_yaml(path)
    doc = validate(FittedFile, loaded)
    unknown = [n for n in doc.parameters if n not in FREE_PARAMETERS]
    missing = [n for n in FREE_PARAMETERS if n not in doc.parameters]
    if unknown:
        raise InputError(loaded.file, loaded.line_of(("parameters", unknown[0])), f"parameters.{unknown[0]}",
                         "not a value the calibration fits")
    if missing:
        raise InputError(loaded.file, loaded.line_of(("parameters",)), "parameters",
                         f"'{missing[0]}' is missing ({len(missing)} of the {len(FREE_PARAMETERS)} fitted values "
                         "are)")
    return doc


def held_values() -> dict[str, str]:
    """The fitted values of the predicted year, each held at its value of the year before (follower: leader)."""
    suffix, before = f"[{PREDICTED_YEAR}]", f"[{PREDICTED_YEAR - 1}]"
    leaders = {n: n.removesuffix(suffix) + before for n in FREE_PARAMETERS if n.endswith(suffix)}
    return {n: leader for n, leader in leaders.items() if leader in FREE_PARAMETERS}


def scores(rows: list[CellView]) -> tuple[int, float, float]:
    """A prediction's figures covered, mean absolute error against the interval midpoints, and log predictive
    score (each figure's log probability floored at -50, as in the fit)."""
    errors = [abs(v.mean - (v.cell.low + v.cell.high) / 2) for v in rows]
    return sum(v.overlaps for v in rows), float(np.mean(errors)), sum(max(v.log_prob, -50.0) for v in rows)


def fitted_path(out: Path) -> Path:
    """Where the fitted values go by default: beside the table, ``<table>_fitted.yaml``."""
    return out.with_name(f"{out.stem}_fitted.yaml")


def predict_2023(values: dict[str, float], scale: float, seed: int, replications: int,
                 executor: Any) -> list[CellView]:
    """Run the fitted values and judge the published 2023 cells and column totals (as the fit report judges)."""
    base = fit_base(argparse.Namespace(replications=replications, scale=scale, seed=seed))
    fitted = base.model_copy(update={"parameters": {**base.parameters, **values}})
    targets = load_targets()
    result = run_scenario(fitted, (BACKLOG_DATE, targets.reference_date), executor=executor)
    _, views = log_likelihood(targets, result.cohorts, result.years, 1, scale, dispersion=JUDGE_DISPERSION)
    return [v for v in views if PREDICTED_YEAR in v.cell.years and v.cell.kind in ("cell", "column_total")]


def run_backtest(args: argparse.Namespace) -> Path:
    """Run ``sim backtest``: fit (or read a fit), predict the 2023 cells, write the table and report it."""
    console = Console(stderr=True)
    fitted_out = args.fitted_out or fitted_path(args.out)
    if args.predict_from:
        doc = read_fitted(args.predict_from)  # a bad file stops here, before any run
        fit = doc.manifest.model_dump()
        values = doc.parameters
    executor = make_executor(args.workers)
    try:
        if not args.predict_from:
            fit, values = _fit(args, executor, console)
        console.print(f"predicting {PREDICTED_YEAR} with {args.predict_replications} replications")
        rows = predict_2023(values, fit["scale"], fit["seed"], args.predict_replications, executor)
    finally:
        executor.close()
    if not args.predict_from:
        text = ("# Written by `sim backtest`: the values fitted without 2023 and the pending counts; do not edit "
                "by hand.\n" + yaml.safe_dump({"manifest": fit, "parameters": values}, sort_keys=False, width=110))
        write_file_atomic(fitted_out, text.encode("utf-8"))
    source = args.predict_from or fitted_out
    summary, table = _table(rows, fit, values, args.predict_replications, source)
    write_file_atomic(args.out, table.encode("utf-8"))
    console.print(summary)
    console.print(f"written to {args.out}" + ("" if args.predict_from else f" and {fitted_out}"))
    return args.out


def _fit(args: argparse.Namespace, executor: Any, console: Console) -> tuple[dict[str, Any], dict[str, float]]:
    """The fit without 2023 and the pending counts, from the priors; its settings and its best values."""
    base = fit_base(args)
    # From the priors: starting from the shipped calibration would let the 2023 column in through its start.
    start = {n: prior_value(n) for n in FREE_PARAMETERS}
    version = code_version()  # before the fit, which runs for most of an hour
    held = held_values()
    cal = calibrate(base, executor, args.max_evaluations, ensemble_size=0, profiles=False,
                    exclude_years={PREDICTED_YEAR}, include_pending=False, start=start, cycles=args.cycles,
                    dispersion=args.dispersion, follow=held, progress=progress_printer(console))
    fit = cal.settings
    settings = {"written_by": "sim backtest", "code_version": version,
                **{k: fit[k] for k in ("date", "seed", "replications", "scale", "dispersion", "max_evaluations",
                                       "cycles")},
                "excluded_years": fit["exclude_years"], "pending_counts": fit["include_pending"],
                "best_objective": round(cal.best_objective, 3), "evaluations": len(cal.evaluations),
                "wall_seconds": round(cal.wall_seconds, 1), "targets_sha256": fit["targets_sha256"],
                "not_searched": fit["not_searched"], "held_at_year_before": sorted(held)}
    warn_not_searched(console, fit["not_searched"], args.max_evaluations)
    return settings, dict(cal.best)


def _table(rows: list[CellView], fit: dict[str, Any], values: dict[str, float], replications: int,
           source: Path) -> tuple[str, str]:
    """The summary sentence and the whole Markdown page."""
    lines = [
        "| table | flows | measure | published 2023 | interval | predicted mean | 90% interval | overlap | error | "
        "log probability |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in rows:
        err = v.mean - (v.cell.low + v.cell.high) / 2
        lines.append(f"| {v.cell.table} | {'+'.join(v.cell.flows)} | {v.cell.measure} | {v.cell.published} | "
                     f"{v.cell.low}-{v.cell.high} | {v.mean:.1f} | {v.low90:.0f}-{v.high90:.0f} | "
                     f"{'yes' if v.overlaps else 'no'} | {err:+.1f} | {v.log_prob:.2f} |")
    covered, error, score = scores(rows)
    summary = (f"Backtest written by `sim backtest` (fit: code {fit['code_version']}, seed {fit['seed']}, "
               f"{fit['replications']} replications at scale {fit['scale']}, {fit['dispersion']} dispersion, "
               f"{fit['evaluations']} evaluations, {fit['wall_seconds']:.0f} s; fitted values in `{source.name}`): "
               f"fitted without the 2023 column and without the pending counts, then the 2023 cells predicted "
               f"with {replications} replications and judged with {JUDGE_DISPERSION} dispersion. {covered} of "
               f"{len(rows)} published 2023 intervals overlap the predicted 90% interval; mean absolute error "
               f"{error:.1f} persons against the interval midpoints; log predictive score "
               f"{score:.1f}.\n")
    held = fit.get("held_at_year_before", [])
    heading = "Values fitted without 2023 and the pending counts, beside their priors:"
    if held:
        names = ", ".join(f"`{n}`" for n in held)
        heading = (f"{heading[:-1]}: the values of 2023 were not fitted but held at the year before's ({names}), "
                   "marked (held).")
    fitted = ["", heading, "", "| value | prior | fitted |", "|---|---|---|"]
    fitted += [f"| `{n}`{' (held)' if n in held else ''} | {prior_value(n):.6g} | {v:.6g} |"
               for n, v in values.items()]
    return summary, ("# Backtest: predicting 2023\n\n" + summary + "\n" + "\n".join(lines) + "\n"
                     + "\n".join(fitted) + "\n")
