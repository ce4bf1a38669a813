"""Sourced, dated parameter files and their loader.

Two files ship with the package:

- ``inputs.yaml``: series by calendar year (first asylum applications, AMV share, grant share, status mix,
  IND decision capacity by route), each value with its provenance, and a low / mid / high projection for the
  years after the data;
- ``model.yaml``: scalar parameters of the model (family trees, propensities, delays, probabilities), each with
  unit, allowed range and provenance.

Provenance is one vocabulary everywhere: ``source`` (a published figure, cited), ``calibrated`` (fitted by
``sim calibrate``) or ``assumption`` (a stated choice, with its reason).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, RootModel, model_validator

from sim.yamlio import load_yaml, validate

__all__ = [
    "PARAMETER_DIR",
    "Provenanced",
    "Series",
    "YearValue",
    "QuarterShares",
    "ScalarParameter",
    "Inputs",
    "Parameters",
    "load_inputs",
    "load_model_parameters",
    "input_file_hashes",
    "resolve_parameters",
    "load_calibration",
    "ensemble_size",
    "CALIBRATED_FILE",
    "split_series_key",
    "prior_value",
    "parameter_problem",
    "SERIES_BOUNDS",
]

PARAMETER_DIR = Path(__file__).parent
Provenance = Literal["source", "calibrated", "assumption"]
Projection = Literal["low", "mid", "high"]


class Provenanced(BaseModel):
    """A value with its provenance: a cited source, a calibration, or a stated assumption."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | list[float]
    provenance: Provenance
    source: str | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> Provenanced:
        if self.provenance == "source" and not self.source:
            raise ValueError("a value with provenance 'source' must cite its source")
        if self.provenance == "assumption" and not self.reason:
            raise ValueError("a value with provenance 'assumption' must give its reason")
        return self

    @property
    def note(self) -> str:
        """The citation or the reason, whichever applies."""
        return self.source or self.reason or ""


class YearValue(Provenanced):
    """One year's value of a yearly series: a single number."""

    value: float


class QuarterShares(Provenanced):
    """One year's shares of the four quarters (normalised to sum to one where they are used)."""

    value: list[float]

    @model_validator(mode="after")
    def _four_shares(self) -> QuarterShares:
        if len(self.value) != 4 or min(self.value) < 0 or sum(self.value) <= 0:
            raise ValueError(f"four non-negative quarter shares are expected, not {self.value}")
        return self


EntryT = TypeVar("EntryT", YearValue, QuarterShares)


