"""Named random streams from one seed, and keyed draws that belong to one identity.

Every stream is a ``numpy.random.Generator`` on its own ``SeedSequence``: the run's seed as entropy and
``(replication, name, block)`` as spawn key, where the name is hashed to a stable 32-bit number. So the draws of
one stream never depend on how much another consumed, the same replication gets the same streams in every
scenario (common random numbers) and in every worker process, and nothing touches global random state.

Persons draw from keys instead (:func:`child_keys`, :func:`keyed_uniform`): each person has a 64-bit key made
from the key of the person they come through, the type of relation and their rank among such relatives, and every
draw of theirs is a hash of that key and the draw's name. A person keeps their draws when a parameter changes how
many relatives others have, so the calibration compares candidates on the same people (common random numbers
across parameter values, not only across scenarios).
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["STREAM_NAMES", "stream", "root_keys", "child_keys", "keyed_uniform", "keyed_counts"]

#: The streams the model uses: who arrives (`inflow`), and the base of the keys of each year's persons (`people`).
STREAM_NAMES = ("inflow", "people")


def stream(seed: int, replication: int, name: str, block: int = 0) -> np.random.Generator:
    """The generator of one named stream.

    Args:
        seed: the run's seed (as given by the user; stored as given).
        replication: replication index, from 0.
        name: one of :data:`STREAM_NAMES` (others are allowed, for tests and tools).
        block: a sub-stream index, e.g. the calendar year whose arrivals are sampled.
    """
    key = zlib.crc32(name.encode("utf-8"))
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(replication, key, block))
    return np.random.Generator(np.random.PCG64(seq))


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray | np.uint64) -> np.ndarray:
    """The SplitMix64 finaliser: a bijection of 64-bit integers whose outputs look independent."""
    a = np.asarray(x, dtype=np.uint64)
    a = (a ^ (a >> np.uint64(30))) * _M1
    a = (a ^ (a >> np.uint64(27))) * _M2
    return np.asarray(a ^ (a >> np.uint64(31)))


def _name_key(name: str) -> np.uint64:
    return np.uint64(_mix(np.uint64(zlib.crc32(name.encode("utf-8"))) * _GOLDEN + _GOLDEN))


def root_keys(seed: int, replication: int, block: int, n: int) -> np.ndarray:
    """Keys of the ``n`` first persons of one block (a calendar year's first asylum applicants, in order)."""
    base = np.uint64(stream(seed, replication, "people", block).integers(0, 2**63))
    with np.errstate(over="ignore"):
        return _mix(base + np.arange(1, n + 1, dtype=np.uint64) * _GOLDEN)


def child_keys(parent: np.ndarray, kind: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Keys of relatives: the ``rank``-th relative of type ``kind`` of the person with key ``parent``."""
    with np.errstate(over="ignore"):
        tag = _mix((kind.astype(np.uint64) + np.uint64(1)) << np.uint64(32) | rank.astype(np.uint64))
        return _mix(parent ^ tag)


def keyed_uniform(keys: np.ndarray, name: str, dtype: type = np.float64) -> np.ndarray:
    """One uniform draw in [0, 1) per key for the draw called ``name``; the same key and name give the same draw."""
    with np.errstate(over="ignore"):
        h = _mix(keys ^ _name_key(name))
    if dtype == np.float32:  # 24 bits: exact in float32, never rounds up to 1
        return ((h >> np.uint64(40)).astype(np.float32) * np.float32(2.0**-24)).astype(np.float32)
    return (h >> np.uint64(11)).astype(np.float64) * 2.0**-53


def keyed_counts(u: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """Counts by inversion: the number of values of the distribution function ``cdf`` (at 0, 1, 2, ...) at or
    below ``u``. A count never decreases when the distribution moves up, so a small change of a mean changes the
    counts of few persons."""
    return np.searchsorted(cdf, u, side="right")
