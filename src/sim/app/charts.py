"""Charts: per-year lines with uncertainty bands and history, breakdown bars, the calibration view, and the
flow diagram (a Sankey of sponsors, family arrivals, own asylum and the next generation).

Functions take prepared DataFrames or totals (see :mod:`sim.app.figures`) and the labels in the page's
language; they return Altair or Plotly figures and draw nothing themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd
import plotly.graph_objects as go

__all__ = ["RUN_COLOURS", "yearly_chart", "difference_chart", "breakdown_chart", "calibration_chart", "sankey",
           "sankey_links"]

#: What the chart functions return (a layered or faceted Altair chart).
Figure = alt.LayerChart | alt.FacetChart
RUN_COLOURS = ("#5b7083", "#e8710a")  # baseline, scenario
HISTORY_COLOUR = "#1a1a1a"
POLICY_COLOUR = "#c0392b"
_HEIGHT = 340


def _x(title: str) -> alt.X:
    return alt.X("date:T", title=title, axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0))


def _markers(boundary: dt.date, boundary_label: str, starts: Sequence[tuple[str, dt.date]]) -> list[alt.Chart]:
    """Vertical lines: the history/projection boundary (grey), and the start of each policy change (red)."""
    layers = []
    for rows, colour, dy in (([(boundary_label, boundary)], "#8a8a8a", 2), (list(starts), POLICY_COLOUR, 16)):
        if not rows:
            continue
        data = pd.DataFrame([{"date": pd.Timestamp(d), "label": label} for label, d in rows])
        layers.append(alt.Chart(data).mark_rule(strokeDash=[5, 4], strokeWidth=1.5, color=colour).encode(
            x="date:T", tooltip=["label:N", alt.Tooltip("date:T", format="%Y-%m-%d")]))
        layers.append(alt.Chart(data).mark_text(align="left", dx=4, dy=dy, baseline="top", fontSize=11,
                                                color=colour).encode(x="date:T", y=alt.value(0), text="label:N"))
    return layers


def yearly_chart(frame: pd.DataFrame, labels: dict[str, str], history: pd.DataFrame | None,
                 starts: Sequence[tuple[str, dt.date]], boundary: dt.date) -> Figure:
    """Baseline and scenario per year: mean lines, p05-p95 bands, history as intervals, marker lines.

    Args:
        frame: rows of :func:`sim.app.figures.yearly_frame` for the two runs (not the difference).
        labels: ``x``, ``y``, ``band`` (what the band holds), ``boundary``, and ``baseline`` / ``scenario``
            (the run labels, in that order of colours).
        history: columns ``date``, ``low``, ``high``, ``published`` (text), ``source``; or None.
        starts: (label, date) of each policy change.
        boundary: the first day of the projection.
    """
    domain = [labels["baseline"], labels["scenario"]]
    colour = alt.Color("run:N", title=None, scale=alt.Scale(domain=domain, range=list(RUN_COLOURS)),
                       legend=alt.Legend(orient="top"))
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.18).encode(
        x=_x(labels["x"]), y=alt.Y("p05:Q", title=labels["y"]), y2="p95:Q", color=colour,
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("year:O"), alt.Tooltip("p05:Q", format=",.0f"),
                 alt.Tooltip("p95:Q", format=",.0f", title=f"p95 ({labels['band']})")])
    dash = alt.StrokeDash("run:N", scale=alt.Scale(domain=domain, range=[[6, 3], [1, 0]]), legend=None)
    line = base.mark_line(point=True, strokeWidth=2).encode(
        x=_x(labels["x"]), y="mean:Q", color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("year:O"), alt.Tooltip("mean:Q", format=",.0f")])
    layers: list[alt.Chart] = [band, line]
    if history is not None and not history.empty:
        hist = alt.Chart(history)
        layers.append(hist.mark_rule(color=HISTORY_COLOUR, strokeWidth=4, opacity=0.8).encode(
            x="date:T", y="low:Q", y2="high:Q", tooltip=["source:N", "published:N", "low:Q", "high:Q"]))
        layers.append(hist.mark_point(shape="diamond", filled=True, size=70, color=HISTORY_COLOUR).encode(
            x="date:T", y="mid:Q", tooltip=["source:N", "published:N", "low:Q", "high:Q"]))
    layers += _markers(boundary, labels["boundary"], starts)
    return alt.layer(*layers).properties(height=_HEIGHT).interactive(bind_y=False)


def difference_chart(frame: pd.DataFrame, labels: dict[str, str], starts: Sequence[tuple[str, dt.date]],
                     boundary: dt.date) -> Figure:
    """The paired difference scenario - baseline per year, with its p05-p95 band and a zero line."""
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.2, color=RUN_COLOURS[1]).encode(
        x=_x(labels["x"]), y=alt.Y("p05:Q", title=labels["y"]), y2="p95:Q")
    line = base.mark_line(point=alt.OverlayMarkDef(color=RUN_COLOURS[1]), color=RUN_COLOURS[1]).encode(
        x=_x(labels["x"]), y="mean:Q",
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("mean:Q", format="+,.0f"), alt.Tooltip("p05:Q", format="+,.0f"),
                 alt.Tooltip("p95:Q", format="+,.0f")])
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#444").encode(y="y:Q")
    return alt.layer(band, line, zero, *_markers(boundary, labels["boundary"], starts)).properties(height=240)


def breakdown_chart(frame: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """Grouped bars of totals by category for the two runs (columns ``category``, ``run``, ``mean``,
    ``p05``, ``p95``), with the 90% interval as error bars."""
    domain = [labels["baseline"], labels["scenario"]]
    colour = alt.Color("run:N", title=None, scale=alt.Scale(domain=domain, range=list(RUN_COLOURS)),
                       legend=alt.Legend(orient="top"))
    base = alt.Chart(frame).encode(y=alt.Y("category:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
                                   yOffset=alt.YOffset("run:N", sort=domain))
    bars = base.mark_bar().encode(x=alt.X("mean:Q", title=labels["x"]), color=colour,
                                  tooltip=["category:N", "run:N", alt.Tooltip("mean:Q", format=",.0f"),
                                           alt.Tooltip("p05:Q", format=",.0f"), alt.Tooltip("p95:Q", format=",.0f")])
    errors = base.mark_rule(color="#222").encode(x="p05:Q", x2="p95:Q")
    n = max(frame["category"].nunique(), 1)
    return alt.layer(bars, errors).properties(height=min(60 + 46 * n, 420))


def calibration_chart(frame: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """Published intervals (black bars) beside the model's mean and 90% interval (orange), per application year
    and measure. Columns: ``year``, ``measure``, ``low``, ``high``, ``published``, ``mean``, ``p05``, ``p95``."""
    base = alt.Chart(frame).encode(x=alt.X("year:O", title=labels["x"]))
    published = base.mark_bar(size=16, opacity=0.35, color=HISTORY_COLOUR).encode(
        y=alt.Y("low:Q", title=labels["y"]), y2="high:Q", tooltip=["measure:N", "year:O", "published:N"])
    model = base.mark_rule(color=RUN_COLOURS[1], strokeWidth=2).encode(y="p05:Q", y2="p95:Q")
    point = base.mark_point(color=RUN_COLOURS[1], filled=True, size=50).encode(
        y="mean:Q", tooltip=["measure:N", "year:O", alt.Tooltip("mean:Q", format=",.0f"),
                             alt.Tooltip("p05:Q", format=",.0f"), alt.Tooltip("p95:Q", format=",.0f")])
    return alt.layer(published, model, point).properties(width=320, height=220).facet(
        column=alt.Column("measure:N", title=None)).resolve_scale(y="independent")


def sankey_links(totals: dict[str, float]) -> list[tuple[str, str, float]]:
    """The links of the flow diagram (source node, target node, persons), from yearly totals.

    Family migrants' own asylum grants are split between nareis and Art. 8 entrants in proportion to their
    arrivals (the yearly totals do not say which route they came by).
    """
    first_n, first_a = totals["nareis"], totals["art8"]
    share_n = first_n / (first_n + first_a) if first_n + first_a > 0 else 0.5
    own = totals["asylum_family"]
    links = [
        ("sponsors", "nareis", first_n),
        ("sponsors", "art8", first_a),
        ("nareis", "own_asylum", own * share_n),
        ("art8", "own_asylum", own * (1 - share_n)),
        ("own_asylum", "next_nareis", totals["nareis_on_nareis"] + totals["nareis_after_art8"]
         + totals["amv_sibling_nareis"]),
        ("nareis", "next_art8", totals["art8_after_nareis"] + totals["amv_sibling_art8"]),
        ("art8", "next_art8", totals["art8_after_art8"]),
    ]
    return [(a, b, v) for a, b, v in links if v > 0.5]


def sankey(totals: dict[str, float], names: dict[str, str], title: str,
           fmt: Callable[[float], str] = "{:,.0f}".format) -> go.Figure:
    """The flow diagram from yearly totals (persons): sponsors -> first-order family arrivals -> own asylum ->
    next-generation arrivals (links of :func:`sankey_links`)."""
    keys = ["sponsors", "nareis", "art8", "own_asylum", "next_nareis", "next_art8"]
    node = {k: i for i, k in enumerate(keys)}
    links = sankey_links(totals)
    node_totals = {k: 0.0 for k in keys}
    node_totals["sponsors"] = totals["asylum_first"]
    for _, b, v in links:
        node_totals[b] += v
    colours = ["#5b7083", "#2e86c1", "#8e44ad", "#27ae60", "#e8710a", "#c0392b"]
    x = {"sponsors": 0.001, "nareis": 0.3, "art8": 0.3, "own_asylum": 0.64, "next_nareis": 0.999,
         "next_art8": 0.999}
    y = {"sponsors": 0.45, "nareis": 0.4, "art8": 0.92, "own_asylum": 0.1, "next_nareis": 0.04, "next_art8": 0.3}
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=[f"{names[k]}: {fmt(node_totals[k])}" for k in keys], pad=24, thickness=18,
                  color=colours, line=dict(width=0), x=[x[k] for k in keys], y=[y[k] for k in keys]),
        link=dict(source=[node[a] for a, _, _ in links], target=[node[b] for _, b, _ in links],
                  value=[v for *_, v in links], color="rgba(120,120,120,0.25)"),
    ))
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=420, margin=dict(l=10, r=10, t=40, b=10),
                      font=dict(size=12))
    return fig
