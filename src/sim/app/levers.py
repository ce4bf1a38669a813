"""The scenario builder: the levers the form offers, and the scenario built from the form's values.

Each lever is a rule of :data:`sim.rules.RULES` with an effective date and its settings. The form's values
become a small scenario dict that ``extends: baseline``; it is merged onto the baseline exactly as a scenario
file would be (``run``, ``inflow``, ``parameters`` key by key, ``rules`` rule by rule) and validated with
``Scenario.model_validate``. The same dict, written as YAML, reproduces the scenario
(:func:`sim.app.scenario_files.scenario_yaml`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import pydantic

from sim.rules import RULES
from sim.scenario import Scenario, merge_scenario_data
from sim.yamlio import InputError, LoadedYaml, error_from_pydantic

__all__ = ["FieldSpec", "LeverSpec", "LEVERS", "SWITCH_OFF", "DEFAULT_FROM", "FormValues", "merge_onto",
           "lever_period", "scenario_dict", "build_scenario", "describe"]

DEFAULT_FROM = dt.date(2027, 1, 1)
Pair = tuple[str, str]


@dataclass(frozen=True)
class FieldSpec:
    """One setting of a lever, as a form widget.

    Attributes:
        name: the field of the rule's period model.
        kind: ``number``, ``share`` (0 to 1, shown as a percentage), ``bool``, ``choice`` or ``multi``.
        default: the value the form starts with (as in the shipped lever scenarios).
        label: (English, Dutch).
        low, high, step: bounds of a number.
        options: the choices of ``choice`` and ``multi``.
    """

    name: str
    kind: Literal["number", "share", "bool", "choice", "multi"]
    default: Any
    label: Pair
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeverSpec:
    """A lever: a rule of the registry with its settings."""

    rule: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)


_SCOPE = ("filing", "filing_and_pending")

#: The levers of the form, in the order shown. Defaults follow the shipped scenario of the same lever.
LEVERS: tuple[LeverSpec, ...] = (
    LeverSpec("stacking_ban", (
        FieldSpec("routes", "multi", ["nareis"], ("Routes banned", "Verboden routes"), options=("nareis", "art8")),
        FieldSpec("displacement_share", "share", 0.3,
                  ("Share of banned nareis tried under Art. 8 ECHR instead",
                   "Deel van verboden nareis dat via 8 EVRM wordt geprobeerd")),
        FieldSpec("exempt_minor_entrants", "bool", False,
                  ("Exempt family migrants who came as minors", "Uitzondering voor wie als minderjarige kwam")),
        FieldSpec("art8_grant_prob", "share", 0.15,
                  ("Art. 8 ECHR grant rate under the ban (if Art. 8 is in the ban)",
                   "Inwilligingskans 8 EVRM onder het verbod (als 8 EVRM onder het verbod valt)")),
    )),
    LeverSpec("stricter_interviews", (
        FieldSpec("detection_probability", "share", 0.7,
                  ("Chance that a claim that does not hold is detected",
                   "Kans dat een onjuiste gezinsclaim wordt ontdekt")),
        FieldSpec("extra_interview_days", "number", 3.0, ("Extra handling days per person",
                                                          "Extra behandeldagen per persoon"),
                  low=0, high=365, step=1),
        FieldSpec("false_refusal_rate", "share", 0.02,
                  ("Share of genuine family members wrongly refused", "Deel echte gezinsleden ten onrechte afgewezen")),
        FieldSpec("scope", "choice", "filing", ("Applies to", "Geldt voor"), options=_SCOPE),
    )),
    LeverSpec("monthly_cap", (
        FieldSpec("per_month", "number", 200.0, ("At most per month", "Hoogstens per maand"),
                  low=1, high=100_000, step=10),
        FieldSpec("applies_to", "choice", "arrivals", ("Counted on", "Geteld op"), options=("arrivals", "grants")),
    )),
    LeverSpec("ind_capacity", (
        FieldSpec("asylum_factor", "number", 1.0, ("Asylum capacity factor", "Factor capaciteit asiel"),
                  low=0.05, high=20, step=0.1),
        FieldSpec("nareis_factor", "number", 1.5, ("Nareis capacity factor", "Factor capaciteit nareis"),
                  low=0.05, high=20, step=0.1),
        FieldSpec("art8_factor", "number", 1.0, ("Art. 8 ECHR capacity factor", "Factor capaciteit 8 EVRM"),
                  low=0.05, high=20, step=0.1),
    )),
    LeverSpec("decision_term", (
        FieldSpec("months", "number", 9.0, ("Decision term in months", "Beslistermijn in maanden"),
                  low=1, high=36, step=1),
        FieldSpec("handling_share", "share", 0.5,
                  ("Mean handling time as share of the term (assumption)",
                   "Gemiddelde behandelduur als deel van de termijn (aanname)")),
    )),
    LeverSpec("withdrawal_enforcement", (
        FieldSpec("detection_share", "share", 0.5,
                  ("Share of permits on false claims found out",
                   "Deel vergunningen op onjuiste claims dat wordt ontdekt")),
    )),
)

#: Baseline rules the form can switch off (the June 2026 package).
SWITCH_OFF = ("nuclear_family_only", "b_status_waiting_period")

for _lever in LEVERS:  # the form must only offer what the registry accepts
    _model = RULES[_lever.rule]
    for _f in _lever.fields:
        assert _f.name in _model.model_fields, f"{_lever.rule}.{_f.name} is not a field of {_model.__name__}"
assert all(rule in RULES for rule in SWITCH_OFF)


@dataclass(frozen=True)
class FormValues:
    """What the builder form holds after submit.

    Attributes:
        name: the scenario's name (lowercase letters, digits, ``_`` and ``-``).
        description: one paragraph; left empty, one is written from the levers.
        projection: ``low``, ``mid`` or ``high`` first asylum inflow after the data.
        levers: rule name -> settings for the levers switched on, each with ``from`` (a date).
        switched_off: baseline rules switched off (of :data:`SWITCH_OFF`).
    """

    name: str = "my_scenario"
    description: str = ""
    projection: str = "mid"
    levers: dict[str, dict[str, Any]] = field(default_factory=dict)
    switched_off: tuple[str, ...] = ()


def lever_period(rule: str, settings: dict[str, Any]) -> dict[str, Any]:
    """One period of a lever, as in a scenario file (``from`` first, dates as dates)."""
    spec = next(lever for lever in LEVERS if lever.rule == rule)
    period: dict[str, Any] = {"from": settings.get("from", DEFAULT_FROM)}
    for f in spec.fields:
        value = settings.get(f.name, f.default)
        if f.kind in ("number", "share"):
            value = float(value)
        elif f.kind == "multi":
            value = [o for o in f.options if o in value]  # registry order, no duplicates
        period[f.name] = value
    if rule == "stacking_ban" and "art8" not in period["routes"]:
        period.pop("art8_grant_prob")  # only a ban that covers Art. 8 has a proportionality test
    return period


def describe(values: FormValues) -> str:
    """A one-paragraph description of a built scenario, written from its levers (English, as the files)."""
    parts = []
    for lever in LEVERS:
        if lever.rule in values.levers:
            period = lever_period(lever.rule, values.levers[lever.rule])
            settings = ", ".join(f"{k} {_plain(v)}" for k, v in period.items() if k != "from")
            parts.append(f"{lever.rule.replace('_', ' ')} from {period['from']} ({settings})")
    for rule in values.switched_off:
        parts.append(f"the June 2026 rule '{rule}' switched off")
    if values.projection != "mid":
        parts.append(f"the {values.projection} inflow projection")
    body = "; ".join(parts) if parts else "no change to the levers"
    return f"Built in the app from the baseline: {body}."


def _plain(v: Any) -> str:
    if isinstance(v, list):
        return "+".join(map(str, v))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v).lower() if isinstance(v, bool) else str(v)


def scenario_dict(values: FormValues, run: dict[str, Any]) -> dict[str, Any]:
    """The scenario file's content for the form's values: it extends the baseline and holds only changes."""
    rules: dict[str, list[dict[str, Any]]] = {}
    for lever in LEVERS:
        if lever.rule in values.levers:
            rules[lever.rule] = [lever_period(lever.rule, values.levers[lever.rule])]
    for rule in SWITCH_OFF:
        if rule in values.switched_off:
            rules[rule] = []
    return {
        "name": values.name.strip(),
        "extends": "baseline",
        "description": values.description.strip() or describe(values),
        "run": dict(run),
        "inflow": {"projection": values.projection},
        "rules": rules,
        "parameters": {},
    }


merge_onto = merge_scenario_data  # the same merge as ``extends`` in scenario files


def build_scenario(values: FormValues, baseline: Scenario, run: dict[str, Any]) -> tuple[Scenario, dict[str, Any]]:
    """Validate the form's scenario merged onto the baseline.

    Returns:
        The scenario, and the dict a scenario file of it holds (see :func:`scenario_dict`).

    Raises:
        InputError: naming the field and the problem (file ``form``).
    """
    child = scenario_dict(values, run)
    if child["name"] == "baseline":
        raise InputError("form", None, "name", "choose another name than 'baseline': the scenario is compared "
                                               "with the baseline")
    merged = merge_onto(baseline.to_dict(), child)
    try:
        return Scenario.model_validate(merged), child
    except pydantic.ValidationError as exc:
        raise error_from_pydantic(exc, LoadedYaml(merged, {}, "form"), Scenario) from None
