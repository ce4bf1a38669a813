"""The ``sim calibrate`` and ``sim fit-report`` commands: run the fit or the report and write the results.

``sim backtest`` is in :mod:`sim.calibration.backtest`.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import math
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rich.console import Console
from rich.table import Table

from sim.calibration.ensemble import EnsembleDraw
from sim.calibration.fit import (
    FREE_PARAMETERS,
    Calibration,
    calibrate,
    ensemble_members,
    profile_shape,
    redraw_ensemble,
)
from sim.calibration.report import JUDGE_DISPERSION, format_figure
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.output import package_version, write_file_atomic
from sim.parameters import CALIBRATED_FILE, load_calibration, prior_value
from sim.scenario import SHIPPED_SCENARIOS, Scenario
from sim.yamlio import InputError, load_yaml

__all__ = ["run_calibration", "run_fit_report", "code_version", "fit_base", "progress_printer", "read_start"]


def code_version() -> str:
    """Package version and, when run from a git checkout, the commit (with ``+dirty`` for local changes)."""
    root = Path(__file__).resolve().parents[3]
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"{package_version()} ({commit}{'+dirty' if dirty else ''})"
    except (OSError, subprocess.CalledProcessError):
        return package_version()


def fit_base(args: argparse.Namespace) -> Scenario:
    """The baseline with the run settings of ``args`` (replications, scale, seed), simulated to the reference date."""
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    targets = load_targets()
    # The fit only looks at the years up to the reference date, so it simulates no further.
    return base.with_run(replications=args.replications, scale=args.scale, seed=args.seed,
                         horizon=targets.reference_date)


def read_start(path: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """The starting values in a file of fitted values (``sim calibrate``'s or ``sim backtest``'s), and what the
    manifest records of it.

    Every value the fit searches must be a number within the fit's bounds; a value the file lacks starts at its
    prior, and a value the fit does not search is left out. Both are named in the record.

    Raises:
        InputError: naming the file, line and field, if the file cannot be read or a value is not usable.
    """
    loaded = load_yaml(path)
    data = loaded.data
    params = data.get("parameters") if isinstance(data, dict) else None
    if not isinstance(params, dict):
        raise InputError(loaded.file, None, "parameters", "no 'parameters' mapping: not a file of fitted values "
                         "written by `sim calibrate` or `sim backtest`")
    values: dict[str, float] = {}
    for name, value in params.items():
        if name not in FREE_PARAMETERS:
            continue
        line, lo, hi = loaded.line_of(("parameters", name)), *FREE_PARAMETERS[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InputError(loaded.file, line, f"parameters.{name}", f"{value!r} is not a number")
        if not lo <= value <= hi:
            raise InputError(loaded.file, line, f"parameters.{name}",
                             f"{value} is outside the bounds of the fit's search, {lo:g} to {hi:g}")
        values[str(name)] = float(value)
    if not values:
        raise InputError(loaded.file, loaded.line_of(("parameters",)), "parameters",
                         "none of the values the fit searches is in this file")
    manifest = data.get("manifest") if isinstance(data.get("manifest"), dict) else {}
    record = {"file": str(path), "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
              "written_by": manifest.get("written_by"), "code_version": manifest.get("code_version"),
              "best_objective": manifest.get("best_objective"),
              "priors_for": [n for n in FREE_PARAMETERS if n not in values],
              "ignored": sorted(str(n) for n in params if n not in FREE_PARAMETERS)}
    return values, record


def progress_printer(console: Console) -> Callable[[str, int, float], None]:
    """A progress callback of the fit that prints one time-stamped line per report."""
    def report(phase: str, n: int, best: float) -> None:
        console.print(f"[{dt.datetime.now():%H:%M:%S}] {phase:<8} evaluation {n:>4}  best objective {best:10.2f}")
    return report


#: How the ensemble is drawn, as the manifest states it.
ENSEMBLE_METHOD = ("normal approximation from the profiles' curvature (no correlations), every spread scaled by "
                   "ensemble_scale from a pilot of draws (ensemble_pilot_objectives), importance-weighted by "
                   "likelihood over proposal as a check; runs use the members in turn")


def _ensemble_entries(draw: EnsembleDraw) -> tuple[dict[str, Any], dict[str, Any]]:
    """The calibration file's entries for an ensemble: those of the manifest, and those of the file's top level."""
    manifest = {"ensemble_method": ENSEMBLE_METHOD, "ensemble_scale": round(draw.scale, 4),
                "ensemble_pilot_objectives": [round(v, 3) for v in draw.pilot_objectives],
                "ensemble_effective_sample_size": round(draw.ess, 2)}
    top = {"ensemble": ensemble_members(draw.zs), "ensemble_objectives": [round(v, 3) for v in draw.objectives],
           "ensemble_weights": [round(float(v), 6) for v in draw.weights]}
    return manifest, top


def _document(cal: Calibration, wall: float, start_file: dict[str, Any] | None, version: str) -> dict[str, Any]:
    """The calibration file's content; ``version`` is the code version taken when the run started."""
    manifest_keys, ensemble_keys = _ensemble_entries(cal.ensemble)
    return {
        "manifest": {
            "written_by": "sim calibrate",
            "code_version": version,
            "date": cal.settings["date"],
            "seed": cal.settings["seed"],
            "replications": cal.settings["replications"],
            "scale": cal.settings["scale"],
            "optimizer": cal.settings["optimizer"],
            "start": cal.settings["start"] if start_file is None else "file",
            **({"start_file": start_file} if start_file is not None else {}),
            "starts": cal.settings["starts"],
            **({"selection_seeds": cal.settings["selection_seeds"], "chosen_start": cal.settings["chosen_start"],
                "start_selection": cal.settings["start_selection"]} if cal.settings["starts"] > 1 else {}),
            "max_evaluations": cal.settings["max_evaluations"],
            "cycles": cal.settings["cycles"],
            "search": cal.settings["search"],
            "not_searched": cal.settings["not_searched"],
            "ensemble_size": cal.settings["ensemble_size"],
            "objective": "negative log-likelihood of the IND cells (interval-censored negative binomial from "
                         "replicates) + secondary targets (normal, 10% relative sd)",
            "dispersion": cal.settings["dispersion"],
            "start_objective": round(cal.evaluations[0].objective, 3) if cal.evaluations else None,
            "best_objective": round(cal.best_objective, 3),
            "evaluations": len(cal.evaluations),
            "wall_seconds": round(wall, 1),
            "targets_sha256": cal.settings["targets_sha256"],
            **manifest_keys,
            "held_out": {key: cal.held_out.get(key, []) for key in ("seeds", "start_objective", "best_objective")},
        },
        "parameters": cal.best,
        "priors": {n: prior_value(n) for n in FREE_PARAMETERS},
        "identifiability": cal.profile,
        **ensemble_keys,
    }


