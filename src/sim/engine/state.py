"""The state of one replication: person tables, queues, the calendar, and the views the rules read.

:class:`ModelState` holds what every process of :class:`sim.engine.model.Model` reads and changes: each person's
static attributes and personal draws (as flat lists and arrays, fast on the hot path), their state (entry route,
generation, permit, whether anything was filed for them), the decision queues and monthly quotas, and the
:class:`~sim.records.ApplicationLog`. The processes themselves are in :mod:`sim.engine.model`.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from sim.codes import NO_STATUS, ROUTES
from sim.parameters import Parameters
from sim.policy import Policy
from sim.population import DRAWS, D, People, lowest_member_draw
from sim.queue import DecisionQueue, MonthlyQuota, server_schedule
from sim.records import ApplicationLog, Applications
from sim.rules import ART8_PROPENSITIES, Member, Sponsor

__all__ = ["ModelState", "EngineResult", "events_scheduled", "exp_days"]


def events_scheduled(env: simpy.Environment) -> int:
    """Number of events ``env`` has scheduled so far.

    SimPy numbers every scheduled event from one counter (``Environment._eid``); reading it costs nothing on
    the hot path, unlike counting in an overridden ``schedule``. Reading advances the counter by one, which
    only shifts the tie-breaking ids of later events, so it is done once, after the run.
    """
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else -1


@dataclass(frozen=True)
class EngineResult:
    """What one replication returns: the applications and the number of SimPy events scheduled."""

    applications: Applications
    events: int


def exp_days(mean: float, u: float) -> float:
    """An exponential duration with the given mean from a uniform draw in [0, 1)."""
    return -mean * math.log1p(-float(u))


class ModelState:
    """The person tables, queues and calendar of one replication, and the views the rules read.

    Args:
        people: the sampled population (first asylum applicants and their potential families).
        params: resolved parameters.
        policy: the scenario's compiled rules.
        scale: share of real size simulated (capacities are scaled like the inflow).
        months: day numbers of every month start of the run, plus the day after the last month.
        year_starts: day numbers of 1 January of every run year, plus the one after.
        horizon_day: last simulated day.
    """

    # Personal draws (:data:`sim.population.DRAWS`), one compact array of floats each, filled in ``__init__``.
    u_asylum_grant: array[float]
    u_status: array[float]
    u_apply: array[float]
    u_detect: array[float]
    u_family_grant: array[float]
    u_service: array[float]
    u_filing_delay: array[float]
    u_own_asylum: array[float]
    u_own_asylum_delay: array[float]
    u_travel: array[float]
    u_disrupt: array[float]
    u_conditions: array[float]
    u_displace: array[float]
    u_withdraw: array[float]
    u_investigation: array[float]
    u_in_term: array[float]

    def __init__(self, people: People, params: Parameters, policy: Policy, scale: float, months: np.ndarray,
                 year_starts: np.ndarray, horizon_day: float) -> None:
        self.env = simpy.Environment()
        self.people, self.params, self.policy, self.scale = people, params, policy, scale
        self.p = params.model
        self.months, self.horizon_day = months, horizon_day
        self.year_starts = year_starts.tolist()
        self.log = ApplicationLog()
        n = len(people)
        # Static person attributes as lists: much faster than numpy scalars on the hot path.
        self.kind = people.kind.tolist()
        self.adult = people.adult.tolist()
        self.relation = people.relation.tolist()
        self.married = people.married.tolist()
        self.own_family = people.own_family.tolist()
        self.first_child = people.first_child.tolist()
        self.n_children = people.n_children.tolist()
        # Personal draws as compact stdlib arrays: element access gives a Python float, fast and small.
        for name in DRAWS:
            column = array("f")
            column.frombytes(np.ascontiguousarray(people.u[:, D[name]]).tobytes())
            setattr(self, f"u_{name}", column)
        self.grant_share, self.b_share = params.grant_share.tolist(), params.b_share.tolist()
        self.art8_grant_share = params.art8_grant_share.tolist()
        # Person state.
        self.generation = [-1] * n
        self.entry = [-1] * n
        self.amv_sibling = [False] * n
        self.status = [NO_STATUS] * n
        self.permit_day = [math.nan] * n
        self.applied = [False] * n
        self.removed = [False] * n  # lost residence after a withdrawal (intrekking)
        self.arrival_app = [-1] * n  # the application through which a family migrant came
        self._own_claims: list[tuple[float, int, int]] = []  # own asylum claims filed today, queued at day end
        self.quotas = {name: MonthlyQuota(self.months, policy, name, scale) for name in ("grants", "arrivals")}
        self.service_mean = [self.p["asylum_service_mean_days"], self.p["nareis_service_mean_days"],
                             self.p["art8_service_mean_days"]]
        self.queues = [DecisionQueue(server_schedule(route, months, params.capacity[ROUTES[route]], policy, scale))
                       for route in range(len(ROUTES))]
        self.max_art8_propensity = max(self.p[k] for k in ART8_PROPENSITIES)
        self.max_propensity = max(self.max_art8_propensity, self.p["nareis_apply_prob"])
        self.lowest_apply = lowest_member_draw(people, D["apply"]).tolist()

    # --- scheduling ---------------------------------------------------------------------------------------

    def _at(self, day: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` on ``day``; nothing happens if the day is after the horizon."""
        if day >= self.horizon_day + 1.0:
            return
        ev = self.env.timeout(max(day - self.env.now, 0.0))
        ev.callbacks.append(lambda _ev: fn(*args))

    def _year_index(self, day: float) -> int:
        return min(bisect_right(self.year_starts, day) - 1, len(self.params.years) - 1)

    # --- views for the rules --------------------------------------------------------------------------------

    def _sponsor(self, s: int) -> Sponsor:
        status, generation = self.status[s], self.generation[s]
        return Sponsor(self.kind[s], generation, status != NO_STATUS, status, self.permit_day[s],
                       self.u_conditions[s], generation >= 1 and not self.adult[s], self.u_disrupt[s], self.entry[s],
                       self.amv_sibling[s])

    def _member(self, m: int) -> Member:
        return Member(self.kind[m], self.relation[m], self.married[m], not self.own_family[m])

    def _abroad(self, s: int) -> list[int]:
        """Members of ``s``'s potential family for whom nothing has been filed yet."""
        first = self.first_child[s]
        return [m for m in range(first, first + self.n_children[s]) if not self.applied[m]]
