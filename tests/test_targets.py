"""The calibration targets: transcription, rounding intervals and internal consistency of the IND tables."""

from __future__ import annotations

import pytest

from sim.calibration.targets import interval, load_targets
from sim.codes import FLOWS

TARGETS = load_targets()


@pytest.mark.parametrize(("published", "expected"), [
    ("-", (0, 0)), ("<10", (1, 9)), ("10", (10, 14)), ("20", (15, 24)), ("880", (875, 884)), ("1040", (1035, 1044)),
])
def test_published_strings_mean_the_documented_intervals(published: str, expected: tuple[int, int]):
    assert interval(published) == expected


@pytest.mark.parametrize("bad", ["", "ten", "<5", "-3", "1,040"])
def test_anything_else_is_not_a_published_count(bad: str):
    with pytest.raises(ValueError, match="not a published count"):
        interval(bad)


def test_every_table_of_the_report_is_transcribed():
    assert {t.id for t in TARGETS.tables} == {"nareis_on_nareis", "amv_sibling", "art8_after_nareis",
                                             "nareis_after_art8", "art8_after_art8"}
    assert TARGETS.reference_date.isoformat() == "2023-12-31"
    assert all(set(c.flows) <= set(FLOWS) for c in TARGETS.cells)
    # Spot checks against the report's text.
    by_label = {(c.table, c.kind, c.flows, c.measure, c.years): c.published for c in TARGETS.cells}
    assert by_label[("nareis_on_nareis", "row_total", ("nareis_on_nareis",), "applications",
                     (2019, 2020, 2021, 2022, 2023))] == "880"
    assert by_label[("art8_after_art8", "cell", ("art8_after_art8",), "grants", (2023,))] == "-"
    pending = {c.table: c.published for c in TARGETS.cells if c.kind == "pending"}
    assert pending == {"nareis_on_nareis": "240", "amv_sibling": "80", "art8_after_nareis": "190",
                       "nareis_after_art8": "50", "art8_after_art8": "30"}


def _cells(table: str, kind: str, measure: str, flows: tuple[str, ...] | None = None) -> list:
    return [c for c in TARGETS.cells if c.table == table and c.kind == kind and c.measure == measure
            and (flows is None or c.flows == flows)]


@pytest.mark.parametrize("table", [t.id for t in TARGETS.tables])
@pytest.mark.parametrize("measure", ["applications", "grants"])
def test_each_total_is_reachable_from_its_cells(table: str, measure: str):
    """A total was rounded on its own: its interval must overlap the range the cells' intervals allow."""
    t = next(t for t in TARGETS.tables if t.id == table)
    for flow in t.rows:
        cells = _cells(table, "cell", measure, (flow,))
        (total,) = _cells(table, "row_total", measure, (flow,))
        low, high = sum(c.low for c in cells), sum(c.high for c in cells)
        assert total.low <= high and low <= total.high, (flow, measure, total.published, low, high)
    if t.column_totals is not None:
        for year in TARGETS.years_of(table):
            parts = [c for c in _cells(table, "cell", measure) if c.years == (year,)]
            (column,) = [c for c in _cells(table, "column_total", measure) if c.years == (year,)]
            low, high = sum(c.low for c in parts), sum(c.high for c in parts)
            assert column.low <= high and low <= column.high, (year, measure, column.published, low, high)
        (grand,) = _cells(table, "table_total", measure)
        rows = [c for c in TARGETS.cells if c.table == table and c.kind == "row_total" and c.measure == measure]
        assert grand.low <= sum(c.high for c in rows) and sum(c.low for c in rows) <= grand.high


@pytest.mark.parametrize("table", [t.id for t in TARGETS.tables])
def test_grants_never_exceed_applications(table: str):
    """Grants of a cohort cannot exceed its applications: every grant interval starts at or below the matching
    applications interval's top."""
    apps = {(c.flows, c.kind, c.years): c for c in TARGETS.cells if c.table == table and c.measure == "applications"}
    for g in (c for c in TARGETS.cells if c.table == table and c.measure == "grants"):
        a = apps[(g.flows, g.kind, g.years)]
        assert g.low <= a.high, (g.label, g.published, a.published)


def test_secondary_targets_have_sources():
    for name, target in TARGETS.secondary.items():
        assert target.source, name
    arrivals = TARGETS.secondary["cbs_nareis_arrivals"].values
    assert arrivals is not None and set(arrivals) == set(range(2016, 2024))
    assert TARGETS.secondary["nareis_on_nareis_share"].interval == (0.005, 0.02)
