"""Scenario files in and out of the app: uploads (untrusted), limits that protect the server, the YAML text
that reproduces a run, and the ``sim run`` command line.

An upload is parsed with :meth:`Scenario.from_text`, the same strict validation as the command line: no
duplicate keys, aliases or unknown fields, a size limit, and ``extends`` only by the name of a shipped
scenario, never a path. Its file name is reduced to a harmless label used in messages only. Nothing else
from an upload is used but the validated scenario values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from sim.scenario import SHIPPED_SCENARIOS, Scenario
from sim.yamlio import MAX_FILE_BYTES, InputError, loads_yaml

__all__ = ["Limits", "LIMITS", "safe_file_label", "load_upload", "check_window", "check_run", "shipped_names",
           "load_shipped", "scenario_yaml", "baseline_window_yaml", "command_line", "file_name_for"]


@dataclass(frozen=True)
class Limits:
    """What one run in the app may ask of the server."""

    max_replications: int = 50
    min_scale: float = 0.01
    max_scale: float = 1.0
    first_start: dt.date = dt.date(2014, 1, 1)
    last_horizon: dt.date = dt.date(2045, 12, 31)
    max_upload_bytes: int = MAX_FILE_BYTES


LIMITS = Limits()


def safe_file_label(name: str | None) -> str:
    """The uploaded file's name reduced to a label for messages: its last part, plain characters only."""
    base = re.split(r"[\\/]", name or "")[-1]
    label = re.sub(r"[^A-Za-z0-9._-]", "_", base)[:64].lstrip(".")
    return label or "upload.yaml"


def shipped_names() -> list[str]:
    """Names of the scenarios shipped with the project, the baseline first."""
    names = sorted(p.stem for p in SHIPPED_SCENARIOS.glob("*.yaml"))
    return ["baseline"] + [n for n in names if n != "baseline"] if "baseline" in names else names


def load_shipped(name: str) -> Scenario:
    """A shipped scenario by name (only names listed by :func:`shipped_names`)."""
    if name not in shipped_names():
        raise InputError(name, None, None, "not a shipped scenario")
    return Scenario.from_yaml(SHIPPED_SCENARIOS / f"{name}.yaml")


def check_window(scenario: Scenario, file: str = "scenario", lines: Any = None) -> None:
    """Refuse a time window beyond what the app runs (start before 2014 or horizon after 2045).

    Raises:
        InputError: with the line of the offending key when ``lines`` (a :class:`LoadedYaml`) is given.
    """
    run = scenario.run
    line = (lambda key: lines.line_of(("run", key))) if lines is not None else (lambda key: None)
    if run.start < LIMITS.first_start:
        raise InputError(file, line("start"), "run.start", f"the app runs from {LIMITS.first_start} at the "
                         f"earliest (the input series start in 2014); got {run.start}")
    if run.horizon > LIMITS.last_horizon:
        raise InputError(file, line("horizon"), "run.horizon", f"the app runs to {LIMITS.last_horizon} at the "
                         f"latest; got {run.horizon}. Longer runs: use the command line")


def check_run(replications: int, scale: float) -> None:
    """Refuse run settings beyond the app's limits.

    Raises:
        InputError: naming the setting.
    """
    if not 1 <= replications <= LIMITS.max_replications:
        raise InputError("run settings", None, "replications",
                         f"must be between 1 and {LIMITS.max_replications}; got {replications}")
    if not LIMITS.min_scale <= scale <= LIMITS.max_scale:
        raise InputError("run settings", None, "scale",
                         f"must be between {LIMITS.min_scale} and {LIMITS.max_scale}; got {scale}")


