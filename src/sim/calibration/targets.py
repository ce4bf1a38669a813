"""The IND tables as calibration targets: published strings, the interval each means, and what the model
must produce to be compared with them.

Every target is a :class:`Cell`: a count of applications, grants or pending applications of one or more flows,
for one application year or summed over the table's years, as seen on the reference date (2023-12-31): the
model's ``cohorts`` view. Totals and pending counts are their own cells, because the IND rounded them on their
own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.codes import FLOWS
from sim.yamlio import load_yaml, validate

__all__ = ["TARGETS_FILE", "Cell", "Targets", "interval", "load_targets"]

TARGETS_FILE = Path(__file__).parent / "targets.yaml"
Measure = Literal["applications", "grants", "pending"]
_PUBLISHED = re.compile(r"^(-|<10|\d+)$")


def interval(published: str) -> tuple[int, int]:
    """The interval of true counts a published string stands for (rounding to tens as the IND does).

    ``-`` is 0; ``<10`` is 1-9; ``10`` is 10-14 (5-9 would print as ``<10``); any other value v is v-5 to v+4.
    """
    if not _PUBLISHED.match(published):
        raise ValueError(f"'{published}' is not a published count ('-', '<10' or a number)")
    if published == "-":
        return 0, 0
    if published == "<10":
        return 1, 9
    v = int(published)
    if v == 10:
        return 10, 14
    return v - 5, v + 4


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    applications: dict[int | Literal["total"], str]
    grants: dict[int | Literal["total"], str]


class _Pending(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    flows: list[str]
    value: str


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    rows: dict[str, _Row]
    column_totals: _Row | None = None
    pending: _Pending


class _Secondary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    source: str
    value: float | None = None
    values: dict[int, float] | None = None
    interval: tuple[float, float] | None = None
    years: tuple[int, int] | None = None
    unit: str | None = None
    date: dt.date | None = None


class _TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reference_date: dt.date
    source: str
    tables: list[_Table] = Field(min_length=1)
    secondary: dict[str, _Secondary]


@dataclass(frozen=True)
class Cell:
    """One published number.

    Attributes:
        table: the table's id.
        kind: ``cell`` (one flow, one year), ``row_total`` (one flow, all years), ``column_total`` (all flows
            of the table, one year), ``table_total`` (all flows, all years) or ``pending``.
        flows: the flows it counts.
        measure: applications, grants or pending, by application year as seen on the reference date.
        years: the application years it covers.
        published: the string as published.
        low, high: the interval of true counts it stands for.
    """

    table: str
    kind: str
    flows: tuple[str, ...]
    measure: Measure
    years: tuple[int, ...]
    published: str
    low: int
    high: int

    @property
    def years_text(self) -> str:
        """The application years as written in the reports: ``2021`` or ``2019-2023``."""
        return str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}-{self.years[-1]}"

    @property
    def label(self) -> str:
        """A short readable name, e.g. ``nareis_on_nareis applications 2021``."""
        return f"{'+'.join(self.flows)} {self.measure} {self.years_text} ({self.kind})"


@dataclass(frozen=True)
class Targets:
    """The targets file: reference date, tables as cells, and the secondary targets."""

    reference_date: dt.date
    source: str
    cells: tuple[Cell, ...]
    secondary: dict[str, _Secondary]
    tables: tuple[_Table, ...]

    def years_of(self, table: str) -> tuple[int, ...]:
        """The application years a table covers."""
        t = next(t for t in self.tables if t.id == table)
        row = next(iter(t.rows.values()))
        return tuple(sorted(y for y in row.applications if y != "total"))


@cache
def load_targets(path: Path = TARGETS_FILE) -> Targets:
    """Load the targets file and expand it into cells.

    Raises:
        InputError: if the file is malformed.
        ValueError: if a flow is unknown or a published string is not a count.
    """
    data = validate(_TargetsFile, load_yaml(path))
    cells: list[Cell] = []
    for table in data.tables:
        row0 = next(iter(table.rows.values()))
        years = tuple(sorted(y for y in row0.applications if y != "total"))
        for flow, row in table.rows.items():
            if flow not in FLOWS:
                raise ValueError(f"{path}: table {table.id}: unknown flow '{flow}'")
            cells += _row_cells(table.id, (flow,), row, years, "cell", "row_total")
        if table.column_totals is not None:
            cells += _row_cells(table.id, tuple(table.rows), table.column_totals, years, "column_total",
                                "table_total")
        lo, hi = interval(table.pending.value)
        cells.append(Cell(table.id, "pending", tuple(table.pending.flows), "pending", years, table.pending.value,
                          lo, hi))
    return Targets(data.reference_date, data.source, tuple(cells), dict(data.secondary), tuple(data.tables))


def _row_cells(table: str, flows: tuple[str, ...], row: _Row, years: tuple[int, ...], kind: str,
               total_kind: str) -> list[Cell]:
    out = []
    for measure in ("applications", "grants"):
        values = getattr(row, measure)
        for key, published in values.items():
            lo, hi = interval(published)
            if key == "total":
                out.append(Cell(table, total_kind, flows, measure, years, published, lo, hi))
            else:
                out.append(Cell(table, kind, flows, measure, (int(key),), published, lo, hi))
    return out
