"""Downloads: the comparison and run folders as CSV (byte for byte what ``sim run`` writes), an Excel workbook,
and a ZIP of everything with the scenario file and the command line that reproduce it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from sim.app.runs import Comparison
from sim.app.scenario_files import baseline_window_yaml, command_line, file_name_for, scenario_yaml
from sim.codes import FLOWS, MEASURES
from sim.compare import RunTable, comparison_csv
from sim.output import identity_of, measure_applies, render_files, run_info

__all__ = ["run_table", "comparison_bytes", "run_files", "yearly_bytes", "results_zip", "excel_bytes",
           "yaml_note", "COMPARISON_HEADER", "YEARLY_HEADER"]

COMPARISON_HEADER = "scenario,baseline,year,flow,measure,diff_mean,diff_p05,diff_p95,rel_diff_mean"
YEARLY_HEADER = "scenario,year,flow,measure,mean,p05,p50,p95"


def run_table(result) -> RunTable:  # noqa: ANN001 - a RunResult
    """The in-memory equivalent of reading a run folder (:func:`sim.compare.read_run`)."""
    values = result.yearly.astype(float).copy()
    for f, flow in enumerate(FLOWS):
        for m, measure in enumerate(MEASURES):
            if not measure_applies(flow, measure):
                values[:, :, f, m] = np.nan
    return RunTable(result.scenario.name, Path(result.scenario.name), identity_of(result, result.as_of),
                    tuple(result.years), values)


def comparison_bytes(cmp: Comparison) -> bytes:
    """``comparison.csv``: paired differences scenario - baseline per year, flow and measure."""
    return comparison_csv(run_table(cmp.baseline), [run_table(cmp.scenario)])


def run_files(cmp: Comparison, which: str) -> dict[str, bytes]:
    """The files of one run folder (``which``: ``baseline`` or ``scenario``), as ``sim run`` writes them."""
    result = cmp.baseline if which == "baseline" else cmp.scenario
    info = run_info(result, cmp.started_at, None) | {"executor": "process pool (app)", "workers": 2}
    return render_files(result, identity_of(result, result.as_of), info)


def yearly_bytes(cmp: Comparison) -> bytes:
    """``yearly.csv`` of both runs in one file (baseline rows first, one header)."""
    base = run_files(cmp, "baseline")["yearly.csv"]
    scen = run_files(cmp, "scenario")["yearly.csv"]
    return base + scen.split(b"\n", 1)[1]


def yaml_note(cmp: Comparison) -> str:
    """The comment at the top of the scenario file: how it was run and the command that reproduces it."""
    approx = " (approximate: scale below 0.5)" if cmp.approximate else ""
    return (f"Run in the app on {cmp.started_at} in {cmp.mode.key} mode{approx}.\n"
            f"Reproduce with: {command_line(cmp.scenario.scenario)}")


def results_zip(cmp: Comparison) -> bytes:
    """A ZIP holding both run folders, ``comparison.csv``, the scenario file and the command line."""
    scen = cmp.scenario.scenario
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for which, folder in (("baseline", "baseline"), ("scenario", scen.name)):
            for name, data in run_files(cmp, which).items():
                z.writestr(f"results/{folder}/{name}", data)
        z.writestr("results/comparison.csv", comparison_bytes(cmp))
        z.writestr(file_name_for(scen), scenario_yaml(scen, yaml_note(cmp)))
        window = baseline_window_yaml(scen)
        if window:
            z.writestr("baseline_window.yaml", window)
        z.writestr("command.txt", command_line(scen) + "\n")
    return buf.getvalue()


def _csv_frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype={"scenario": str})


def excel_bytes(cmp: Comparison, headline: pd.DataFrame, calibration: pd.DataFrame, about: dict[str, str]) -> bytes:
    """An Excel workbook: about, headline, comparison, yearly (both runs), cohorts (both runs), calibration and
    the scenario file. ``headline`` and ``calibration`` are the tables as shown on the page."""
    base, scen = run_files(cmp, "baseline"), run_files(cmp, "scenario")
    sheets = {
        "about": pd.DataFrame(list(about.items()), columns=["item", "value"]),
        "headline": headline,
        "comparison": _csv_frame(comparison_bytes(cmp)),
        "yearly": pd.concat([_csv_frame(base["yearly.csv"]), _csv_frame(scen["yearly.csv"])], ignore_index=True),
        "cohorts": pd.concat([_csv_frame(base["cohorts.csv"]), _csv_frame(scen["cohorts.csv"])], ignore_index=True),
        "calibration": calibration,
        "scenario": pd.DataFrame({"scenario file": scenario_yaml(cmp.scenario.scenario, yaml_note(cmp)).splitlines()}),
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for col in sheet.columns:
                width = max((len(str(c.value)) for c in col[:200] if c.value is not None), default=8)
                sheet.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 80)
            sheet.freeze_panes = "A2"
    return buf.getvalue()