class Series(BaseModel, Generic[EntryT]):
    """A yearly input series. A year takes the latest given value at or before it; years after the last
    given one take the scenario's projection."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unit: str
    description: str
    values: dict[int, EntryT]
    projection: dict[Projection, EntryT] | None = None

    def entry_for(self, year: int, projection: Projection) -> EntryT:
        """The provenanced value that applies in ``year``."""
        years = sorted(self.values)
        if year > years[-1] and self.projection is not None:
            return self.projection[projection]
        given = [y for y in years if y <= year]
        return self.values[given[-1] if given else years[0]]


class Inputs(BaseModel):
    """All input series (``inputs.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    first_asylum_applications: Series[YearValue]
    first_asylum_quarterly_share: Series[QuarterShares]
    amv_share: Series[YearValue]
    asylum_grant_share: Series[YearValue]
    art8_grant_share: Series[YearValue]
    b_status_share: Series[YearValue]
    capacity_asylum: Series[YearValue]
    capacity_nareis: Series[YearValue]
    capacity_art8: Series[YearValue]


class ScalarParameter(Provenanced):
    """A scalar model parameter with unit and allowed range."""

    value: float
    unit: str
    min: float
    max: float

    @model_validator(mode="after")
    def _in_range(self) -> ScalarParameter:
        if not self.min <= self.value <= self.max:
            raise ValueError(f"value {self.value} is outside its range [{self.min}, {self.max}]")
        return self


class _ModelFile(RootModel[dict[str, ScalarParameter]]):
    """The whole of ``model.yaml``: parameter name -> parameter."""


@cache
def load_inputs(path: Path = PARAMETER_DIR / "inputs.yaml") -> Inputs:
    """Load and validate the input series."""
    return validate(Inputs, load_yaml(path))


@cache
def load_model_parameters(path: Path = PARAMETER_DIR / "model.yaml") -> dict[str, ScalarParameter]:
    """Load and validate the scalar model parameters."""
    return dict(validate(_ModelFile, load_yaml(path)).root)


CALIBRATED_FILE = PARAMETER_DIR / "calibrated.yaml"


@cache
def load_calibration(path: Path = CALIBRATED_FILE) -> dict | None:
    """The calibration written by ``sim calibrate`` (best values, ensemble, manifest), or None if absent."""
    if not path.is_file():
        return None
    data = load_yaml(path).data
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        raise ValueError(f"{path}: not a calibration file written by `sim calibrate`")
    return data


def ensemble_size() -> int:
    """Members of the shipped calibration's ensemble (0 without a calibration or an ensemble): what runs with
    parameter uncertainty draw from."""
    return len((load_calibration() or {}).get("ensemble") or [])


def input_file_hashes() -> dict[str, str]:
    """SHA-256 of every parameter file shipped with the package, by file name."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(PARAMETER_DIR.glob("*.yaml"))
    }


def split_series_key(name: str) -> tuple[str, int] | None:
    """``"capacity_nareis[2018]"`` -> ``("capacity_nareis", 2018)``; None for a scalar parameter's name.

    Calibration may fit single years of an input series; such a value is named like this.
    """
    if not name.endswith("]") or "[" not in name:
        return None
    series, _, year = name[:-1].partition("[")
    return (series, int(year)) if year.isdigit() else None


#: Input series whose single years a scenario (or the calibration) may set, with their allowed range.
SERIES_BOUNDS: dict[str, tuple[float, float]] = {
    "first_asylum_applications": (0.0, 500_000.0),
    "amv_share": (0.0, 1.0),
    "asylum_grant_share": (0.0, 1.0),
    "art8_grant_share": (0.0, 1.0),
    "b_status_share": (0.0, 1.0),
    "capacity_asylum": (0.0, 100_000.0),
    "capacity_nareis": (0.0, 100_000.0),
    "capacity_art8": (0.0, 100_000.0),
}


def parameter_problem(name: str, value: float | None = None) -> str | None:
    """What is wrong with overriding ``name`` by ``value`` (None if nothing; without a value only the name is
    checked).

    ``name`` is a scalar of ``model.yaml`` or one year of an input series, written ``series[year]``
    (for example ``capacity_nareis[2027]``).
    """
    key = split_series_key(name)
    if key is None:
        known = load_model_parameters()
        if name not in known:
            close = difflib.get_close_matches(name, [*known, *(f"{s}[year]" for s in SERIES_BOUNDS)], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            return f"unknown parameter '{name}'{hint}"
        lo, hi = known[name].min, known[name].max
    else:
        if key[0] not in SERIES_BOUNDS:
            return (f"unknown input series '{key[0]}' in '{name}' (one of: {', '.join(SERIES_BOUNDS)})")
        if not 2000 <= key[1] <= 2100:
            return f"year {key[1]} in '{name}' is outside 2000-2100"
        lo, hi = SERIES_BOUNDS[key[0]]
    if value is not None and not lo <= value <= hi:
        return f"{value} is outside its range [{lo}, {hi}]"
    return None


def prior_value(name: str) -> float:
    """The shipped value (before calibration) of a scalar parameter or of one year of an input series."""
    key = split_series_key(name)
    if key is None:
        return load_model_parameters()[name].value
    series: Series = getattr(load_inputs(), key[0])
    value = series.entry_for(key[1], "mid").value
    if not isinstance(value, float | int):
        raise KeyError(f"{name}: not a numeric series value")
    return float(value)


@dataclass(frozen=True)
class Parameters:
    """Everything numeric a replication needs, resolved for one scenario.

    Attributes:
        first_year: first calendar year of the run.
        years: the calendar years of the run, in order.
        model: scalar parameters by name (scenario overrides applied).
        first_asylum: first asylum applications per year (real size, not scaled).
        monthly_share: share of each year's first asylum applications per month, shape (years, 12).
        amv_share, grant_share, art8_grant_share, b_share: per year.
        capacity: decisions per month at real size, by route name, shape (years * 12,).
        provenance: for every value used, ``name -> (provenance, note)``; the app and manifest show it.
    """

    first_year: int
    years: tuple[int, ...]
    model: dict[str, float]
    first_asylum: np.ndarray
    monthly_share: np.ndarray
    amv_share: np.ndarray
    grant_share: np.ndarray
    art8_grant_share: np.ndarray
    b_share: np.ndarray
    capacity: dict[str, np.ndarray]
    provenance: dict[str, tuple[str, str]]

    def year_index(self, year: int) -> int:
        """Index of a calendar year in the per-year arrays (clamped to the run)."""
        return min(max(year - self.first_year, 0), len(self.years) - 1)

    def value(self, name: str) -> float:
        """The value in use of a scalar parameter or of one year of an input series (``capacity_nareis[2018]``)."""
        key = split_series_key(name)
        if key is None:
            return float(self.model[name])
        series, year = key
        i = self.year_index(year)
        if series.startswith("capacity_"):
            return float(self.capacity[series.removeprefix("capacity_")][i * 12])
        return float(getattr(self, _SERIES_ATTRIBUTES[series])[i])


#: Where each per-year input series (other than the capacities) is kept in :class:`Parameters`.
_SERIES_ATTRIBUTES = {"first_asylum_applications": "first_asylum", "amv_share": "amv_share",
                      "asylum_grant_share": "grant_share", "art8_grant_share": "art8_grant_share",
                      "b_status_share": "b_share"}


def resolve_parameters(
    years: tuple[int, ...], projection: Projection, overrides: dict[str, float] | None = None,
    member: int | None = None,
) -> Parameters:
    """Resolve the shipped parameter files for a run over ``years`` with a projection and overrides.

    Calibrated values (``calibrated.yaml``, written by ``sim calibrate``) replace the priors of
    ``model.yaml``; with ``member`` the values of that ensemble member (modulo the ensemble's size) are used
    instead of the best fit. Scenario overrides win over both.

    Raises:
        KeyError: if an override names no known parameter (scenario validation reports it earlier).
    """
    inputs = load_inputs()
    scalars = load_model_parameters()
    overrides = overrides or {}
    calibration = load_calibration()
    calibrated: dict[str, float] = {}
    note = ""
    if calibration is not None:
        calibrated = dict(calibration["parameters"])
        ensemble = calibration.get("ensemble") or []
        if member is not None and ensemble:
            calibrated = dict(ensemble[member % len(ensemble)])
        m = calibration.get("manifest", {})
        note = (f"fitted by `sim calibrate` (code {m.get('code_version')}, seed {m.get('seed')}, "
                f"{m.get('date')})" + (f", ensemble member {member % len(ensemble)}" if member is not None and
                                        ensemble else ""))
    provenance: dict[str, tuple[str, str]] = {}
    model: dict[str, float] = {}
    unknown = {n for n in overrides if split_series_key(n) is None} - set(scalars)
    unknown |= {n for n in overrides if (k := split_series_key(n)) is not None and not hasattr(inputs, k[0])}
    if unknown:
        raise KeyError(f"unknown parameters: {sorted(unknown)}")
    for name, p in scalars.items():
        if name in overrides:
            model[name] = float(overrides[name])
            provenance[name] = ("assumption", "set by the scenario")
        elif name in calibrated:
            model[name] = float(calibrated[name])
            provenance[name] = ("calibrated", note)
        else:
            model[name] = p.value
            provenance[name] = (p.provenance, p.note)

    def per_year(series_name: str) -> np.ndarray:
        series: Series[YearValue] = getattr(inputs, series_name)
        out = []
        for y in years:
            key = f"{series_name}[{y}]"
            entry = series.entry_for(y, projection)
            if key in overrides:
                out.append(float(overrides[key]))
                provenance[key] = ("assumption", "set by the scenario")
            elif key in calibrated:
                out.append(float(calibrated[key]))
                provenance[key] = ("calibrated", note)
            else:
                provenance[key] = (entry.provenance, entry.note)
                out.append(entry.value)
        return np.asarray(out, dtype=float)

    monthly = np.empty((len(years), 12))
    quarterly = inputs.first_asylum_quarterly_share
    for i, y in enumerate(years):
        if y in quarterly.values:
            q = np.asarray(quarterly.values[y].value, dtype=float)
            q = q / q.sum()
            provenance[f"first_asylum_quarterly_share[{y}]"] = (quarterly.values[y].provenance,
                                                                quarterly.values[y].note)
            monthly[i] = np.repeat(q / 3.0, 3)
        else:
            monthly[i] = 1.0 / 12.0
    capacity = {
        route: np.repeat(per_year(f"capacity_{route}"), 12) for route in ("asylum", "nareis", "art8")
    }
    return Parameters(
        first_year=years[0],
        years=years,
        model=model,
        first_asylum=per_year("first_asylum_applications"),
        monthly_share=monthly,
        amv_share=per_year("amv_share"),
        grant_share=per_year("asylum_grant_share"),
        art8_grant_share=per_year("art8_grant_share"),
        b_share=per_year("b_status_share"),
        capacity=capacity,
        provenance=provenance,
    )
