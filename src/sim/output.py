"""Writing a run's results: summaries, CSV files and the manifest, atomically.

A run folder holds ``manifest.json``, ``yearly.csv``, ``cohorts.csv``, ``breakdown.csv`` and
``replications.csv`` (see docs/results.md). Everything is written into a hidden temporary folder beside the
destination and moved into place at the end, so a failed or interrupted run leaves either the previous complete
results or none. Numbers are formatted the same way on every machine: the same seed gives the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from sim.codes import COHORT_OUTCOMES, FLOWS, MEASURES, RELATIONS, STATUSES
from sim.parameters import ensemble_size, input_file_hashes
from sim.runner import RunResult
from sim.yamlio import InputError

__all__ = [
    "BAND_RANDOM", "BAND_WITH_CALIBRATION", "ASYLUM_FLOWS", "identity_of", "run_info", "render_files",
    "write_results", "write_file_atomic", "check_destination", "is_complete", "recover_interrupted", "quantiles",
    "package_version", "number_text", "measure_applies",
]

#: What the intervals of a run hold.
BAND_RANDOM = "random variation only"
BAND_WITH_CALIBRATION = "random variation and calibration uncertainty"
ASYLUM_FLOWS = ("asylum_first", "asylum_family")
_Q = (5, 50, 95)


def package_version() -> str:
    """The installed version of this package."""
    try:
        return metadata.version("sim")
    except metadata.PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


def quantiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and 5th, 50th and 95th percentiles over the first axis (the replications)."""
    p05, p50, p95 = np.percentile(values, _Q, axis=0)
    return values.mean(axis=0), p05, p50, p95


def measure_applies(flow: str, measure: str) -> bool:
    """Whether a measure exists for a flow: an asylum claimant is already in the Netherlands (no arrival), and
    only permits granted on family applications can be withdrawn."""
    return not (flow in ASYLUM_FLOWS and measure in ("arrivals", "withdrawals"))


def number_text(x: float) -> str:
    """A number as written in the CSV files: two decimals, no negative zero."""
    text = f"{float(x):.2f}"
    return "0.00" if text == "-0.00" else text


def identity_of(result_or_scenario: Any, as_of: tuple[Any, ...]) -> dict[str, Any]:
    """The manifest's identity block: everything that determines the outputs, and nothing else."""
    scenario = getattr(result_or_scenario, "scenario", result_or_scenario)
    return {
        "scenario": scenario.to_dict(),
        "scenario_digest": scenario.digest(),
        "package_version": package_version(),
        "seed": scenario.run.seed,
        "replications": scenario.run.replications,
        "scale": scenario.run.scale,
        "as_of": [d.isoformat() for d in as_of],
        "input_hashes": input_file_hashes(),
        "libraries": {"numpy": np.__version__, "simpy": simpy.__version__,
                      "python": ".".join(map(str, sys.version_info[:2]))},
        "band": BAND_WITH_CALIBRATION if scenario.run.parameter_uncertainty and ensemble_size() else BAND_RANDOM,
    }


def run_info(result: RunResult, started_at: str, executor: Any) -> dict[str, Any]:
    """The manifest's run block: informational, ignored when runs are compared."""
    return {
        "wall_seconds": round(result.wall_seconds, 3),
        "events_scheduled": result.events,
        "applications_processed": result.applications,
        "started_at": started_at,
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "executor": getattr(executor, "name", "serial"),
        "workers": getattr(executor, "workers", 1),
    }


