"""The page's evidence: the calibration view (the IND tables beside the model), the assumptions (rules,
parameters and input series with their provenance), and the downloads that reproduce a run.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from sim.app import charts, exports, figures
from sim.app.i18n import tr
from sim.app.page_inputs import Settings
from sim.app.page_results import HEADLINE_KEYS, band_label, headline_table, table
from sim.app.publish import count_text, interval_text, number
from sim.app.runs import Comparison
from sim.app.scenario_files import baseline_window_yaml, command_line, file_name_for, scenario_yaml
from sim.app.terms import LEVER_NAMES, MEASURE_NAMES, PROVENANCE_NAMES, glossary, name, series_name
from sim.calibration import report as ind_fit
from sim.calibration.targets import load_targets
from sim.parameters import load_calibration, load_inputs, load_model_parameters, resolve_parameters
from sim.rules import RULES

__all__ = ["calibration_frame", "bands_frame", "fit_quality_text", "calibration_tab", "assumptions_tab",
           "downloads_tab"]


def calibration_frame(cmp: Comparison, table_id: str, lang: str, rounded: bool) -> pd.DataFrame:
    """One IND table as published beside the model's baseline on 2023-12-31."""
    targets = load_targets()
    cells = [c for c in targets.cells if c.table == table_id]
    rows = []
    for cell, s in figures.calibration_rows(cmp.baseline, tuple(cells)):
        inside = cell.low - 0.5 <= s.mean <= cell.high + 0.5
        rows.append({
            tr("col_flow", lang): " + ".join(series_name(f, lang) for f in cell.flows),
            tr("col_measure", lang): name(MEASURE_NAMES, cell.measure, lang),
            tr("col_years", lang): (cell.years_text if cell.kind in ("cell", "pending")
                                    else f"{cell.years_text} ({tr('kind_' + cell.kind, lang)})"),
            tr("col_published", lang): cell.published,
            tr("col_means", lang): f"{cell.low}-{cell.high}",
            tr("col_model", lang): count_text(s.mean, lang, rounded),
            tr("col_model_interval", lang): interval_text(s.p05, s.p95, lang, rounded),
            tr("col_within", lang): "✓" if inside else "✗",
        })
    return pd.DataFrame(rows)


def fit_quality_text(q: figures.FitQuality, lang: str, members: bool = False) -> str:
    """How far to trust the calibration: unidentified values, held-out seeds and the ensemble, in words
    (``members``: whether the page's run drew its replications from the ensemble)."""
    def num(x: float) -> str:
        return number(x, lang, decimals=1)

    own = num(q.own_best) if q.own_best is not None else "?"
    sides = dict(q.one_sided)
    names = ", ".join(f"`{n}`" + (f" ({tr('flat_' + sides[n], lang)})" if n in sides else "") for n in q.flat)
    parts = [tr("fit_flat", lang).format(flat=len(q.flat), fitted=q.fitted, names=names) if q.flat
             else tr("fit_flat_none", lang).format(fitted=q.fitted)]
    if q.held_out is not None:
        own_text = own if q.own_start is None else tr("fit_own_with_priors", lang).format(
            best=own, priors=num(q.own_start))
        key = "fit_held_out" if q.start_file is None else "fit_held_out_from_file"
        parts.append(tr(key, lang).format(seeds=q.held_out_seeds, best=num(q.held_out[1]),
                                          priors=num(q.held_out[0]), own=own_text))
    else:
        parts.append(tr("fit_held_out_missing", lang).format(own=own))
    if q.kept_start is not None and len(q.selection) == q.starts:
        others = ", ".join(num(v) for k, v in enumerate(q.selection, start=1) if k != q.kept_start)
        parts.append(tr("fit_starts", lang).format(starts=q.starts, kept=q.kept_start, seeds=q.selection_seeds,
                                                   kept_mean=num(q.selection[q.kept_start - 1]), others=others))
    elif q.start_file is not None:
        parts.append(tr("fit_one_start_file", lang).format(file=q.start_file))
    else:
        parts.append(tr("fit_one_start", lang))
    if q.ess is not None and q.ensemble_size:
        # A quarter of the members is a rule of thumb for a usable importance sample, not a test.
        verdict = tr("ensemble_poor" if q.ess < q.ensemble_size / 4 else "ensemble_fair", lang)
        parts.append(tr("fit_ensemble", lang).format(size=q.ensemble_size, ess=num(q.ess), verdict=verdict,
                                                     bands=tr("fit_bands_members" if members else "fit_bands_random",
                                                              lang)))
        if q.ensemble_objectives is not None:
            parts[-1] += " " + tr("fit_ensemble_objectives", lang).format(
                low=num(q.ensemble_objectives[0]), high=num(q.ensemble_objectives[1]), best=own)
    return "\n\n".join(parts)


