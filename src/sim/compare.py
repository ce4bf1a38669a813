"""Paired scenario-versus-baseline differences with intervals.

Replication ``r`` of every scenario of a comparison uses the same random streams (same seed, same replication
index: common random numbers), so the difference scenario - baseline is taken replication by replication and
its interval holds only what the rules change, not the noise both runs share. Runs are paired only if their
seed, replications and scale agree; otherwise the comparison stops with an error.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.codes import FLOWS, MEASURES
from sim.output import BAND_RANDOM
from sim.output import number_text as _num
from sim.yamlio import InputError

__all__ = ["RunTable", "read_run", "paired_differences", "comparison_csv", "HEADLINE_FLOWS", "headline_totals"]

COLUMNS = ["scenario", "baseline", "year", "flow", "measure", "diff_mean", "diff_p05", "diff_p95", "rel_diff_mean"]
HEADLINE_FLOWS = ("nareis", "art8", "nareis_on_nareis", "art8_after_nareis", "nareis_after_art8", "art8_after_art8",
                  "amv_sibling_nareis", "amv_sibling_art8")


@dataclass(frozen=True)
class RunTable:
    """Per-replication yearly values of one run folder.

    Attributes:
        name: scenario name.
        folder: the run folder.
        identity: the manifest's identity block.
        years: calendar years.
        values: shape (replications, years, flows, measures); NaN where a row does not exist.
    """

    name: str
    folder: Path
    identity: dict
    years: tuple[int, ...]
    values: np.ndarray


def read_run(folder: Path) -> RunTable:
    """Read a run folder written by ``sim run``.

    Raises:
        InputError: if the folder is not a complete run folder.
    """
    manifest, table = folder / "manifest.json", folder / "replications.csv"
    if not manifest.is_file() or not table.is_file():
        raise InputError(str(folder), None, None, "is not a results folder of `sim run` (manifest.json and "
                                                  "replications.csv expected)")
    identity = json.loads(manifest.read_text("utf-8"))["identity"]
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    years = tuple(sorted({int(r["year"]) for r in rows}))
    reps = sorted({int(r["replication"]) for r in rows})
    values = np.full((len(reps), len(years), len(FLOWS), len(MEASURES)), np.nan)
    y0, f_index, m_index = years[0], {f: i for i, f in enumerate(FLOWS)}, {m: i for i, m in enumerate(MEASURES)}
    for r in rows:
        values[int(r["replication"]), int(r["year"]) - y0, f_index[r["flow"]], m_index[r["measure"]]] = float(
            r["value"])
    return RunTable(identity["scenario"]["name"], folder, identity, years, values)


def paired_settings(identity: dict) -> dict[str, object]:
    """What two runs must share to be paired, from a manifest's identity block: seed, replications, scale, years
    and the kind of band (with calibration uncertainty every replication runs other parameter values; manifests
    written before the band was recorded hold random variation only)."""
    run = identity["scenario"]["run"]
    return {"seed": identity["seed"], "replications": identity["replications"], "scale": identity["scale"],
            "start": run["start"], "horizon": run["horizon"], "band": identity.get("band", BAND_RANDOM)}


def _check_paired(base: RunTable, other: RunTable) -> None:
    mine, theirs = paired_settings(other.identity), paired_settings(base.identity)
    for key in ("seed", "replications", "scale"):
        if mine[key] != theirs[key]:
            raise InputError(str(other.folder), None, key,
                             f"cannot pair with the baseline: {key} is {mine[key]} here and "
                             f"{theirs[key]} in {base.folder}; run both with the same seed, replications "
                             f"and scale")
    if base.years != other.years:
        raise InputError(str(other.folder), None, "run", "cannot pair with the baseline: different years")
    if mine["band"] != theirs["band"]:
        raise InputError(str(other.folder), None, "band",
                         f"cannot pair with the baseline: its bands hold {mine['band']} here and {theirs['band']} "
                         f"in {base.folder}; run both with or both without --parameter-uncertainty")


def paired_differences(base: RunTable, other: RunTable) -> np.ndarray:
    """Per-replication differences other - baseline, shape (replications, years, flows, measures)."""
    _check_paired(base, other)
    return other.values - base.values


def comparison_csv(base: RunTable, others: list[RunTable]) -> bytes:
    """The ``comparison.csv`` file for scenarios against a baseline."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    base_mean = base.values.mean(axis=0)
    for other in others:
        diff = paired_differences(base, other)
        mean = diff.mean(axis=0)
        p05, p95 = np.percentile(diff, [5, 95], axis=0)
        for y, year in enumerate(base.years):
            for f, flow in enumerate(FLOWS):
                for m, measure in enumerate(MEASURES):
                    if np.isnan(mean[y, f, m]):
                        continue
                    b = base_mean[y, f, m]
                    rel = "" if b == 0 else f"{mean[y, f, m] / b:.4f}"
                    w.writerow([other.name, base.name, year, flow, measure, _num(mean[y, f, m]),
                                _num(p05[y, f, m]), _num(p95[y, f, m]), rel])
    return buf.getvalue().encode("utf-8")


def headline_totals(base: RunTable, other: RunTable, first: int = 2027, last: int = 2035,
                    measure: str = "applications") -> list[tuple[str, float, float, float, float, float]]:
    """Totals over ``first..last`` per headline flow: (flow, baseline mean, scenario mean, diff mean, diff p05,
    diff p95), with the difference paired by replication."""
    years = np.asarray(base.years)
    mask = (years >= first) & (years <= last)
    m = MEASURES.index(measure)
    diff = paired_differences(base, other)
    out = []
    for flow in HEADLINE_FLOWS:
        f = FLOWS.index(flow)
        b = base.values[:, mask, f, m].sum(axis=1)
        d = diff[:, mask, f, m].sum(axis=1)
        p05, p95 = np.percentile(d, [5, 95])
        out.append((flow, float(b.mean()), float(b.mean() + d.mean()), float(d.mean()), float(p05), float(p95)))
    return out
