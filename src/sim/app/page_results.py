"""The page's results: headline figures, per-year charts, breakdowns and the flow diagram.

The calibration view, the assumptions and the downloads are in :mod:`sim.app.page_evidence`. Every table is
built from :mod:`sim.app.figures`; numbers are shown rounded as the IND publishes them when the switch is on.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from sim.app import charts, figures
from sim.app.i18n import tr
from sim.app.page_inputs import Settings
from sim.app.publish import MINUS, count_text, difference_text, interval_text, number
from sim.app.runs import Comparison
from sim.app.terms import (
    GROUPS,
    LEVER_NAMES,
    MEASURE_NAMES,
    RELATION_NAMES,
    STACKED_FLOWS,
    STATUS_NAMES,
    glossary,
    name,
    series_name,
)
from sim.app.widgets import choice
from sim.calibration.targets import load_targets
from sim.codes import FLOWS, MEASURES
from sim.output import BAND_RANDOM, identity_of

__all__ = ["summary", "period_selector", "headline_tab", "yearly_tab", "breakdown_tab", "flow_tab",
           "headline_table", "HEADLINE_KEYS", "table"]

#: The series of the headline tables, in order.
HEADLINE_KEYS = ("stacked", *STACKED_FLOWS, "nareis", "art8", "asylum_family")
SERIES_KEYS = (*GROUPS, *FLOWS)


def band_label(cmp: Comparison, lang: str) -> str:
    """What the bands hold, as the run's manifest says (translated)."""
    band = identity_of(cmp.scenario, cmp.scenario.as_of)["band"]
    return tr("band_random", lang) if band == BAND_RANDOM else tr("band_calibration", lang)


def summary(cmp: Comparison, settings: Settings) -> None:
    """One line on what ran, and the approximate-results warning."""
    lang, run = settings.lang, cmp.scenario.scenario.run
    st.header(tr("step_results", lang).format(name=cmp.scenario.scenario.name))
    st.caption(tr("run_summary", lang).format(
        mode=tr(f"mode_{cmp.mode.key}", lang), scale=f"{run.scale:g}", replications=run.replications,
        seed=run.seed, start=run.start.year, horizon=run.horizon.year, seconds=f"{cmp.seconds:.1f}",
        source=tr(f"source_{cmp.source}", lang)))
    if cmp.approximate:
        st.warning(tr("approximate_banner", lang).format(scale=f"{run.scale:g}"), icon="⚠️")


def period_selector(cmp: Comparison, lang: str) -> tuple[int, int]:
    """The period the totals cover (default 2027-2035, within the run)."""
    years = [y for y in cmp.scenario.years if y >= figures.HISTORY_END + 1] or list(cmp.scenario.years)
    default = (max(2027, years[0]) if 2027 <= years[-1] else years[0], min(2035, years[-1]))
    first, last = st.select_slider(tr("period", lang), options=years, value=default, key="period",
                                   help=tr("period_help", lang))
    return int(first), int(last)


def headline_table(cmp: Comparison, measure: str, period: tuple[int, int], lang: str, rounded: bool) -> pd.DataFrame:
    """The headline table of one measure: per series, baseline, scenario, paired difference and its interval."""
    rows = []
    for key, b, s, d in figures.headline(cmp.baseline, cmp.scenario, HEADLINE_KEYS, measure, *period):
        rows.append({
            tr("col_flow", lang): series_name(key, lang),
            tr("col_baseline", lang): count_text(b.mean, lang, rounded),
            tr("col_scenario", lang): count_text(s.mean, lang, rounded),
            tr("col_difference", lang): difference_text(d.mean, lang, rounded),
            tr("col_interval", lang): interval_text(d.p05, d.p95, lang, rounded, signed=True),
        })
    return pd.DataFrame(rows)


def table(frame: pd.DataFrame, right_from: int | None = 1) -> None:
    """A table with all its rows shown (up to 30), numbers right-aligned from column ``right_from`` on."""
    config = _right_aligned(frame, right_from) if right_from is not None else None
    st.dataframe(frame, hide_index=True, column_config=config, height=35 * (min(len(frame), 30) + 1) + 3)


def _right_aligned(frame: pd.DataFrame, first_left: int = 1) -> dict:
    return {c: st.column_config.TextColumn(alignment="right") for c in frame.columns[first_left:]}


