"""The production decision queue against queueing theory (M/M/c, Erlang C) and its server schedule."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from sim.codes import ASYLUM
from sim.levers import AsylumTaskforce
from sim.policy import Policy
from sim.population import month_starts
from sim.queue import DecisionQueue, server_schedule
from sim.runner import parameters_for
from sim.scenario import SHIPPED_SCENARIOS, Scenario


def erlang_c(c: int, lam: float, mu: float) -> float:
    """Probability that an arriving customer waits in an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    assert rho < 1
    top = a**c / math.factorial(c) / (1 - rho)
    bottom = sum(a**k / math.factorial(k) for k in range(c)) + top
    return top / bottom


def simulate(schedule, lam: float, mu: float, n: int, seed: int):
    """Feed the production queue a Poisson stream with exponential work; return filed, start, decided."""
    rng = np.random.default_rng(seed)
    filed = np.cumsum(rng.exponential(1.0 / lam, n))
    work = rng.exponential(1.0 / mu, n)
    q = DecisionQueue(schedule)
    out = np.array([q.submit(float(f), float(w)) for f, w in zip(filed, work, strict=True)])
    return filed, out[:, 0], out[:, 1], work


@pytest.fixture(scope="module")
def mmc():
    c, lam, mu = 5, 4.0, 1.0
    filed, start, decided, work = simulate([(0.0, c)], lam, mu, 200_000, seed=12345)
    return c, lam, mu, filed, start, decided, work


def test_erlang_c_helper_known_value():
    # Independent check of the formula used below: M/M/2 with a = 1 has P_wait = 1/3.
    assert erlang_c(2, 1.0, 1.0) == pytest.approx(1 / 3)
    # c = 1: P_wait = rho.
    assert erlang_c(1, 0.7, 1.0) == pytest.approx(0.7)


def test_mmc_mean_wait_matches_erlang_c(mmc):
    c, lam, mu, filed, start, decided, work = mmc
    wq = erlang_c(c, lam, mu) / (c * mu - lam)
    burn = 1000  # the queue starts empty
    observed = (start - filed)[burn:].mean()
    assert observed == pytest.approx(wq, rel=0.05)


def test_mmc_mean_time_in_system(mmc):
    c, lam, mu, filed, start, decided, work = mmc
    w = erlang_c(c, lam, mu) / (c * mu - lam) + 1.0 / mu
    observed = (decided - filed)[1000:].mean()
    assert observed == pytest.approx(w, rel=0.05)


def test_mmc_fraction_that_waits(mmc):
    c, lam, mu, filed, start, decided, work = mmc
    waits = (start - filed)[1000:] > 0
    assert waits.mean() == pytest.approx(erlang_c(c, lam, mu), abs=0.02)


def test_mmc_decided_is_start_plus_work_and_fifo(mmc):
    c, lam, mu, filed, start, decided, work = mmc
    assert np.allclose(decided, start + work)
    assert np.all(start >= filed)
    assert np.all(np.diff(start) >= 0)  # FIFO: cases are taken up in order of filing
    # never more than c cases in hand at once: the (c+1)-th case before i started after case i-c finished...
    # equivalently, at every start time at most c cases are in service.
    order = np.argsort(decided)
    ends = decided[order]
    in_service = np.arange(1, len(start) + 1) - np.searchsorted(ends, start, side="right")
    assert in_service.max() <= c


def test_mm1_mean_wait():
    lam, mu = 0.7, 1.0
    filed, start, decided, _ = simulate([(0.0, 1)], lam, mu, 300_000, seed=777)
    rho = lam / mu
    wq = rho / (mu - lam)
    assert (start - filed)[1000:].mean() == pytest.approx(wq, rel=0.05)
    assert (decided - filed)[1000:].mean() == pytest.approx(wq + 1 / mu, rel=0.05)
    assert ((start - filed)[1000:] > 0).mean() == pytest.approx(rho, abs=0.02)


def test_servers_rising_keeps_order_and_never_starts_before_filing():
    # One server until day 100 (overloaded: a backlog builds), then ten.
    filed, start, decided, work = simulate([(0.0, 1), (100.0, 10)], lam=3.0, mu=1.0, n=3000, seed=1)
    assert np.all(start >= filed)
    assert np.all(np.diff(start) >= 0)
    assert np.allclose(decided, start + work)
    # Before day 100 only one case is in hand at a time.
    before = start < 100
    s, d = start[before], decided[before]
    assert np.all(s[1:] >= d[:-1] - 1e-9)
    # The backlog is worked off after day 100: later cases barely wait.
    late = filed > 400
    assert late.any()
    assert (start - filed)[late].mean() < 1.0


def test_servers_falling_reduces_throughput():
    # Ten servers until day 50, then one; offered load 5 per day, work 1 day.
    filed, start, decided, work = simulate([(0.0, 10), (50.0, 1)], lam=5.0, mu=1.0, n=2000, seed=2)
    assert np.all(start >= filed)
    assert np.all(np.diff(start) >= 0)
    per_day = np.bincount(decided.astype(int), minlength=200)
    before = per_day[10:50].mean()
    after = per_day[60:150].mean()
    assert before == pytest.approx(5.0, rel=0.15)
    assert after <= 1.3  # one server decides about one case (mean work 1 day) a day
    assert after >= 0.7
    # After the fall no two cases are in hand at once once the cases in hand at day 50 are finished.
    late = start > 70
    s, d = start[late], decided[late]
    assert np.all(s[1:] >= d[:-1] - 1e-9)


def test_empty_schedule_raises():
    q = DecisionQueue([])
    with pytest.raises(RuntimeError):
        q.submit(0.0, 1.0)


def test_server_schedule_is_capacity_times_handling_time_with_the_rules_in_force():
    """Servers a month = decisions a month (series plus the asylum taskforce) x handling days / days in the month
    x scale; rounded, at least one."""
    scenario = Scenario.from_yaml(SHIPPED_SCENARIOS / "baseline.yaml")
    params = parameters_for(scenario)
    start = dt.date(2014, 1, 1)
    months = month_starts(start, tuple(range(2014, 2022)))
    taskforce = AsylumTaskforce.model_validate({"from": "2020-05-01", "until": "2021-06-30",
                                                "extra_decisions_per_month": 1000})
    policy = Policy({"asylum_taskforce": [taskforce]}, params.model, start)
    capacity = np.full(len(months) - 1, 1500.0)
    mean = params.model["asylum_service_mean_days"]
    schedule = server_schedule(ASYLUM, months, capacity, policy, 0.1)
    assert len(schedule) == len(months) - 1
    for m, (day, servers) in enumerate(schedule):
        days = months[m + 1] - months[m]
        extra = 1000 if (dt.date(2020, 5, 1) - start).days <= day <= (dt.date(2021, 6, 30) - start).days else 0
        assert day == months[m]
        assert servers == max(1, round((1500 + extra) * 0.1 * mean / days))
    assert server_schedule(ASYLUM, months, capacity, policy, 1e-6)[0][1] == 1


def test_a_case_ahead_of_the_queue_is_decided_at_once_and_still_takes_its_place():
    """One server, three cases of 10 days filed on day 0: the second goes ahead (decided on day 10 instead of
    20) but keeps its server time, so the third is decided on day 30 as without it."""
    q = DecisionQueue([(0.0, 1)])
    assert q.submit(0.0, 10.0) == (0.0, 10.0)
    assert q.submit(0.0, 10.0, ahead=True) == (0.0, 10.0)
    assert q.submit(0.0, 10.0) == (20.0, 30.0)
