"""Policy rules: each a small pure function of (case, rules-at-a-date), with its legal basis and dates.

A scenario switches rules on for dated periods (``rules:`` in the YAML); each rule's period model, with its legal
basis, dates and scope, is in :mod:`sim.levers` (re-exported here, with the registry :data:`RULES`).
:class:`~sim.policy.Policy` compiles a scenario's periods into day numbers once; :meth:`~sim.policy.Policy.at`
gives the :class:`~sim.policy.At` snapshot a rule reads. Nothing here knows SimPy or draws random numbers: the
engine passes in the person's own uniform draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

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
from sim.levers import (
    RULES,
    BStatusWaitingPeriod,
    CovidDisruption,
    NuclearFamilyOnly,
    StackingBan,
    StricterInterviews,
    VisaHousingHold,
    WithdrawalEnforcement,
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
    "art8_grant_prob",
    "asylum_verdict",
    "art8_propensity",
    "ART8_PROPENSITIES",
    "own_asylum_propensity",
    "travel_start_day",
    "withdrawal_detected",
    "displaced_to_art8",
    "stacking_ban",
]

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
    entry: int = -1  # the route the sponsor came by (ASYLUM, NAREIS, ART8), -1 if not (yet) in the Netherlands
    amv_sibling: bool = False  # an adult sibling of an AMV (the IND's AMV-sibling rows)


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


def own_asylum_propensity(family_abroad: bool, p: Mapping[str, float]) -> float:
    """Probability that an adult family migrant files an asylum claim of their own after arrival.

    Behaviour, not a legal rule: ``own_asylum_prob_with_family`` with relatives abroad for whom nothing has been
    filed (an independent permit lets them sponsor nareis for that family), ``own_asylum_prob_base`` without. The
    same for those who came by nareis and under Art. 8 (a separate value for Art. 8 entrants was tried and not
    adopted: docs/calibration.md).
    """
    return p["own_asylum_prob_with_family"] if family_abroad else p["own_asylum_prob_base"]


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


def art8_verdict(sponsor: Sponsor, member: Member, filed: float, at: At, u_grant: float,
                 grant_share: float) -> Verdict:
    """Decide an Art. 8 ECHR application filed on ``filed``: a proportionality test, granted with
    ``grant_share`` (the input series ``art8_grant_share`` of the decision year), or with the ban's
    ``art8_grant_prob`` if a :class:`StackingBan` covering Art. 8 was in force for this sponsor on the filing day.

    For a sponsor who came under Art. 8 themselves (not an AMV's sibling) the odds of the share are multiplied by
    ``art8_grant_odds_ratio_after_art8`` (see :func:`art8_grant_prob`)."""
    ban = stacking_ban(sponsor, at.policy.at(filed))
    if ban is not None and "art8" in ban.routes and ban.art8_grant_prob is not None:
        return GRANT if u_grant < ban.art8_grant_prob else REFUSE
    return GRANT if u_grant < art8_grant_prob(sponsor, grant_share, at.p) else REFUSE


def art8_grant_prob(sponsor: Sponsor, grant_share: float, p: Mapping[str, float]) -> float:
    """The probability that an Art. 8 application of ``sponsor`` is granted, given the year's ``grant_share``.

    The year's share holds for every sponsor except one who came under Art. 8 and is not an AMV's sibling (the
    IND's Art. 8-after-Art. 8 row): their odds (p / (1 - p)) are the share's odds times
    ``art8_grant_odds_ratio_after_art8``. Odds, not the share itself, are scaled so that the result stays a
    probability whatever the year's share. AMV siblings who came under Art. 8 have their own row, granted about
    one in six (10 of 60), and keep the year's share.
    """
    if sponsor.entry != ART8 or sponsor.amv_sibling:
        return grant_share
    if grant_share >= 1.0:
        return 1.0
    odds = grant_share / (1.0 - grant_share) * p["art8_grant_odds_ratio_after_art8"]
    return odds / (1.0 + odds)


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
