"""Who arrives, and the potential family tree of each of them, sampled once in numpy blocks.

For every calendar year of the run, the ``inflow`` stream keyed by that year gives the first asylum applicants.
Everything else is drawn from keys (``sim.streams``): each applicant has a key, each potential relative abroad the
key of the person they would come through combined with the type of relation and their rank among such relatives,
and every count in the tree and every personal draw is a hash of the key and the draw's name. The rules later only
decide which branches become applications and when, so two scenarios with the same seed share every person and
every draw (common random numbers); a different inflow projection changes nothing about the years before it; and
a parameter that changes the size of the trees (how many partners, children, siblings) adds or removes relatives
without re-drawing anyone else, so calibration candidates are compared on the same people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy import special  # distribution functions only: scipy.stats costs over a CPU second to import

from sim.codes import (
    ADULT_CHILD,
    K_ADULT,
    K_AMV,
    K_CHILD,
    K_LEAF,
    K_PARENT,
    K_PARTNER,
    K_SEP_PARENT,
    K_YOUNG_ADULT,
    MINOR_CHILD,
    OTHER,
    PARENT,
    SIBLING,
    SPOUSE_PARTNER,
)
from sim.parameters import Parameters
from sim.streams import child_keys, keyed_counts, keyed_uniform, root_keys, stream

__all__ = ["People", "DRAWS", "sample_people", "month_starts", "lowest_member_draw"]

#: Personal uniform draws, one column each, tied to the person (never to the order of events).
DRAWS = (
    "asylum_grant",    # whether their asylum claim is granted
    "status",          # A or B status when granted
    "apply",           # whether an application is filed for them (propensity)
    "detect",          # whether the interview detects a claim that does not hold
    "family_grant",    # whether a nareis / Art. 8 application for them is granted
    "service",         # handling time of their case
    "filing_delay",    # as sponsor: delay before filing for the family
    "own_asylum",      # whether they file their own asylum claim after arrival
    "own_asylum_delay",
    "travel",          # travel delay after a grant
    "disrupt",         # whether disruptions (COVID-19, visa hold) touch them
    "conditions",      # as sponsor: whether income and housing conditions are met
    "displace",        # whether a stacking ban displaces the application to Art. 8 ECHR
    "withdraw",        # whether withdrawal enforcement finds out a claim that did not hold
    "investigation",   # as sponsor of a stacked application: extra investigation time before the decision
    "in_term",         # as sponsor: whether their nareis case is decided within its term, ahead of the queue
)
D = {name: i for i, name in enumerate(DRAWS)}

# Member types of the tree: (relation to the person they would come through, kind of person, is adult).
_TYPES = (
    (SPOUSE_PARTNER, K_PARTNER, True),    # 0 partner of an adult sponsor
    (MINOR_CHILD, K_CHILD, False),        # 1 minor child
    (ADULT_CHILD, K_YOUNG_ADULT, True),   # 2 young adult child
    (OTHER, K_LEAF, True),                # 3 other relative (Art. 8 only)
    (PARENT, K_PARENT, True),             # 4 parent of an AMV
    (SIBLING, K_LEAF, False),             # 5 minor sibling of an AMV
    (SIBLING, K_YOUNG_ADULT, True),       # 6 adult sibling of an AMV
    (PARENT, K_SEP_PARENT, True),         # 7 separated other parent of a minor child
    (SPOUSE_PARTNER, K_PARTNER, True),    # 8 a young adult's own partner
    (MINOR_CHILD, K_CHILD, False),        # 9 a young adult's own child
    (SPOUSE_PARTNER, K_PARTNER, True),    # 10 a separated parent's new partner
    (MINOR_CHILD, K_LEAF, False),         # 11 a separated parent's new child
)
_TYPE_RELATION = np.array([t[0] for t in _TYPES], dtype=np.int8)
_TYPE_KIND = np.array([t[1] for t in _TYPES], dtype=np.int8)
_TYPE_ADULT = np.array([t[2] for t in _TYPES], dtype=bool)
_PARTNER_TYPES = np.array([0, 8, 10])


@dataclass
class People:
    """Everyone the run could involve: first asylum applicants and their potential families abroad.

    Attributes (one entry per person):
        kind: kind of person (``sim.codes.KINDS``).
        adult: whether the person is an adult (only adults file their own asylum claims).
        parent: index of the person they would come through (-1 for first asylum applicants).
        relation: relation to that person (``sim.codes.RELATIONS``; -1 for first asylum applicants).
        depth: depth in the tree (0 for first asylum applicants).
        married: for partners, whether married or registered.
        own_family: whether the person has a family of their own abroad (makes a young adult's claim to belong
            to the parents' family one that does not hold).
        first_child, n_children: their own potential family abroad is ``first_child .. first_child+n_children``.
        arrival_day: for first asylum applicants, the day of the first asylum claim (NaN for others).
        u: personal uniform draws, columns as :data:`DRAWS`.
        key: the person's 64-bit key, from which all their draws come (``sim.streams``); the same person has the
            same key in every scenario and for every parameter value that keeps them in the tree.
    """

    kind: np.ndarray
    adult: np.ndarray
    parent: np.ndarray
    relation: np.ndarray
    depth: np.ndarray
    married: np.ndarray
    own_family: np.ndarray
    first_child: np.ndarray
    n_children: np.ndarray
    arrival_day: np.ndarray
    u: np.ndarray
    key: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def applicants(self) -> np.ndarray:
        """Indices of first asylum applicants, ordered by the day of their claim."""
        idx = np.flatnonzero(self.depth == 0)
        return idx[np.argsort(self.arrival_day[idx], kind="stable")]


def month_starts(start: dt.date, years: tuple[int, ...]) -> np.ndarray:
    """Day numbers (since ``start``) of the first day of every month of ``years``, plus the day after the end."""
    days = [(dt.date(y, m, 1) - start).days for y in years for m in range(1, 13)]
    days.append((dt.date(years[-1] + 1, 1, 1) - start).days)
    return np.asarray(days, dtype=float)


def sample_people(params: Parameters, start: dt.date, horizon_day: float, scale: float, seed: int,
                  replication: int) -> People:
    """Sample all first asylum applicants of the run and their potential family trees.

    Args:
        params: resolved parameters.
        start: the run's first day (day 0).
        horizon_day: the last simulated day number; later arrivals are not sampled.
        scale: share of real size (inflow scaled).
        seed: the run seed.
        replication: replication index.
    """
    months = month_starts(start, params.years)
    blocks: list[dict[str, np.ndarray]] = []
    offset = 0
    for i, year in enumerate(params.years):
        block = _sample_year(params, i, months[12 * i: 12 * i + 13], horizon_day, scale, seed, replication,
                             year, offset)
        offset += len(block["kind"])
        blocks.append(block)
    fields = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    return People(**fields)


def _sample_year(params: Parameters, i: int, months: np.ndarray, horizon_day: float, scale: float, seed: int,
                 replication: int, year: int, offset: int) -> dict[str, np.ndarray]:
    rng = stream(seed, replication, "inflow", year)
    expected = params.first_asylum[i] * params.monthly_share[i] * scale
    counts = rng.poisson(expected)
    days = np.concatenate([rng.uniform(months[m], months[m + 1], counts[m]) for m in range(12)])
    days.sort()
    amv = rng.random(len(days)) < params.amv_share[i]
    keep = days <= horizon_day
    days, amv = days[keep], amv[keep]
    n0 = len(days)

    kind = [np.where(amv, K_AMV, K_ADULT).astype(np.int8)]
    adult = [~amv]
    parent = [np.full(n0, -1, dtype=np.int64)]
    relation = [np.full(n0, -1, dtype=np.int8)]
    depth = [np.zeros(n0, dtype=np.int8)]
    married = [np.zeros(n0, dtype=bool)]
    arrival = [days]

    p = params.model
    max_depth = int(p["max_tree_depth"])
    level_idx = np.arange(n0) + offset
    level_keys = root_keys(seed, replication, year, n0)
    keys = [level_keys]
    level_kind = kind[0]
    level_depth = 0
    n_total = n0
    first_child_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while len(level_idx) and level_depth < max_depth:
        c = _member_counts(level_kind, level_keys, p)
        per_parent = c.sum(axis=1)
        flat = c.ravel()
        types = np.repeat(np.tile(np.arange(len(_TYPES)), len(level_idx)), flat)
        n_new = len(types)
        starts = n_total + offset + np.concatenate([[0], np.cumsum(per_parent)[:-1]])
        first_child_parts.append((level_idx, starts, per_parent))
        if n_new == 0:
            break
        rank = np.arange(n_new) - np.repeat(np.cumsum(flat) - flat, flat)
        new_keys = child_keys(np.repeat(level_keys, per_parent), types, rank)
        new_kind = _TYPE_KIND[types]
        is_partner = np.isin(types, _PARTNER_TYPES)
        kind.append(new_kind)
        adult.append(_TYPE_ADULT[types])
        parent.append(np.repeat(level_idx, per_parent))
        relation.append(_TYPE_RELATION[types])
        depth.append(np.full(n_new, level_depth + 1, dtype=np.int8))
        married.append(is_partner & (keyed_uniform(new_keys, "married") < p["partner_married_share"]))
        arrival.append(np.full(n_new, np.nan))
        keys.append(new_keys)
        level_idx = np.arange(n_total, n_total + n_new) + offset
        level_keys = new_keys
        level_kind = new_kind
        level_depth += 1
        n_total += n_new

    n = n_total
    first_child = np.full(n, -1, dtype=np.int64)
    n_children = np.zeros(n, dtype=np.int32)
    for idx, starts, counts in first_child_parts:
        first_child[idx - offset] = starts
        n_children[idx - offset] = counts
    kind_all = np.concatenate(kind)
    own_family = (kind_all == K_YOUNG_ADULT) & (n_children > 0)
    all_keys = np.concatenate(keys)
    u = np.empty((n, len(DRAWS)), dtype=np.float32)
    for j, name in enumerate(DRAWS):
        u[:, j] = keyed_uniform(all_keys, name, np.float32)
    return {
        "kind": kind_all,
        "adult": np.concatenate(adult),
        "parent": np.concatenate(parent),
        "relation": np.concatenate(relation),
        "depth": np.concatenate(depth),
        "married": np.concatenate(married),
        "own_family": own_family,
        "first_child": first_child,
        "n_children": n_children,
        "arrival_day": np.concatenate(arrival),
        "u": u,
        "key": all_keys,
    }


def _poisson(u: np.ndarray, mean: float) -> np.ndarray:
    """Poisson counts with ``mean`` by inversion of the uniforms ``u``."""
    if mean <= 0:
        return np.zeros(len(u), dtype=np.int64)
    top = int(mean + 12 * np.sqrt(mean) + 20)
    return keyed_counts(u, special.pdtr(np.arange(top), mean))  # the Poisson CDF


def _member_counts(kind: np.ndarray, keys: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """Number of potential family members of each type (columns as ``_TYPES``) for persons of ``kind``.

    Every count is an inversion of one keyed draw of the person, so it moves with its parameter and nothing else.
    """
    n = len(kind)
    c = np.zeros((n, len(_TYPES)), dtype=np.int64)

    def draw(name: str) -> np.ndarray:
        return keyed_uniform(keys, name)

    adult = kind == K_ADULT
    partner = adult & (draw("partner") < p["adult_partner_abroad_prob"])
    c[:, 0] = partner
    u = draw("minor_children")
    c[:, 1] = np.where(adult, np.where(partner, _poisson(u, p["minor_children_mean_with_partner"]),
                                       _poisson(u, p["minor_children_mean_without_partner"])), 0)
    c[:, 2] = np.where(partner, _poisson(draw("young_adult_children"), p["young_adult_children_mean"]), 0)
    c[:, 3] = np.where(adult, _poisson(draw("other_relatives"), p["other_relatives_mean"]), 0)
    amv = kind == K_AMV
    parents_cdf = special.bdtr([0, 1, 2], 2, p["amv_parents_abroad_prob"])  # the binomial CDF
    c[:, 4] = np.where(amv, keyed_counts(draw("amv_parents"), parents_cdf), 0)
    c[:, 5] = np.where(amv, _poisson(draw("amv_minor_siblings"), p["amv_minor_siblings_mean"]), 0)
    c[:, 6] = np.where(amv, _poisson(draw("amv_adult_siblings"), p["amv_adult_siblings_mean"]), 0)
    child = kind == K_CHILD
    c[:, 7] = child & (draw("separated_parent") < p["separated_parent_prob"])
    young = kind == K_YOUNG_ADULT
    has_own = young & (draw("own_family") < p["young_adult_own_family_share"])
    c[:, 8] = has_own & (draw("own_partner") < p["own_family_partner_prob"])
    c[:, 9] = np.where(has_own, _poisson(draw("own_children"), p["own_family_children_mean"]), 0)
    sep = kind == K_SEP_PARENT
    c[:, 10] = sep & (draw("new_partner") < p["separated_parent_new_partner_prob"])
    c[:, 11] = np.where(sep, _poisson(draw("new_children"), p["separated_parent_new_children_mean"]), 0)
    return c


def lowest_member_draw(people: People, column: int) -> np.ndarray:
    """For every person, the lowest draw in ``column`` among their potential family abroad (1.0 if none).

    The engine uses it to skip sponsors for whom no member's ``apply`` draw is below any propensity.
    """
    out = np.ones(len(people))
    has = np.flatnonzero(people.n_children > 0)
    if len(has):
        draws = np.append(people.u[:, column], np.float32(1.0))
        bounds = np.empty(2 * len(has), dtype=np.int64)
        bounds[0::2] = people.first_child[has]
        bounds[1::2] = people.first_child[has] + people.n_children[has]
        out[has] = np.minimum.reduceat(draws, bounds)[0::2]
    return out
