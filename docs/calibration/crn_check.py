"""Whether a small change of one parameter changes the objective smoothly.

Runs the calibration objective (the calibration's own replications, scale and seed, up to 2023-12-31) at the
shipped best values and at small changes of parameters that set the size of the family trees
(`adult_partner_abroad_prob`, `amv_adult_siblings_mean`, `separated_parent_prob`) and of one that does not
(`nareis_grant_prob_stacked`). With draws keyed by person (`sim.streams`), a tree parameter adds or removes a
few relatives and re-draws nobody else, so the objective should move by little for a small change.
Run from the repository: `python docs/calibration/crn_check.py > docs/calibration/crn_check.txt`.
"""

from sim.calibration.fit import objective
from sim.calibration.targets import load_targets
from sim.executors import make_executor
from sim.parameters import load_calibration
from sim.scenario import SHIPPED_SCENARIOS, Scenario

if __name__ == "__main__":
    calibration = load_calibration()
    best, m = calibration["parameters"], calibration["manifest"]
    base = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml").with_run(
        replications=m["replications"], scale=m["scale"], seed=m["seed"], horizon=load_targets().reference_date)
    executor = make_executor(2)
    print("parameter | value | objective | cells (log-likelihood) | secondary")
    for name, deltas in (("adult_partner_abroad_prob", (0.0, 0.0002, 0.0007)),
                         ("amv_adult_siblings_mean", (0.0, 0.001, 0.005)),
                         ("separated_parent_prob", (0.0, 0.0005, 0.002)),
                         ("nareis_grant_prob_stacked", (0.0, 0.0005, 0.001))):
        for d in deltas:
            value = best[name] + d
            total, ll, sec = objective(base.model_copy(update={"parameters": {name: value}}), executor,
                                       dispersion=m.get("dispersion", "cell"))
            print(f"{name} | {value:.6f} | {total:.2f} | {ll:.2f} | {sec:.2f}", flush=True)
    executor.close()
