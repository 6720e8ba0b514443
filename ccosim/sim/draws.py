"""Cheap per-slot monthly draws: one raw integer per slot, turned into the value needed.

Health noise and mid-term upsell need one draw for every slot of the prefix every month
(slots that are not live included, so that a slot's draw never depends on which other
accounts a design kept: common random numbers). ``Generator.standard_normal`` costs about
13 ns a value here and ``Generator.random`` about 4 ns; reading the bit generator's raw
output costs under 1 ns a 16-bit value. So:

- a normal draw is a 16-bit integer mapped through a table of the 65,536 mid-quantiles of
  N(0, 1), ``z = Phi^-1((k + 0.5) / 65536)``, rescaled to unit variance (inverse transform
  sampling on a fine grid; the largest |z| is 4.33, where a true normal exceeds that once
  in 67,000 draws);
- a Bernoulli draw compares a 32-bit integer with ``p * 2^32`` (resolution 2.3e-10);
- a renewal's uniforms are 32-bit words kept as such and read as ``(w >> 8) / 2^24``.

All read the raw words little-endian, as every platform numpy ships wheels for does.
"""

from __future__ import annotations

import functools
import statistics

import numpy as np

__all__ = [
    "NORMAL_LEVELS",
    "UINT32_SPAN",
    "UNIFORM24",
    "normal_draws",
    "normal_levels",
    "normal_table",
    "scaled_normal_table",
    "uniform_bits",
]

NORMAL_LEVELS = 1 << 16
UINT32_SPAN = float(1 << 32)  # a 32-bit uniform u succeeds with probability p when u < p * span
#: A 32-bit word ``w`` is the uniform ``(w >> 8) * UNIFORM24``: exactly numpy's
#: ``Generator.random(dtype=float32)`` over the same words (low half of a raw word first).
UNIFORM24 = 2.0**-24


@functools.cache
def normal_table() -> np.ndarray:
    """The 65,536 mid-quantiles of N(0, 1), rescaled to mean 0 and variance 1 (read-only)."""
    inv = statistics.NormalDist().inv_cdf
    half = NORMAL_LEVELS // 2
    upper = np.array([inv((half + k + 0.5) / NORMAL_LEVELS) for k in range(half)])
    table = np.concatenate([-upper[::-1], upper])
    table /= np.sqrt(np.mean(table**2))
    table.flags.writeable = False
    return table


def normal_levels(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` independent uniform 16-bit levels (4 a raw word): indices into a normal table."""
    return rng.bit_generator.random_raw((n + 3) // 4).view(np.uint16)[:n]


def normal_draws(rng: np.random.Generator, n: int, scale: float, out: np.ndarray) -> np.ndarray:
    """``n`` independent N(0, scale^2) draws (discretised as above) into ``out[:n]``.

    The engine reads the same numbers without the intermediate array: the levels of
    :func:`normal_levels` looked up in :func:`scaled_normal_table`.

    Args:
        rng: The stream to read (its raw words are consumed: 4 draws a word).
        n: How many draws.
        scale: Standard deviation.
        out: Buffer of at least ``n`` floats; the scaled table lookup is written there.

    Returns:
        ``out[:n]``.
    """
    return np.take(scaled_normal_table(float(scale)), normal_levels(rng, n), out=out[:n])


@functools.lru_cache(maxsize=16)
def scaled_normal_table(scale: float) -> np.ndarray:
    """:func:`normal_table` times ``scale`` (read-only, cached)."""
    table = normal_table() * scale
    table.flags.writeable = False
    return table


def uniform_bits(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` independent uniform 32-bit integers (2 a raw word)."""
    return rng.bit_generator.random_raw((n + 1) // 2).view(np.uint32)[:n]
