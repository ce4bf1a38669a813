"""Where the AMV siblings' rows come from: every AMV cohort followed through the chain, at the shipped calibration.

One run of the baseline at the shipped calibration and the calibration's own settings (4 replications at scale
0.5, seed 20240216), horizon 31 December 2023. For each year of AMVs' first asylum claims it prints, per
replication and at full scale (divided by the run's scale), by calendar year: the AMVs' claims and when they were
decided; the Art. 8 applications they filed for siblings, their grants and the siblings' arrivals (all, and
those with a family of their own abroad), the siblings' own asylum claims and their decisions; and the
applications those siblings filed in turn under nareis and under Art. 8 (the IND's two AMV-sibling rows, published
for 2020-2023 as <10, <10, 20, 50 and <10, 20, 20, 10). The shipped code only (no patch); with a calibration file
as argument, its values replace the shipped ones.

    PYTHONPATH=src python docs/calibration/experiments/amv_sibling_timing/cohorts.py > cohorts.txt
"""

import datetime as dt
import sys
from collections import Counter, defaultdict

import numpy as np
import yaml

from sim.calibration.targets import load_targets
from sim.codes import ART8, ASYLUM, GRANTED, K_AMV, NAREIS, SIBLING
from sim.parameters import load_calibration
from sim.runner import simulate
from sim.scenario import SHIPPED_SCENARIOS, Scenario

STEPS = ("decided", "sibling Art. 8 filed", "sibling Art. 8 granted", "sibling arrived",
         "arrived with a family abroad", "own asylum claim filed", "own asylum claim decided", "sibling filed nareis",
         "sibling filed Art. 8")


def follow(scenario: Scenario) -> dict[int, Counter[tuple[str, int]]]:
    """Counts by AMV claim year, then (step, calendar year), summed over the replications."""
    start = scenario.run.start

    def year(day: float) -> int:
        return (start + dt.timedelta(days=float(day))).year

    table: dict[int, Counter[tuple[str, int]]] = defaultdict(Counter)
    for r in range(scenario.run.replications):
        sim = simulate(scenario, r)
        a, kind = sim.result.applications, sim.people.kind
        cohort: dict[int, int] = {}
        for i in np.flatnonzero((a.route == ASYLUM) & (a.sponsor_generation == 0)):
            p = int(a.person[i])
            if kind[p] == K_AMV and p not in cohort:
                cohort[p] = year(a.filed[i])
                table[cohort[p]][("claims", cohort[p])] += 1
                if np.isfinite(a.decided[i]):
                    table[cohort[p]][("decided", year(a.decided[i]))] += 1
        own = {int(a.person[i]): i for i in np.flatnonzero((a.route == ASYLUM) & (a.sponsor_generation > 0))}
        came_by: dict[int, int] = {}
        for i in np.flatnonzero((a.route == ART8) & (a.relation == SIBLING)):
            c = cohort.get(int(a.sponsor[i]))
            if c is None:
                continue
            table[c][("sibling Art. 8 filed", year(a.filed[i]))] += 1
            if a.outcome[i] == GRANTED:
                table[c][("sibling Art. 8 granted", year(a.decided[i]))] += 1
            if np.isfinite(a.arrived[i]):
                table[c][("sibling arrived", year(a.arrived[i]))] += 1
                p = int(a.person[i])
                came_by[p] = c
                if sim.people.own_family[p]:
                    table[c][("arrived with a family abroad", year(a.arrived[i]))] += 1
                if p in own:
                    table[c][("own asylum claim filed", year(a.filed[own[p]]))] += 1
                    if np.isfinite(a.decided[own[p]]):
                        table[c][("own asylum claim decided", year(a.decided[own[p]]))] += 1
        for i in np.flatnonzero((a.sponsor_amv_sibling == 1) & (a.route != ASYLUM)):
            c = came_by.get(int(a.sponsor[i]))
            if c is not None:
                step = "sibling filed nareis" if a.route[i] == NAREIS else "sibling filed Art. 8"
                table[c][(step, year(a.filed[i]))] += 1
    return table


if __name__ == "__main__":
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    manifest = load_calibration()["manifest"]
    values = dict(load_calibration()["parameters"])
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as f:
            values.update(yaml.safe_load(f)["parameters"])
    run = base.with_run(replications=manifest["replications"], scale=manifest["scale"], seed=manifest["seed"],
                        horizon=load_targets().reference_date)
    scenario = run.model_copy(update={"parameters": {**run.parameters, **values}})
    per = 1.0 / (scenario.run.replications * scenario.run.scale)
    totals: Counter[tuple[str, int]] = Counter()
    for claim_year, counts in sorted(follow(scenario).items()):
        if claim_year < 2014:
            continue
        print(f"AMVs who claimed asylum in {claim_year}: {counts[('claims', claim_year)] * per:,.0f}")
        for step in STEPS:
            row = sorted((y, n * per) for (s, y), n in counts.items() if s == step)
            print(f"    {step}: " + (", ".join(f"{y} {n:.1f}" for y, n in row) or "none"))
        totals.update({k: v for k, v in counts.items() if k[0] in STEPS[3:]})
    for step in STEPS[3:]:
        print(f"All cohorts, {step}, 2019-2023: "
              + ", ".join(f"{totals[(step, y)] * per:.1f}" for y in range(2019, 2024)))
