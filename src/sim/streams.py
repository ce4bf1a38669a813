"""Named random streams from one seed.

Every stream is a ``numpy.random.Generator`` on its own ``SeedSequence``: the run's seed as entropy and
``(replication, name, block)`` as spawn key, where the name is hashed to a stable 32-bit number. So the draws of
one stream never depend on how much another consumed, the same replication gets the same streams in every
scenario (common random numbers) and in every worker process, and nothing touches global random state.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["STREAM_NAMES", "stream"]

#: The streams the model uses: who arrives, their potential family trees, and the personal draws of each person.
STREAM_NAMES = ("inflow", "trees", "personal")


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
