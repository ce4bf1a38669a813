"""Scenario: the frozen, validated description of a run. No SimPy here.

A scenario file is YAML::

    name: stacking_ban_nareis
    extends: baseline          # another scenario in the same folder (or shipped with the project)
    description: >
      One paragraph an adviser can read.
    run: {start: 2014-01-01, horizon: 2035-12-31, replications: 20, seed: 20240216, scale: 1.0}
    inflow: {projection: mid}  # low | mid | high beyond the last data year
    rules:                     # rule name -> list of dated periods (see sim.rules.RULES)
      nuclear_family_only:
        - {from: 2026-06-12, scope: filing_and_pending}
    parameters:                # overrides of model parameters (sim/parameters/model.yaml)
      own_asylum_prob_base: 0.02

``extends`` merges the parent first: ``run``, ``inflow`` and ``parameters`` key by key; ``rules`` rule by rule
(a rule named in the child replaces the parent's list of periods for that rule; an empty list switches it
off). Every problem is reported with file, line and field, before anything runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from sim.levers import RULES
from sim.parameters import parameter_problem
from sim.policy import Number, Period
from sim.yamlio import InputError, LoadedYaml, load_yaml, loads_yaml, validate

__all__ = ["RunSettings", "Inflow", "Rules", "Scenario", "SHIPPED_SCENARIOS", "scenario_json_schema",
           "merge_scenario_data"]

#: The scenarios shipped with the project (``scenarios/`` at the top of the repository).
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

MAX_REPLICATIONS = 10_000
FIRST_START = dt.date(2000, 1, 1)
LAST_HORIZON = dt.date(2100, 12, 31)
_NAME_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,63}$"


class RunSettings(BaseModel):
    """How to run: time window, replications, seed and scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: dt.date = Field(dt.date(2014, 1, 1), description="First day simulated; sponsors arrive from then on.")
    horizon: dt.date = Field(dt.date(2035, 12, 31), description="Last day simulated.")
    replications: int = Field(20, ge=1, le=MAX_REPLICATIONS, strict=True, description="Independent replications.")
    seed: int = Field(20240216, ge=0, lt=2**63, strict=True,
                      description="The one seed all random streams derive from.")
    scale: Number = Field(1.0, gt=0, le=10, description="Share of real size simulated; outputs are rescaled.")
    parameter_uncertainty: bool = Field(
        False, description="Draw one calibration ensemble member per replication (bands then include "
                           "calibration uncertainty).")

    @field_validator("start")
    @classmethod
    def _start_in_range(cls, v: dt.date) -> dt.date:
        if v < FIRST_START or v.month != 1 or v.day != 1:
            raise ValueError(f"start must be a 1 January on or after {FIRST_START}")
        return v

    @field_validator("horizon")
    @classmethod
    def _horizon_in_range(cls, v: dt.date) -> dt.date:
        if v > LAST_HORIZON:
            raise ValueError(f"horizon must be on or before {LAST_HORIZON}")
        return v

    @model_validator(mode="after")
    def _window(self) -> RunSettings:
        if self.horizon <= self.start:
            raise ValueError(f"horizon ({self.horizon}) must be after start ({self.start})")
        return self

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years the run covers."""
        return tuple(range(self.start.year, self.horizon.year + 1))


class Inflow(BaseModel):
    """Inflow assumption for the years after the input data."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    projection: Literal["low", "mid", "high"] = Field("mid", description="First asylum inflow beyond the data.")


def _periods_ordered(name: str) -> Callable[[type, list[Period]], list[Period]]:
    def check(cls: type, periods: list[Period]) -> list[Period]:
        ordered = sorted(periods, key=lambda p: p.from_)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.until is None or a.until >= b.from_:
                raise ValueError(
                    f"periods of '{name}' overlap: the one from {a.from_} runs into the one from {b.from_}"
                )
        return periods

    return check


def _build_rules_model() -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (list[model], Field(default_factory=list,  # type: ignore[valid-type]
                                  description=(model.__doc__ or "").split("\n")[0]))
        for name, model in RULES.items()
    }
    validators: dict[str, Any] = {
        f"_check_{name}": field_validator(name)(classmethod(_periods_ordered(name))) for name in RULES
    }
    return create_model(
        "Rules",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="Rule name -> its dated periods. A rule absent or with no periods is not in force.",
        __validators__=validators,
        **fields,
    )


Rules = _build_rules_model()