def bands_frame(bands: list[ind_fit.Band], lang: str) -> pd.DataFrame:
    """The bands the calibration is held to, as judged on a run (see :meth:`sim.calibration.report.FitReport.bands`)."""
    def pct(x: float) -> str:
        return f"{number(100 * x, lang, decimals=0)}%"

    rules = {"cells": {"low": pct(ind_fit.COVERAGE_BAND[0]), "high": pct(ind_fit.COVERAGE_BAND[1])},
             "totals": {"tol": pct(ind_fit.TOTAL_TOLERANCE)}, "pending": {"tol": pct(ind_fit.PENDING_TOLERANCE)},
             "arrivals": {"tol": pct(ind_fit.ARRIVALS_TOLERANCE)}}
    rule_key = {"totals": "near", "pending": "near"}  # the same rule, with its own tolerance

    def rule(key: str) -> str:
        return tr(f"rule_{rule_key.get(key, key)}", lang).format(**rules.get(key, {}))

    return pd.DataFrame([{tr("col_band", lang): tr(f"band_{b.key}", lang), tr("col_rule", lang): rule(b.key),
                          tr("col_met", lang): f"{b.met} {tr('of', lang)} {b.total}",
                          tr("col_passed", lang): "✓" if b.passed else "✗"} for b in bands])


def _coverage(cmp: Comparison) -> tuple[int, int]:
    rows = figures.calibration_rows(cmp.baseline, load_targets().cells)
    inside = sum(1 for cell, s in rows if cell.low - 0.5 <= s.mean <= cell.high + 0.5)
    return inside, len(rows)


