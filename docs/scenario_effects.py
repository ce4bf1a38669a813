"""Every figure quoted under *Measured effects* in docs/scenarios.md, from the run folders of `make run`.

Usage, from the repository root after `make run` (or the `sim run` command in docs/scenarios.md):

    python docs/scenario_effects.py results [/tmp/pre2026]

The optional second folder holds the runs of `pre_2026_rules` and `docs/examples/pre_2026_stricter_interviews.yaml`
(`sim run scenarios/pre_2026_rules.yaml docs/examples/pre_2026_stricter_interviews.yaml --scale 0.5
--replications 10 --workers 2 --out /tmp/pre2026 --force`). Everything is read
from `replications.csv` through `sim.compare` (paired by replication, real size), so the figures are those of the
headline tables; nothing is computed elsewhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sim.codes import FLOWS, MEASURES
from sim.compare import HEADLINE_FLOWS, RunTable, headline_totals, paired_differences, read_run

FIRST, LAST = 2027, 2035
#: The order of the scenarios in docs/scenarios.md.
ORDER = ("pre_2026_rules", "high_inflow", "low_inflow", "stricter_interviews", "stacking_ban_nareis",
         "stacking_ban_all", "cap_200_per_month", "more_ind_capacity", "decision_term_9_months",
         "withdrawal_enforcement", "package_2027")


def fmt(x: float) -> str:
    """A whole number with sign and thousands separators."""
    return f"{x:+,.0f}"


def interval(d: np.ndarray) -> str:
    """Mean and 90% interval of per-replication differences, as the headline tables print them."""
    p05, p95 = np.percentile(d, [5, 95])
    return f"{fmt(d.mean())} [{fmt(p05)} to {fmt(p95)}]"


def totals(run: RunTable, flow: str, measure: str, first: int = FIRST, last: int = LAST) -> np.ndarray:
    """Per-replication sum over the years ``first..last`` (pending: the value on 31 December of ``last``)."""
    years = np.asarray(run.years)
    f, m = FLOWS.index(flow), MEASURES.index(measure)
    if measure == "pending":
        return run.values[:, years == last, f, m].sum(axis=1)
    return run.values[:, (years >= first) & (years <= last), f, m].sum(axis=1)


def line(base: RunTable, other: RunTable, flow: str, measure: str, first: int = FIRST, last: int = LAST) -> str:
    """One flow and measure: both scenarios' means and the paired difference."""
    b, o = totals(base, flow, measure, first, last), totals(other, flow, measure, first, last)
    when = f"on 31 December {last}" if measure == "pending" else f"{first}-{last}"
    return (f"  {flow} {measure} {when}: baseline {b.mean():,.0f}, scenario {o.mean():,.0f}, "
            f"difference {interval(o - b)}")


