"""Common random numbers: one independent, reproducible stream per replication and purpose.

Every source of randomness in the model (new-logo arrivals, health noise, renewal outcomes,
attrition, ...) draws from its own stream, ``SeedSequence(root, spawn_key=(replication,
purpose_key))``. Two designs run with the same root seed therefore see the same customers
and the same luck, and adding a new purpose never shifts the draws of the existing ones
(the key is a stable hash of the purpose's name, not its position in a list).
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["purpose_key", "stream"]


def purpose_key(purpose: str) -> int:
    """A stable integer for a purpose name (CRC-32, the same on every machine and run)."""
    return zlib.crc32(purpose.encode("utf-8"))


def stream(root_seed: int, replication: int, purpose: str) -> np.random.Generator:
    """The random generator of one purpose in one replication.

    Args:
        root_seed: The scenario's (or the command line's) seed.
        replication: Replication index, 0-based.
        purpose: Name of the source of randomness, e.g. ``"arrivals"`` or ``"renewals"``.

    Returns:
        A fresh ``numpy.random.Generator`` (PCG64); equal arguments give equal streams.
    """
    sequence = np.random.SeedSequence(root_seed, spawn_key=(replication, purpose_key(purpose)))
    return np.random.Generator(np.random.PCG64(sequence))