def calibration_tab(cmp: Comparison, settings: Settings) -> None:
    """Each IND table beside the model's cohort view at 2023-12-31, and the CBS nareis arrivals."""
    lang, rounded = settings.lang, settings.rounded
    provenance = resolve_parameters(cmp.baseline.years, cmp.baseline.scenario.inflow.projection).provenance
    counts = {p: sum(1 for k, (v, _) in provenance.items() if "[" not in k and v == p)
              for p in ("source", "calibrated", "assumption")}
    series = sum(1 for k, (v, _) in provenance.items() if "[" in k and v == "calibrated")
    calibration = load_calibration()
    if calibration is None:
        st.warning(tr("not_calibrated", lang).format(**counts), icon="⚠️")
    else:
        m = calibration["manifest"]
        st.info(tr("calibrated_note", lang).format(**counts, series=series, date=m["date"], code=m["code_version"],
                                                   evaluations=m["evaluations"], seed=m["seed"]))
        st.markdown(fit_quality_text(figures.fit_quality(calibration), lang,
                                     members=cmp.baseline.scenario.run.parameter_uncertainty))
    if figures.cohort_index(cmp.baseline) is None:
        st.info(tr("no_reference_date", lang))
        return
    inside, total = _coverage(cmp)
    st.markdown(tr("calibration_intro", lang).format(inside=inside, total=total))
    bands = ind_fit.fit_report(cmp.baseline.scenario, result=cmp.baseline).bands()
    st.markdown(tr("bands_intro", lang).format(passed=sum(b.passed for b in bands), total=len(bands)))
    table(bands_frame(bands, lang), right_from=2)
    st.caption(f'{tr("bands_caption", lang)} {tr("bands_kind", lang).format(band=band_label(cmp, lang))}')
    if cmp.approximate:
        st.caption(tr("calibration_approximate", lang))
    targets = load_targets()
    for ind_table in targets.tables:
        st.subheader(" · ".join(series_name(f, lang) for f in ind_table.rows))
        st.caption(f"{tr('ind_title', lang)}: *{ind_table.title}*")
        table(calibration_frame(cmp, ind_table.id, lang, rounded), right_from=None)
        cells = [c for c in targets.cells if c.table == ind_table.id and c.kind == "cell" and len(c.flows) == 1]
        if len(ind_table.rows) == 1 and cells:
            chart_rows = [{"year": str(c.years[0]), "measure": name(MEASURE_NAMES, c.measure, lang), "low": c.low,
                           "high": c.high, "published": c.published, "mean": s.mean, "p05": s.p05, "p95": s.p95}
                          for c, s in figures.calibration_rows(cmp.baseline, tuple(cells))]
            st.altair_chart(charts.calibration_chart(pd.DataFrame(chart_rows),
                                                     {"x": tr("application_year", lang), "y": tr("persons", lang)}))
    st.subheader(tr("cbs_heading", lang))
    cbs = targets.secondary.get("cbs_nareis_arrivals")
    if cbs is not None and cbs.values:
        rows = [{tr("year", lang): str(y), tr("col_cbs", lang): number(v, lang),
                 tr("col_model", lang): count_text(s.mean, lang, rounded),
                 tr("col_model_interval", lang): interval_text(s.p05, s.p95, lang, rounded)}
                for y, v, s in figures.cbs_arrivals(cmp.baseline, cbs.values)]
        table(pd.DataFrame(rows))
        st.caption(f"{tr('source', lang)}: {cbs.source}")
    st.caption(tr("calibration_caption", lang))


def _rule_rows(periods: list, lang: str) -> str:
    out = []
    for p in periods:
        values = {k: v for k, v in p.model_dump(by_alias=True).items() if v is not None}
        out.append(", ".join(f"`{k}`: {v}" for k, v in values.items()))
    return "\n".join(f"- {line}" for line in out) if out else f"- *{tr('switched_off', lang)}*"


def assumptions_tab(cmp: Comparison, settings: Settings) -> None:
    """The scenario's rules, every parameter with value and provenance, and the input series."""
    lang = settings.lang
    scenario, baseline = cmp.scenario.scenario, cmp.baseline.scenario
    st.subheader(tr("scenario_heading", lang).format(name=scenario.name))
    st.markdown(f"> {scenario.description.strip()}")
    st.markdown(tr("projection_line", lang).format(projection=scenario.inflow.projection))
    changed = {rule for rule, _ in figures.policy_starts(scenario, baseline)}
    mine, theirs = scenario.rule_periods(), baseline.rule_periods()
    for title, rules in ((tr("rules_changed", lang), sorted(changed)),
                         (tr("rules_baseline", lang), [r for r in RULES if r in theirs and r not in changed])):
        st.markdown(f"**{title}**")
        if not rules:
            st.caption(tr("none", lang))
        for rule in rules:
            with st.expander(name(LEVER_NAMES, rule, lang)):
                st.markdown(_rule_rows(mine.get(rule, []), lang))
                st.caption(tr("legal_basis", lang))
                st.markdown((RULES[rule].__doc__ or "").strip())
    st.subheader(tr("parameters_heading", lang))
    resolved = resolve_parameters(cmp.scenario.years, scenario.inflow.projection, scenario.parameters)
    rows = []
    for key, p in load_model_parameters().items():
        prov, note = resolved.provenance[key]
        rows.append({tr("col_parameter", lang): key, tr("col_value", lang): f"{resolved.model[key]:g}",
                     tr("col_unit", lang): p.unit, tr("col_range", lang): f"{p.min:g}-{p.max:g}",
                     tr("col_provenance", lang): name(PROVENANCE_NAMES, prov, lang),
                     tr("col_note", lang): note})
    st.table(pd.DataFrame(rows), hide_index=True, border="horizontal")
    st.caption(tr("parameters_caption", lang))
    st.subheader(tr("inputs_heading", lang))
    inputs = load_inputs()
    for field in type(inputs).model_fields:
        series = getattr(inputs, field)
        with st.expander(f"{field}: {series.description}"):
            st.caption(series.unit)
            rows = [{tr("year", lang): str(y), tr("col_value", lang): str(e.value),
                     tr("col_provenance", lang): name(PROVENANCE_NAMES, e.provenance, lang),
                     tr("col_note", lang): e.note}
                    for y, e in sorted(series.values.items())]
            for proj, e in (series.projection or {}).items():
                rows.append({tr("year", lang): f"{tr('projection_word', lang)} {proj}",
                             tr("col_value", lang): str(e.value),
                             tr("col_provenance", lang): name(PROVENANCE_NAMES, e.provenance, lang),
                             tr("col_note", lang): e.note})
            st.table(pd.DataFrame(rows), hide_index=True, border="horizontal")
    with st.expander(tr("terms", lang)):
        st.markdown(glossary(lang))


