"""Input checks shared by the statistics: one clear `ValueError` per misuse, before computing."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


def check_count(value: int, name: str) -> int:
    """Return `value` as an int after checking that it is a whole, non-negative count."""
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number of questions, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return int(value)


def check_successes(k: int, n: int, k_name: str, n_name: str) -> tuple[int, int]:
    """Check a binomial count pair: 0 <= k <= n and n > 0 (an empty group has no rate)."""
    k, n = check_count(k, k_name), check_count(n, n_name)
    if n == 0:
        raise ValueError(f"{n_name} is 0: a rate needs at least one question in the group")
    if k > n:
        raise ValueError(f"{k_name} ({k}) exceeds {n_name} ({n})")
    return k, n


def check_confidence(confidence: float) -> float:
    """Check that a confidence level lies strictly between 0 and 1 (e.g. 0.95)."""
    if not 0.0 < confidence < 1.0 or math.isnan(confidence):
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    return float(confidence)


def finite_array(
    values: ArrayLike, name: str, *, non_negative: bool = False
) -> NDArray[np.float64]:
    """Return `values` as a non-empty 1-D float array without NaN/inf (and >= 0 if asked)."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: the group has no observations")
    bad = ~np.isfinite(array)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} contains {array[position]} at position {position}: drop it first")
    if non_negative and (array < 0).any():
        position = int(np.flatnonzero(array < 0)[0])
        raise ValueError(
            f"{name} contains the negative value {array[position]} at position {position}"
        )
    return array


def sorted_array(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """`values` sorted ascending; an already sorted array is returned as is (one O(n) check).

    A baseline shared by several topics is sorted once and handed on sorted (groups.py), so the
    statistics that need order do not sort 4 million values again per topic.
    """
    if values.size < 2 or bool(np.all(values[1:] >= values[:-1])):
        return values
    return np.sort(values)
