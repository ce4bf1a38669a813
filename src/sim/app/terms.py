"""Names of the model's codes in English and Dutch, and the glossary of Dutch legal terms.

The codes (flows, measures, relations, statuses, levers) are what the files hold; these are what people read.
Every name is a pair ``(English, Dutch)``; :func:`name` picks one by language code (``en`` or ``nl``).
"""

from __future__ import annotations

from sim.codes import FLOWS, MEASURES, RELATIONS, STATUSES

__all__ = ["FLOW_NAMES", "GROUPS", "GROUP_NAMES", "MEASURE_NAMES", "RELATION_NAMES", "STATUS_NAMES",
           "LEVER_NAMES", "PROJECTION_NAMES", "PROVENANCE_NAMES", "STACKED_FLOWS", "name", "series_name",
           "glossary", "GLOSSARY"]

Pair = tuple[str, str]

#: The six stacked flows: the rows of the IND report's tables.
STACKED_FLOWS = ("nareis_on_nareis", "art8_after_nareis", "nareis_after_art8", "art8_after_art8",
                 "amv_sibling_nareis", "amv_sibling_art8")

#: Sums of flows shown as one series (a per-replication sum, so its interval is that of the sum).
GROUPS: dict[str, tuple[str, ...]] = {
    "stacked": STACKED_FLOWS,
    "nareis_all": ("nareis", "nareis_on_nareis", "nareis_after_art8", "amv_sibling_nareis"),
    "art8_all": ("art8", "art8_after_nareis", "art8_after_art8", "amv_sibling_art8"),
}

GROUP_NAMES: dict[str, Pair] = {
    "stacked": ("All stacked flows (the six IND tables)", "Alle gestapelde stromen (de zes IND-tabellen)"),
    "nareis_all": ("All nareis (first order and stacked)", "Alle nareis (eerste orde en gestapeld)"),
    "art8_all": ("All Art. 8 ECHR (first order and stacked)", "Alle 8 EVRM (eerste orde en gestapeld)"),
}

FLOW_NAMES: dict[str, Pair] = {
    "asylum_first": ("First asylum claims", "Eerste asielaanvragen"),
    "asylum_family": ("Own asylum claims of family migrants", "Eigen asielaanvragen van gezinsmigranten"),
    "nareis": ("Nareis (first order)", "Nareis (eerste orde)"),
    "art8": ("Art. 8 ECHR (first order)", "8 EVRM (eerste orde)"),
    "amv_sibling_nareis": ("Nareis by siblings of an AMV", "Nareis door nagereisde broers en zussen van AMV"),
    "amv_sibling_art8": ("Art. 8 ECHR by siblings of an AMV", "8 EVRM door nagereisde broers en zussen van AMV"),
    "nareis_on_nareis": ("Nareis on nareis", "Nareis op nareis"),
    "art8_after_nareis": ("Art. 8 ECHR after nareis", "8 EVRM na nareis"),
    "nareis_after_art8": ("Nareis after Art. 8 ECHR", "Nareis na 8 EVRM"),
    "art8_after_art8": ("Art. 8 ECHR after Art. 8 ECHR", "8 EVRM na 8 EVRM"),
}

MEASURE_NAMES: dict[str, Pair] = {
    "applications": ("applications", "aanvragen"),
    "grants": ("grants", "inwilligingen"),
    "refusals": ("refusals", "afwijzingen"),
    "arrivals": ("arrivals", "inreizen"),
    "pending": ("pending on 31 December", "nog open op 31 december"),
    "withdrawals": ("withdrawals (intrekking)", "intrekkingen"),
}

RELATION_NAMES: dict[str, Pair] = {
    "spouse_partner": ("spouse or partner", "echtgeno(o)t(e) of partner"),
    "minor_child": ("minor child", "minderjarig kind"),
    "adult_child": ("adult child", "meerderjarig kind"),
    "parent": ("parent", "ouder"),
    "sibling": ("sibling", "broer of zus"),
    "other": ("other relative", "ander familielid"),
}

STATUS_NAMES: dict[str, Pair] = {
    "none": ("no own asylum permit", "geen eigen asielvergunning"),
    "A": ("A status (refugee)", "A-status (vluchteling)"),
    "B": ("B status (subsidiary protection)", "B-status (subsidiaire bescherming)"),
}