def _write_calibration(out: Path, doc: dict[str, Any]) -> None:
    text = ("# Written by `sim calibrate`; do not edit by hand. Re-run the command to change it.\n"
            + yaml.safe_dump(doc, sort_keys=False, width=110))
    write_file_atomic(out, text.encode("utf-8"))
    load_calibration.cache_clear()


def run_redraw_ensemble(args: argparse.Namespace) -> Path:
    """Run ``sim calibrate --redraw-ensemble``: a new ensemble for the calibration file, its best set unchanged.

    The run settings (replications, scale, seed, dispersion) are the file's own; the command's are ignored.
    """
    console = Console(stderr=True)
    out = args.out or CALIBRATED_FILE
    loaded = load_calibration(out)
    if loaded is None:
        raise FileNotFoundError(f"{out}: no calibration file to redraw the ensemble of (run `sim calibrate`)")
    doc = copy.deepcopy(loaded)  # the loaded file is cached: leave it as it is on disk until it is replaced
    m = doc["manifest"]
    base = fit_base(argparse.Namespace(replications=m["replications"], scale=m["scale"], seed=m["seed"]))
    version = code_version()
    executor = make_executor(args.workers)
    t0 = time.perf_counter()
    try:
        draw = redraw_ensemble(base, executor, doc, args.ensemble_size, progress=progress_printer(console))
    finally:
        executor.close()
    wall = time.perf_counter() - t0
    manifest_keys, ensemble_keys = _ensemble_entries(draw)
    m.update({"ensemble_size": args.ensemble_size, **manifest_keys,
              "ensemble_redrawn": {"code_version": version, "date": dt.date.today().isoformat(),
                                   "evaluations": 1 + len(draw.pilot_objectives) + len(draw.objectives),
                                   "wall_seconds": round(wall, 1)}})
    doc.update(ensemble_keys)
    _write_calibration(out, doc)
    console.print(f"{len(draw.objectives)} members drawn at {draw.scale:.3f} times the profiles' spreads; "
                  f"effective sample size {draw.ess:.1f}; members' objectives {min(draw.objectives):.1f}-"
                  f"{max(draw.objectives):.1f} against {m['best_objective']:.1f}; written to {out}")
    return out