def main(results: Path, pre2026: Path | None) -> None:
    """Print every figure, reading the run folders in ``results`` (and ``pre2026``, if given)."""
    base = read_run(results / "baseline")
    others = [read_run(p) for p in sorted(results.iterdir())
              if p.is_dir() and p.name != "baseline" and (p / "manifest.json").is_file()]
    others.sort(key=lambda o: ORDER.index(o.name) if o.name in ORDER else len(ORDER))
    print(f"run folders: {results} (scale {base.identity['scale']}, {base.identity['replications']} "
          f"replications, seed {base.identity['seed']})\n")

    print("Applications filed 2027-2035, baseline totals:")
    print("  " + "; ".join(f"{flow} {b:,.0f}" for flow, b, *_ in headline_totals(base, others[0])))
    print("\n| scenario | " + " | ".join(HEADLINE_FLOWS) + " |")
    print("|---|" + "---|" * len(HEADLINE_FLOWS))
    for other in others:
        cells = []
        for flow in HEADLINE_FLOWS:
            d = totals(other, flow, "applications") - totals(base, flow, "applications")
            cells.append("+0" if np.all(d == 0) else interval(d))
        print(f"| `{other.name}` | " + " | ".join(cells) + " |")

    print("\nFlows and measures a scenario changes in no replication at all (2014-2035):")
    for other in others:
        diff = paired_differences(base, other)
        print(f"  {other.name}: {'no difference anywhere' if np.nansum(np.abs(diff)) == 0 else 'differs'}")

    by_name = {o.name: o for o in others}
    print("\nOther measures (sums over 2027-2035; pending on 31 December 2035):")
    wanted = {
        "stricter_interviews": [("nareis", "grants"), ("nareis", "arrivals"), ("nareis", "pending")],
        "stacking_ban_nareis": [("nareis_on_nareis", "applications"), ("art8_after_nareis", "applications"),
                                ("amv_sibling_nareis", "applications"), ("amv_sibling_art8", "applications"),
                                ("nareis", "grants"), ("nareis", "arrivals")],
        "stacking_ban_all": [("art8_after_nareis", "refusals"), ("amv_sibling_art8", "refusals"),
                             ("art8_after_nareis", "grants"), ("amv_sibling_art8", "grants")],
        "cap_200_per_month": [("nareis", "arrivals"), ("nareis", "grants"), ("art8_after_nareis", "applications")],
        "more_ind_capacity": [("nareis", "grants"), ("nareis", "pending")],
        "decision_term_9_months": [("nareis", "grants"), ("nareis", "arrivals"), ("nareis", "pending")],
        "withdrawal_enforcement": [("nareis", "withdrawals"), ("nareis_on_nareis", "applications")],
    }
    for name, items in wanted.items():
        if name in by_name:
            print(f" {name}:")
            for flow, measure in items:
                print(line(base, by_name[name], flow, measure))
    if "withdrawal_enforcement" in by_name:
        print(line(base, by_name["withdrawal_enforcement"], "nareis", "withdrawals", 2014, 2026))

    ban = by_name.get("stacking_ban_nareis")
    if ban is not None:
        print("\nPairing: art8_after_nareis applications 2027-2035, stacking_ban_nareis against the baseline")
        b, o = totals(base, "art8_after_nareis", "applications"), totals(ban, "art8_after_nareis", "applications")
        paired, unpaired = o - b, o - np.roll(b, -1)

        def width(x: np.ndarray) -> float:
            return float(np.subtract(*np.percentile(x, [95, 5])))

        print("| quantity | mean | width of the 90% interval |\n|---|---|---|")
        print(f"| baseline total | {b.mean():.1f} | {width(b):.1f} |")
        print(f"| stacking_ban_nareis total | {o.mean():.1f} | {width(o):.1f} |")
        print(f"| paired difference (replication *r* minus replication *r*) | {paired.mean():+.1f} | "
              f"**{width(paired):.1f}** |")
        print(f"| unpaired difference (scenario replication *r* minus baseline replication *r*+1 mod "
              f"{len(b)}) | {unpaired.mean():+.1f} | {width(unpaired):.1f} |")
        print(f"  paired width / baseline's {width(paired) / width(b):.2f}, / scenario's "
              f"{width(paired) / width(o):.2f}, / unpaired {width(paired) / width(unpaired):.2f}; "
              f"standard deviations {paired.std(ddof=1):.1f} paired, {unpaired.std(ddof=1):.1f} unpaired; "
              f"unpaired interval {interval(unpaired)}, paired {interval(paired)}")
        n = totals(base, "nareis_on_nareis", "applications")
        print(f"  nareis_on_nareis applications: the ban takes them to 0; width {width(n):.1f}")

    if pre2026 is not None:
        p = read_run(pre2026 / "pre_2026_rules")
        q = read_run(pre2026 / "pre_2026_stricter_interviews")
        print("\npre_2026_stricter_interviews against pre_2026_rules:")
        print(line(p, q, "nareis_on_nareis", "applications"))
        print(line(p, q, "art8_after_nareis", "applications"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
