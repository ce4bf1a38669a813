"""The ``sim`` command: ``sim run | compare | validate | reproduce | fit-report | calibrate | backtest | schema``.

Exit codes: 0 done; 2 invalid input (found before anything is written); 1 any other failure; 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.cli_calibration import add_calibration_parsers
from sim.codes import FLOWS, MEASURES
from sim.compare import comparison_csv, headline_totals, paired_settings, read_run
from sim.executors import Executor, make_executor
from sim.output import (
    check_destination,
    identity_of,
    is_complete,
    recover_interrupted,
    render_files,
    run_info,
    write_file_atomic,
    write_results,
)
from sim.parameters import ensemble_size, load_calibration
from sim.runner import RunResult, default_as_of, run_scenario
from sim.scenario import SHIPPED_SCENARIOS, Scenario, scenario_json_schema
from sim.yamlio import InputError

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
SCHEMA_PATH = SHIPPED_SCENARIOS / "scenario.schema.json"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sim", description="Policy rule simulator for stacked family reunification.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run scenario files and write their results")
    run.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO.yaml")
    run.add_argument("--out", type=Path, default=Path("results"), help="results folder (default: results)")
    run.add_argument("--replications", type=int, help="override the scenarios' replications")
    run.add_argument("--seed", type=int, help="override the scenarios' seed")
    run.add_argument("--scale", type=float, help="override the scenarios' scale (share of real size)")
    run.add_argument("--workers", type=int, default=1, help="local worker processes (default: 1)")
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask cluster")
    run.add_argument("--dask-local", type=int, metavar="N", help="run on a local Dask cluster of N workers")
    run.add_argument("--as-of", type=_date, action="append", dest="as_of", metavar="DATE",
                     help="date of the cohort view; repeatable (default: 2023-12-31 and the horizon)")
    run.add_argument("--force", action="store_true", help="replace earlier results of a different run")
    run.add_argument("--resume", action="store_true",
                     help="skip scenarios whose results in --out are complete and of the same run")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    run.add_argument("--parameter-uncertainty", action="store_true",
                     help="draw one calibration ensemble member per replication")
    run.add_argument("--compare-to", metavar="NAME",
                     help="after running, compare every scenario with the results of scenario NAME in --out")

    cmp_ = sub.add_parser("compare", help="paired differences of scenario runs against a baseline run")
    cmp_.add_argument("baseline", type=Path, metavar="BASELINE_DIR")
    cmp_.add_argument("others", nargs="+", type=Path, metavar="SCENARIO_DIR")
    cmp_.add_argument("--out", type=Path, help="folder for comparison.csv (default: the baseline's parent)")

    val = sub.add_parser("validate", help="check scenario files without running them")
    val.add_argument("files", nargs="+", type=Path, metavar="FILE")

    rep = sub.add_parser("reproduce", help="re-run a results folder from its manifest and compare the outputs")
    rep.add_argument("folder", type=Path, metavar="DIR")
    rep.add_argument("--workers", type=int, default=1)

    add_calibration_parsers(sub)

    schema = sub.add_parser("schema", help="write the JSON Schema of scenario files")
    schema.add_argument("--out", type=Path, default=SCHEMA_PATH, help=f"default: {SCHEMA_PATH}")
    schema.add_argument("--check", action="store_true", help="only check that the file is current")
    return p


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """Run settings given on the command line (replications, seed, scale), to apply over a scenario's own."""
    return {k: v for k, v in (("replications", args.replications), ("seed", args.seed), ("scale", args.scale))
            if v is not None}


def _require_ensemble() -> None:
    """Refuse ``--parameter-uncertainty`` when there is no calibration ensemble to draw from."""
    if not ensemble_size():
        what = "no calibration file" if load_calibration() is None else "the calibration file has no ensemble"
        raise InputError("command line", None, "--parameter-uncertainty",
                         f"no calibration ensemble ({what}): run `sim calibrate` with --ensemble-size above 0 first")


def _members_note(scenarios: Sequence[Scenario]) -> None:
    """Say on standard error when a run with parameter uncertainty has fewer replications than members."""
    size = ensemble_size()
    for scenario in scenarios:
        if scenario.run.parameter_uncertainty and scenario.run.replications < size:
            Console(stderr=True).print(
                f"note: {scenario.name} runs {scenario.run.replications} replications, so only ensemble members "
                f"0-{scenario.run.replications - 1} of {size} are used; --replications {size} uses every member")


def _load_all(paths: Sequence[Path], overrides: dict[str, object]) -> list[Scenario]:
    scenarios = []
    seen: dict[str, Path] = {}
    for path in paths:
        scenario = Scenario.from_yaml(path)
        if overrides:
            try:
                scenario = scenario.with_run(**overrides)
            except Exception as exc:  # pydantic ValidationError: report as an invalid option
                raise InputError("command line", None, ", ".join(f"--{k}" for k in overrides),
                                 str(exc).splitlines()[-1].strip()) from None
        if scenario.name in seen:
            raise InputError(str(path), None, "name", f"scenario name '{scenario.name}' is also used by "
                                                      f"{seen[scenario.name]}; results would collide")
        seen[scenario.name] = path
        scenarios.append(scenario)
    return scenarios


