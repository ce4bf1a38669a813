"""Policy rules: each a small pure function of (case, rules-at-a-date), with its legal basis and dates.

A scenario switches rules on for dated periods (``rules:`` in the YAML). Each rule has a pydantic model for one
period (its parameters, effective dates and, where it matters, its *scope*: whether it reaches applications
already pending on its start date or only those filed after it). :class:`Policy` compiles a scenario's periods
into day numbers once; :meth:`Policy.at` gives the :class:`At` snapshot a rule reads. Nothing here knows SimPy
or draws random numbers: the engine passes in the person's own uniform draws.

Registry: :data:`RULES` maps each rule name to its period model; the scenario schema is built from it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal, NamedTuple

from pydantic import Field, field_validator, model_validator

from sim.codes import (
    ADULT_CHILD,
    ART8,
    GRANTED,
    K_AMV,
    K_PARTNER,
    K_SEP_PARENT,
    K_YOUNG_ADULT,
    MINOR_CHILD,
    NAREIS,
    PARENT,
    REFUSED,
    SIBLING,
    SPOUSE_PARTNER,
    STATUS_B,
)
from sim.policy import At, Period, Policy

__all__ = [
    "Period",
    "RULES",
    "Policy",
    "At",
    "Sponsor",
    "Member",
    "Verdict",
    "family_route",
    "nareis_filing_day",
    "nareis_verdict",
    "art8_verdict",
    "asylum_verdict",
    "art8_propensity",
    "ART8_PROPENSITIES",
    "travel_start_day",
    "extra_capacity",
    "DAYS_PER_MONTH",
    "withdrawal_detected",
    "monthly_cap",
    "decisions_per_month",
    "handling_days",
    "earliest_decision_days",
    "displaced_to_art8",
    "stacking_ban",
]

Scope = Literal["filing", "filing_and_pending"]
DAYS_PER_MONTH = 365.25 / 12


class StackedSpouseRegularRoute(Period):
    """Spouse and partner applications of family migrants go through regular family reunification.

    Legal basis: IND practice until the ruling of the Council of State (Afdeling bestuursrechtspraak) of
    31 October 2019, cited by the IND report; from 2020 such applications are handled as nareis. While in
    force, an application for a spouse or partner by a sponsor who came as a family migrant is recorded on the
    ``art8`` route (regular / Art. 8 ECHR), as the IND tables count it. Scope: filing date.
    """


class CovidDisruption(Period):
    """COVID-19 travel and filing disruption (2020).

    Basis: border closures from March 2020; CBS nareis arrivals fell from 1,065 (2020 Q1) to 260 (Q2). Travel
    completions and family applications that fall in the period are postponed to its end with the given shares
    (calibrated values belong here). Scope: events in the period.
    """

    travel_blocked_share: float = Field(ge=0, le=1, description="Share of arrivals due in the period that wait.")
    filing_blocked_share: float = Field(ge=0, le=1, description="Share of filings due in the period that wait.")


class AsylumTaskforce(Period):
    """Extra asylum decision capacity of the IND taskforce (May 2020 to mid-2021).

    Basis: State Secretary's letters to Parliament (November 2020, February 2021): more than 15,000
    long-waiting cases cleared, about 8,000 by the end of 2020 and the rest by mid-2021. Scope: decisions in the
    period.
    """

    extra_decisions_per_month: float = Field(ge=0, le=100_000)


class VisaHousingHold(Period):
    """Visas withheld until the sponsor has housing (3 October 2022 to 11 January 2023).

    Basis: temporary measure of the State Secretary, struck down by the Council of State on 8 February 2023;
    it touched 1,780 family members. Grants decided in the period start travel later: a share of them waits up to
    ``max_delay_days`` after the grant, but not past ``released_on``. Scope: decisions in the period.
    """

    affected_share: float = Field(ge=0, le=1)
    max_delay_days: float = Field(ge=0, le=3650)
    released_on: dt.date


class NuclearFamilyOnly(Period):
    """Nareis limited to the nuclear family: married or registered spouse and minor children.

    Legal basis: the two-status package applied by the IND from 12 June 2026. Unmarried partners and adult
    children fall out; parents of an unaccompanied minor stay in (assumption: required by Directive
    2003/86/EC art. 10(3)); minor siblings of an AMV fall out. With scope ``filing_and_pending`` pending
    applications outside the new circle are refused when decided.
    """

    scope: Scope = "filing_and_pending"


class BStatusWaitingPeriod(Period):
    """B-status (subsidiary protection) sponsors may sponsor nareis only after a waiting period, then only if
    income and housing conditions are met.

    Legal basis: Wet invoering tweestatusstelsel (36703), applied from 12 June 2026, also to pending applications.
    ``clock``: the waiting period runs from the sponsor's permit (``sponsor_permit``, the baseline assumption)
    or from the application (``application``). Conditions are met with probability ``conditions_pass_rate``,
    drawn once per sponsor. New applications are filed when the waiting period ends; with scope
    ``filing_and_pending`` pending ones wait, undecided, until it ends.
    """

    waiting_years: float = Field(2.0, ge=0, le=10)
    clock: Literal["sponsor_permit", "application"] = "sponsor_permit"
    conditions_pass_rate: float = Field(ge=0, le=1)
    scope: Scope = "filing_and_pending"


class StricterInterviews(Period):
    """Stricter identifying interviews in the first nareis procedure.

    Basis: IND practice (IND report: interviews with family members are the IND's main tool against
    nareis-on-nareis). More claims that do not hold (a young adult with a family of their own presented as part
    of the parents' family) are detected, at the cost of ``extra_interview_days`` of handling per person (less
    capacity) and a ``false_refusal_rate`` of genuine family members refused. ``scope``: ``filing`` applies to
    applications filed from ``from``; ``filing_and_pending`` also to pending ones decided from then on.
    """

    detection_probability: float = Field(ge=0, le=1, description="Detection probability while in force.")
    extra_interview_days: float = Field(0.0, ge=0, le=365, description="Extra handling days per person.")
    false_refusal_rate: float = Field(0.0, ge=0, le=1, description="Share of genuine members wrongly refused.")
    scope: Scope = "filing"


class StackingBan(Period):
    """A person whose residence derives from family reunification may not sponsor nareis (debated, not enacted).

    ``routes``: ``[nareis]`` bans nareis only; ``[nareis, art8]`` also subjects Art. 8 ECHR applications of such
    sponsors to a proportionality test (Art. 8 cannot be refused outright), granted with ``art8_grant_prob``.
    ``displacement_share``: share of the family members a banned sponsor would have applied for under nareis
    for whom Art. 8 ECHR is tried instead. ``exempt_minor_entrants``: family migrants who entered as minor
    children are not banned. Scope: filing date.
    """

    routes: list[Literal["nareis", "art8"]] = Field(default_factory=lambda: ["nareis"], min_length=1)
    displacement_share: float = Field(0.0, ge=0, le=1)
    exempt_minor_entrants: bool = False
    art8_grant_prob: float | None = Field(None, ge=0, le=1)

    @field_validator("routes")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v) or "nareis" not in v:
            raise ValueError("routes must name 'nareis', and each route once")
        return v

    @model_validator(mode="after")
    def _art8_needs_grant_prob(self) -> StackingBan:
        if "art8" in self.routes and self.art8_grant_prob is None:
            raise ValueError("a ban that includes art8 needs 'art8_grant_prob' (the proportionality test)")
        return self


class MonthlyCap(Period):
    """At most ``per_month`` nareis grants or arrivals a month (2023 proposal for war refugees, not enacted).

    Grants or arrivals over the cap move to the first month with room, in the order the cases were filed.
    """

    per_month: float = Field(gt=0, le=1_000_000)
    applies_to: Literal["grants", "arrivals"] = "arrivals"


class IndCapacity(Period):
    """IND decision capacity multiplied by a factor per route (e.g. extra staff). Scope: decisions in the period."""

    asylum_factor: float = Field(1.0, ge=0.05, le=20)
    nareis_factor: float = Field(1.0, ge=0.05, le=20)
    art8_factor: float = Field(1.0, ge=0.05, le=20)


class DecisionTerm(Period):
    """The legal decision term for nareis (bill 36349: 90 days + 3 months becomes 9 months; status unconfirmed).

    A longer term lets the IND take longer over a case without penalty: a nareis case filed in the period is
    decided no earlier than ``handling_share`` of the term after filing (an assumption). Decision capacity a
    month is unchanged, so the term moves decisions later rather than changing how many are made. Scope:
    applications filed in the period.
    """

    months: float = Field(ge=1, le=36)
    handling_share: float = Field(0.5, gt=0, le=1)


class WithdrawalEnforcement(Period):
    """Withdrawal (*intrekking*) of a derived permit granted on a family tie that did not exist as claimed.

    Basis: Vreemdelingenwet art. 32; IND report, section Handhaving. When a family migrant whose first nareis
    claim did not hold files as a sponsor, the IND finds out with probability ``detection_share`` and withdraws
    the derived permit. If the person meanwhile holds an independent permit, that changes nothing; otherwise the
    IND checks whether they qualify for asylum themselves (granted with ``family_asylum_grant_prob``, then they
    hold an independent permit); if not, they lose residence and their application as sponsor is refused.
    """

    detection_share: float = Field(ge=0, le=1)


#: Rule name -> period model. The scenario schema and the documentation are generated from this registry.
RULES: dict[str, type[Period]] = {
    "stacked_spouse_regular_route": StackedSpouseRegularRoute,
    "covid_disruption": CovidDisruption,
    "asylum_taskforce": AsylumTaskforce,
    "visa_housing_hold": VisaHousingHold,
    "nuclear_family_only": NuclearFamilyOnly,
    "b_status_waiting_period": BStatusWaitingPeriod,
    "stricter_interviews": StricterInterviews,
    "stacking_ban": StackingBan,
    "monthly_cap": MonthlyCap,
    "ind_capacity": IndCapacity,
    "decision_term": DecisionTerm,
    "withdrawal_enforcement": WithdrawalEnforcement,
}


# --- the cases the rules judge ------------------------------------------------------------------------------

class Sponsor(NamedTuple):
    """The person in the Netherlands an application is filed for, as the rules see them."""

    kind: int
    generation: int
    has_permit: bool
    status: int
    permit_day: float
    u_conditions: float
    entered_as_minor: bool = False
    u_disrupt: float = 1.0


class Member(NamedTuple):
    """The family member an application is for."""

    kind: int
    relation: int
    married: bool
    claim_holds: bool


class Verdict(NamedTuple):
    """A decision: outcome (GRANTED or REFUSED) and reason code, or a hold until a later day."""

    outcome: int
    reason: int = 0
    hold_until: float | None = None


GRANT = Verdict(GRANTED)
REFUSE = Verdict(REFUSED, 1)
REFUSE_DETECTED = Verdict(REFUSED, 2)
REFUSE_OUTSIDE_CIRCLE = Verdict(REFUSED, 3)
REFUSE_CONDITIONS = Verdict(REFUSED, 4)
REFUSE_INTERVIEW = Verdict(REFUSED, 5)
REFUSE_SPONSOR_WITHDRAWN = Verdict(REFUSED, 6)


# --- the rules ----------------------------------------------------------------------------------------------

def in_nareis_circle(sponsor: Sponsor, member: Member, at: At) -> bool:
    """Whether the member belongs to the nareis circle of the sponsor on the day.

    Basis (from 2014): Vreemdelingenwet art. 29(2): spouse or durable partner, minor children, young adult
    children still part of the family, parents of an unaccompanied minor; minor siblings of an AMV travelling
    with the parents (IND practice; an assumption of this model). From the ``nuclear_family_only`` rule: married
    or registered spouse, minor children, parents of an AMV.
    """
    nuclear = "nuclear_family_only" in at.active
    r = member.relation
    if r == SPOUSE_PARTNER:
        return member.married or not nuclear
    if r == MINOR_CHILD:
        return True
    if r == ADULT_CHILD:
        return not nuclear and member.kind == K_YOUNG_ADULT
    if r == PARENT:
        return sponsor.kind == K_AMV
    if r == SIBLING:
        return sponsor.kind == K_AMV and member.kind != K_YOUNG_ADULT and not nuclear
    return False


def family_route(sponsor: Sponsor, member: Member, at: At) -> int | None:
    """The route of an application for ``member`` filed on ``at.day`` within the nareis circle.

    Returns NAREIS when the sponsor holds an independent asylum permit and the member is in the circle; ART8
    when the member is in the circle but ``stacked_spouse_regular_route`` sends a family migrant's spouse the
    regular (Art. 8) way; None when nareis is not open to this member at all (then only Art. 8 ECHR can be
    tried, see :func:`art8_propensity`).
    """
    if not (sponsor.has_permit and in_nareis_circle(sponsor, member, at)):
        return None
    if (
        member.relation == SPOUSE_PARTNER
        and sponsor.generation >= 1
        and "stacked_spouse_regular_route" in at.active
    ):
        return ART8
    return NAREIS


#: The parameters :func:`art8_propensity` chooses from.
ART8_PROPENSITIES = ("art8_prob_separated_parent", "art8_prob_new_family", "art8_prob_own_family",
                     "art8_prob_amv_sibling", "art8_prob_other")


def art8_propensity(sponsor: Sponsor, member: Member, at: At) -> float:
    """Probability that an Art. 8 ECHR application is filed for a member outside the nareis route.

    Not a legal rule but behaviour, kept here so that every choice about who applies is in one place.
    """
    p = at.p
    if member.kind == K_SEP_PARENT:
        return p["art8_prob_separated_parent"]
    if sponsor.kind == K_SEP_PARENT:
        return p["art8_prob_new_family"]
    if sponsor.kind == K_YOUNG_ADULT and member.relation in (SPOUSE_PARTNER, MINOR_CHILD):
        return p["art8_prob_own_family"]
    if member.relation == SPOUSE_PARTNER and member.kind == K_PARTNER and sponsor.generation >= 1:
        return p["art8_prob_own_family"]
    if member.relation == SIBLING and sponsor.kind == K_AMV:
        return p["art8_prob_amv_sibling"]
    return p["art8_prob_other"]


def nareis_filing_day(sponsor: Sponsor, intended: float, at: At) -> float:
    """The day a nareis application is actually filed, given the day the sponsor would file it.

    ``b_status_waiting_period`` (clock ``sponsor_permit``): a B-status sponsor files when the waiting period ends.
    ``covid_disruption``: a share of filings due in the period wait until it ends (drawn per sponsor).
    """
    rule = at.active.get("b_status_waiting_period")
    if isinstance(rule, BStatusWaitingPeriod) and sponsor.status == STATUS_B and rule.clock == "sponsor_permit":
        intended = max(intended, sponsor.permit_day + 365.25 * rule.waiting_years)
    return covid_postponed(intended, sponsor.u_disrupt, at.policy, "filing_blocked_share")


def covid_postponed(day: float, u: float, policy: Policy, share_field: str) -> float:
    """Postpone ``day`` to the end of a ``covid_disruption`` period in force on it, for a share of cases."""
    rule = policy.at(day).active.get("covid_disruption")
    if isinstance(rule, CovidDisruption) and u < getattr(rule, share_field):
        return max(day, policy.end_of(rule))
    return day


def nareis_verdict(sponsor: Sponsor, member: Member, filed: float, at: At, u_detect: float,
                   u_grant: float) -> Verdict:
    """Decide a nareis application filed on day ``filed``, on ``at.day``.

    In order: a pending application outside a circle narrowed after filing is refused (rules with scope
    ``filing_and_pending``); the B-status waiting period holds it, then checks conditions; a claim that does not
    hold is detected by the identifying interview with probability ``nareis_detection_prob``; otherwise it is
    granted with ``nareis_grant_prob`` (first-generation sponsors) or ``nareis_grant_prob_stacked``.
    """
    nuclear = at.active.get("nuclear_family_only")
    if isinstance(nuclear, NuclearFamilyOnly) and nuclear.scope == "filing_and_pending":
        if not in_nareis_circle(sponsor, member, at):
            return REFUSE_OUTSIDE_CIRCLE
    waiting = at.active.get("b_status_waiting_period")
    if isinstance(waiting, BStatusWaitingPeriod) and sponsor.status == STATUS_B:
        filed_under_rule = filed >= at.policy.start_of(waiting)
        if filed_under_rule or waiting.scope == "filing_and_pending":
            clock = sponsor.permit_day if waiting.clock == "sponsor_permit" else filed
            ready = float(math.ceil(clock + 365.25 * waiting.waiting_years))
            if at.day < ready:
                return Verdict(0, 0, hold_until=ready)
            if sponsor.u_conditions >= waiting.conditions_pass_rate:
                return REFUSE_CONDITIONS
    p = at.p
    detection = p["nareis_detection_prob"]
    interviews = _in_scope(at, "stricter_interviews", filed)
    if isinstance(interviews, StricterInterviews):
        detection = max(detection, interviews.detection_probability)
        if member.claim_holds and u_detect < interviews.false_refusal_rate:
            return REFUSE_INTERVIEW
    if not member.claim_holds and u_detect < detection:
        return REFUSE_DETECTED
    grant_prob = p["nareis_grant_prob"] if sponsor.generation == 0 else p["nareis_grant_prob_stacked"]
    return GRANT if u_grant < grant_prob else REFUSE


def art8_verdict(sponsor: Sponsor, member: Member, filed: float, at: At, u_grant: float) -> Verdict:
    """Decide an Art. 8 ECHR application filed on ``filed``: a proportionality test, granted with
    ``art8_grant_prob``, or with the ban's ``art8_grant_prob`` if a :class:`StackingBan` covering Art. 8 was in
    force for this sponsor on the filing day."""
    ban = stacking_ban(sponsor, at.policy.at(filed))
    if ban is not None and "art8" in ban.routes and ban.art8_grant_prob is not None:
        return GRANT if u_grant < ban.art8_grant_prob else REFUSE
    return GRANT if u_grant < at.p["art8_grant_prob"] else REFUSE


def stacking_ban(sponsor: Sponsor, at: At) -> StackingBan | None:
    """The stacking ban that applies to this sponsor on the day, if any.

    Only sponsors whose residence derives from family reunification (generation 1 and up) are banned; with
    ``exempt_minor_entrants`` not those who entered as minor children.
    """
    ban = at.active.get("stacking_ban")
    if not isinstance(ban, StackingBan) or sponsor.generation < 1:
        return None
    if ban.exempt_minor_entrants and sponsor.entered_as_minor:
        return None
    return ban


def displaced_to_art8(ban: StackingBan, u_displace: float) -> bool:
    """Whether a family member a banned sponsor would have applied for under nareis is tried under Art. 8."""
    return u_displace < ban.displacement_share


def _in_scope(at: At, name: str, filed: float) -> Period | None:
    """The period of rule ``name`` that governs a decision on ``at.day`` of an application filed on ``filed``:
    the one in force on the filing day, or, for scope ``filing_and_pending``, the one in force on the day."""
    filed_rule = at.policy.at(filed).active.get(name)
    if filed_rule is not None:
        return filed_rule
    now_rule = at.active.get(name)
    if now_rule is not None and getattr(now_rule, "scope", "filing") == "filing_and_pending":
        return now_rule
    return None


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


def earliest_decision_days(route: int, at: At) -> float:
    """Days after filing before which a case filed on the day is not decided (:class:`DecisionTerm`)."""
    term = at.active.get("decision_term")
    if route == NAREIS and isinstance(term, DecisionTerm):
        return term.months * DAYS_PER_MONTH * term.handling_share
    return 0.0


def decisions_per_month(route: int, base: float, at: At) -> float:
    """Decision capacity of a route in the month starting on the day: the input series plus the asylum
    taskforce, times the :class:`IndCapacity` factor."""
    capacity = base + extra_capacity(route, at)
    rule = at.active.get("ind_capacity")
    if isinstance(rule, IndCapacity):
        capacity *= (rule.asylum_factor, rule.nareis_factor, rule.art8_factor)[route]
    return capacity


def monthly_cap(at: At, applies_to: str) -> float | None:
    """The nareis cap per month (real size) in force on the day for ``grants`` or ``arrivals``, if any."""
    rule = at.active.get("monthly_cap")
    if isinstance(rule, MonthlyCap) and rule.applies_to == applies_to:
        return rule.per_month
    return None


def withdrawal_detected(claim_held: bool, u_withdraw: float, at: At) -> bool:
    """Whether the derived permit of a family migrant filing as sponsor is withdrawn: only a permit granted on
    a claim that did not hold, found out with :class:`WithdrawalEnforcement`'s ``detection_share``."""
    rule = at.active.get("withdrawal_enforcement")
    return isinstance(rule, WithdrawalEnforcement) and not claim_held and u_withdraw < rule.detection_share


def asylum_verdict(grant_prob: float, u_grant: float) -> Verdict:
    """Decide an asylum claim: granted with the given probability (first claims: the year's grant share)."""
    return GRANT if u_grant < grant_prob else REFUSE


def travel_start_day(decided: float, u: float, at: At) -> float:
    """The day granted family members can start travelling (visa issued).

    ``visa_housing_hold``: a share of grants in the period wait up to ``max_delay_days`` (uniform, drawn per
    case), released at the latest on ``released_on``.
    """
    rule = at.active.get("visa_housing_hold")
    if isinstance(rule, VisaHousingHold) and u < rule.affected_share:
        wait = (u / rule.affected_share) * rule.max_delay_days
        return max(decided, min(decided + wait, at.policy.day(rule.released_on)))
    return decided


def extra_capacity(route: int, at: At) -> float:
    """Extra decisions per month on ``route`` from rules in force (the 2020-2021 asylum taskforce)."""
    rule = at.active.get("asylum_taskforce")
    if route == 0 and isinstance(rule, AsylumTaskforce):
        return rule.extra_decisions_per_month
    return 0.0

