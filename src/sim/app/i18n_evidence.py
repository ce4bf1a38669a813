"""The words of the page's evidence (calibration, assumptions, downloads: :mod:`sim.app.page_evidence`) in English
and Dutch, as ``key: (English, Dutch)``; :data:`sim.app.i18n.TEXT` includes them.
"""

from __future__ import annotations

__all__ = ["EVIDENCE_TEXT"]

EVIDENCE_TEXT: dict[str, tuple[str, str]] = {
    # --- calibration --------------------------------------------------------------------------------------
    "not_calibrated": ("**The parameters are not yet calibrated.** Of the model's parameters, {assumption} are priors "
                       "marked *assumption* (each with its reason), {source} come from a published *source* and "
                       "{calibrated} are *calibrated*. The comparison below shows how far these priors are from the "
                       "IND tables; it is not evidence of fit.",
                       "**De parameters zijn nog niet gekalibreerd.** Van de parameters van het model zijn er "
                       "{assumption} aannames vooraf (gemarkeerd als *aanname*, elk met reden), {source} komen uit een "
                       "gepubliceerde *bron* en {calibrated} zijn *gekalibreerd*. De vergelijking hieronder toont hoe "
                       "ver deze aannames van de IND-tabellen af liggen; het is geen bewijs van een goede "
                       "aansluiting."),
    "calibrated_note": ("{calibrated} model parameters and {series} values of the input series (decisions a month, "
                        "grant shares) are calibrated to the IND tables by `sim calibrate` ({date}, code {code}, "
                        "seed {seed}, {evaluations} model runs); {source} model parameters come from a published "
                        "source and {assumption} are assumptions.",
                        "{calibrated} modelparameters en {series} waarden van de invoerreeksen (beslissingen per "
                        "maand, inwilligingsaandelen) zijn gekalibreerd op de IND-tabellen met `sim calibrate` "
                        "({date}, code {code}, seed {seed}, {evaluations} modelberekeningen); {source} "
                        "modelparameters komen uit een gepubliceerde bron en {assumption} zijn aannames."),
    "fit_flat": ("**How far to trust the fit.** {flat} of the {fitted} calibrated values are not pinned down by the "
                 "IND tables (their profile is flat, both ways or one way): {names}. Read them as values that suit "
                 "the tables, not as findings.",
                 "**Hoe ver de fit te vertrouwen is.** {flat} van de {fitted} gekalibreerde waarden liggen niet vast "
                 "door de IND-tabellen (hun profiel is vlak, naar beide kanten of naar één kant): {names}. Lees ze "
                 "als waarden die bij de tabellen passen, niet als bevindingen."),
    "flat_upper": ("only higher values are ruled out", "alleen hogere waarden zijn uitgesloten"),
    "flat_lower": ("only lower values are ruled out", "alleen lagere waarden zijn uitgesloten"),
    "fit_flat_none": ("**How far to trust the fit.** Each of the {fitted} calibrated values moves the fit to the IND "
                      "tables when it changes (no flat profile).",
                      "**Hoe ver de fit te vertrouwen is.** Elk van de {fitted} gekalibreerde waarden verandert de "
                      "aansluiting op de IND-tabellen als hij verandert (geen vlak profiel)."),
    "fit_held_out": ("The fit was chosen on the random numbers of one seed. On {seeds} other seeds its objective "
                     "(lower is better) is {best} against {priors} for the priors; on its own seed {own}. The "
                     "difference shows how much of the fit belongs to that seed's random numbers.",
                     "De fit is gekozen op de toevalsgetallen van één seed. Op {seeds} andere seeds is de doelfunctie "
                     "(lager is beter) {best} tegen {priors} voor de aannames vooraf; op de eigen seed {own}. Het "
                     "verschil laat zien hoeveel van de fit bij de toevalsgetallen van die seed hoort."),
    "fit_held_out_from_file": ("The fit was chosen on the random numbers of one seed. On {seeds} other seeds its "
                               "objective (lower is better) is {best} against {priors} for the values it started "
                               "from; on its own seed {own}. The difference shows how much the search added, and "
                               "how much of that belongs to that seed's random numbers.",
                               "De fit is gekozen op de toevalsgetallen van één seed. Op {seeds} andere seeds is de "
                               "doelfunctie (lager is beter) {best} tegen {priors} voor de waarden waarmee de "
                               "zoektocht begon; op de eigen seed {own}. Het verschil laat zien wat de zoektocht "
                               "toevoegde, en hoeveel daarvan bij de toevalsgetallen van die seed hoort."),
    "fit_own_with_priors": ("{best} against {priors}", "{best} tegen {priors}"),
    "fit_held_out_missing": ("This calibration was not scored on other seeds when it was made (its objective on its "
                             "own seed: {own}); docs/calibration.md gives that score.",
                             "Deze kalibratie is bij het maken niet op andere seeds beoordeeld (doelfunctie op de "
                             "eigen seed: {own}); docs/calibration.md geeft die score."),
    "fit_starts": ("The optimiser ran from {starts} starting points (the priors and points drawn around them) and "
                   "kept start {kept}: its best set scored {kept_mean} on {seeds} other seeds (not the held-out "
                   "ones), against {others} for the other starts' best sets.",
                   "De optimalisatie is vanuit {starts} beginpunten gestart (de aannames vooraf en punten daaromheen "
                   "getrokken) en hield start {kept}: de beste set daarvan scoorde {kept_mean} op {seeds} andere "
                   "seeds (niet de achtergehouden seeds), tegen {others} voor de beste sets van de andere starts."),
    "fit_one_start": ("The optimiser ran from one starting point, the priors. Such a search depends on its path: "
                      "docs/calibration.md shows the same model, started elsewhere, ending worse on other seeds; "
                      "`sim calibrate --starts` runs several starts and keeps the one that holds best.",
                      "De optimalisatie is vanuit één beginpunt gestart, de aannames vooraf. Zo'n zoektocht hangt af "
                      "van zijn pad: docs/calibration.md laat hetzelfde model, elders gestart, slechter eindigen op "
                      "andere seeds; `sim calibrate --starts` draait meerdere starts en houdt de beste."),
    "fit_one_start_file": ("The optimiser started from the values in `{file}` (`sim calibrate --start`), not from "
                           "the priors: the search went on from where those values came from and inherits that "
                           "path. The held-out scores above compare its result with those starting values, on "
                           "seeds neither was fitted on.",
                           "De optimalisatie begon bij de waarden in `{file}` (`sim calibrate --start`), niet bij de "
                           "aannames vooraf: de zoektocht ging verder waar die waarden vandaan kwamen en erft dat "
                           "pad. De scores op achtergehouden seeds hierboven vergelijken het resultaat met die "
                           "beginwaarden, op seeds waarop geen van beide gefit is."),
    "fit_ensemble": ("The ensemble of {size} parameter sets for bands with calibration uncertainty (`sim run "
                     "--parameter-uncertainty`) has an effective sample size of {ess}: {verdict} {bands}",
                     "Het ensemble van {size} parametersets voor banden met kalibratieonzekerheid (`sim run "
                     "--parameter-uncertainty`) heeft een effectieve steekproefomvang van {ess}: {verdict} {bands}"),
    "fit_bands_random": ("The bands on this page hold random variation only (the sidebar's switch *Bands include "
                         "calibration uncertainty* runs the members).",
                         "De banden op deze pagina bevatten alleen toevalsvariatie (de schakelaar *Banden met "
                         "kalibratieonzekerheid* in de zijbalk rekent met de leden)."),
    "fit_bands_members": ("The bands on this page come from runs on these members, one per replication in turn.",
                          "De banden op deze pagina komen uit berekeningen met deze leden, om de beurt één per "
                          "herhaling."),
    "fit_ensemble_objectives": ("Its members' objectives on the calibration's seed run from {low} to {high}, against "
                                "{best} at the best set.",
                                "De doelfunctie van de leden op de seed van de kalibratie loopt van {low} tot {high}, "
                                "tegen {best} bij de beste set."),
    "ensemble_poor": ("too small for those bands to represent the fit's uncertainty faithfully.",
                      "te klein om de onzekerheid van de fit getrouw weer te geven."),
    "ensemble_fair": ("enough for those bands to give an idea of the fit's uncertainty.",
                      "genoeg om met die banden een idee van de onzekerheid van de fit te geven."),
    "no_reference_date": ("This run does not cover 31 December 2023, the date of the IND tables.",
                          "Deze berekening loopt niet over 31 december 2023, de peildatum van de IND-tabellen."),
    "calibration_intro": ("Each table of the IND report beside the model's baseline, as the IND counts: applications "
                          "by year of application with their status on **31 December 2023**. A published figure is "
                          "rounded, so it stands for an interval (`-` is 0, `<10` is 1-9, `10` is 10-14, any other "
                          "v is v-5 to v+4). The model's mean lies within the published interval for **{inside} of "
                          "{total}** published figures.",
                          "Elke tabel van het IND-rapport naast de basislijn van het model, geteld zoals de IND telt: "
                          "aanvragen naar jaar van aanvraag met hun stand op **31 december 2023**. Een gepubliceerd "
                          "cijfer is afgerond en staat dus voor een interval (`-` is 0, `<10` is 1-9, `10` is 10-14, "
                          "elk ander getal v is v-5 tot v+4). Het gemiddelde van het model ligt binnen het interval "
                          "bij "
                          "**{inside} van de {total}** gepubliceerde cijfers."),
    "bands_intro": ("**The bands the calibration is held to**, judged on this run: **{passed} of {total}** met.",
                    "**De marges waaraan de kalibratie wordt gehouden**, beoordeeld op deze berekening: **{passed} "
                    "van de {total}** gehaald."),
    "bands_caption": ("Judged as `sim fit-report` judges them. A cell counts as covered when its published interval "
                      "overlaps the model's 90% predictive interval for a published count (a negative binomial around "
                      "the mean over replications, widened by the uncertainty of that mean), which differs from the "
                      "spread over replications in the tables "
                      "below. The calibration tests check the same bands on seed 1 with 10 replications at scale 0.5; "
                      "other run settings give other figures, and a smaller run covers more cells because its mean is "
                      "less certain and its intervals wider. docs/calibration.md says why the bands that are "
                      "missed are missed, and which questions to the IND would settle them.",
                      "Beoordeeld zoals `sim fit-report` dat doet. Een cel telt als gedekt wanneer het gepubliceerde "
                      "interval overlapt met het 90%-voorspellingsinterval van het model voor een gepubliceerd aantal "
                      "(een negatief-binomiale verdeling rond het gemiddelde over de herhalingen, verbreed met de "
                      "onzekerheid van dat gemiddelde); dat verschilt van de"
                      " spreiding over herhalingen in de tabellen hieronder. De kalibratietests toetsen dezelfde marges"
                      " op seed 1 met 10 herhalingen op schaal 0,5; andere instellingen geven andere cijfers, en een "
                      "kleinere berekening dekt meer cellen omdat het "
                      "gemiddelde onzekerder is en de intervallen breder. "
                      "docs/calibration.md legt uit waarom de gemiste marges gemist worden, en welke vragen aan de IND "
                      "daarover uitsluitsel zouden geven."),
    "bands_kind": ("The model's intervals in this run hold {band}.",
                   "De intervallen van het model in deze berekening bevatten {band}."),
    "col_band": ("Band", "Marge"),
    "col_rule": ("Rule", "Regel"),
    "col_met": ("Figures that meet it", "Cijfers die eraan voldoen"),
    "col_passed": ("Met", "Gehaald"),
    "of": ("of", "van"),
    "band_cells": ("Published cells covered", "Gedekte gepubliceerde cellen"),
    "rule_cells": ("{low}-{high} of the cells overlap the model's 90% interval",
                   "{low}-{high} van de cellen overlapt met het 90%-interval van het model"),
    "band_totals": ("Table totals", "Tabeltotalen"),
    "rule_near": ("model mean within {tol} or 10 persons of the published figure, whichever is larger",
                    "gemiddelde van het model binnen {tol} of 10 personen van het gepubliceerde cijfer, het grootste "
                    "van de twee"),
    "band_pending": ("Pending on 31-12-2023", "Nog open op 31-12-2023"),
    "band_share": ("Nareis-on-nareis share of granted nareis 2019-2022", "Aandeel nareis op nareis in ingewilligde "
                   "nareis 2019-2022"),
    "rule_share": ("between 0.5% and 2% (IND: about 1%)", "tussen 0,5% en 2% (IND: ca. 1%)"),
    "band_arrivals": ("CBS nareis arrivals 2016-2023", "CBS-nareizigers 2016-2023"),
    "rule_arrivals": ("model mean within {tol} of CBS, every year", "gemiddelde van het model binnen {tol} van CBS, "
                      "elk jaar"),
    "calibration_approximate": ("Quick runs are approximate: small counts are noisy at this scale.",
                                "Snelle berekeningen zijn een benadering: kleine aantallen zijn op deze schaal "
                                "onrustig."),
    "ind_title": ("Title in the IND report", "Titel in het IND-rapport"),
    "col_measure": ("Measure", "Maat"),
    "col_years": ("Application year", "Jaar van aanvraag"),
    "col_published": ("Published", "Gepubliceerd"),
    "col_means": ("Stands for", "Betekent"),
    "col_model": ("Model (mean)", "Model (gemiddelde)"),
    "col_model_interval": ("Model 90% interval", "Model 90%-interval"),
    "col_within": ("Mean within", "Gemiddelde binnen"),
    "kind_row_total": ("total", "totaal"),
    "kind_column_total": ("column total", "kolomtotaal"),
    "kind_table_total": ("table total", "tabeltotaal"),
    "kind_pending": ("pending on 31-12-2023", "nog open op 31-12-2023"),
    "application_year": ("Year of application", "Jaar van aanvraag"),
    "persons": ("persons", "personen"),
    "cbs_heading": ("Nareis arrivals per year: CBS and the model", "Nareizigers per jaar: CBS en het model"),
    "col_cbs": ("CBS", "CBS"),
    "source": ("Source", "Bron"),
    "calibration_caption": ("Model: the baseline run shown above (its mean and 5th-95th percentile over "
                            "replications). Grey bars: the interval each published figure stands for; orange: the "
                            "model.",
                            "Model: de basislijnberekening hierboven (gemiddelde en 5e-95e percentiel over de "
                            "herhalingen). Grijze balken: het interval van elk gepubliceerd cijfer; oranje: het "
                            "model."),
    # --- assumptions --------------------------------------------------------------------------------------
    "scenario_heading": ("Scenario {name}", "Scenario {name}"),
    "projection_line": ("First asylum inflow after the data: **{projection}** projection.",
                        "Eerste asielinstroom na de data: projectie **{projection}**."),
    "rules_changed": ("Rules this scenario changes", "Regels die dit scenario wijzigt"),
    "rules_baseline": ("Rules as in the baseline", "Regels zoals in de basislijn"),
    "none": ("none", "geen"),
    "switched_off": ("switched off in this scenario", "uitgezet in dit scenario"),
    "legal_basis": ("Legal basis and how the model applies it:", "Juridische grondslag en hoe het model die toepast:"),
    "parameters_heading": ("Model parameters", "Modelparameters"),
    "col_parameter": ("Parameter", "Parameter"),
    "col_value": ("Value", "Waarde"),
    "col_unit": ("Unit", "Eenheid"),
    "col_range": ("Allowed range", "Toegestaan bereik"),
    "col_provenance": ("Provenance", "Herkomst"),
    "col_note": ("Source or reason", "Bron of reden"),
    "parameters_caption": ("Every value is a published source (cited), calibrated, or an assumption with its reason. "
                           "Values set by the scenario are assumptions of the scenario.",
                           "Elke waarde is een gepubliceerde bron (met vindplaats), gekalibreerd, of een aanname met "
                           "reden. Waarden die het scenario zet, zijn aannames van het scenario."),
    "inputs_heading": ("Input series", "Invoerreeksen"),
    "projection_word": ("projection", "projectie"),
    # --- downloads ----------------------------------------------------------------------------------------
    "download_approximate": ("These results are approximate (scale below 0.5); the files say so in their scale.",
                             "Deze uitkomsten zijn een benadering (schaal onder 0,5); de bestanden vermelden de "
                             "schaal."),
    "dl_comparison": ("Comparison (CSV)", "Vergelijking (CSV)"),
    "dl_yearly": ("Per year, both runs (CSV)", "Per jaar, beide berekeningen (CSV)"),
    "dl_excel": ("Workbook (Excel)", "Werkmap (Excel)"),
    "dl_yaml": ("Scenario file (YAML)", "Scenariobestand (YAML)"),
    "dl_zip": ("Everything (ZIP: run folders, files)", "Alles (ZIP: resultaatmappen, bestanden)"),
    "command_heading": ("Reproduce on the command line", "Opnieuw berekenen op de opdrachtregel"),
    "command_caption": ("Save the scenario file under the name in the command, in the project folder; the command runs "
                        "the baseline and the scenario with the same settings and writes the same CSV files.",
                        "Sla het scenariobestand op onder de naam in de opdracht, in de projectmap; de opdracht rekent "
                        "basislijn en scenario door met dezelfde instellingen en schrijft dezelfde CSV-bestanden."),
    "window_note": ("This scenario's period differs from the shipped baseline's; save this file as "
                    "baseline_window.yaml beside it:",
                    "De periode van dit scenario wijkt af van die van de basislijn; sla dit bestand op als "
                    "baseline_window.yaml ernaast:"),
    "yaml_heading": ("Scenario file {file}", "Scenariobestand {file}"),
}
