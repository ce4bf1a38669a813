"""A capacity-limited, first-come-first-served decision queue that costs no events.

The IND's decision capacity is modelled as ``c`` parallel servers (caseworkers' capacity), each handling one
case at a time; a case's handling time is its *work* (days), drawn from the applicants' personal draws. With
capacity ``K`` decisions per month and a mean handling time of ``s`` days per person, ``c = K * s / days in
month``, so a saturated queue decides ``K`` persons a month. ``c`` follows a schedule known before the run
(capacity series and rules); when it falls, cases in hand are finished and the servers that free up first
retire.

In a FIFO queue a case's server and start are fixed by the cases before it, so the decision day can be
computed when the case is filed, from a heap of the servers' free times (the multi-server Lindley
recursion). The engine then schedules a single SimPy event at the decision day, and none at all for decisions
that have no consequence in the model. With Poisson arrivals and exponential work this is exactly an M/M/c
queue (checked against Erlang C in the tests).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable

import numpy as np

from sim.capacity import decisions_per_month, handling_days, monthly_cap
from sim.policy import Policy

__all__ = ["Case", "DecisionQueue", "MonthlyQuota", "server_schedule"]


class Case:
    """One queue item: the applications of one family decided together (or a single claim).

    Attributes:
        route: route code of the applications.
        sponsor: person index of the sponsor (the applicant, for asylum claims).
        members: person indices the applications are for.
        apps: application record ids, aligned with ``members``.
        filed: day filed.
    """

    __slots__ = ("route", "sponsor", "members", "apps", "filed")

    def __init__(self, route: int, sponsor: int, members: list[int], apps: list[int], filed: float) -> None:
        self.route, self.sponsor, self.members, self.apps, self.filed = route, sponsor, members, apps, filed


class DecisionQueue:
    """FIFO multi-server queue with a server schedule; :meth:`submit` returns a case's decision day.

    Args:
        schedule: ``(day, servers)`` pairs in order of day; the first should be on or before the first
            submission. Servers must be at least 1.

    Cases must be submitted in order of their filing day (the engine's clock guarantees it).
    """

    def __init__(self, schedule: Iterable[tuple[float, int]]) -> None:
        self._changes: deque[tuple[float, int]] = deque(schedule)
        self._free: list[float] = []  # heap: the day each server becomes free
        self._servers = 0
        self._retire = 0
        self.submitted = 0

    @property
    def servers(self) -> int:
        """The number of servers currently scheduled."""
        return self._servers

    def _apply(self, day: float, servers: int) -> None:
        delta = servers - self._servers
        if delta > 0:
            cancel = min(delta, self._retire)
            self._retire -= cancel
            for _ in range(delta - cancel):
                heapq.heappush(self._free, day)
        else:
            self._retire -= delta
        self._servers = servers

    def submit(self, filed: float, work: float, ahead: bool = False) -> tuple[float, float]:
        """Queue a case filed on day ``filed`` that needs ``work`` days of handling.

        With ``ahead`` the case is handled at once, ahead of the queue (a case decided within its term), and
        still takes a server's time at its place in the queue: the cases filed before it keep their decision
        days, and over a backlog the servers decide the same number of cases.

        Returns:
            (start, decided): the day a server takes the case up and the day it is decided.
        """
        free, changes = self._free, self._changes
        while True:
            t = max(filed, free[0]) if free else filed
            if changes and changes[0][0] <= t:
                self._apply(*changes.popleft())
                continue
            if not free:
                raise RuntimeError("decision queue has no servers: the schedule must start with servers >= 1")
            f = heapq.heappop(free)
            if self._retire:
                self._retire -= 1
                continue
            start = max(filed, f)
            heapq.heappush(free, start + work)
            self.submitted += 1
            return (filed, filed + work) if ahead else (start, start + work)


def server_schedule(route: int, months: np.ndarray, capacity: np.ndarray, policy: Policy,
                    scale: float) -> list[tuple[float, int]]:
    """The servers of a route's queue at the start of every month, for :class:`DecisionQueue`.

    Capacity a month (the input series' value, plus the rules in force: :func:`~sim.capacity.decisions_per_month`)
    times the mean handling time (:func:`~sim.capacity.handling_days`), over the days of the month, at the run's
    scale; rounded, and at least one.

    Args:
        route: route code.
        months: day numbers of every month start, plus the day after the last month.
        capacity: the route's decisions (persons) a month, one value per month.
        policy: the scenario's compiled rules.
        scale: share of real size simulated.
    """
    out = []
    for m in range(len(months) - 1):
        at = policy.at(months[m])
        per_month = decisions_per_month(route, capacity[m], at)
        servers = per_month * scale * handling_days(route, at)[0] / (months[m + 1] - months[m])
        out.append((float(months[m]), max(1, round(servers))))
    return out


class MonthlyQuota:
    """Slots per calendar month for a :class:`~sim.levers.MonthlyCap` (scaled like everything else).

    :meth:`take` gives the first day on or after the asked day with a free slot: the day itself, or the start
    of the first later month with room. Slots go in the order they are asked for.
    """

    def __init__(self, months: np.ndarray, policy: Policy, applies_to: str, scale: float) -> None:
        self.months = months.tolist()
        self.policy, self.applies_to, self.scale = policy, applies_to, scale
        self.used: dict[int, int] = {}
        self.active = "monthly_cap" in policy.periods

    def take(self, day: float, count: int = 1) -> float:
        """Reserve ``count`` slots in one month (a family travels together); returns the day they fall on (inf if
        none before the end of the run). A family larger than the cap takes a month of its own."""
        if not self.active:
            return day
        months = self.months
        m = bisect_right(months, day) - 1
        while 0 <= m < len(months) - 1:
            cap = monthly_cap(self.policy.at(max(day, months[m])), self.applies_to)
            if cap is None:
                return day
            used, limit = self.used.get(m, 0), round(cap * self.scale)
            if used + count <= limit or (used == 0 and count > limit):
                self.used[m] = used + count
                return day
            m += 1
            day = months[m] if m < len(months) - 1 else math.inf
        return day if m < 0 else math.inf
