"""The likelihood of the published tables: interval-censored counts, dispersion from the replicates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.calibration.likelihood import (
    DISPERSIONS,
    POOL_MIN_MEAN,
    log_interval_prob,
    log_likelihood,
    pooled_dispersion,
    predictive,
)
from sim.calibration.report import JUDGE_DISPERSION
from sim.calibration.targets import load_targets
from sim.cli import _parser
from sim.codes import COHORT_OUTCOMES, FLOWS


def test_interval_probability_is_the_mass_over_the_interval():
    # Poisson when the variance is not above the mean, negative binomial with that mean and variance otherwise.
    poisson = stats.poisson(6.0)
    assert math.isclose(log_interval_prob(1, 9, 6.0, 6.0), math.log(poisson.cdf(9) - poisson.cdf(0)))
    n = 6.0 ** 2 / (15.0 - 6.0)
    nb = stats.nbinom(n, n / (n + 6.0))
    assert math.isclose(log_interval_prob(1, 9, 6.0, 15.0), math.log(nb.cdf(9) - nb.cdf(0)))
    assert math.isclose(log_interval_prob(0, 0, 6.0, 6.0), -6.0)


def test_interval_probability_stays_finite_far_in_the_tail():
    # The mass of 175-184 under a mean of 20 is about 1e-100: summed in log space, not lost to underflow.
    lp = log_interval_prob(175, 184, 20.0, 20.0)
    assert math.isfinite(lp) and -260 < lp < -200
    assert math.isclose(lp, float(np.logaddexp.reduce(stats.poisson(20.0).logpmf(np.arange(175, 185)))))


def test_cell_dispersion_scales_the_replicate_variance_to_full_size():
    values = np.array([10.0, 30.0, 20.0, 40.0])  # sample variance 166.7, mean 25
    assert predictive(values, 1.0) == (25.0, pytest.approx(166.6667, rel=1e-4))
    assert predictive(values, 0.25) == (25.0, pytest.approx(41.6667, rel=1e-4))
    assert predictive(values, 0.01) == (25.0, 25.0)  # never below the Poisson variance


def test_pooled_dispersion_pools_the_cells_with_a_real_mean():
    big = np.array([8.0, 12.0, 10.0, 10.0])     # mean 10, sample variance 8/3
    bigger = np.array([90.0, 110.0, 100.0, 100.0])  # mean 100, sample variance 200/3
    small = np.array([0.0, 4.0, 0.0, 0.0])     # mean 1 < POOL_MIN_MEAN: left out
    assert POOL_MIN_MEAN > 1.0
    # (8/3 + 200/3) * scale / (10 + 100): 3.15 at scale 10; at scale 0.5 it would be 0.32, below Poisson.
    assert pooled_dispersion([big, bigger, small], 10.0) == pytest.approx((8 / 3 + 200 / 3) * 10.0 / 110.0)
    assert pooled_dispersion([big, bigger, small], 0.5) == 1.0
    assert pooled_dispersion([small], 1.0) == 1.0  # nothing to pool: Poisson
    assert pooled_dispersion([np.full(4, 50.0)], 1.0) == 1.0  # never below Poisson


def test_pooled_predictive_adds_the_monte_carlo_error_of_the_mean():
    values = np.array([10.0, 30.0, 20.0, 40.0])
    # 4 replicates at scale 0.25: the mean is as uncertain as one full-size count, so the variance doubles.
    assert predictive(values, 0.25, dispersion=2.0) == (25.0, pytest.approx(2.0 * 25.0 * 2.0))
    assert predictive(values, 0.5, dispersion=1.0) == (25.0, pytest.approx(25.0 * 1.5))


def _cohorts(rng: np.random.Generator, years: tuple[int, ...]) -> np.ndarray:
    """Replicate cohorts (replications, as_of, years, flows, outcomes) with Poisson-like counts."""
    shape = (4, 2, len(years), len(FLOWS), len(COHORT_OUTCOMES))
    return rng.poisson(40.0, shape).astype(float)


def test_pooled_likelihood_is_the_sum_over_cells_with_one_dispersion():
    targets = load_targets()
    years = tuple(range(2014, 2024))
    cohorts = _cohorts(np.random.default_rng(5), years)
    total, views = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"}, dispersion="pooled")
    phi = pooled_dispersion([v.values for v in views], 0.25)
    expected = 0.0
    for v in views:
        mean, var = predictive(v.values, 0.25, phi)
        assert (v.mean, v.log_prob) == (mean, log_interval_prob(v.cell.low, v.cell.high, mean, var))
        expected += max(v.log_prob, -50.0)
    assert total == pytest.approx(expected)
    cell_total, _ = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"})
    assert cell_total != pytest.approx(total)  # the two ways differ


def test_cell_dispersion_with_monte_carlo_error_widens_by_one_over_r_s_and_has_no_point_mass_at_zero():
    # 4 replicates at scale 0.25 (real size): mean 20, replicate variance 640/3, so 160/3 at full size, doubled by
    # the Monte Carlo error of the mean (1 + 1/(4 * 0.25)).
    values = np.array([4.0, 12.0, 28.0, 36.0])
    assert predictive(values, 0.25) == pytest.approx((20.0, 160.0 / 3))
    assert predictive(values, 0.25, mc_error=True) == pytest.approx((20.0, 320.0 / 3))
    # Replicates that vary less than a Poisson: the mean is the floor of the full-size variance.
    assert predictive(np.full(4, 20.0), 0.25, mc_error=True) == pytest.approx((20.0, 40.0))
    # All replicates zero: without the error a point mass at zero, so a published `<10` is impossible; with it the
    # mean is 0.5 / (R s) and the figure is unlikely but possible.
    zeros = np.zeros(10)
    assert predictive(zeros, 0.5) == (0.0, 0.0)
    assert log_interval_prob(1, 9, *predictive(zeros, 0.5)) == -math.inf
    mean, var = predictive(zeros, 0.5, mc_error=True)
    assert (mean, var) == pytest.approx((0.1, 0.1 * 1.2))
    assert -3.0 < log_interval_prob(1, 9, mean, var) < -2.0


def test_cell_likelihood_with_monte_carlo_error_is_the_sum_over_cells_of_the_widened_predictive():
    targets = load_targets()
    years = tuple(range(2014, 2024))
    cohorts = _cohorts(np.random.default_rng(6), years)
    cohorts[:, :, years.index(2021)] = 0.0  # every cell of 2021 is zero in every replicate
    total, views = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"}, dispersion="cell_mc")
    expected = 0.0
    for v in views:
        mean, var = predictive(v.values, 0.25, mc_error=True)
        assert (v.mean, v.log_prob) == (mean, log_interval_prob(v.cell.low, v.cell.high, mean, var))
        expected += max(v.log_prob, -50.0)
    assert total == pytest.approx(expected)
    zero = [v for v in views if v.cell.years == (2021,)]
    assert zero and all(v.mean == 0.5 and math.isfinite(v.log_prob) for v in zero)
    cell_total, _ = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"})
    assert cell_total < total  # wider predictive distributions and no impossible zero cells


def test_the_command_offers_every_dispersion():
    parser = _parser()
    args = parser.parse_args(["calibrate", "--dispersion", "pooled"])
    assert args.dispersion == "pooled"
    # The fits keep the likelihood they were run with; the report judges as the calibration tests do.
    for command in ("calibrate", "backtest"):
        assert parser.parse_args([command]).dispersion == "cell"
    assert parser.parse_args(["fit-report"]).dispersion == JUDGE_DISPERSION == "cell_mc"
    for command in ("calibrate", "backtest", "fit-report"):
        for name in DISPERSIONS:
            assert parser.parse_args([command, "--dispersion", name]).dispersion == name
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--dispersion", "fitted"])


def test_cell_zero_keeps_each_cells_variance_and_only_lifts_a_mean_of_zero():
    values = np.array([4.0, 12.0, 28.0, 36.0])
    assert predictive(values, 0.25, zero_floor=True) == predictive(values, 0.25)  # no widening
    mean, var = predictive(np.zeros(4), 0.5, zero_floor=True)
    assert (mean, var) == pytest.approx((0.25, 0.25))  # 0.5 / (R s), Poisson
    assert -2.0 < log_interval_prob(1, 9, mean, var) < -1.0
    targets = load_targets()
    years = tuple(range(2014, 2024))
    cohorts = _cohorts(np.random.default_rng(7), years)
    cohorts[:, :, years.index(2021)] = 0.0
    zero_total, views = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"}, dispersion="cell_zero")
    cell_total, cell_views = log_likelihood(targets, cohorts, years, 1, 0.25, include={"cell"})
    for z, c in zip(views, cell_views, strict=True):
        if c.cell.years == (2021,):
            assert z.mean == 1.0 / 2 and math.isfinite(z.log_prob) and c.mean == 0.0
        else:
            assert (z.mean, z.log_prob) == (c.mean, c.log_prob)
    assert zero_total > cell_total