def headline_tab(cmp: Comparison, settings: Settings, period: tuple[int, int]) -> None:
    """Headline figures: stacked applications and arrivals over the period, baseline vs scenario."""
    lang, rounded = settings.lang, settings.rounded
    first, last = period
    cols = st.columns(3)
    for col, (key, measure) in zip(cols, (("stacked", "applications"), ("stacked", "arrivals"),
                                          ("nareis_on_nareis", "applications")), strict=True):
        (_, b, s, d), = figures.headline(cmp.baseline, cmp.scenario, (key,), measure, first, last)
        col.metric(
            tr("metric_label", lang).format(series=series_name(key, lang).split(" (")[0],
                                            measure=name(MEASURE_NAMES, measure, lang), first=first, last=last),
            count_text(s.mean, lang, rounded),
            delta=f"{difference_text(d.mean, lang, rounded).replace(MINUS, '-')} {tr('vs_baseline', lang)}",
            delta_color="off",
            border=True,
            help=tr("metric_help", lang).format(baseline=count_text(b.mean, lang, rounded),
                                                interval=interval_text(d.p05, d.p95, lang, rounded, signed=True)))
    for measure in ("applications", "arrivals"):
        st.subheader(tr("headline_heading", lang).format(measure=name(MEASURE_NAMES, measure, lang).capitalize(),
                                                         first=first, last=last))
        frame = headline_table(cmp, measure, period, lang, rounded)
        table(frame)
    st.caption(tr("headline_caption", lang).format(band=band_label(cmp, lang)))
    with st.expander(tr("terms_here", lang)):
        st.markdown(glossary(lang, ("nareis", "8 EVRM", "AMV", "stacking")))


def _history(cmp: Comparison, key: str, measure: str, lang: str) -> pd.DataFrame | None:
    """Published history for a series: IND table cells (applications) and CBS nareis arrivals."""
    rows: list[tuple[int, float, float, str, str]] = []
    targets = load_targets()
    if measure == "applications" and key in FLOWS:
        for cell in targets.cells:
            if cell.kind == "cell" and cell.flows == (key,) and cell.measure == "applications":
                rows.append((cell.years[0], cell.low, cell.high, cell.published, tr("hist_ind", lang)))
    if measure == "arrivals" and key == "nareis_all":
        cbs = targets.secondary.get("cbs_nareis_arrivals")
        for year, value in sorted((cbs.values or {}).items() if cbs else []):
            rows.append((year, value, value, f"{value:,.0f}", tr("hist_cbs", lang)))
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["year", "low", "high", "published", "source"])
    frame["date"] = pd.to_datetime([dt.date(y, 7, 1) for y in frame["year"]])
    frame["mid"] = (frame["low"] + frame["high"]) / 2
    return frame


def _starts(cmp: Comparison, lang: str) -> list[tuple[str, dt.date]]:
    return [(name(LEVER_NAMES, rule, lang), d)
            for rule, d in figures.policy_starts(cmp.scenario.scenario, cmp.baseline.scenario)]


def _series_and_measure(lang: str, prefix: str, default: str = "nareis_on_nareis") -> tuple[str, str]:
    c1, c2 = st.columns(2)
    with c1:
        key = choice(st.selectbox, tr("series", lang), SERIES_KEYS, f"{prefix}_series", lang, default,
                     format_func=lambda k: series_name(k, lang))
    measures = [m for m in MEASURES if figures.applies(key, m)]
    with c2:
        measure = choice(st.selectbox, tr("measure", lang), measures, f"{prefix}_measure", lang, measures[0],
                         format_func=lambda m: name(MEASURE_NAMES, m, lang))
    return key, measure or measures[0]


def yearly_tab(cmp: Comparison, settings: Settings) -> None:
    """Per-year chart of one series and measure, with bands, history and marker lines; then the difference."""
    lang = settings.lang
    key, measure = _series_and_measure(lang, "yearly")
    labels = {"baseline": tr("col_baseline", lang), "scenario": cmp.scenario.scenario.name}
    frame = figures.yearly_frame(cmp.baseline, cmp.scenario, key, measure, (labels["baseline"], labels["scenario"]))
    chart_labels = labels | {"x": tr("year", lang), "y": f"{name(MEASURE_NAMES, measure, lang)} {tr('per_year', lang)}",
                             "band": band_label(cmp, lang), "boundary": tr("history_projection", lang)}
    starts = _starts(cmp, lang)
    history = _history(cmp, key, measure, lang)
    boundary = dt.date(figures.HISTORY_END + 1, 1, 1)
    st.altair_chart(charts.yearly_chart(frame[frame["run"] != "difference"], chart_labels, history, starts, boundary))
    st.caption(tr("yearly_caption", lang).format(band=band_label(cmp, lang)))
    if history is not None:
        st.caption(tr("history_caption", lang))
    elif measure == "grants" and key in STACKED_FLOWS:
        st.caption(tr("grants_history_note", lang))
    st.markdown(f"**{tr('difference_heading', lang)}**")
    diff_labels = chart_labels | {"y": tr("difference_axis", lang)}
    st.altair_chart(charts.difference_chart(frame[frame["run"] == "difference"], diff_labels, starts, boundary))
    with st.expander(tr("numbers", lang)):
        pivot = frame.pivot(index="year", columns="run", values="mean")
        pivot = pivot[[labels["baseline"], labels["scenario"], "difference"]]
        shown = pd.DataFrame({
            tr("year", lang): pivot.index.astype(str),
            labels["baseline"]: [count_text(v, lang, settings.rounded) for v in pivot[labels["baseline"]]],
            labels["scenario"]: [count_text(v, lang, settings.rounded) for v in pivot[labels["scenario"]]],
            tr("col_difference", lang): [difference_text(v, lang, settings.rounded) for v in pivot["difference"]],
        })
        table(shown)


