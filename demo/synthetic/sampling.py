"""Low-variance random draws: exact-count apportioning and stratified normals.

Calibration targets are aggregates (counts, rates, medians), so the generator draws with exact
counts and stratified quantiles instead of independent Bernoulli/normal draws: the sample then hits
the targets for every seed instead of scattering around them."""

from __future__ import annotations

import numpy as np
from scipy import special


def apportion(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split an integer total in proportion to weights (largest remainder), never above caps.

    Args:
        total: the integer to split; must not exceed the caps' sum.
        weights: non-negative weights, one per part.
        caps: optional upper bound per part.

    Returns:
        Integer parts summing to `total`.
    """
    weights = np.asarray(weights, dtype=float)
    caps_arr = np.full(weights.shape, total) if caps is None else np.asarray(caps, dtype=np.int64)
    if total > caps_arr.sum():
        raise ValueError(f"cannot split {total} under caps summing to {caps_arr.sum()}")
    parts = np.zeros(weights.shape, dtype=np.int64)
    open_parts = (weights > 0) & (caps_arr > 0)
    remaining = total
    while remaining > 0:
        if not open_parts.any():
            open_parts = caps_arr > parts
            weights = np.where(open_parts, 1.0, 0.0)
        share = np.where(open_parts, weights, 0.0)
        exact = remaining * share / share.sum()
        add = np.floor(exact).astype(np.int64)
        shortfall = remaining - add.sum()
        order = np.argsort(-(exact - add), kind="stable")
        add[order[:shortfall]] += 1
        add = np.minimum(add, caps_arr - parts)
        parts += add
        remaining = total - int(parts.sum())
        open_parts &= parts < caps_arr
    return parts


def choose_exact(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    """Pick exactly k distinct elements of `candidates`, uniformly at random, sorted."""
    return np.sort(rng.choice(candidates, size=k, replace=False))


def stratified_normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """n standard-normal draws, one from each of n equal-probability strata, in random order.

    Keeps sample quantiles and means close to the population's for small n."""
    u = (rng.permutation(n) + rng.uniform(size=n)) / n
    return special.ndtri(np.clip(u, 1e-12, 1 - 1e-12))
