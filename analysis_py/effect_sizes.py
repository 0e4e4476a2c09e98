"""Effect sizes of the topic-vs-baseline tests, each with a bootstrap interval.

- φ (the phi coefficient) of the 2x2 table of no-accepted-answer counts: the correlation between
  "is a topic question" and "has no accepted answer", |φ| = sqrt(χ² / N). Its interval comes from
  the parametric bootstrap of the two binomial counts (the group sizes are fixed by the design).
- Cliff's δ of response minutes: P(a > b) - P(a < b) over all pairs, the effect size that goes
  with the Mann–Whitney U test. Its interval resamples both groups. Above `max_units` questions a
  group is first dealt at random into `max_units` groups that are resampled instead (the
  random-groups method of `bootstrap.py`), so one replicate costs O(units_a x units_b), not
  O(n_a x n_b): 4 million baseline questions cost one pass to build the pair-count matrix.

Both are drawn from a seeded Generator, so every interval is reproducible.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .bootstrap import BootstrapSettings, Estimate, Seed, make_rng, percentile_interval
from .validation import check_confidence, finite_array

DEFAULT_MAX_UNITS = 400
_CHUNK_CELLS = 2_000_000  # a-values x groups per step of the pair counts (16 MB)


def phi_coefficient(k1: float, n1: float, k2: float, n2: float) -> float:
    """φ of the table [[k1, n1 - k1], [k2, n2 - k2]]; > 0 when group 1's share k1/n1 is higher.

    NaN when a margin is empty (every question in one column, or an empty group).
    """
    a, b, c, d = float(k1), float(n1 - k1), float(k2), float(n2 - k2)
    denominator = math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    return (a * d - b * c) / denominator if denominator > 0 else math.nan


def phi_with_interval(k1: int, n1: int, k2: int, n2: int, bootstrap: BootstrapSettings) -> Estimate:
    """φ with a parametric-bootstrap percentile interval (k_i* ~ Binomial(n_i, k_i / n_i))."""
    confidence = check_confidence(bootstrap.confidence)
    n_bootstrap, rng = bootstrap.n_bootstrap, make_rng(bootstrap.seed)
    k1_star = rng.binomial(n1, k1 / n1, size=n_bootstrap).astype(np.float64)
    k2_star = rng.binomial(n2, k2 / n2, size=n_bootstrap).astype(np.float64)
    column = k1_star + k2_star
    denominator = np.sqrt(float(n1) * float(n2) * column * (n1 + n2 - column))
    with np.errstate(invalid="ignore", divide="ignore"):
        replicates = (k1_star * (n2 - k2_star) - (n1 - k1_star) * k2_star) / denominator
    finite = replicates[np.isfinite(replicates)]
    low, high = percentile_interval(finite, confidence) if finite.size else (math.nan, math.nan)
    return Estimate(phi_coefficient(k1, n1, k2, n2), low, high, n1 + n2, "bootstrap")


class CliffsDeltaBootstrap:
    """One reference sample b, grouped once, to bootstrap Cliff's δ of many samples a against it.

    A topic's per-tag tests all compare against the same baseline: its random groups are dealt once
    here and b is kept sorted with each value's group, so the pair-count matrix of a sample a is
    read off cumulative group counts at a's positions in b (O(n_b + n_a x groups)), instead of a
    binary search of a in every group.
    """

    def __init__(
        self,
        b: ArrayLike,
        seed: Seed,
        *,
        max_units: int = DEFAULT_MAX_UNITS,
        order: NDArray[np.intp] | None = None,
    ) -> None:
        """Deal b (in its given row order) into random groups and sort it.

        Args:
            b: The reference sample, in the order its rows are dealt into groups.
            seed: Seed or Generator of the dealing.
            max_units: Above this many values, b is dealt into this many groups.
            order: A permutation that sorts b, when the caller has one (saves the sort).
        """
        values = finite_array(b, "b")
        rng = make_rng(seed)
        self._max_units = max_units
        labels = _deal(values.size, max_units, rng)
        if order is None:
            order = np.argsort(values, kind="stable")
        self._sorted = values[order]
        self._labels = labels[order]
        self._n_groups = int(labels.max()) + 1
        self._sizes = np.bincount(labels, minlength=self._n_groups).astype(np.float64)

    def interval(self, a: ArrayLike, bootstrap: BootstrapSettings) -> Estimate:
        """Cliff's δ of `a` against b with a percentile-bootstrap interval."""
        confidence = check_confidence(bootstrap.confidence)
        first = finite_array(a, "a")
        n_bootstrap, rng = bootstrap.n_bootstrap, make_rng(bootstrap.seed)
        a_labels = _deal(first.size, self._max_units, rng)
        n_a_units = int(a_labels.max()) + 1
        a_sizes = np.bincount(a_labels, minlength=n_a_units).astype(np.float64)
        pairs = self._pairs(first, a_labels, n_a_units)
        estimate = float(pairs.sum() / (first.size * self._sizes.sum()))
        b_weights = _group_resample_counts(self._n_groups, n_bootstrap, rng)
        a_weights = _group_resample_counts(n_a_units, n_bootstrap, rng)
        numerator = np.einsum("rg,gh,rh->r", b_weights, pairs, a_weights, optimize=True)
        denominator = (b_weights @ self._sizes) * (a_weights @ a_sizes)
        low, high = percentile_interval(numerator / denominator, confidence)
        return Estimate(estimate, low, high, int(first.size), "bootstrap")

    def _pairs(
        self, a: NDArray[np.float64], a_labels: NDArray[np.int64], n_a_units: int
    ) -> NDArray[np.float64]:
        """pairs[g, h]: the sum over b in group g and a in unit h of sign(a - b).

        sign(a - b) summed over a group's b is (#b < a) + (#b <= a) - |group|; both counts are
        cumulative group counts of sorted b, taken at a's insertion points.
        """
        order = np.argsort(a, kind="stable")
        ordered, units = a[order], a_labels[order]
        counts = np.zeros((n_a_units, self._n_groups))
        for side in ("left", "right"):
            cuts = np.searchsorted(self._sorted, ordered, side=side)
            counts += self._unit_counts(cuts, units, n_a_units)
        return (counts - np.outer(np.bincount(a_labels, minlength=n_a_units), self._sizes)).T

    def _unit_counts(
        self, cuts: NDArray[np.intp], units: NDArray[np.int64], n_a_units: int
    ) -> NDArray[np.float64]:
        """[h, g]: over a in unit h, the sum of #b in group g before a's cut (cuts ascending)."""
        n_groups = self._n_groups
        chunk = max(1, _CHUNK_CELLS // n_groups)
        totals = np.zeros(n_a_units * n_groups)
        below = np.zeros(n_groups, dtype=np.int64)  # group counts before the chunk's first cut
        start = 0
        for first in range(0, cuts.size, chunk):
            chunk_cuts = cuts[first : first + chunk]
            # Each b between two consecutive cuts is counted from the later cut on.
            segment = np.repeat(np.arange(chunk_cuts.size), np.diff(chunk_cuts, prepend=start))
            stop = int(chunk_cuts[-1])
            keys = segment * n_groups + self._labels[start:stop]
            cumulative = (
                np.bincount(keys, minlength=chunk_cuts.size * n_groups)
                .reshape(chunk_cuts.size, n_groups)
                .cumsum(axis=0)
                + below
            )
            below, start = cumulative[-1], stop
            unit_keys = units[first : first + chunk, None] * n_groups + np.arange(n_groups)
            totals += np.bincount(
                unit_keys.ravel(), weights=cumulative.ravel(), minlength=totals.size
            )
        return totals.reshape(n_a_units, n_groups)


def _deal(n: int, max_units: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Each row's unit: itself when n <= max_units, else one of max_units random groups."""
    if n <= max_units:
        return np.arange(n)
    labels = rng.integers(0, max_units, size=n)
    # Renumber so that every label in 0..k-1 is used (an empty group cannot be resampled), keeping
    # the labels' order: what np.unique's inverse gives, without sorting n labels.
    used = np.bincount(labels, minlength=max_units) > 0
    return (np.cumsum(used) - 1)[labels]


def _group_resample_counts(units: int, n_bootstrap: int, rng: np.random.Generator) -> NDArray:
    """How often each unit is drawn in each of n_bootstrap resamples of `units` units."""
    return rng.multinomial(units, np.full(units, 1.0 / units), size=n_bootstrap).astype(np.float64)
