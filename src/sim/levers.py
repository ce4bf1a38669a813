"""The rules' dated periods: parameters, effective dates and scope of every policy rule, and their registry.

Each rule a scenario can switch on has a pydantic model for one period (``from``, ``until``, its parameters and,
where it matters, its scope: whether it reaches applications already pending on its start date). The legal basis
and the dates are in each model's docstring; :data:`RULES` maps rule names to models, and the scenario schema is
generated from it. The functions that apply the rules are in :mod:`sim.rules`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.policy import Period

__all__ = ["Scope", "RULES", "StackedSpouseRegularRoute", "CovidDisruption", "AsylumTaskforce", "VisaHousingHold",
           "NuclearFamilyOnly", "BStatusWaitingPeriod", "StricterInterviews", "StackingBan", "MonthlyCap",
           "IndCapacity", "DecisionTerm", "WithdrawalEnforcement"]

Scope = Literal["filing", "filing_and_pending"]


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


BannedRoute = Literal["nareis", "art8"]


class StackingBan(Period):
    """A person whose residence derives from family reunification may not sponsor nareis (debated, not enacted).

    ``routes``: ``[nareis]`` bans nareis only; ``[nareis, art8]`` also subjects Art. 8 ECHR applications of such
    sponsors to a proportionality test (Art. 8 cannot be refused outright), granted with ``art8_grant_prob``.
    ``displacement_share``: share of the family members a banned sponsor would have applied for under nareis
    for whom Art. 8 ECHR is tried instead. ``exempt_minor_entrants``: family migrants who entered as minor
    children are not banned. Scope: filing date.
    """

    routes: list[BannedRoute] = Field(default_factory=lambda: list[BannedRoute](["nareis"]), min_length=1)
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
