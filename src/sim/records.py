"""The output schema: one record per application, the flow classification, and the aggregates.

Every application is one person (the family member it is for, or the asylum claimant) and records the fields
of DESIGN.md section 4. All ten flows come out of one query on these records (:func:`classify`); nothing is
counted on the side. Aggregates per replication are small arrays that the runner summarises and writes.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np

from sim.codes import (
    ASYLUM,
    FLOWS,
    GRANTED,
    MEASURES,
    NAREIS,
    REFUSED,
    RELATIONS,
    STATUSES,
)

__all__ = ["ApplicationLog", "Applications", "classify", "Aggregates", "aggregate"]

_FIELDS_INT = ("person", "route", "sponsor", "sponsor_entry", "sponsor_amv_sibling", "sponsor_generation",
               "relation", "sponsor_status", "outcome", "reason")
_FIELDS_FLOAT = ("filed", "decided", "arrived", "withdrawn")
_CODES = {"person": "q", "sponsor": "q"}
_NAN = float("nan")


class ApplicationLog:
    """Append-only, compact log of applications during a run (stdlib arrays: cheap appends)."""

    def __init__(self) -> None:
        self.cols: dict[str, array] = {f: array(_CODES.get(f, "b")) for f in _FIELDS_INT}
        self.cols.update({f: array("d") for f in _FIELDS_FLOAT})

    def __len__(self) -> int:
        return len(self.cols["person"])

    def add(self, person: int, route: int, sponsor: int, sponsor_entry: int, sponsor_amv_sibling: bool,
            sponsor_generation: int, relation: int, sponsor_status: int, filed: float) -> int:
        """Record a newly filed application; returns its id."""
        c = self.cols
        app = len(c["person"])
        c["person"].append(person)
        c["route"].append(route)
        c["sponsor"].append(sponsor)
        c["sponsor_entry"].append(sponsor_entry)
        c["sponsor_amv_sibling"].append(sponsor_amv_sibling)
        c["sponsor_generation"].append(sponsor_generation)
        c["relation"].append(relation)
        c["sponsor_status"].append(sponsor_status)
        c["outcome"].append(0)
        c["reason"].append(0)
        c["filed"].append(filed)
        c["decided"].append(_NAN)
        c["arrived"].append(_NAN)
        c["withdrawn"].append(_NAN)
        return app

    def add_first_claims(self, persons: np.ndarray, filed: np.ndarray) -> int:
        """Record first asylum claims in bulk (newcomers: generation 0, no relation, no status).

        Returns the id of the first; the others follow in order.
        """
        first = len(self)
        n = len(persons)
        bulk = {
            "person": persons, "route": np.zeros(n), "sponsor": persons, "sponsor_entry": np.zeros(n),
            "sponsor_amv_sibling": np.zeros(n), "sponsor_generation": np.zeros(n), "relation": np.full(n, -1),
            "sponsor_status": np.zeros(n), "outcome": np.zeros(n), "reason": np.zeros(n), "filed": filed,
            "decided": np.full(n, np.nan), "arrived": np.full(n, np.nan),
            "withdrawn": np.full(n, np.nan),
        }
        for name, values in bulk.items():
            col = self.cols[name]
            col.frombytes(np.asarray(values).astype(np.dtype(col.typecode)).tobytes())
        return first

    def decide(self, app: int, day: float, outcome: int, reason: int) -> None:
        """Record the decision on an application."""
        self.cols["decided"][app] = day
        self.cols["outcome"][app] = outcome
        self.cols["reason"][app] = reason

    def arrive(self, app: int, day: float) -> None:
        """Record the entry of the person a granted application was for."""
        self.cols["arrived"][app] = day

    def withdraw(self, app: int, day: float) -> None:
        """Record the withdrawal (intrekking) of the permit granted on an application."""
        self.cols["withdrawn"][app] = day

    def is_withdrawn(self, app: int) -> bool:
        """Whether the permit granted on an application has been withdrawn."""
        return not math.isnan(self.cols["withdrawn"][app])

    def freeze(self) -> Applications:
        """The log as numpy arrays."""
        return Applications(**{f: np.frombuffer(c, dtype=np.dtype(c.typecode)).copy()
                               for f, c in self.cols.items()})


@dataclass(frozen=True)
class Applications:
    """All applications of one replication as columns (see docs/results.md for each field)."""

    person: np.ndarray
    route: np.ndarray
    sponsor: np.ndarray
    sponsor_entry: np.ndarray
    sponsor_amv_sibling: np.ndarray
    sponsor_generation: np.ndarray
    relation: np.ndarray
    sponsor_status: np.ndarray
    outcome: np.ndarray
    reason: np.ndarray
    filed: np.ndarray
    decided: np.ndarray
    arrived: np.ndarray
    withdrawn: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


def classify(apps: Applications) -> np.ndarray:
    """The flow index (into :data:`sim.codes.FLOWS`) of every application.

    Asylum claims: ``asylum_first`` for a newcomer (generation 0), ``asylum_family`` for a family migrant's own
    claim. Family applications of a generation-0 sponsor: ``nareis`` / ``art8``. From generation 1 on: the
    AMV-sibling rows first, then by the sponsor's entry route.
    """
    route, gen, entry = apps.route, apps.sponsor_generation, apps.sponsor_entry
    stacked = gen >= 1
    by_entry = np.where(
        entry == NAREIS,
        np.where(route == NAREIS, FLOWS.index("nareis_on_nareis"), FLOWS.index("art8_after_nareis")),
        np.where(route == NAREIS, FLOWS.index("nareis_after_art8"), FLOWS.index("art8_after_art8")),
    )
    amv = np.where(route == NAREIS, FLOWS.index("amv_sibling_nareis"), FLOWS.index("amv_sibling_art8"))
    family = np.where(
        stacked,
        np.where(apps.sponsor_amv_sibling.astype(bool), amv, by_entry),
        np.where(route == NAREIS, FLOWS.index("nareis"), FLOWS.index("art8")),
    )
    asylum = np.where(stacked, FLOWS.index("asylum_family"), FLOWS.index("asylum_first"))
    return np.where(route == ASYLUM, asylum, family).astype(np.int64)


@dataclass(frozen=True)
class Aggregates:
    """Counts of one replication, at simulated size (divide by scale for real size).

    Attributes:
        yearly: shape (years, flows, measures): applications by filing year, grants and refusals by decision
            year, arrivals by entry year, pending on 31 December.
        breakdown: shape (years, flows, measures, relations, statuses), family flows and ``asylum_family``.
        cohorts: shape (as_of dates, years, flows, outcomes): by application year, as seen on each date.
    """

    yearly: np.ndarray
    breakdown: np.ndarray
    cohorts: np.ndarray


def aggregate(apps: Applications, year_starts: np.ndarray, as_of_ends: list[float]) -> Aggregates:
    """Count the applications by year, flow and measure, by relation and status, and by cohort.

    Args:
        apps: the applications.
        year_starts: day numbers of 1 January of each run year, plus 1 January after the horizon.
        as_of_ends: for each as-of date, the day number just after it (decisions before this count).
    """
    n_years, n_flows, n_rel, n_stat = len(year_starts) - 1, len(FLOWS), len(RELATIONS), len(STATUSES)
    flow = classify(apps)

    def year_of(day: np.ndarray) -> np.ndarray:
        y = np.searchsorted(year_starts, day, side="right") - 1
        return np.where(np.isnan(day), -1, y)

    filed_y, decided_y, arrived_y = year_of(apps.filed), year_of(apps.decided), year_of(apps.arrived)
    granted, refused = apps.outcome == GRANTED, apps.outcome == REFUSED
    decided = ~np.isnan(apps.decided)
    m = {name: i for i, name in enumerate(MEASURES)}
    rel = np.where(apps.relation < 0, -1, apps.relation)
    stat = apps.sponsor_status.astype(np.int64)

    def count(year: np.ndarray, mask: np.ndarray, with_breakdown: bool) -> np.ndarray:
        ok = mask & (year >= 0) & (year < n_years)
        if with_breakdown:
            ok &= rel >= 0
            key = ((year[ok] * n_flows + flow[ok]) * n_rel + rel[ok]) * n_stat + stat[ok]
            return np.bincount(key, minlength=n_years * n_flows * n_rel * n_stat).reshape(
                n_years, n_flows, n_rel, n_stat)
        key = year[ok] * n_flows + flow[ok]
        return np.bincount(key, minlength=n_years * n_flows).reshape(n_years, n_flows)

    everything = np.ones(len(apps), dtype=bool)
    out = []
    for with_breakdown in (False, True):
        shape = (n_years, n_flows, len(MEASURES)) + ((n_rel, n_stat) if with_breakdown else ())
        arr = np.zeros(shape, dtype=np.int64)
        applications = count(filed_y, everything, with_breakdown)
        decisions = count(decided_y, decided, with_breakdown)
        arr[:, :, m["applications"]] = applications
        arr[:, :, m["grants"]] = count(decided_y, granted, with_breakdown)
        arr[:, :, m["refusals"]] = count(decided_y, refused, with_breakdown)
        arr[:, :, m["arrivals"]] = count(arrived_y, ~np.isnan(apps.arrived), with_breakdown)
        arr[:, :, m["pending"]] = np.cumsum(applications, axis=0) - np.cumsum(decisions, axis=0)
        arr[:, :, m["withdrawals"]] = count(year_of(apps.withdrawn), ~np.isnan(apps.withdrawn), with_breakdown)
        out.append(arr)

    cohorts = np.zeros((len(as_of_ends), n_years, n_flows, 4), dtype=np.int64)
    for i, end in enumerate(as_of_ends):
        seen = apps.filed < end
        decided_by = decided & (apps.decided < end)
        cohorts[i, :, :, 0] = count(filed_y, seen, False)
        cohorts[i, :, :, 1] = count(filed_y, seen & decided_by & granted, False)
        cohorts[i, :, :, 2] = count(filed_y, seen & decided_by & refused, False)
        cohorts[i, :, :, 3] = count(filed_y, seen & ~decided_by, False)
    return Aggregates(yearly=out[0], breakdown=out[1], cohorts=cohorts)

