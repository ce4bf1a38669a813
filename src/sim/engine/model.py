"""The processes of one replication: the asylum claims, decisions, arrivals and family applications.

See the package docstring (:mod:`sim.engine`) for how the model runs; the state these processes read and change is
in :mod:`sim.engine.state`.
"""

from __future__ import annotations

import gc
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from sim.capacity import decided_in_term, earliest_decision_days, handling_days, investigation_days
from sim.codes import (
    ART8,
    ASYLUM,
    GRANTED,
    K_AMV,
    NAREIS,
    NO_STATUS,
    SIBLING,
    STATUS_A,
    STATUS_B,
)
from sim.engine.state import EngineResult, ModelState, events_scheduled, exp_days
from sim.policy import At
from sim.population import D
from sim.queue import Case
from sim.rules import (
    REFUSE_SPONSOR_WITHDRAWN,
    art8_propensity,
    art8_verdict,
    asylum_verdict,
    covid_postponed,
    displaced_to_art8,
    family_route,
    nareis_filing_day,
    nareis_verdict,
    own_asylum_propensity,
    stacking_ban,
    travel_start_day,
    withdrawal_detected,
)

__all__ = ["Model"]


class Model(ModelState):
    """The model of one replication: its processes, over the state of :class:`ModelState`, which documents the
    arguments."""

    # --- running ---------------------------------------------------------------------------------------

    def run(self) -> EngineResult:
        """Simulate up to and including the horizon day.

        Python's cyclic garbage collector is paused during the run: the model creates no reference cycles on
        the hot path, and the collector's repeated walks over the large person tables made a full-scale run
        30-40% slower.
        """
        self.env.process(self._asylum_claims())
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.env.run(until=self.horizon_day + 1.0)
        finally:
            if was_enabled:
                gc.enable()
        return EngineResult(self.log.freeze(), events_scheduled(self.env))

    def _asylum_claims(self) -> Generator[simpy.Event, Any, None]:
        """Queue asylum claims day by day, in order of filing, and decide what follows from them.

        First asylum claims are exogenous: they are recorded up front with their exact filing days. Family
        migrants' own claims are recorded when filed. At the end of every day the day's claims of both kinds
        join the queue together in order of their filing time, so the queue sees its cases in order and a
        claim never starts before it is filed. A claim's decision is known when it is queued
        (:class:`DecisionQueue`); only grants to a person with family abroad, and refusals of family migrants,
        have consequences.
        """
        people, env, log = self.people, self.env, self.log
        order = people.applicants
        days = people.arrival_day[order]
        first_app = log.add_first_claims(order, days)
        service = (-self.service_mean[ASYLUM] * np.log1p(-people.u[order, D["service"]].astype(float))).tolist()
        order_l, days_l = order.tolist(), days.tolist()
        for p in order_l:
            self.generation[p], self.entry[p] = 0, ASYLUM
        n_days = int(self.horizon_day) + 1
        bounds = np.searchsorted(days, np.arange(n_days + 1), side="left").tolist()
        submit, end_of_run = self.queues[ASYLUM].submit, self.horizon_day + 1.0
        n_children, u_grant, grant_share = self.n_children, self.u_asylum_grant, self.grant_share

        def first_claim(i: int) -> None:
            p = order_l[i]
            _, decided = submit(days_l[i], service[i])
            if decided >= end_of_run:
                return
            verdict = asylum_verdict(grant_share[self._year_index(decided)], u_grant[p])
            log.decide(first_app + i, decided, verdict.outcome, verdict.reason)
            if verdict.outcome == GRANTED and n_children[p]:
                self._asylum_granted(p, decided)

        for d in range(n_days):
            yield env.timeout(d + 1.0 - env.now)
            lo, hi = bounds[d], bounds[d + 1]
            own, self._own_claims = self._own_claims, []
            if not own:
                for i in range(lo, hi):
                    first_claim(i)
                continue
            # Rare: merge the family migrants' claims into the day's first claims by filing time.
            merged = sorted([(days_l[i], i, -1, -1) for i in range(lo, hi)] + [(t, -1, m, a) for t, m, a in own])
            for filed, i, m, app in merged:
                if i < 0:
                    self._decide_own_claim(m, app, filed)
                else:
                    first_claim(i)
    # --- decisions ------------------------------------------------------------------------------------------

    def _asylum_granted(self, p: int, day: float) -> None:
        """An independent asylum permit is granted on ``day``: status A or B, then the family may follow.

        Called when the claim is queued: its decision day is known then, and nothing reads the person's status
        before the person acts as a sponsor, which is after ``day``.
        """
        self.status[p] = STATUS_B if self.u_status[p] < self.b_share[self._year_index(day)] else STATUS_A
        self.permit_day[p] = day
        self._plan_family(p, day)

    def _decide_family(self, case: Case, day: float) -> None:
        """Decide a family case on ``day`` and schedule the granted members' arrival.

        Called when the case is filed, with its decision day from the queue: every input of the decision (the
        rules on that day, the sponsor's permit and status, the members' draws) is fixed by then, so the result
        is the same as deciding on the day, without an event. Members held by a waiting period are decided
        when it ends.
        """
        s = case.sponsor
        at = self.policy.at(day)
        sponsor = self._sponsor(s)
        granted: list[tuple[int, int]] = []
        end_of_run, day_granted = self.horizon_day + 1.0, day
        for m, app in zip(case.members, case.apps, strict=True):
            member = self._member(m)
            if case.route == NAREIS:
                verdict = nareis_verdict(sponsor, member, case.filed, at, self.u_detect[m], self.u_family_grant[m])
            else:
                verdict = art8_verdict(sponsor, member, case.filed, at, self.u_family_grant[m],
                                       self.art8_grant_share[self._year_index(day)])
            if verdict.hold_until is not None:
                if verdict.hold_until < end_of_run:
                    self._decide_family(Case(case.route, s, [m], [app], case.filed), verdict.hold_until)
                continue
            decided = day
            if verdict.outcome == GRANTED and case.route == NAREIS:
                decided = self.quotas["grants"].take(day)
                if decided >= end_of_run:
                    continue  # no room under the cap before the horizon: still pending
            self.log.decide(app, decided, verdict.outcome, verdict.reason)
            if verdict.outcome == GRANTED:
                granted.append((m, app))
                day_granted = max(day_granted, decided)
        if granted:
            lead = granted[0][0]
            start = travel_start_day(day_granted, self.u_disrupt[lead], at) if case.route == NAREIS else day_granted
            arrive = start + exp_days(self.p["travel_delay_mean_days"], self.u_travel[lead])
            arrive = covid_postponed(arrive, self.u_disrupt[lead], self.policy, "travel_blocked_share")
            if case.route == NAREIS:
                arrive = self.quotas["arrivals"].take(arrive, len(granted))
            self._at(arrive, self._arrive, case.route, s, granted)

    # --- arrivals and what follows ----------------------------------------------------------------------

    def _arrive(self, route: int, s: int, granted: list[tuple[int, int]]) -> None:
        now = self.env.now
        for m, app in granted:
            self.log.arrive(app, now)
            self.arrival_app[m] = app
            self.entry[m] = route
            self.generation[m] = self.generation[s] + 1
            self.amv_sibling[m] = self.relation[m] == SIBLING and self.kind[s] == K_AMV
            self._after_arrival(m)

    def _after_arrival(self, m: int) -> None:
        """A family migrant has arrived: their own asylum claim, or applications for their own family."""
        if self.adult[m]:
            if self.u_own_asylum[m] < own_asylum_propensity(bool(self._abroad(m)), self.p):
                delay = exp_days(self.p["own_asylum_delay_mean_days"], self.u_own_asylum_delay[m])
                self._at(self.env.now + delay, self._own_asylum_claim, m)
                return
        self._plan_family(m, self.env.now)

    def _own_asylum_claim(self, m: int) -> None:
        """A family migrant files their own asylum claim; it joins the queue at the end of the day."""
        now = self.env.now
        app = self.log.add(m, ASYLUM, m, self.entry[m], self.amv_sibling[m], self.generation[m], self.relation[m],
                           NO_STATUS, now)
        self._own_claims.append((now, m, app))

    def _decide_own_claim(self, m: int, app: int, filed: float) -> None:
        """Queue a family migrant's own claim; if granted they may sponsor nareis in turn."""
        _, decided = self.queues[ASYLUM].submit(filed, exp_days(self.service_mean[ASYLUM], self.u_service[m]))
        if decided >= self.horizon_day + 1.0:
            return
        verdict = asylum_verdict(self.p["family_asylum_grant_prob"], self.u_asylum_grant[m])
        self.log.decide(app, decided, verdict.outcome, verdict.reason)
        if verdict.outcome == GRANTED:
            self._asylum_granted(m, decided)
        else:
            self._plan_family(m, decided)  # a family migrant whose own claim fails can still try Art. 8 ECHR

    def _plan_family(self, s: int, day: float) -> None:
        """Plan the sponsor's applications for their family abroad, from ``day`` on: nareis if they hold a
        permit, and Art. 8.

        An attempt is only scheduled if it could file something: a member whose ``apply`` draw is not below
        the propensity that applies to them is never applied for, whatever the rules on the day.
        """
        lowest = self.lowest_apply[s]
        if lowest >= self.max_propensity:
            return
        delay, p = self.u_filing_delay[s], self.p
        if self.status[s] != NO_STATUS and lowest < p["nareis_apply_prob"]:
            self._at(day + exp_days(p["nareis_filing_delay_mean_days"], delay), self._nareis_attempt, s)
        if lowest < self.max_art8_propensity:
            sponsor, at, u_apply = self._sponsor(s), self.policy.at(day), self.u_apply
            if any(u_apply[m] < art8_propensity(sponsor, self._member(m), at) for m in self._abroad(s)):
                self._at(day + exp_days(p["art8_filing_delay_mean_days"], delay), self._art8_attempt, s)

    def _nareis_attempt(self, s: int) -> None:
        if self.removed[s]:
            return
        now = self.env.now
        at = self.policy.at(now)
        sponsor = self._sponsor(s)
        day = nareis_filing_day(sponsor, now, at)
        if day > now:
            self._at(day, self._nareis_attempt, s)
            return
        ban = stacking_ban(sponsor, at)
        nareis: list[int] = []
        regular: list[int] = []
        for m in self._abroad(s):
            route = family_route(sponsor, self._member(m), at)
            if route is None or self.u_apply[m] >= self.p["nareis_apply_prob"]:
                continue
            if route == NAREIS and ban is not None:
                if displaced_to_art8(ban, self.u_displace[m]):
                    regular.append(m)
                continue
            (nareis if route == NAREIS else regular).append(m)
        self._file(NAREIS, s, nareis)
        self._file(ART8, s, regular)

    def _art8_attempt(self, s: int) -> None:
        if self.removed[s]:
            return
        now = self.env.now
        day = covid_postponed(now, self.u_disrupt[s], self.policy, "filing_blocked_share")
        if day > now:
            self._at(day, self._art8_attempt, s)
            return
        at = self.policy.at(now)
        sponsor = self._sponsor(s)
        members = []
        for m in self._abroad(s):
            member = self._member(m)
            if family_route(sponsor, member, at) is None and self.u_apply[m] < art8_propensity(
                    sponsor, member, at):
                members.append(m)
        self._file(ART8, s, members)

    def _file(self, route: int, s: int, members: list[int]) -> None:
        if not members:
            return
        now, log = self.env.now, self.log
        at = self.policy.at(now)
        lost_residence = self._withdrawal(s, at) if self.generation[s] >= 1 else False
        entry, amv, gen, status = self.entry[s], self.amv_sibling[s], self.generation[s], self.status[s]
        apps = []
        work = 0.0
        mean, extra = handling_days(route, at)
        for m in members:
            self.applied[m] = True
            apps.append(log.add(m, route, s, entry, amv, gen, self.relation[m], status, now))
            work += exp_days(mean, self.u_service[m]) + extra
        if lost_residence:
            for app in apps:
                log.decide(app, now, REFUSE_SPONSOR_WITHDRAWN.outcome, REFUSE_SPONSOR_WITHDRAWN.reason)
            return
        _, decided = self.queues[route].submit(now, work, ahead=decided_in_term(route, at, self.u_in_term[s]))
        decided = max(decided + investigation_days(gen, at, self.u_investigation[s]),
                      now + earliest_decision_days(route, at))
        if decided < self.horizon_day + 1.0:
            self._decide_family(Case(route, s, members, apps, now), decided)

    def _withdrawal(self, s: int, at: At) -> bool:
        """Withdrawal enforcement when a family migrant files as sponsor; True if they lose residence.

        If their first claim did not hold and the IND finds out, the derived permit is withdrawn (recorded on
        the application they came by). Holding an independent permit, nothing changes; otherwise the IND checks
        whether they qualify for asylum themselves: if so they now hold an independent permit.
        """
        app = self.arrival_app[s]
        if app < 0 or self.entry[s] != NAREIS or self.log.is_withdrawn(app):
            return False  # only a derived (nareis) permit can be withdrawn for a family tie that did not hold
        if not withdrawal_detected(not self.own_family[s], self.u_withdraw[s], at):
            return False
        self.log.withdraw(app, self.env.now)
        if self.status[s] != NO_STATUS:
            return False
        if asylum_verdict(self.p["family_asylum_grant_prob"], self.u_asylum_grant[s]).outcome == GRANTED:
            self.status[s] = STATUS_B if self.u_status[s] < self.b_share[self._year_index(at.day)] else STATUS_A
            self.permit_day[s] = self.env.now
            self._plan_family(s, self.env.now)  # now an asylum status holder, who may sponsor nareis
            return False
        self.removed[s] = True
        return True