class Scenario(BaseModel):
    """A validated scenario, with ``extends`` already resolved.

    Build it with :meth:`from_yaml` (a file) or :meth:`from_text` (an upload); the constructor only validates.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=_NAME_PATTERN, description="Short name; results go to a folder of this name.")
    description: str = Field(min_length=1, max_length=5000, description="One paragraph an adviser can read.")
    extends: str | None = Field(None, description="Scenario this one changes (a name in the same folder).")
    run: RunSettings = Field(default_factory=RunSettings)
    inflow: Inflow = Field(default_factory=Inflow)
    rules: Rules = Field(default_factory=Rules)  # type: ignore[valid-type]
    parameters: dict[str, Number] = Field(default_factory=dict, description="Overrides of model parameters.")

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            problem = parameter_problem(name, value)
            if problem is not None:
                raise ValueError(f"parameter '{name}': {problem}" if problem[0].isdigit() else problem)
        return v

    # --- loading -------------------------------------------------------------------------------------------

    @classmethod
    def from_yaml(cls, path: Path | str, search: tuple[Path, ...] = ()) -> Scenario:
        """Load a scenario file, resolving ``extends`` from the file's folder, then ``search``, then the
        shipped scenarios.

        Raises:
            InputError: naming the file, line, field and problem.
        """
        path = Path(path)
        return cls._resolve(load_yaml(path), path.parent, (*search, SHIPPED_SCENARIOS), allow_paths=True)

    @classmethod
    def from_text(cls, text: bytes | str, filename: str = "upload.yaml") -> Scenario:
        """Load a scenario from untrusted text (an upload). ``extends`` may only name a shipped scenario."""
        return cls._resolve(loads_yaml(text, filename), None, (SHIPPED_SCENARIOS,), allow_paths=False)

    @classmethod
    def _resolve(
        cls, loaded: LoadedYaml, folder: Path | None, search: tuple[Path, ...], allow_paths: bool,
        chain: tuple[tuple[str, str, int | None], ...] = (),
    ) -> Scenario:
        """Validate a loaded file and resolve its ``extends`` chain.

        ``chain`` holds (resolved path, file name as given, line of ``extends``) of the files that extend this
        one, from the file the user named down; a loop is reported in that first file.
        """
        if not isinstance(loaded.data, dict):
            raise InputError(loaded.file, loaded.line_of(()), None,
                             "a scenario file must be a mapping of keys (name, description, ...)")
        _check_parameters(loaded)
        own = validate(cls, loaded)  # every field checked in the file that sets it, with its lines
        here = str(Path(loaded.file).resolve()) if folder is not None else loaded.file
        link = (here, loaded.file, loaded.line_of(("extends",)))
        merged = dict(loaded.data)
        if own.extends is not None:
            parent_path = _find_parent(own.extends, loaded, folder, search, allow_paths)
            parent_key = str(parent_path.resolve())
            seen = [c[0] for c in (*chain, link)]
            if parent_key in seen:
                top = (*chain, link)[0]
                names = [c[1] for c in (*chain, link)] + [str(parent_path)]
                raise InputError(top[1], top[2], "extends", "'extends' loops back: " + " -> ".join(names))
            parent = cls._resolve(load_yaml(parent_path), parent_path.parent, search, allow_paths, (*chain, link))
            merged = merge_scenario_data(parent.model_dump(mode="json", by_alias=True, exclude_none=True), loaded.data)
            merged["extends"] = own.extends
        resolved = validate(cls, LoadedYaml(merged, loaded.lines, loaded.file))
        _check_dates_in_run(loaded, resolved)
        return resolved

    # --- identity ------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain JSON-able data (keys as in the YAML)."""
        return self.model_dump(mode="json", by_alias=True)

    def digest(self) -> str:
        """SHA-256 of the resolved scenario's canonical JSON: same content, same digest."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()

    def with_run(self, **changes: Any) -> Scenario:
        """A copy with run settings changed (validated)."""
        run = RunSettings.model_validate({**self.run.model_dump(), **changes})
        return self.model_copy(update={"run": run})

    def rule_periods(self) -> dict[str, list[Period]]:
        """Rule name -> periods, for the rules with at least one period."""
        return {name: list(getattr(self.rules, name)) for name in RULES if getattr(self.rules, name)}


def _find_parent(
    name: str, loaded: LoadedYaml, folder: Path | None, search: tuple[Path, ...], allow_paths: bool
) -> Path:
    line = loaded.line_of(("extends",))
    if not allow_paths and ("/" in name or "\\" in name or name.startswith(".")):
        raise InputError(loaded.file, line, "extends", "an uploaded scenario may only extend a shipped scenario "
                                                       "by name, not a path")
    candidates = []
    for base in ((folder,) if folder is not None else ()) + search:
        candidates += [base / name, base / f"{name}.yaml", base / f"{name}.yml"]
    for c in candidates:
        if c.is_file() and (allow_paths or c.resolve().parent == SHIPPED_SCENARIOS):
            return c
    raise InputError(loaded.file, line, "extends", f"parent scenario '{name}' not found")


def merge_scenario_data(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge a child scenario's data onto its resolved parent as ``extends`` does: ``run``, ``inflow``,
    ``parameters`` and ``rules`` key by key (a rule named in the child replaces the parent's periods of that
    rule), everything else replaced."""
    out = dict(parent)
    for key, value in child.items():
        if key in ("run", "inflow", "parameters", "rules") and isinstance(value, dict):
            out[key] = {**parent.get(key, {}), **value}
        else:
            out[key] = value
    return out


def _check_parameters(loaded: LoadedYaml) -> None:
    """Check parameter overrides key by key, so that an error names the line of the key itself."""
    params = loaded.data.get("parameters") if isinstance(loaded.data, dict) else None
    if not isinstance(params, dict):
        return
    for name, value in params.items():
        path = ("parameters", name)
        problem: str | None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problem = parameter_problem(str(name)) or f"must be a valid number (got {value!r})"
        else:
            problem = parameter_problem(str(name), float(value))
        if problem is not None:
            raise InputError(loaded.file, loaded.line_of(path), f"parameters.{name}", problem)


def _check_dates_in_run(loaded: LoadedYaml, scenario: Scenario) -> None:
    """A date is an error only where the file itself sets it outside the run."""
    rules = loaded.data.get("rules") if isinstance(loaded.data, dict) else None
    if not isinstance(rules, dict):
        return
    start, horizon = scenario.run.start, scenario.run.horizon
    for name in rules:
        for i, period in enumerate(getattr(scenario.rules, name)):
            path = ("rules", name, i)
            if period.from_ > horizon:
                raise InputError(loaded.file, loaded.line_of((*path, "from")), f"rules.{name}.{i}.from",
                                 f"starts on {period.from_}, after the run's horizon ({horizon})")
            if period.until is not None and period.until < start:
                raise InputError(loaded.file, loaded.line_of((*path, "until")), f"rules.{name}.{i}.until",
                                 f"ends on {period.until}, before the run's start ({start})")


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (shipped as ``scenarios/scenario.schema.json``)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Scenario of the stacked family reunification simulator"
    return schema
