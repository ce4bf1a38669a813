"""The Streamlit app: the page through ``streamlit.testing.v1.AppTest``, and its helpers in ``sim.app``.

The page tests run real comparisons at a tiny scale (custom mode, scale 0.03, 2 replications), so they take
seconds. The helper tests need no page.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the app extra is not installed (pip install -e '.[app]')")

from streamlit.testing.v1 import AppTest  # noqa: E402

from sim.app import exports, figures  # noqa: E402
from sim.app.i18n import TEXT, tr  # noqa: E402
from sim.app.levers import LEVERS, FormValues, build_scenario  # noqa: E402
from sim.app.page_evidence import bands_frame, fit_quality_text  # noqa: E402
from sim.app.publish import published, published_difference  # noqa: E402
from sim.app.runs import Engine, Mode, baseline_for, run_comparison  # noqa: E402
from sim.app.scenario_files import LIMITS, command_line, load_shipped, load_upload, safe_file_label, scenario_yaml  # noqa: E402
from sim.calibration.report import Band  # noqa: E402
from sim.calibration.targets import interval  # noqa: E402
from sim.compare import COLUMNS  # noqa: E402
from sim.rules import RULES  # noqa: E402
from sim.scenario import Scenario  # noqa: E402
from sim.yamlio import MAX_FILE_BYTES, InputError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app_streamlit.py")
TINY = {"scale": 0.03, "replications": 2}


def _number(text: str) -> float:
    """A number as the page shows it (English separators, real minus sign, '-' for none)."""
    text = text.strip().replace(",", "").replace("\u2212", "-")
    return 0.0 if text == "-" else float(text)


def _app() -> AppTest:
    import streamlit.config

    streamlit.config.set_option("client.showErrorDetails", "full")
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def _tiny_custom_mode(at: AppTest) -> None:
    at.sidebar.radio(key="mode@en").set_value("custom").run()
    at.sidebar.number_input(key="custom_scale").set_value(TINY["scale"])
    at.sidebar.number_input(key="custom_replications").set_value(TINY["replications"]).run()
    assert not at.exception, at.exception


def _submit(at: AppTest, form: str) -> None:
    next(b for b in at.button if b.proto.form_id == form).click().run()
    assert not at.exception, at.exception


def _headline(at: AppTest, measure_index: int = 0):
    tables = [d.value for d in at.dataframe if "Flow" in d.value.columns and "Baseline" in d.value.columns]
    return tables[measure_index].set_index("Flow")


# --- the page -------------------------------------------------------------------------------------------------

def test_page_loads_without_exceptions():
    at = _app()
    assert at.title[0].value == tr("title", "en")
    assert any(tr("empty_state", "en") in i.value for i in at.info)
    assert [t.label for t in at.tabs][:3] == [tr("tab_shipped", "en"), tr("tab_build", "en"), tr("tab_upload", "en")]


def test_stacking_ban_lowers_nareis_on_nareis_after_its_start():
    at = _app()
    _tiny_custom_mode(at)
    at.checkbox(key="lv_stacking_ban_on").check()
    at.date_input(key="lv_stacking_ban_from").set_value(dt.date(2027, 1, 1))
    at.text_input(key="build_name").input("ban_from_2027")
    _submit(at, "build_form")
    assert not at.error, [e.value for e in at.error]
    assert any("ban_from_2027 against the baseline" in h.value for h in at.header)
    assert any("Approximate" in w.value for w in at.warning)  # scale 0.03 is marked approximate

    row = _headline(at).loc["Nareis on nareis"]  # applications 2027-2035
    assert _number(row["Scenario"]) < _number(row["Baseline"])
    assert _number(row["Difference"]) < 0

    # The calibration view judges the baseline of this run against the bands the calibration is held to.
    bands = next(d.value for d in at.dataframe if "Band" in d.value.columns)
    assert list(bands["Band"]) == [tr(f"band_{k}", "en") for k in ("cells", "totals", "pending", "share", "arrivals")]
    assert set(bands["Met"]) <= {"✓", "✗"} and all(" of " in v for v in bands["Figures that meet it"])
    passed = (bands["Met"] == "✓").sum()
    assert any(f"**{passed} of 5** met" in m.value for m in at.markdown)

    # Per year (the numbers under the chart): no year from the start on is higher than the baseline, and
    # the years before the start are identical (same seed, same rules until then).
    at.selectbox(key="yearly_series@en").set_value("nareis_on_nareis")
    at.selectbox(key="yearly_measure@en").set_value("applications").run()
    per_year = next(d.value for d in at.dataframe if "Year" in d.value.columns).set_index("Year")
    for year, r in per_year.iterrows():
        base, scen = _number(r["Baseline"]), _number(r["ban_from_2027"])
        if int(year) >= 2027:
            assert scen <= base, year
        else:
            assert scen == base, year


def test_bands_with_calibration_uncertainty_are_chosen_in_the_sidebar_and_named_on_the_page():
    """The sidebar switch runs both the scenario and its baseline on the calibration's ensemble members; the page
    then names the kind of band wherever it shows one, warns when the run is too small to use every member, and the
    downloaded command line reproduces it."""
    from sim.output import BAND_WITH_CALIBRATION
    from sim.parameters import ensemble_size

    size = ensemble_size()
    assert size >= 10 and tr("band_calibration", "en") == BAND_WITH_CALIBRATION
    at = _app()
    _tiny_custom_mode(at)
    assert not at.sidebar.toggle(key="parameter_uncertainty").value
    at.sidebar.toggle(key="parameter_uncertainty").set_value(True).run()
    few = tr("calibration_bands_few", "en").format(used=TINY["replications"], size=size)
    assert any(c.value == few for c in at.sidebar.caption)
    at.button(key="run_shipped").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    cmp = at.session_state["comparison"]
    assert cmp.scenario.scenario.run.parameter_uncertainty and cmp.baseline.scenario.run.parameter_uncertainty
    captions = [c.value for c in at.caption]
    assert any(f"intervals hold {BAND_WITH_CALIBRATION}" in c for c in captions)
    assert any(tr("bands_kind", "en").format(band=BAND_WITH_CALIBRATION) in c for c in captions)
    assert any(tr("fit_bands_members", "en") in m.value for m in at.markdown)
    assert any(c.value.endswith("--compare-to baseline --parameter-uncertainty") for c in at.code)
    # Switched off again: a run of random variation only, named so (and the Dutch page says it in Dutch).
    at.sidebar.toggle(key="parameter_uncertainty").set_value(False).run()
    at.button(key="run_shipped").click().run()
    at.sidebar.radio(key="lang").set_value("nl").run()
    assert not at.exception
    assert not at.session_state["comparison"].scenario.scenario.run.parameter_uncertainty
    assert any(tr("bands_kind", "nl").format(band=tr("band_random", "nl")) in c.value for c in at.caption)


def test_invalid_upload_shows_line_and_field():
    at = _app()
    bad = (b"name: too_many\nextends: baseline\ndescription: More replications than allowed.\n"
           b"run:\n  replications: 0\n")
    at.file_uploader(key="upload_file").upload("bad.yaml", bad, "application/x-yaml")
    _submit(at, "upload_form")
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "bad.yaml:5: field 'run.replications'" in errors[0]
    assert "**line** 5" in errors[0] and "`run.replications`" in errors[0]
    assert "comparison" not in at.session_state  # nothing ran


def test_upload_with_a_path_in_extends_is_refused_in_the_page():
    at = _app()
    text = b"name: sneaky\nextends: ../../etc/passwd\ndescription: A path.\n"
    at.file_uploader(key="upload_file").upload("sneaky.yaml", text, "application/x-yaml")
    _submit(at, "upload_form")
    assert "field 'extends'" in at.error[0].value and "not a path" in at.error[0].value


def test_language_switch_changes_the_labels():
    at = _app()
    assert at.header[0].value == tr("step_scenario", "en")
    at.sidebar.radio(key="mode@en").set_value("precise").run()
    at.sidebar.radio(key="lang").set_value("nl").run()
    assert not at.exception
    assert at.title[0].value == tr("title", "nl") == "Gestapelde gezinshereniging: beleidssimulator"
    assert at.header[0].value == "1. Kies of bouw een scenario"
    assert [t.label for t in at.tabs][:3] == ["Meegeleverde scenario's", "Zelf samenstellen",
                                             "Scenariobestand uploaden"]
    assert at.sidebar.radio(key="mode@nl").options[0] == "Snel (benadering)"
    assert at.sidebar.radio(key="mode@nl").value == "precise"  # the choice is kept across languages
    assert at.sidebar.warning[0].value == tr("precise_warning", "nl")


# --- helpers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "text"), [(0, "-"), (0.4, "-"), (0.6, "<10"), (9.4, "<10"), (10, "10"),
                                             (14.4, "10"), (15, "20"), (884, "880"), (885, "890"), (1044, "1040")])
def test_rounding_as_published(count, text):
    assert published(count) == text
    if text not in ("-", "<10"):
        low, high = interval(text)
        assert low <= round(count) <= high


def test_rounded_differences_keep_their_sign():
    assert published_difference(0.2) == "0"
    assert published_difference(-3) == "\u2212<10"
    assert published_difference(126) == "+130"
    assert published_difference(-835) == "\u2212840"


def test_every_text_has_both_languages():
    for key, (en, nl) in TEXT.items():
        assert en.strip() and nl.strip(), key
        assert en.count("{") == nl.count("{"), key


def test_levers_are_the_registry_rules():
    assert {lever.rule for lever in LEVERS} == {"stricter_interviews", "stacking_ban", "monthly_cap",
                                               "ind_capacity", "decision_term", "withdrawal_enforcement"}
    assert all(lever.rule in RULES for lever in LEVERS)


def _all_levers_on() -> FormValues:
    levers = {lever.rule: {"from": dt.date(2028, 3, 1)} for lever in LEVERS}
    levers["stacking_ban"] |= {"routes": ["nareis", "art8"], "art8_grant_prob": 0.2}
    return FormValues("everything", "", "high", levers, ("nuclear_family_only",))


def test_built_scenario_yaml_reproduces_it():
    scenario, child = build_scenario(_all_levers_on(), load_shipped("baseline"), {})
    scenario = scenario.with_run(scale=0.05, replications=4, seed=7)
    text = scenario_yaml(scenario, "note")
    again = Scenario.from_text(text, "everything.yaml")
    assert again.digest() == scenario.digest()
    assert "extends: baseline" in text and "nuclear_family_only: []" in text
    assert child["rules"]["stacking_ban"][0]["from"] == dt.date(2028, 3, 1)
    assert "stacking ban from 2028-03-01" in scenario.description


def test_shipped_and_uploaded_scenarios_round_trip():
    for name in ("stacking_ban_nareis", "package_2027", "pre_2026_rules", "high_inflow"):
        scenario = load_shipped(name).with_run(scale=0.05, replications=4)
        assert Scenario.from_text(scenario_yaml(scenario)).digest() == scenario.digest()
    upload = load_upload(b"name: mine\nextends: stacking_ban_all\ndescription: d\ninflow: {projection: low}\n",
                         "mine.yaml")
    assert Scenario.from_text(scenario_yaml(upload)).digest() == upload.digest()


def test_form_errors_name_the_field():
    with pytest.raises(InputError) as err:
        build_scenario(FormValues(name="Not Valid"), load_shipped("baseline"), {})
    assert err.value.field == "name"
    with pytest.raises(InputError, match="baseline"):
        build_scenario(FormValues(name="baseline"), load_shipped("baseline"), {})


@pytest.mark.parametrize(("text", "field", "line"), [
    (b"name: baseline\ndescription: d\n", "name", 1),
    (b"name: far\nextends: baseline\ndescription: d\nrun:\n  horizon: 2046-12-31\n", "run.horizon", 5),
    (b"name: early\nextends: baseline\ndescription: d\nrun: {start: 2010-01-01}\n", "run.start", 4),
    (b"name: p\nextends: /etc/passwd\ndescription: d\n", "extends", 2),
    (b"name: a\ndescription: d\nname: b\n", "name", 3),
])
def test_upload_refusals(text, field, line):
    with pytest.raises(InputError) as err:
        load_upload(text, "x.yaml")
    assert (err.value.field, err.value.line) == (field, line)


def test_upload_size_limit_and_file_label():
    with pytest.raises(InputError, match="limit"):
        load_upload(b"#" * (MAX_FILE_BYTES + 1), "big.yaml")
    assert safe_file_label("../../etc/pass wd.yaml") == "pass_wd.yaml"
    assert safe_file_label("C:\\x\\..\\evil.yml") == "evil.yml"
    assert safe_file_label(None) == "upload.yaml"
    assert LIMITS.max_replications == 50 and LIMITS.last_horizon == dt.date(2045, 12, 31)


def test_comparison_in_memory_matches_the_command_line_files(tmp_path):
    engine = Engine(workers=1)
    scenario = load_shipped("stacking_ban_nareis")
    mode = Mode("custom", **TINY)
    cmp = run_comparison(scenario, mode, engine, "shipped")
    assert cmp.approximate and cmp.baseline.scenario == baseline_for(cmp.scenario.scenario)
    again = run_comparison(scenario, mode, engine, "shipped")  # from the cache
    assert again.scenario is cmp.scenario and len(engine.cache) == 2
    csv = exports.comparison_bytes(cmp).decode()
    assert csv.splitlines()[0] == ",".join(COLUMNS) == exports.COMPARISON_HEADER
    assert exports.yearly_bytes(cmp).decode().splitlines()[0] == exports.YEARLY_HEADER
    with zipfile.ZipFile(io.BytesIO(exports.results_zip(cmp))) as z:
        names = set(z.namelist())
        assert {"results/baseline/yearly.csv", "results/stacking_ban_nareis/manifest.json",
                "results/comparison.csv", "stacking_ban_nareis.yaml", "command.txt"} <= names
        assert z.read("results/comparison.csv").decode() == csv
    command = command_line(cmp.scenario.scenario)
    assert command == ("sim run scenarios/baseline.yaml stacking_ban_nareis.yaml --scale 0.03 --replications 2 "
                       "--seed 20240216 --workers 2 --out results --compare-to baseline")
    rows = figures.headline(cmp.baseline, cmp.scenario, ("nareis_on_nareis",), "applications", 2027, 2035)
    assert rows[0][2].mean < rows[0][1].mean
    engine.pool.shutdown()


def test_band_table_names_each_band_and_its_rule_in_both_languages():
    bands = [Band("cells", "published cells covered", "", 40, 52, True, ()),
             Band("totals", "table totals", "", 20, 22, False, ("a", "b")),
             Band("share", "nareis-on-nareis share of granted nareis", "", 1, 1, True, ())]
    en, nl = bands_frame(bands, "en"), bands_frame(bands, "nl")
    assert list(en.iloc[0]) == ["Published cells covered", "75%-98% of the cells overlap the model's 90% interval",
                                "40 of 52", "✓"]
    assert list(en.iloc[1])[1:] == ["model mean within 20% or 10 persons of the published figure, whichever is "
                                    "larger", "20 of 22", "✗"]
    assert list(nl.iloc[1])[2:] == ["20 van 22", "✗"] and nl.columns[0] == "Marge"
    assert nl.iloc[2, 1] == "tussen 0,5% en 2% (IND: ca. 1%)"


def test_fit_quality_reads_the_calibration_file():
    calibration = {
        "manifest": {"start_objective": 900.0, "best_objective": 300.0, "ensemble_effective_sample_size": 1.5,
                     "held_out": {"seeds": [2, 3], "start_objective": [800.0, 1000.0],
                                  "best_objective": [500.0, 700.0]}},
        "parameters": {"a": 1.0, "b": 2.0, "c": 3.0},
        "identifiability": {"a": {"identifiable": True}, "b": {"identifiable": False},
                            "c": {"identifiable": False, "delta_up": 5.0, "delta_down": -0.5}},
        "ensemble": [{"a": 1.0}] * 20,
        "ensemble_objectives": [340.0, 310.5, 720.25],
    }
    q = figures.fit_quality(calibration)
    assert (q.fitted, q.flat, q.one_sided, q.ess, q.ensemble_size) == (3, ("b", "c"), (("c", "upper"),), 1.5, 20)
    assert (q.own_start, q.own_best, q.held_out, q.held_out_seeds) == (900.0, 300.0, (900.0, 600.0), 2)
    text = fit_quality_text(q, "en")
    # b was written without its profile's rises: named, but not said to be bounded on either side.
    assert "2 of the 3 calibrated values" in text and "`b`, `c` (only higher values are ruled out)" in text
    assert "`c` (alleen hogere waarden zijn uitgesloten)" in fit_quality_text(q, "nl")
    assert "On 2 other seeds its objective (lower is better) is 600.0 against 900.0" in text
    assert "on its own seed 300.0 against 900.0" in text
    assert "effective sample size of 1.5: too small" in text
    assert tr("fit_bands_random", "en") in text and tr("fit_bands_members", "en") not in text
    assert tr("fit_bands_members", "nl") in fit_quality_text(q, "nl", members=True)
    assert "members' objectives on the calibration's seed run from 310.5 to 720.2, against 300.0" in text
    assert "from one starting point, the priors" in text and q.starts == 1 and q.kept_start is None
    # A calibration with three starts that kept the second.
    calibration["manifest"].update({"starts": 3, "selection_seeds": 5, "chosen_start": 1, "start_selection": [
        {"start": k, "selection_mean": v} for k, v in enumerate((650.0, 590.25, 700.0))]})
    q = figures.fit_quality(calibration)
    assert (q.starts, q.kept_start, q.selection, q.selection_seeds) == (3, 2, (650.0, 590.25, 700.0), 5)
    text = fit_quality_text(q, "en")
    assert "from 3 starting points" in text and "kept start 2: its best set scored 590.2 on 5 other seeds" in text
    assert "against 650.0, 700.0 for the other starts' best sets" in text
    assert "one starting point" not in text
    assert "vanuit 3 beginpunten" in fit_quality_text(q, "nl")
    for key in ("starts", "selection_seeds", "chosen_start", "start_selection"):
        del calibration["manifest"][key]
    # A calibration that started from a file: its held-out and own-seed starts are that file's values.
    calibration["manifest"].update({"start": "file", "start_file": {"file": "earlier.yaml", "sha256": "0" * 64}})
    q = figures.fit_quality(calibration)
    assert q.start_file == "earlier.yaml"
    text = fit_quality_text(q, "en")
    assert "is 600.0 against 900.0 for the values it started from" in text and "for the priors" not in text
    assert "started from the values in `earlier.yaml`" in text and "the priors. Such" not in text
    assert "begon bij de waarden in `earlier.yaml`" in fit_quality_text(q, "nl")
    del calibration["manifest"]["start"], calibration["manifest"]["start_file"]
    # A file written before the held-out scores and the start objective were recorded.
    del calibration["manifest"]["held_out"], calibration["manifest"]["start_objective"]
    del calibration["ensemble_objectives"]
    calibration["manifest"]["ensemble_effective_sample_size"] = 12.0
    q = figures.fit_quality(calibration)
    assert q.held_out is None and q.own_start is None and q.ensemble_objectives is None
    text = fit_quality_text(q, "nl")
    assert "niet op andere seeds beoordeeld (doelfunctie op de eigen seed: 300,0)" in text
    assert "effectieve steekproefomvang van 12,0: genoeg" in text
    calibration["identifiability"]["b"]["identifiable"] = True
    calibration["identifiability"]["c"]["identifiable"] = True
    assert "Each of the 3 calibrated values moves the fit" in fit_quality_text(figures.fit_quality(calibration), "en")