def _check_as_of(scenario: Scenario, as_of: list[dt.date] | None) -> tuple[dt.date, ...]:
    if not as_of:
        return default_as_of(scenario)
    for d in as_of:
        if not scenario.run.start <= d <= scenario.run.horizon:
            raise InputError("command line", None, "--as-of",
                             f"{d} is outside the run of '{scenario.name}' ({scenario.run.start} to "
                             f"{scenario.run.horizon})")
    return tuple(sorted(set(as_of)))


def _summary(console: Console, result: RunResult, band: str) -> None:
    years = np.asarray(result.years)
    table = Table(title=f"{result.scenario.name}: totals, mean [90% interval], {result.scenario.run.replications}"
                        f" replications, scale {result.scenario.run.scale}; bands: {band}", title_justify="left")
    table.add_column("flow")
    periods = [(2019, 2023), (2027, 2035)]
    for lo, hi in periods:
        for measure in ("applications", "arrivals"):
            table.add_column(f"{measure} {lo}-{hi}", justify="right")
    for f, flow in enumerate(FLOWS):
        cells = []
        for lo, hi in periods:
            mask = (years >= lo) & (years <= hi)
            for measure in ("applications", "arrivals"):
                if not mask.any() or (measure == "arrivals" and flow.startswith("asylum")):
                    cells.append("")
                    continue
                totals = result.yearly[:, mask, f, MEASURES.index(measure)].sum(axis=1)
                p05, p95 = np.percentile(totals, [5, 95])
                cells.append(f"{totals.mean():,.0f} [{p05:,.0f}-{p95:,.0f}]")
        table.add_row(flow, *cells)
    console.print(table)


def _cmd_run(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if args.parameter_uncertainty:
        _require_ensemble()
        overrides["parameter_uncertainty"] = True
    if args.workers < 1:
        raise InputError("command line", None, "--workers", "must be at least 1")
    if args.dask_local is not None and args.dask_local < 1:
        raise InputError("command line", None, "--dask-local", "must be at least 1")
    if args.scheduler and not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise InputError("command line", None, "--scheduler", f"'{args.scheduler}' is not a scheduler address "
                                                             f"such as tcp://HOST:PORT")
    scenarios = _load_all(args.scenarios, overrides)
    _members_note(scenarios)
    for note in recover_interrupted(args.out):
        Console(stderr=True).print(note)
    plans, skipped = [], []
    for scenario in scenarios:
        as_of = _check_as_of(scenario, args.as_of)
        identity = identity_of(scenario, as_of)
        folder = args.out / scenario.name
        if args.resume and is_complete(folder, identity):
            Console(stderr=True).print(f"{scenario.name}: complete results of the same run in {folder}, skipped")
            skipped.append(folder)
            continue
        check_destination(folder, identity, args.force)
        plans.append((scenario, as_of, identity, folder))

    if args.compare_to and args.compare_to not in {p[0].name for p in plans} | {f.name for f in skipped}:
        if not (args.out / args.compare_to / "manifest.json").is_file():
            raise InputError("command line", None, "--compare-to",
                             f"no scenario '{args.compare_to}' among those run and no results of it in {args.out}")
    if args.compare_to:
        _check_pairable(args, plans, skipped)
    plans.sort(key=lambda p: p[0].name != args.compare_to)  # the baseline first
    console = Console(stderr=True)
    show_bar = console.is_terminal and not args.quiet
    executor = make_executor(args.workers, args.scheduler, args.dask_local) if plans else None
    try:
        _run_plans(args, plans, executor, console, show_bar)
    finally:
        if executor is not None:
            executor.close()
    if args.compare_to:
        folders = [folder for *_, folder in plans] + skipped
        _compare(args.out / args.compare_to, folders, args.out, args.quiet)
    return EXIT_OK


def _check_pairable(args: argparse.Namespace, plans: list, skipped: list[Path]) -> None:
    """Before running: every scenario must share seed, replications, scale, years and kind of band with the
    baseline (a band with calibration uncertainty runs other parameter values in every replication)."""
    settings = {p[0].name: paired_settings(p[2]) for p in plans}
    for folder in [*skipped, args.out / args.compare_to]:
        if folder.name not in settings and (folder / "manifest.json").is_file():
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
            settings[folder.name] = paired_settings(manifest["identity"])
    base = settings[args.compare_to]
    for name, values in settings.items():
        differ = [f"{k} {v} (baseline: {base[k]})" for k, v in values.items() if v != base[k]]
        if differ:
            what = "different years: " if any(values[k] != base[k] for k in ("start", "horizon")) else ""
            raise InputError("command line", None, "--compare-to",
                             f"'{name}' cannot be paired with '{args.compare_to}': {what}{', '.join(differ)}; "
                             f"run them with the same settings")


def _run_plans(args: argparse.Namespace, plans: list, executor: Executor | None, console: Console,
               show_bar: bool) -> None:
    for scenario, as_of, identity, folder in plans:
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        t0 = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=not show_bar, transient=False) as bar:
            task = bar.add_task(f"{scenario.name}", total=scenario.run.replications)

            def advance(done: int, total: int, bar: Progress = bar, task: TaskID = task) -> None:
                bar.update(task, completed=done)

            result = run_scenario(scenario, as_of, executor=executor, progress=advance)
        files = render_files(result, identity, run_info(result, started, executor))
        write_results(folder, files)
        if not show_bar and not args.quiet:
            console.print(f"{scenario.name}: {scenario.run.replications} replications in "
                          f"{time.perf_counter() - t0:.1f} s")
        if not args.quiet:
            _summary(Console() if Console().is_terminal else Console(width=170), result, identity["band"])
            console.print(f"results written to {folder}")