def _breakdown_block(cmp: Comparison, settings: Settings, key: str, measure: str, period: tuple[int, int],
                     by: str) -> None:
    lang, rounded = settings.lang, settings.rounded
    names = RELATION_NAMES if by == "relation" else STATUS_NAMES
    rows = figures.breakdown(cmp.baseline, cmp.scenario, key, measure, *period, by=by)
    if not rows:
        st.info(tr("nothing_to_break_down", lang))
        return
    labels = {"baseline": tr("col_baseline", lang), "scenario": cmp.scenario.scenario.name,
              "x": f"{name(MEASURE_NAMES, measure, lang)} {period[0]}-{period[1]}"}
    long = pd.DataFrame([(name(names, c, lang), run, st_.mean, st_.p05, st_.p95)
                         for c, b, s, _ in rows for run, st_ in ((labels["baseline"], b), (labels["scenario"], s))],
                        columns=["category", "run", "mean", "p05", "p95"])
    st.altair_chart(charts.breakdown_chart(long, labels))
    table(pd.DataFrame([{
        tr("col_category", lang): name(names, c, lang),
        tr("col_baseline", lang): count_text(b.mean, lang, rounded),
        tr("col_scenario", lang): count_text(s.mean, lang, rounded),
        tr("col_difference", lang): difference_text(d.mean, lang, rounded),
        tr("col_interval_short", lang): interval_text(d.p05, d.p95, lang, rounded, signed=True)}
        for c, b, s, d in rows]))


def breakdown_tab(cmp: Comparison, settings: Settings, period: tuple[int, int]) -> None:
    """Totals over the period by the family member's relation and by the sponsor's status (A/B)."""
    lang = settings.lang
    key, measure = _series_and_measure(lang, "breakdown", default="stacked")
    if key == "asylum_first":
        st.info(tr("no_breakdown_first", lang))
        return
    left, right = st.columns(2)
    with left:
        st.subheader(tr("by_relation", lang))
        _breakdown_block(cmp, settings, key, measure, period, "relation")
    with right:
        st.subheader(tr("by_status", lang))
        _breakdown_block(cmp, settings, key, measure, period, "status")
    st.caption(tr("breakdown_caption", lang).format(band=band_label(cmp, lang)))
    with st.expander(tr("terms_here", lang)):
        st.markdown(glossary(lang, ("A/B", "nareis", "8 EVRM", "AMV")))


def flow_tab(cmp: Comparison, settings: Settings, period: tuple[int, int]) -> None:
    """The flow diagram (Sankey) of the scenario or the baseline over the period."""
    lang = settings.lang
    which = choice(st.radio, tr("show_run", lang), ["scenario", "baseline"], "sankey_run", lang, "scenario",
                   horizontal=True,
                   format_func=lambda w: cmp.scenario.scenario.name if w == "scenario" else tr("col_baseline", lang))
    result = cmp.scenario if which == "scenario" else cmp.baseline
    totals = figures.sankey_totals(result, *period)
    names = {k: tr(f"node_{k}", lang) for k in ("sponsors", "nareis", "art8", "own_asylum", "next_nareis",
                                                 "next_art8")}
    title = tr("sankey_title", lang).format(first=period[0], last=period[1])
    st.plotly_chart(charts.sankey(totals, names, title, lambda v: number(v, lang)), key="sankey_chart")
    table(pd.DataFrame([{tr("col_from", lang): names[a], tr("col_to", lang): names[b],
                         tr("col_persons", lang): count_text(v, lang, settings.rounded)}
                        for a, b, v in charts.sankey_links(totals)]), right_from=2)
    st.caption(tr("sankey_caption", lang))
    with st.expander(tr("terms_here", lang)):
        st.markdown(glossary(lang, ("nareis", "8 EVRM", "AMV", "stacking")))