@functools.lru_cache(maxsize=8)
def _zip(cmp: Comparison) -> bytes:
    return exports.results_zip(cmp)


def downloads_tab(cmp: Comparison, settings: Settings, period: tuple[int, int]) -> None:
    """Downloads: CSV, Excel, everything as ZIP, the scenario file and the command line."""
    lang = settings.lang
    scenario = cmp.scenario.scenario
    name_ = scenario.name
    if cmp.approximate:
        st.caption(tr("download_approximate", lang))
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("dl_comparison", lang), exports.comparison_bytes(cmp), file_name=f"{name_}_comparison.csv",
                       mime="text/csv", on_click="ignore", key="dl_comparison", icon=":material/table:")
    c2.download_button(tr("dl_yearly", lang), exports.yearly_bytes(cmp), file_name=f"{name_}_yearly.csv",
                       mime="text/csv", on_click="ignore", key="dl_yearly", icon=":material/table:")

    def excel() -> bytes:
        head = pd.concat([headline_table(cmp, m, period, "en", False).assign(measure=m)
                          for m in ("applications", "arrivals")], ignore_index=True)
        calib = pd.concat([calibration_frame(cmp, t.id, "en", False).assign(table=t.id)
                           for t in load_targets().tables], ignore_index=True)
        run = scenario.run
        about = {"scenario": name_, "compared with": "baseline", "mode": cmp.mode.key, "scale": f"{run.scale:g}",
                 "replications": str(run.replications), "seed": str(run.seed),
                 "approximate": "yes (scale below 0.5)" if cmp.approximate else "no",
                 "intervals": "5th to 95th percentile over replications: random variation only",
                 "headline period": f"{period[0]}-{period[1]}", "headline series": ", ".join(HEADLINE_KEYS),
                 "command": command_line(scenario), "started at": cmp.started_at}
        return exports.excel_bytes(cmp, head, calib, about)

    c3.download_button(tr("dl_excel", lang), excel, file_name=f"{name_}_results.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key="dl_excel", icon=":material/grid_on:")
    c4, c5, _ = st.columns(3)
    text = scenario_yaml(scenario, exports.yaml_note(cmp))
    c4.download_button(tr("dl_yaml", lang), text, file_name=file_name_for(scenario), mime="application/x-yaml",
                       on_click="ignore", key="dl_yaml", icon=":material/description:")
    c5.download_button(tr("dl_zip", lang), lambda: _zip(cmp), file_name=f"{name_}_results.zip",
                       mime="application/zip", on_click="ignore", key="dl_zip", icon=":material/folder_zip:")
    st.subheader(tr("command_heading", lang))
    st.code(command_line(scenario), language="bash", wrap_lines=True)
    window = baseline_window_yaml(scenario)
    if window:
        st.caption(tr("window_note", lang))
        st.code(window, language="yaml")
    st.caption(tr("command_caption", lang))
    with st.expander(tr("yaml_heading", lang).format(file=file_name_for(scenario))):
        st.code(text, language="yaml")
