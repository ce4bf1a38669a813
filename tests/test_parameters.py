"""The shipped parameter files: provenance of every value, ranges, and projections beyond the data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from sim.parameters import (
    PARAMETER_DIR,
    Inputs,
    Provenanced,
    ScalarParameter,
    input_file_hashes,
    load_inputs,
    load_model_parameters,
    parameter_problem,
    prior_value,
    resolve_parameters,
)
from sim.yamlio import InputError

YEARS = tuple(range(2014, 2036))


def _explained(entry: Provenanced) -> None:
    assert entry.provenance in ("source", "calibrated", "assumption")
    if entry.provenance == "source":
        assert entry.source and len(entry.source.strip()) >= 3, "a sourced value cites its source"
    if entry.provenance == "assumption":
        assert entry.reason and len(entry.reason.strip()) >= 3, "an assumption gives its reason"


def test_model_parameters_load_and_every_value_is_explained():
    params = load_model_parameters()
    assert len(params) >= 30
    for name, p in params.items():
        _explained(p)
        assert p.unit, name


def test_every_scalar_is_within_its_range():
    for name, p in load_model_parameters().items():
        assert p.min <= p.value <= p.max, name
        assert p.min < p.max, name
        if p.unit == "probability":
            assert 0 <= p.min and p.max <= 1, name


def test_every_input_series_value_is_explained():
    inputs = load_inputs()
    for name in Inputs.model_fields:
        series = getattr(inputs, name)
        assert series.values, name
        for entry in series.values.values():
            _explained(entry)
        for entry in (series.projection or {}).values():
            _explained(entry)


def test_series_with_data_ending_before_the_horizon_have_all_three_projections():
    inputs = load_inputs()
    for name in Inputs.model_fields:
        series = getattr(inputs, name)
        if name == "first_asylum_quarterly_share":
            continue  # years not listed are spread evenly
        assert series.projection is not None and set(series.projection) == {"low", "mid", "high"}, name


@pytest.mark.parametrize("bad", [
    {"value": 1.0, "provenance": "source"},
    {"value": 1.0, "provenance": "source", "source": ""},
    {"value": 1.0, "provenance": "assumption"},
    {"value": 1.0, "provenance": "guess", "reason": "because"},
    {"value": 1.0, "provenance": "source", "source": "CBS", "note": "extra key"},
])
def test_unexplained_value_is_refused(bad):
    with pytest.raises(ValidationError):
        Provenanced.model_validate(bad)


def test_scalar_outside_its_range_is_refused():
    with pytest.raises(ValidationError, match="outside its range"):
        ScalarParameter.model_validate({"value": 1.5, "unit": "probability", "min": 0, "max": 1,
                                        "provenance": "assumption", "reason": "a test value out of range"})


def test_parameter_file_with_unsourced_entry_fails_to_load(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text('x: {value: 0.5, unit: probability, min: 0, max: 1, provenance: source, source: "CBS"}\n',
                    "utf-8")
    assert load_model_parameters(good)["x"].value == 0.5
    bad = tmp_path / "model.yaml"
    bad.write_text("a: {value: 0.5, unit: probability, min: 0, max: 1, provenance: assumption, "
                   "reason: fine}\n"
                   "x: {value: 0.5, unit: probability, min: 0, max: 1, provenance: source}\n", "utf-8")
    with pytest.raises(InputError) as info:
        load_model_parameters(bad)
    assert info.value.line == 2
    assert "must cite its source" in info.value.message


def test_projection_values_after_2025():
    inputs = load_inputs()
    resolved = {proj: resolve_parameters(YEARS, proj) for proj in ("low", "mid", "high")}
    after = np.asarray(YEARS) > 2025
    for proj, params in resolved.items():
        fa = inputs.first_asylum_applications.projection[proj].value
        assert np.all(params.first_asylum[after] == fa)
        assert np.all(params.amv_share[after] == inputs.amv_share.projection[proj].value)
        assert np.all(params.grant_share[after] == inputs.asylum_grant_share.projection[proj].value)
        assert np.all(params.b_share[after] == inputs.b_status_share.projection[proj].value)
        nareis = params.capacity["nareis"][np.repeat(after, 12)]
        assert np.all(nareis == inputs.capacity_nareis.projection[proj].value)
        # provenance of a projected year is the projection's
        assert params.provenance["first_asylum_applications[2030]"][1] == \
            inputs.first_asylum_applications.projection[proj].note
    assert (resolved["low"].first_asylum[after] < resolved["mid"].first_asylum[after]).all()
    assert (resolved["mid"].first_asylum[after] < resolved["high"].first_asylum[after]).all()
    # Up to 2025 the projection changes nothing.
    for proj in ("low", "high"):
        for name in ("first_asylum", "amv_share", "grant_share", "b_share", "monthly_share"):
            ours, mid = getattr(resolved[proj], name), getattr(resolved["mid"], name)
            assert np.array_equal(ours[~after], mid[~after])


def test_data_years_use_the_data():
    p = resolve_parameters(YEARS, "mid")
    i = YEARS.index
    assert p.first_asylum[i(2015)] == 43100
    assert p.first_asylum[i(2023)] == 38375
    assert p.capacity["nareis"][12 * i(2023)] == 620
    # A year without its own value takes the latest earlier one (b_status_share: 2014 value until 2023).
    assert p.b_share[i(2020)] == 0.65 and p.b_share[i(2024)] == 0.653
    # Quarterly shares become monthly shares summing to one.
    assert np.allclose(p.monthly_share.sum(axis=1), 1.0)
    assert p.monthly_share[i(2020), 3] < p.monthly_share[i(2020), 0]  # COVID-19 in 2020 Q2


def test_overrides_are_applied_and_recorded():
    p = resolve_parameters(YEARS, "mid", {"nareis_grant_prob": 0.5})
    assert p.model["nareis_grant_prob"] == 0.5
    assert p.provenance["nareis_grant_prob"] == ("assumption", "set by the scenario")
    with pytest.raises(KeyError):
        resolve_parameters(YEARS, "mid", {"no_such_parameter": 1.0})


def test_one_year_of_an_input_series_can_be_overridden():
    p = resolve_parameters(YEARS, "mid", {"capacity_nareis[2027]": 1234.0, "asylum_grant_share[2019]": 0.3})
    y = YEARS.index(2027)
    assert (p.capacity["nareis"][y * 12:(y + 1) * 12] == 1234.0).all()
    assert p.capacity["nareis"][(y + 1) * 12] != 1234.0  # only that year
    assert p.grant_share[YEARS.index(2019)] == 0.3
    assert p.provenance["capacity_nareis[2027]"] == ("assumption", "set by the scenario")
    assert prior_value("capacity_nareis[2023]") == 620.0  # the shipped value, as sourced
    with pytest.raises(KeyError):
        resolve_parameters(YEARS, "mid", {"capacity_narreis[2027]": 1.0})


def test_a_scenario_file_can_set_one_year_of_a_series():
    from sim.runner import parameters_for
    from sim.scenario import Scenario

    text = ("name: more-capacity-2028\ndescription: More nareis decisions in 2028 only.\nextends: baseline\n"
            "parameters:\n  capacity_nareis[2028]: 1500\n")
    scenario = Scenario.from_text(text, "more.yaml")
    params = parameters_for(scenario)
    i = params.year_index(2028)
    assert params.capacity["nareis"][i * 12] == 1500.0 and params.capacity["nareis"][(i - 1) * 12] != 1500.0


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("nareis_grant_prob", 0.5, None),
    ("capacity_nareis[2030]", 900.0, None),
    ("nareis_grant_prob", 1.5, "outside its range"),
    ("capacity_nareis[2030]", -1.0, "outside its range"),
    ("capacity_nareis[1990]", 900.0, "outside 2000-2100"),
    ("first_asylum_quarterly_share[2030]", 0.2, "unknown input series"),
    ("capacity_nareis[next]", 1.0, "unknown parameter"),
])
def test_parameter_problems_are_named(name: str, value: float, problem: str | None):
    found = parameter_problem(name, value)
    assert found == problem if problem is None else problem in (found or "")


def test_input_hashes_cover_the_shipped_files():
    hashes = input_file_hashes()
    assert set(hashes) == {p.name for p in PARAMETER_DIR.glob("*.yaml")} >= {"inputs.yaml", "model.yaml"}
    assert all(len(h) == 64 for h in hashes.values())


@pytest.mark.parametrize(("find", "replace", "field", "problem"), [
    ("2016: {value: 1400,", "2016: {value: [700, 700],", "capacity_nareis.values.2016.value", "valid number"),
    ("2019: {value: [0.2387, 0.2303, 0.2604, 0.2706],", "2019: {value: [0.5, 0.5],",
     "first_asylum_quarterly_share.values.2019", "four non-negative quarter shares"),
])
def test_input_series_value_of_the_wrong_shape_names_file_line_and_field(tmp_path: Path, find, replace, field,
                                                                         problem):
    text = (PARAMETER_DIR / "inputs.yaml").read_text("utf-8")
    assert text.count(find) == 1, find
    bad = tmp_path / "inputs.yaml"
    bad.write_text(text.replace(find, replace), "utf-8")
    line = text[:text.index(find)].count("\n") + 1
    with pytest.raises(InputError) as info:
        load_inputs(bad)
    assert (info.value.file, info.value.line) == (str(bad), line)
    assert field in info.value.field and problem in info.value.message