def _compare(base_dir: Path, other_dirs: Sequence[Path], out: Path, quiet: bool) -> None:
    base = read_run(base_dir)
    others = [read_run(d) for d in other_dirs if d.resolve() != base_dir.resolve()]
    data = comparison_csv(base, others)
    write_file_atomic(out / "comparison.csv", data)
    if quiet:
        return
    console = Console() if Console().is_terminal else Console(width=170)
    for other in others:
        table = Table(title=f"{other.name} vs {base.name}: applications 2027-2035, mean, paired difference "
                            f"[90% interval]", title_justify="left")
        for col in ("flow", base.name, other.name, "difference"):
            table.add_column(col, justify="left" if col == "flow" else "right")
        for flow, b, o, d, lo, hi in headline_totals(base, other):
            table.add_row(flow, f"{b:,.0f}", f"{o:,.0f}", f"{d:+,.0f} [{lo:+,.0f} to {hi:+,.0f}]")
        console.print(table)
    Console(stderr=True).print(f"comparison written to {out / 'comparison.csv'}")


def _cmd_compare(args: argparse.Namespace) -> int:
    _compare(args.baseline, args.others, args.out or args.baseline.parent, quiet=False)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    scenarios = _load_all(args.files, {})
    for path, scenario in zip(args.files, scenarios, strict=True):
        print(f"{path}: valid (scenario '{scenario.name}')")
    return EXIT_OK


def _cmd_reproduce(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(str(folder), None, None, "no manifest.json: not a results folder of `sim run`")
    try:
        identity = json.loads(manifest_path.read_text("utf-8"))["identity"]
        scenario = Scenario.model_validate(identity["scenario"])
        as_of = tuple(dt.date.fromisoformat(d) for d in identity["as_of"])
    except (KeyError, ValueError, json.JSONDecodeError) as exc:
        raise InputError(str(manifest_path), None, "identity", f"unreadable identity block: {exc}") from None
    now = identity_of(scenario, as_of)
    notes = [f"{key} differs: recorded {identity.get(key)!r}, now {now[key]!r}"
             for key in ("package_version", "input_hashes", "libraries") if identity.get(key) != now[key]]
    result = run_scenario(scenario, as_of, workers=args.workers)
    files = render_files(result, now, {})
    differing = [name for name, data in files.items()
                 if name != "manifest.json" and (folder / name).read_bytes() != data]
    for note in notes:
        print(f"note: {note}")
    if now != identity:
        differing.append("manifest.json (identity block)")
    if differing:
        print(f"NOT reproduced: {', '.join(differing)} differ from {folder}")
        return EXIT_FAILURE
    print(f"reproduced: every output of {folder} is byte-identical")
    return EXIT_OK


def _cmd_fit_report(args: argparse.Namespace) -> int:
    from sim.calibration.io import run_fit_report

    overrides = _overrides(args)
    if args.parameter_uncertainty:
        _require_ensemble()
        overrides["parameter_uncertainty"] = True
    scenario = _load_all([args.scenario], overrides)[0]
    _members_note([scenario])
    run_fit_report(scenario, args)
    return EXIT_OK


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from sim.calibration.io import run_calibration

    run_calibration(args)
    return EXIT_OK


def _cmd_backtest(args: argparse.Namespace) -> int:
    from sim.calibration.backtest import run_backtest

    run_backtest(args)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(scenario_json_schema(), indent=2, sort_keys=True) + "\n"
    if args.check:
        current = args.out.read_text("utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is out of date; run `sim schema` to regenerate it", file=sys.stderr)
            return EXIT_FAILURE
        print(f"{args.out} is current")
        return EXIT_OK
    args.out.write_text(text, "utf-8")
    print(f"wrote {args.out}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` command; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    commands = {"run": _cmd_run, "validate": _cmd_validate, "schema": _cmd_schema, "compare": _cmd_compare,
                "reproduce": _cmd_reproduce, "fit-report": _cmd_fit_report,
                "calibrate": _cmd_calibrate, "backtest": _cmd_backtest}
    try:
        return commands[args.command](args)
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted; results of unfinished scenarios were not written", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the command's last line of defence
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