def run_calibration(args: argparse.Namespace) -> Path:
    """Run ``sim calibrate`` and write the calibration file."""
    if getattr(args, "redraw_ensemble", False):
        if getattr(args, "start", None) is not None:
            raise InputError(str(args.start), None, "--start", "cannot be combined with --redraw-ensemble, which "
                             "keeps the calibration file's best set and runs no search")
        return run_redraw_ensemble(args)
    console = Console(stderr=True)
    out = args.out or CALIBRATED_FILE
    start, start_file = None, None
    if getattr(args, "start", None) is not None:
        start, start_file = read_start(args.start)  # a bad file stops here, before any run
        console.print(f"starting from the {len(start)} values of {args.start}"
                      + "".join(f"; {label}: {', '.join(names)}" for label, names in (
                          ("at their priors (not in the file)", start_file["priors_for"]),
                          ("left out (not searched by the fit)", start_file["ignored"])) if names))
    base = fit_base(args)
    # Taken before the search, which runs for hours: a checkout changed meanwhile does not name the run's code.
    version = code_version()
    executor = make_executor(args.workers)
    try:
        cal = calibrate(base, executor, args.max_evaluations, args.ensemble_size, cycles=args.cycles,
                        held_out_seeds=args.held_out_seeds, dispersion=args.dispersion, starts=args.starts,
                        selection_seeds=args.selection_seeds, start=start, progress=progress_printer(console))
    finally:
        executor.close()
    _write_calibration(out, _document(cal, cal.wall_seconds, start_file, version))
    warn_not_searched(console, cal.settings["not_searched"], args.max_evaluations)
    for s in cal.settings["start_selection"]:
        kept = " (kept)" if s["start"] == cal.settings["chosen_start"] else ""
        console.print(f"start {s['start'] + 1}: objective {s['objective']:.2f} on the calibration's seed, "
                      f"{s['selection_mean'] or math.nan:.2f} on {len(s['selection_objectives'])} selection seeds "
                      f"(mean), {s['evaluations']} evaluations{kept}")
    console.print(f"{len(cal.evaluations)} evaluations in {cal.wall_seconds:.0f} s; best objective "
                  f"{cal.best_objective:.2f}; written to {out}")
    if cal.held_out:
        at_start, best = cal.held_out["start_objective"], cal.held_out["best_objective"]
        console.print(f"objective on {len(best)} held-out seeds (mean): {np.mean(at_start):.2f} at the start, "
                      f"{np.mean(best):.2f} at the best set (on the calibration's seed: {cal.best_objective:.2f})")
    shapes = {n: profile_shape(p["delta_up"], p["delta_down"]) for n, p in cal.profile.items()}
    flat = [n for n, shape in shapes.items() if shape == "flat"]
    one_way = [f"{n} ({'no higher' if shape == 'upper' else 'no lower'})" for n, shape in shapes.items()
               if shape in ("upper", "lower")]
    console.print(f"parameters the tables cannot pin down (profile flat both ways): {', '.join(flat) or 'none'}")
    console.print(f"parameters the tables bound on one side only (profile flat the other way): "
                  f"{', '.join(one_way) or 'none'}")
    return out


def warn_not_searched(console: Console, missed: dict[str, list[str]], max_evaluations: int) -> None:
    """Warn that the optimiser's budget ran out before it searched some values (see :mod:`sim.calibration.search`)."""
    for block, names in missed.items():
        console.print(f"warning: the search of the block '{block}' ran out of evaluations in every round before it "
                      f"reached {len(names)} of its values, which kept their starting values (unless a profile "
                      f"step or an ensemble member became the best set): {', '.join(names)}. Raise "
                      f"--max-evaluations (now {max_evaluations}) for a search that reaches them.")


def run_fit_report(scenario: Scenario, args: argparse.Namespace) -> None:
    """Run ``sim fit-report``: print the report and write it as CSV (and Markdown with ``--markdown``)."""
    from sim.calibration.report import BAND_HEADER, fit_report

    report = fit_report(scenario, workers=args.workers, dispersion=args.dispersion)
    console = Console() if Console().is_terminal else Console(width=170)
    table = Table(title=f"fit of {scenario.name} to the IND tables (as of 2023-12-31), {scenario.run.replications} "
                        f"replications, scale {scenario.run.scale}; bands: {report.band}", title_justify="left")
    header, *rows = report.rows()
    for col in header:
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    sec = Table(title="secondary targets", title_justify="left")
    for col in ("target", "published", "accepted range", "model mean [90%]", "within"):
        sec.add_column(col)
    fig = format_figure
    for s in report.secondary:
        sec.add_row(s.name, fig(s.target), f"{fig(s.low)}-{fig(s.high)}",
                    f"{fig(s.model_mean)} [{fig(s.model_p05)}-{fig(s.model_p95)}]", "yes" if s.within else "no")
    console.print(sec)
    bands = Table(title="the bands the calibration is held to", title_justify="left")
    for col in BAND_HEADER:
        bands.add_column(col)
    judged = report.bands()
    for band in judged:
        bands.add_row(*band.row())
    console.print(bands)
    console.print(f"cells whose interval overlaps the model's 90% interval: {report.coverage:.0%}; "
                  f"log-likelihood {report.log_likelihood:.1f} ({report.dispersion} dispersion); bands passed: "
                  f"{sum(b.passed for b in judged)} of {len(judged)}")
    write_file_atomic(args.out, report.csv())
    if args.markdown:
        named = "" if args.scenario == SHIPPED_SCENARIOS / "baseline.yaml" else f"{args.scenario} "
        chosen = "" if args.dispersion == JUDGE_DISPERSION else f" --dispersion {args.dispersion}"
        chosen += " --parameter-uncertainty" if args.parameter_uncertainty else ""
        command = (f"sim fit-report {named}--replications {scenario.run.replications} --scale {scenario.run.scale} "
                   f"--seed {scenario.run.seed}{chosen}")
        write_file_atomic(args.markdown, report.markdown(command).encode("utf-8"))
    Console(stderr=True).print(f"written to {args.out}")