LEVER_NAMES: dict[str, Pair] = {
    "stacked_spouse_regular_route": ("Spouses of family migrants via regular route (until 2019)",
                                     "Partners van gezinsmigranten via regulier spoor (tot 2019)"),
    "covid_disruption": ("COVID-19 disruption (2020)", "COVID-19-verstoring (2020)"),
    "asylum_taskforce": ("Asylum taskforce (2020-2021)", "Taskforce asiel (2020-2021)"),
    "visa_housing_hold": ("Visas held until housing (2022-2023)", "Mvv's aangehouden tot huisvesting (2022-2023)"),
    "nuclear_family_only": ("Nuclear family only (June 2026 rule)", "Alleen kerngezin (regel van juni 2026)"),
    "b_status_waiting_period": ("Waiting period for B-status sponsors (June 2026 rule)",
                                "Wachttermijn voor referenten met B-status (regel van juni 2026)"),
    "stricter_interviews": ("Stricter identifying interviews", "Strengere identificerende gehoren"),
    "stacking_ban": ("Stacking ban", "Stapelverbod"),
    "monthly_cap": ("Monthly cap on nareis", "Maandplafond voor nareis"),
    "ind_capacity": ("IND decision capacity", "Besliscapaciteit IND"),
    "decision_term": ("Longer decision term for nareis", "Langere beslistermijn nareis"),
    "withdrawal_enforcement": ("Withdrawal enforcement (intrekking)", "Handhaving door intrekking"),
}

PROJECTION_NAMES: dict[str, Pair] = {
    "low": ("low (15,000 first asylum claims a year after 2025)",
            "laag (15.000 eerste asielaanvragen per jaar na 2025)"),
    "mid": ("middle (25,000 a year)", "midden (25.000 per jaar)"),
    "high": ("high (40,000 a year)", "hoog (40.000 per jaar)"),
}

PROVENANCE_NAMES: dict[str, Pair] = {
    "source": ("source (published, cited)", "bron (gepubliceerd, met vindplaats)"),
    "calibrated": ("calibrated (fitted to the IND tables)", "gekalibreerd (geschat op de IND-tabellen)"),
    "assumption": ("assumption (with reason)", "aanname (met reden)"),
}

assert set(FLOW_NAMES) == set(FLOWS) and set(MEASURE_NAMES) == set(MEASURES)
assert set(RELATION_NAMES) == set(RELATIONS) and set(STATUS_NAMES) == set(STATUSES)


def name(table: dict[str, Pair], code: str, lang: str) -> str:
    """The readable name of ``code`` in ``lang`` (the code itself when it has none)."""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "nl" else pair[0]


def series_name(key: str, lang: str) -> str:
    """The name of a flow or of a group of flows."""
    return name(GROUP_NAMES, key, lang) if key in GROUPS else name(FLOW_NAMES, key, lang)


#: Term -> (English explanation, Dutch explanation). Shown wherever the term appears in a heading or table.
GLOSSARY: dict[str, Pair] = {
    "nareis": (
        "Family reunification of a holder of an asylum permit (the sponsor, *referent*) with the family as it was "
        "before the flight; the family member gets a derived asylum permit.",
        "Gezinshereniging van een houder van een asielvergunning (de referent) met het gezin zoals dat voor de "
        "vlucht bestond; het gezinslid krijgt een afgeleide asielvergunning.",
    ),
    "8 EVRM": (
        "Art. 8 ECHR (*8 EVRM*): a residence application based on the right to family life, for relatives outside "
        "the nareis circle; the sponsor needs no asylum permit. Decided with a proportionality test.",
        "Artikel 8 EVRM: een verblijfsaanvraag op grond van het recht op gezinsleven, voor familieleden buiten de "
        "nareiskring; de referent heeft geen asielvergunning nodig. Beslist met een belangenafweging.",
    ),
    "AMV": (
        "*Alleenstaande minderjarige vreemdeling*: an unaccompanied minor asylum seeker. Parents of an AMV can come "
        "by nareis; siblings sometimes with them.",
        "Alleenstaande minderjarige vreemdeling. Ouders van een AMV kunnen via nareis komen; broers en zussen soms "
        "met hen mee.",
    ),
    "stacking": (
        "Stacked family reunification (*gestapelde gezinshereniging*): a person who came through family "
        "reunification later brings over family of their own (for example nareis on nareis).",
        "Gestapelde gezinshereniging: iemand die via gezinshereniging kwam, haalt later zelf gezin over "
        "(bijvoorbeeld nareis op nareis).",
    ),
    "intrekking": (
        "Withdrawal of a permit, for example a derived permit granted on a family tie that did not exist.",
        "Intrekking van een vergunning, bijvoorbeeld een afgeleide vergunning verleend op een gezinsband die niet "
        "bestond.",
    ),
    "A/B": (
        "A status: refugee status; B status: subsidiary protection. From 12 June 2026 B-status sponsors wait two "
        "years before nareis (two-status system, bill 36703).",
        "A-status: vluchtelingenstatus; B-status: subsidiaire bescherming. Vanaf 12 juni 2026 wachten referenten "
        "met een B-status twee jaar op nareis (tweestatusstelsel, wetsvoorstel 36703).",
    ),
}


def glossary(lang: str, terms: tuple[str, ...] | None = None) -> str:
    """The glossary (or the named terms of it) as Markdown bullet points."""
    keys = terms or tuple(GLOSSARY)
    return "\n".join(f"- **{k}**: {name(GLOSSARY, k, lang)}" for k in keys)
