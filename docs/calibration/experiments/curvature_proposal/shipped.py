"""The shipped calibration as the scripts in this folder start from: its run settings and its best set.

Imported by ``measure.py``, ``roughness.py`` and ``walls.py`` (run as scripts, so this folder is on the path).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.calibration.fit import FREE_PARAMETERS, _to_z
from sim.calibration.io import fit_base
from sim.parameters import load_calibration
from sim.scenario import Scenario


@dataclass
class Shipped:
    """The calibration file, its manifest, the baseline at its run settings, and its best set (transformed)."""

    calibration: dict[str, Any]
    manifest: dict[str, Any]
    dispersion: str
    base: Scenario
    names: list[str]
    z_best: np.ndarray
    profile_sd: np.ndarray


def shipped() -> Shipped:
    """Load the shipped calibration (see :class:`Shipped`)."""
    cal = load_calibration()
    assert cal is not None
    m = cal["manifest"]
    base = fit_base(argparse.Namespace(replications=m["replications"], scale=m["scale"], seed=m["seed"]))
    names = list(FREE_PARAMETERS)
    return Shipped(cal, m, m.get("dispersion", "cell"), base, names,
                   np.array([_to_z(n, float(cal["parameters"][n])) for n in names]),
                   np.array([float(cal["identifiability"][n]["sd_z"]) for n in names]))
