"""The page's words in English and Dutch.

:data:`TEXT` maps a message key to ``(English, Dutch)``; :func:`tr` picks one. Placeholders in braces are
filled by the caller with ``str.format``. The words of the evidence tabs are kept in :mod:`sim.app.i18n_evidence`
and included here. Names of flows, measures and levers, and the glossary of Dutch legal terms, are in
:mod:`sim.app.terms`.
"""

from __future__ import annotations

from sim.app.i18n_evidence import EVIDENCE_TEXT

__all__ = ["TEXT", "tr", "LANGUAGES"]

LANGUAGES = ("en", "nl")

TEXT: dict[str, tuple[str, str]] = {
    # --- page and sidebar ---------------------------------------------------------------------------------
    "title": ("Stacked family reunification: policy simulator", "Gestapelde gezinshereniging: beleidssimulator"),
    "intro": (
        "Compare a policy scenario with the law as it stands (the **baseline**): applications, grants and arrivals "
        "of **nareis** and **Art. 8 ECHR** (*8 EVRM*) per year to 2035, with their uncertainty, and how often "
        "family migrants bring over family of their own (*stacking*). A discrete-event model of family units "
        "moving through independent asylum, nareis and Art. 8 ECHR, starting from the IND report "
        "*Analyse gestapelde gezinshereniging* (16 February 2024).",
        "Vergelijk een beleidsscenario met het huidige recht (de **basislijn**): aanvragen, inwilligingen en "
        "inreizen van **nareis** en **8 EVRM** per jaar tot 2035, met hun onzekerheid, en hoe vaak "
        "gezinsmigranten zelf weer gezin overhalen (*stapeling*). Een discrete-eventmodel van gezinnen die door "
        "zelfstandig asiel, nareis en 8 EVRM gaan, uitgaand van het IND-rapport *Analyse gestapelde "
        "gezinshereniging* (16 februari 2024).",
    ),
    "not_calibrated_banner": (
        "**Not yet calibrated.** The model's parameters are priors marked *assumption*, not yet fitted to the IND "
        "tables. Read the figures as what these assumptions imply; see the Calibration and Assumptions tabs.",
        "**Nog niet gekalibreerd.** De parameters van het model zijn aannames vooraf (gemarkeerd als *aanname*), "
        "nog niet geschat op de IND-tabellen. Lees de cijfers als wat deze aannames opleveren; zie de tabbladen "
        "Kalibratie en Aannames.",
    ),
    "run_settings": ("Run settings", "Rekeninstellingen"),
    "mode": ("Mode", "Modus"),
    "mode_quick": ("Quick (approximate)", "Snel (benadering)"),
    "mode_precise": ("Precise", "Nauwkeurig"),
    "mode_custom": ("Custom", "Zelf instellen"),
    "mode_quick_caption": ("5% of real size, 4 replications: seconds",
                           "5% van de echte omvang, 4 herhalingen: seconden"),
    "mode_precise_caption": ("real size, 20 replications: several minutes",
                             "echte omvang, 20 herhalingen: enkele minuten"),
    "mode_custom_caption": ("your own scale and replications", "eigen schaal en aantal herhalingen"),
    "scale": ("Scale (share of real size)", "Schaal (deel van de echte omvang)"),
    "scale_help": ("Outputs are always at real size. Below 0.5 results are approximate: intervals come out wider "
                   "than at real size.",
                   "Uitkomsten staan altijd op echte omvang. Onder 0,5 zijn ze een benadering: de intervallen "
                   "worden breder dan op echte omvang."),
    "replications": ("Replications", "Herhalingen"),
    "precise_warning": ("A precise run takes minutes: two scenarios at real size, 20 replications each, about five "
                        "minutes on two cores (less when the baseline was run before). Keep this page open; changing "
                        "a setting while it runs stops it.",
                        "Een nauwkeurige berekening duurt minuten: twee scenario's op echte omvang, elk 20 "
                        "herhalingen, ongeveer vijf minuten op twee kernen (minder als de basislijn al eerder is "
                        "doorgerekend). Laat deze pagina open; een instelling wijzigen tijdens het rekenen stopt het."),
    "approximate_caption": ("Results below scale 0.5 are approximate.",
                            "Uitkomsten onder schaal 0,5 zijn een benadering."),
    "advanced": ("Advanced", "Geavanceerd"),
    "seed": ("Seed", "Startwaarde (seed)"),
    "seed_help": ("The one number all random streams derive from; the scenario and the baseline share it, so their "
                  "difference holds only what the rules change.",
                  "Het getal waaruit alle toevalsreeksen volgen; scenario en basislijn delen het, zodat hun verschil "
                  "alleen bevat wat de regels veranderen."),
    "display": ("Display", "Weergave"),
    "rounded": ("Round as the IND publishes (-, <10, tens)", "Afronden zoals de IND publiceert (-, <10, tientallen)"),
    "rounded_help": ("0 is shown as -, 1 to 9 as <10, everything else rounded to tens, as in the IND report. "
                     "Charts keep the unrounded means.",
                     "0 wordt -, 1 tot en met 9 wordt <10, de rest afgerond op tientallen, zoals in het IND-rapport. "
                     "Grafieken tonen de onafgeronde gemiddelden."),
    "terms": ("Terms used", "Gebruikte begrippen"),
    "terms_here": ("Terms on this tab", "Begrippen op dit tabblad"),
    # --- scenario input -----------------------------------------------------------------------------------
    "step_scenario": ("1. Choose or build a scenario", "1. Kies of bouw een scenario"),
    "tab_shipped": ("Shipped scenarios", "Meegeleverde scenario's"),
    "tab_build": ("Build your own", "Zelf samenstellen"),
    "tab_upload": ("Upload a scenario file", "Scenariobestand uploaden"),
    "shipped_pick": ("Scenario", "Scenario"),
    "descriptions_english": ("Scenario descriptions are written in English, as in the scenario files.",
                             "Scenariobeschrijvingen zijn in het Engels, zoals in de scenariobestanden."),
    "run": ("Run against the baseline", "Vergelijk met de basislijn"),
    "scenario_name": ("Name", "Naam"),
    "scenario_name_help": ("Lowercase letters, digits, _ and -; used as the file and folder name.",
                           "Kleine letters, cijfers, _ en -; wordt de naam van bestand en map."),
    "description": ("Description (optional)", "Beschrijving (optioneel)"),
    "description_placeholder": ("Written from the levers if left empty.",
                                "Wordt uit de hefbomen opgesteld als u dit leeg laat."),
    "projection": ("First asylum inflow after 2025", "Eerste asielinstroom na 2025"),
    "june_2026": ("The June 2026 rules of the baseline (two-status package)",
                  "De regels van juni 2026 in de basislijn (tweestatusstelsel)"),
    "keep_nuclear_family_only": ("Keep: nareis for the nuclear family only, from 12 June 2026",
                                 "Behouden: nareis alleen voor het kerngezin, vanaf 12 juni 2026"),
    "keep_b_status_waiting_period": ("Keep: 2-year waiting period for B-status sponsors, from 12 June 2026",
                                     "Behouden: wachttermijn van 2 jaar voor referenten met B-status, vanaf 12 juni "
                                     "2026"),
    "levers": ("Levers (each from its own date)", "Hefbomen (elk vanaf een eigen datum)"),
    "switch_on": ("Switch on", "Aanzetten"),
    "effective_from": ("In force from", "Van kracht vanaf"),
    "lever_stacking_ban": ("A person whose residence derives from family reunification may not sponsor nareis "
                           "(debated, not enacted). Art. 8 ECHR cannot be banned outright: it gets a proportionality "
                           "test.",
                           "Wie verblijf heeft via gezinshereniging mag geen nareis aanvragen (besproken, niet "
                           "ingevoerd). 8 EVRM kan niet geheel worden uitgesloten: er volgt een belangenafweging."),
    "lever_stricter_interviews": ("More claims that do not hold are detected in the first nareis procedure, at the "
                                  "cost of interview time and some genuine family members refused.",
                                  "Meer onjuiste gezinsclaims worden ontdekt in de eerste nareisprocedure, ten koste "
                                  "van gehoortijd en enkele ten onrechte afgewezen echte gezinsleden."),
    "lever_monthly_cap": ("At most so many nareis grants or arrivals a month (2023 proposal, not enacted); the rest "
                          "wait for the first month with room.",
                          "Hoogstens zoveel nareisinwilligingen of -inreizen per maand (voorstel 2023, niet "
                          "ingevoerd); de rest wacht op de eerste maand met ruimte."),
    "lever_ind_capacity": ("IND decision capacity per route multiplied by a factor (for example extra staff).",
                           "Besliscapaciteit van de IND per route vermenigvuldigd met een factor (bijvoorbeeld extra "
                           "personeel)."),
    "lever_decision_term": ("The nareis decision term becomes longer (bill 36349: 9 months); decisions move later, "
                            "not fewer.",
                            "De beslistermijn voor nareis wordt langer (wetsvoorstel 36349: 9 maanden); beslissingen "
                            "schuiven op, het worden er niet minder."),
    "lever_withdrawal_enforcement": ("A derived permit granted on a family tie that did not exist is withdrawn "
                                     "(intrekking) when found out as the person files as sponsor.",
                                     "Een afgeleide vergunning op een gezinsband die niet bestond wordt ingetrokken "
                                     "als dat blijkt wanneer de persoon zelf als referent aanvraagt."),
    "opt_nareis": ("nareis", "nareis"),
    "opt_art8": ("Art. 8 ECHR", "8 EVRM"),
    "opt_filing": ("applications filed from the date", "aanvragen ingediend vanaf de datum"),
    "opt_filing_and_pending": ("also applications pending on the date", "ook aanvragen die op de datum nog open zijn"),
    "opt_arrivals": ("arrivals", "inreizen"),
    "opt_grants": ("grants", "inwilligingen"),
    "upload_intro": ("A scenario file in YAML, as for `sim run` (at most 256 KB). It may extend a shipped scenario "
                     "by name (`extends: baseline`). It keeps its own time window (at most to 2045); the seed, "
                     "scale and replications come from the run settings.",
                     "Een scenariobestand in YAML, zoals voor `sim run` (hoogstens 256 KB). Het mag een meegeleverd "
                     "scenario uitbreiden op naam (`extends: baseline`). Het houdt zijn eigen periode (hoogstens tot "
                     "2045); seed, schaal en herhalingen komen uit de rekeninstellingen."),
    "example_file": ("Example file", "Voorbeeldbestand"),
    "upload_label": ("Scenario file (.yaml)", "Scenariobestand (.yaml)"),
    "upload_help": ("Checked strictly: unknown or duplicate keys, values out of range and dates outside the run "
                    "are refused with their line and field.",
                    "Streng gecontroleerd: onbekende of dubbele sleutels, waarden buiten bereik en datums buiten de "
                    "periode worden geweigerd met regel en veld."),
    "upload_missing": ("Choose a file first.", "Kies eerst een bestand."),
    "upload_valid": ("Scenario '{name}' is valid.", "Scenario '{name}' is geldig."),
    "invalid_input": ("This scenario cannot be run.", "Dit scenario kan niet worden doorgerekend."),
    "file": ("file", "bestand"),
    "line": ("line", "regel"),
    "field": ("field", "veld"),
    "invalid_mode": ("The run settings are not valid:", "De rekeninstellingen zijn niet geldig:"),
    "starting": ("Starting…", "Starten…"),
    "progress_baseline": ("Baseline: {done} of {total} replications", "Basislijn: {done} van {total} herhalingen"),
    "progress_scenario": ("Scenario: {done} of {total} replications", "Scenario: {done} van {total} herhalingen"),
    "waiting": ("Waiting for a run in progress on this server…", "Wachten op een berekening die op deze server loopt…"),
    "run_failed": ("The run failed:", "De berekening is mislukt:"),
    "empty_state": ("Choose a shipped scenario, build one or upload a file, and run it against the baseline. "
                    "The quick mode answers in seconds.",
                    "Kies een meegeleverd scenario, stel er een samen of upload een bestand, en vergelijk het met "
                    "de basislijn. De snelle modus antwoordt binnen seconden."),
    # --- results ------------------------------------------------------------------------------------------
    "step_results": ("2. Results: {name} against the baseline", "2. Uitkomsten: {name} tegenover de basislijn"),
    "run_summary": ("{mode} · scale {scale} · {replications} replications · seed {seed} · {start}-{horizon} · "
                    "{source} · {seconds} s",
                    "{mode} · schaal {scale} · {replications} herhalingen · seed {seed} · {start}-{horizon} · "
                    "{source} · {seconds} s"),
    "source_shipped": ("shipped scenario", "meegeleverd scenario"),
    "source_built": ("built in the form", "zelf samengesteld"),
    "source_upload": ("uploaded file", "geüpload bestand"),
    "approximate_banner": ("**Approximate.** This run simulated {scale} of real size: figures are scaled up and "
                           "their intervals are wider than at real size. Use the precise mode for figures to report.",
                           "**Benadering.** Deze berekening simuleerde {scale} van de echte omvang: de cijfers zijn "
                           "opgeschaald en hun intervallen zijn breder dan op echte omvang. Gebruik de nauwkeurige "
                           "modus voor cijfers die u rapporteert."),
    "tab_headline": ("Headline", "Kerncijfers"),
    "tab_yearly": ("Per year", "Per jaar"),
    "tab_breakdown": ("Breakdowns", "Uitsplitsingen"),
    "tab_flow": ("Flow diagram", "Stroomdiagram"),
    "tab_calibration": ("Calibration", "Kalibratie"),
    "tab_assumptions": ("Assumptions", "Aannames"),
    "tab_downloads": ("Downloads", "Downloads"),
    "period": ("Period of the totals", "Periode van de totalen"),
    "period_help": ("Headline figures, breakdowns and the flow diagram add up these years.",
                    "Kerncijfers, uitsplitsingen en het stroomdiagram tellen deze jaren op."),
    "band_random": ("random variation only", "alleen toevalsvariatie"),
    "band_calibration": ("random variation and calibration uncertainty", "toevalsvariatie en kalibratieonzekerheid"),
    "calibration_bands": ("Bands include calibration uncertainty", "Banden met kalibratieonzekerheid"),
    "calibration_bands_help": ("Each replication runs one of the calibration's {size} parameter sets (its ensemble) in "
                               "turn instead of the best set, so the bands hold the calibration's uncertainty as well "
                               "as random variation (as `sim run --parameter-uncertainty`). Use at least {size} "
                               "replications (the precise mode has 20) so that every set is used. No band holds the "
                               "model's own structural error: see the calibration tab.",
                               "Elke herhaling rekent om de beurt met een van de {size} parametersets van de "
                               "kalibratie (het ensemble) in plaats van de beste set, zodat de banden naast "
                               "toevalsvariatie ook de onzekerheid van de kalibratie bevatten (zoals `sim run "
                               "--parameter-uncertainty`). Gebruik minstens {size} herhalingen (de nauwkeurige modus "
                               "heeft er 20), zodat elke set meedoet. Geen band bevat de structurele fout van het "
                               "model zelf: zie het tabblad kalibratie."),
    "calibration_bands_none": ("There is no calibration ensemble to draw from (run `sim calibrate`).",
                               "Er is geen kalibratie-ensemble om uit te trekken (draai `sim calibrate`)."),
    "calibration_bands_few": ("At {used} replications only {used} of the {size} parameter sets are used.",
                              "Bij {used} herhalingen doen maar {used} van de {size} parametersets mee."),
    "metric_label": ("{series}: {measure} {first}-{last}", "{series}: {measure} {first}-{last}"),
    "vs_baseline": ("vs baseline", "t.o.v. basislijn"),
    "metric_help": ("Scenario total. Baseline: {baseline}. 90% interval of the difference: {interval}.",
                    "Totaal in het scenario. Basislijn: {baseline}. 90%-interval van het verschil: {interval}."),
    "headline_heading": ("{measure} {first}-{last}", "{measure} {first}-{last}"),
    "col_flow": ("Flow", "Stroom"),
    "col_baseline": ("Baseline", "Basislijn"),
    "col_scenario": ("Scenario", "Scenario"),
    "col_difference": ("Difference", "Verschil"),
    "col_interval": ("90% interval of the difference", "90%-interval van het verschil"),
    "col_category": ("Category", "Categorie"),
    "col_interval_short": ("90% interval", "90%-interval"),
    "col_from": ("From", "Van"),
    "col_persons": ("Persons", "Personen"),
    "col_to": ("To", "Naar"),
    "headline_caption": ("Totals over the period, mean over replications. The difference is taken replication by "
                         "replication (same seed), so its 90% interval (5th to 95th percentile) holds what the rules "
                         "change; intervals hold {band}. Arrivals count persons entering the Netherlands; a family "
                         "migrant's own asylum claim has no arrival.",
                         "Totalen over de periode, gemiddeld over de herhalingen. Het verschil wordt per herhaling "
                         "genomen (zelfde seed), dus het 90%-interval (5e tot 95e percentiel) bevat wat de regels "
                         "veranderen; intervallen bevatten {band}. Inreizen tellen personen die Nederland "
                         "binnenkomen; een eigen asielaanvraag van een gezinsmigrant heeft geen inreis."),
    "series": ("Flow", "Stroom"),
    "measure": ("Measure", "Maat"),
    "year": ("Year", "Jaar"),
    "per_year": ("per year", "per jaar"),
    "history_projection": ("history | projection", "historie | projectie"),
    "yearly_caption": ("Lines: mean over replications. Bands: 5th to 95th percentile, {band}. Grey dashed line: "
                       "end of the data (2023) and start of the projection (2024). Red dashed lines: start of the "
                       "scenario's policy changes.",
                       "Lijnen: gemiddelde over de herhalingen. Banden: 5e tot 95e percentiel, {band}. Grijze "
                       "stippellijn: einde van de data (2023) en begin van de projectie (2024). Rode stippellijnen: "
                       "begin van de beleidswijzigingen van het scenario."),
    "hist_ind": ("IND report (interval of the rounded figure)", "IND-rapport (interval van het afgeronde cijfer)"),
    "hist_cbs": ("CBS nareis arrivals", "CBS-nareizigers"),
    "history_caption": ("Black diamonds and bars: the published history. IND figures are rounded to tens, so each "
                        "stands for an interval (a bar); CBS counts nareis arrivals of all nareis flows.",
                        "Zwarte ruiten en balken: de gepubliceerde historie. IND-cijfers zijn afgerond op tientallen "
                        "en staan dus voor een interval (een balk); het CBS telt nareizigers van alle nareisstromen."),
    "grants_history_note": ("The IND counts grants by year of application (see the Calibration tab); this chart "
                            "counts them by year of decision, so the report's figures are not drawn here.",
                            "De IND telt inwilligingen naar jaar van aanvraag (zie het tabblad Kalibratie); deze "
                            "grafiek telt naar jaar van beslissing, dus de rapportcijfers staan hier niet."),
    "difference_heading": ("Difference scenario - baseline per year (paired by replication)",
                           "Verschil scenario - basislijn per jaar (per herhaling gepaard)"),
    "difference_axis": ("difference per year", "verschil per jaar"),
    "numbers": ("The numbers", "De cijfers"),
    "by_relation": ("By family relation to the sponsor", "Naar gezinsrelatie met de referent"),
    "by_status": ("By the sponsor's status (A/B)", "Naar status van de referent (A/B)"),
    "nothing_to_break_down": ("Nothing to break down in this period.", "Niets uit te splitsen in deze periode."),
    "no_breakdown_first": ("First asylum claims have no sponsor: choose another flow.",
                           "Eerste asielaanvragen hebben geen referent: kies een andere stroom."),
    "breakdown_caption": ("Totals over the period. Relation: of the family member to the sponsor (the person in the "
                          "Netherlands the application is for). Status: the sponsor's own asylum status when the "
                          "application is filed. Bars: mean; lines: 90% interval, {band}.",
                          "Totalen over de periode. Relatie: van het gezinslid tot de referent (de persoon in "
                          "Nederland voor wie de aanvraag is). Status: de eigen asielstatus van de referent bij de "
                          "aanvraag. Balken: gemiddelde; lijnen: 90%-interval, {band}."),
    "show_run": ("Show", "Toon"),
    "sankey_title": ("Persons, {first}-{last} (mean over replications)",
                     "Personen, {first}-{last} (gemiddeld over herhalingen)"),
    "node_sponsors": ("Asylum permits (sponsors)", "Asielvergunningen (referenten)"),
    "node_nareis": ("Nareis arrivals", "Nareizigers"),
    "node_art8": ("Art. 8 ECHR arrivals", "Inreizen 8 EVRM"),
    "node_own_asylum": ("Own asylum granted (family migrants)", "Eigen asiel verleend (gezinsmigranten)"),
    "node_next_nareis": ("Next generation: nareis arrivals", "Volgende generatie: nareizigers"),
    "node_next_art8": ("Next generation: Art. 8 ECHR arrivals", "Volgende generatie: inreizen 8 EVRM"),
    "sankey_caption": ("From yearly totals of the period: asylum permits of first claims, the family that followed "
                       "(nareis, Art. 8 ECHR), family migrants' own asylum grants (which let them sponsor nareis), and "
                       "the next generation's arrivals. A sponsor can bring several people, so a node can send on more "
                       "than it receives. Own asylum grants are split between nareis and Art. 8 entrants in proportion "
                       "to their arrivals (an approximation: the totals do not say by which route each came).",
                       "Uit de jaartotalen van de periode: asielvergunningen op eerste aanvragen, het gezin dat volgde "
                       "(nareis, 8 EVRM), eigen asielvergunningen van gezinsmigranten (waarmee zij nareis kunnen "
                       "aanvragen) en de inreizen van de volgende generatie. Een referent kan meerdere personen "
                       "overhalen, dus een knoop kan meer doorgeven dan hij ontvangt. Eigen asielvergunningen zijn "
                       "naar verhouding van de inreizen over nareis- en 8 EVRM-migranten verdeeld (een benadering)."),
}

if set(TEXT) & set(EVIDENCE_TEXT):
    raise ValueError(f"message keys defined twice: {sorted(set(TEXT) & set(EVIDENCE_TEXT))}")
TEXT.update(EVIDENCE_TEXT)


def tr(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` (``en`` or ``nl``).

    Raises:
        KeyError: for an unknown key (a bug, caught by the tests).
    """
    en, nl = TEXT[key]
    return nl if lang == "nl" else en
