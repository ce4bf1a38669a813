"""How long the IND takes and how much it decides: handling times, decision capacity, terms and caps.

The other half of the rules (:mod:`sim.rules` says who may apply and how a case is decided): pure functions of the
rules in force on a day (:meth:`sim.policy.Policy.at`) and of a person's own draws, read by the queues
(:mod:`sim.queue`) and the engine when a case is filed.
"""

from __future__ import annotations

import math

from sim.codes import ASYLUM, NAREIS
from sim.levers import AsylumTaskforce, DecisionTerm, IndCapacity, MonthlyCap, StricterInterviews
from sim.policy import At

__all__ = ["DAYS_PER_MONTH", "handling_days", "decisions_per_month", "extra_capacity", "investigation_days",
           "decided_in_term", "earliest_decision_days", "monthly_cap"]

DAYS_PER_MONTH = 365.25 / 12


def handling_days(route: int, at: At) -> tuple[float, float]:
    """Mean handling days per person of a case filed on the day, and extra days per person.

    The mean is the route's ``*_service_mean_days`` parameter; :class:`StricterInterviews` add
    ``extra_interview_days`` per person to nareis cases.
    """
    p = at.p
    mean = (p["asylum_service_mean_days"], p["nareis_service_mean_days"], p["art8_service_mean_days"])[route]
    extra = 0.0
    if route == NAREIS:
        interviews = at.active.get("stricter_interviews")
        if isinstance(interviews, StricterInterviews):
            extra = interviews.extra_interview_days
    return mean, extra


def decisions_per_month(route: int, base: float, at: At) -> float:
    """Decision capacity of a route in the month starting on the day: the input series plus the asylum
    taskforce, times the :class:`IndCapacity` factor."""
    capacity = base + extra_capacity(route, at)
    rule = at.active.get("ind_capacity")
    if isinstance(rule, IndCapacity):
        capacity *= (rule.asylum_factor, rule.nareis_factor, rule.art8_factor)[route]
    return capacity


def extra_capacity(route: int, at: At) -> float:
    """Extra decisions per month on ``route`` from rules in force (the 2020-2021 asylum taskforce)."""
    rule = at.active.get("asylum_taskforce")
    if route == ASYLUM and isinstance(rule, AsylumTaskforce):
        return rule.extra_decisions_per_month
    return 0.0


def investigation_days(generation: int, at: At, u: float) -> float:
    """Extra days before the decision on a stacked application (the sponsor is a family migrant).

    The IND checks a stacked application against the sponsor's first procedure (enforcement signal, possible
    withdrawal of the derived permit), which takes time but little decision capacity: an exponential delay with
    mean ``stacked_investigation_mean_days`` after the queue, drawn from the sponsor's ``investigation`` draw.
    """
    mean = at.p["stacked_investigation_mean_days"]
    if generation < 1 or mean <= 0:
        return 0.0
    return -mean * math.log1p(-u)


def decided_in_term(route: int, at: At, u: float) -> bool:
    """Whether a case filed on the day is decided within its own handling time, ahead of the queue.

    The IND does not decide strictly in order of filing: cases near their legal term, or whose applicants gave
    notice of default, go first. A nareis case is one of those with probability ``nareis_in_term_share`` (the
    sponsor's ``in_term`` draw); it still uses a caseworker's time at its place in the queue, so the capacity a
    month is spent on the same number of cases over a backlog (:meth:`sim.queue.DecisionQueue.submit`).
    """
    return route == NAREIS and u < at.p["nareis_in_term_share"]


def earliest_decision_days(route: int, at: At) -> float:
    """Days after filing before which a case filed on the day is not decided (:class:`DecisionTerm`)."""
    term = at.active.get("decision_term")
    if route == NAREIS and isinstance(term, DecisionTerm):
        return term.months * DAYS_PER_MONTH * term.handling_share
    return 0.0


def monthly_cap(at: At, applies_to: str) -> float | None:
    """The nareis cap per month (real size) in force on the day for ``grants`` or ``arrivals``, if any."""
    rule = at.active.get("monthly_cap")
    if isinstance(rule, MonthlyCap) and rule.applies_to == applies_to:
        return rule.per_month
    return None