def _csv(rows: list[list[str]], header: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _yearly_rows(name: str, result: RunResult) -> list[list[str]]:
    mean, p05, p50, p95 = quantiles(result.yearly)
    rows = []
    for y, year in enumerate(result.years):
        for f, flow in enumerate(FLOWS):
            for m, measure in enumerate(MEASURES):
                if not measure_applies(flow, measure):
                    continue
                rows.append([name, str(year), flow, measure, number_text(mean[y, f, m]), number_text(p05[y, f, m]),
                             number_text(p50[y, f, m]), number_text(p95[y, f, m])])
    return rows


def _cohort_rows(name: str, result: RunResult) -> list[list[str]]:
    mean, p05, p50, p95 = quantiles(result.cohorts)
    rows = []
    for a, as_of in enumerate(result.as_of):
        for y, year in enumerate(result.years):
            if year > as_of.year:
                continue
            for f, flow in enumerate(FLOWS):
                for o, outcome in enumerate(COHORT_OUTCOMES):
                    i = (a, y, f, o)
                    rows.append([name, str(year), flow, outcome, as_of.isoformat(), number_text(mean[i]),
                                 number_text(p05[i]), number_text(p50[i]), number_text(p95[i])])
    return rows


def _breakdown_rows(name: str, result: RunResult) -> list[list[str]]:
    mean, p05, p50, p95 = quantiles(result.breakdown)
    rows = []
    for y, year in enumerate(result.years):
        for f, flow in enumerate(FLOWS):
            if flow == "asylum_first":
                continue  # a newcomer has no relation to a sponsor
            for m, measure in enumerate(MEASURES):
                if not measure_applies(flow, measure):
                    continue
                for r, relation in enumerate(RELATIONS):
                    for s, status in enumerate(STATUSES):
                        i = (y, f, m, r, s)
                        rows.append([name, str(year), flow, measure, relation, status, number_text(mean[i]),
                                     number_text(p05[i]), number_text(p50[i]), number_text(p95[i])])
    return rows


def _replication_rows(name: str, result: RunResult) -> list[list[str]]:
    rows = []
    seed = str(result.scenario.run.seed)
    for r, out in enumerate(result.outputs):
        for y, year in enumerate(result.years):
            for f, flow in enumerate(FLOWS):
                for m, measure in enumerate(MEASURES):
                    if not measure_applies(flow, measure):
                        continue
                    rows.append([name, str(out.replication), seed, str(year), flow, measure,
                                 number_text(result.yearly[r, y, f, m])])
    return rows


def render_files(result: RunResult, identity: dict[str, Any], run: dict[str, Any]) -> dict[str, bytes]:
    """All files of a run folder, by name, as bytes."""
    name = result.scenario.name
    manifest = {"identity": identity, "run": run}
    return {
        "yearly.csv": _csv(_yearly_rows(name, result),
                           ["scenario", "year", "flow", "measure", "mean", "p05", "p50", "p95"]),
        "cohorts.csv": _csv(_cohort_rows(name, result),
                            ["scenario", "application_year", "flow", "outcome", "as_of", "mean", "p05", "p50",
                             "p95"]),
        "breakdown.csv": _csv(_breakdown_rows(name, result),
                              ["scenario", "year", "flow", "measure", "relation", "status", "mean", "p05", "p50",
                               "p95"]),
        "replications.csv": _csv(_replication_rows(name, result),
                                 ["scenario", "replication", "seed", "year", "flow", "measure", "value"]),
        "manifest.json": (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    }


def check_destination(folder: Path, identity: dict[str, Any], force: bool) -> None:
    """Refuse to replace an earlier result with a different identity unless ``force``.

    Raises:
        InputError: if ``folder`` holds other results, or is not a results folder.
    """
    if not folder.exists():
        return
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise InputError(str(folder), None, None, "exists and is not a results folder (no manifest.json); "
                                                  "choose another --out")
    if force:
        return
    try:
        earlier = json.loads(manifest.read_text("utf-8")).get("identity")
    except (json.JSONDecodeError, OSError):
        earlier = None
    if earlier != identity:
        raise InputError(str(folder), None, None, "holds results of a different run (scenario, seed, "
                                                  "replications, scale or inputs differ); use --force to replace "
                                                  "them or --out to write elsewhere")


def is_complete(folder: Path, identity: dict[str, Any]) -> bool:
    """Whether ``folder`` holds the complete results of a run with this identity."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    names = ("yearly.csv", "cohorts.csv", "breakdown.csv", "replications.csv")
    return manifest.get("identity") == identity and all((folder / n).is_file() for n in names)


#: ``.NAME.tmp-PID`` and ``.NAME.old-PID``, where NAME is a scenario name: the folders :func:`write_results` makes.
_LEFTOVER = re.compile(r"^\.([a-z0-9][a-z0-9_\-]{0,63})\.(tmp|old)-(\d+)$")


def recover_interrupted(out: Path) -> list[str]:
    """Tidy a results folder after an interrupted run; returns what was done, in words.

    A run killed between moving the previous results aside and moving the new ones in leaves
    ``.NAME.old-PID`` without ``NAME``: the previous results are moved back. Temporary folders of runs whose
    process no longer exists are removed.
    """
    done: list[str] = []
    if not out.is_dir():
        return done
    for entry in sorted(out.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if match is None or not entry.is_dir():
            continue  # not a folder this program makes
        base, marker, pid = match.group(1), match.group(2), int(match.group(3))
        if _alive(pid):
            continue
        final = out / base
        if marker == "old" and not final.exists():
            os.replace(entry, final)
            done.append(f"restored the previous results of '{base}' after an interrupted run")
        else:
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed the leftovers of an interrupted run of '{base}'")
    return done


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) while results are written and moved into place, then raise it.

    The write phase is short; letting an interrupt land inside it could leave a temporary folder behind (the
    next run tidies it, but there is no need). Only the main thread can set signal handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def write_results(folder: Path, files: dict[str, bytes],
                  before_move: Callable[[Path], None] | None = None) -> Path:
    """Write ``files`` into ``folder`` atomically: into a temporary sibling first, then moved into place.

    An existing folder is replaced only once the new one is complete. Ctrl-C during the write is acted on once
    the folder is complete and in place (or, on an error, once the temporary folder is removed).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    with _deferred_interrupt():
        if tmp.exists():
            shutil.rmtree(tmp)
        try:
            tmp.mkdir()
            for name, data in files.items():
                with open(tmp / name, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            if before_move:
                before_move(tmp)
            old = None
            if folder.exists():
                old = folder.parent / f".{folder.name}.old-{os.getpid()}"
                os.replace(folder, old)
            os.replace(tmp, folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return folder


def write_file_atomic(path: Path, data: bytes) -> Path:
    """Write one file atomically: a temporary sibling, flushed, then renamed over the destination."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