def load_upload(data: bytes, file_name: str | None) -> Scenario:
    """Validate an uploaded scenario file.

    Raises:
        InputError: with file, line and field, for anything the command line would refuse, a name that is
            ``baseline`` (the app compares with the baseline), or a window beyond the app's limits.
    """
    label = safe_file_label(file_name)
    if len(data) > LIMITS.max_upload_bytes:
        raise InputError(label, None, None, f"file is {len(data)} bytes; the limit is {LIMITS.max_upload_bytes}")
    scenario = Scenario.from_text(data, label)
    loaded = loads_yaml(data, label)  # parsed again only for line numbers (it passed above)
    if scenario.name == "baseline":
        raise InputError(label, loaded.line_of(("name",)), "name",
                         "an uploaded scenario cannot be named 'baseline': it is compared with the baseline")
    check_window(scenario, label, loaded)
    return scenario


def _plain(value: Any) -> Any:
    """JSON-like scenario data with ISO date strings turned back into dates (so YAML shows them unquoted)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return value


def _diff(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``child`` a file extending ``parent`` must set (rules by rule, parameters by key)."""
    out: dict[str, Any] = {"name": child["name"], "extends": child.get("extends"),
                           "description": child["description"], "run": child["run"]}
    if child["inflow"] != parent.get("inflow"):
        out["inflow"] = child["inflow"]
    rules = {k: v for k, v in child["rules"].items() if parent.get("rules", {}).get(k) != v}
    if rules:
        out["rules"] = rules
    params = {k: v for k, v in child["parameters"].items() if parent.get("parameters", {}).get(k) != v}
    if params:
        out["parameters"] = params
    return out


def _dump(data: dict[str, Any], header: str) -> str:
    text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    return header + text


def scenario_yaml(scenario: Scenario, note: str = "") -> str:
    """YAML text that reproduces ``scenario`` exactly (same digest), run settings included.

    A scenario that extends a shipped one is written as its changes to that parent; otherwise whole.
    """
    data = scenario.to_dict()
    header = "# yaml-language-server: $schema=scenario.schema.json\n" + "".join(
        f"# {line}\n" for line in note.splitlines())
    text = None
    if scenario.extends and scenario.extends in shipped_names():
        parent = load_shipped(scenario.extends).to_dict()
        text = _dump(_diff(parent, data), header)
    if text is None or Scenario.from_text(text).digest() != scenario.digest():
        whole = {k: v for k, v in data.items() if k != "extends"}
        text = _dump(whole, header)
        if Scenario.from_text(text).digest() != scenario.digest():  # pragma: no cover - a bug, not an input
            raise RuntimeError("the scenario could not be written as YAML that reproduces it")
    return text


def baseline_window_yaml(scenario: Scenario) -> str | None:
    """A baseline file with the scenario's time window, when it is not the shipped baseline's (else None).

    The command line compares with a run named ``baseline``, which must cover the same years.
    """
    base = load_shipped("baseline")
    if (scenario.run.start, scenario.run.horizon) == (base.run.start, base.run.horizon):
        return None
    return _dump({"name": "baseline", "extends": "baseline",
                  "description": f"The shipped baseline over {scenario.run.start} to {scenario.run.horizon}, "
                                 f"to compare with {scenario.name}.",
                  "run": {"start": scenario.run.start.isoformat(), "horizon": scenario.run.horizon.isoformat()}},
                 "# Save as baseline_window.yaml beside the scenario file.\n")


def file_name_for(scenario: Scenario) -> str:
    """The file name the app offers for a scenario's YAML."""
    return f"{scenario.name}.yaml"


def command_line(scenario: Scenario, workers: int = 2) -> str:
    """The ``sim run`` command that reproduces the app's comparison, for the downloaded scenario file."""
    run = scenario.run
    base = "baseline_window.yaml" if baseline_window_yaml(scenario) else "scenarios/baseline.yaml"
    return (f"sim run {base} {file_name_for(scenario)} --scale {run.scale:g} --replications {run.replications} "
            f"--seed {run.seed} --workers {workers} --out results --compare-to baseline"
            + (" --parameter-uncertainty" if run.parameter_uncertainty else ""))
