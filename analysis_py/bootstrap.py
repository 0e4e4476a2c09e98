"""Nonparametric bootstrap that stays fast at Stack Overflow size (10^7 questions, 2,000 draws).

Two statistics are bootstrapped, each with a method whose cost does not grow with n x replicates:

- The median: after one sort, the median of a resample of sorted data is the value at the
  resampled indices' order statistic, and the k-th order statistic of n uniform draws follows
  Beta(k, n - k + 1). Drawing that order statistic directly gives the exact bootstrap
  distribution of the median in O(n log n + B) instead of O(n B).
- Ratios of sums (a mean is sum/count; answers per view is sum of answers / sum of views): rows
  are resampled with replacement; above `max_units` rows, the rows are first dealt at random into
  `max_units` groups and the groups are resampled (the random-groups method), which keeps the
  variance of the resampled totals while the cost stays O(n + B x max_units).

Every function takes a seed or a seeded `numpy.random.Generator` (the interval functions take it
in a `BootstrapSettings`, with the number of replicates and the level), so results are
reproducible.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from study.defaults import BOOTSTRAP_REPLICATES, STUDY_SEED

from .validation import check_confidence, finite_array, sorted_array

DEFAULT_MAX_UNITS = 2_000
_CHUNK_CELLS = 4_000_000

Seed = int | np.random.Generator
Statistic = Literal["median", "mean"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval.

    Attributes:
        estimate: The statistic on the observed data, in the metric's unit (minutes, a rate, ...).
        ci_low: Lower confidence bound (NaN when undefined).
        ci_high: Upper confidence bound (NaN when undefined).
        n: Number of questions the estimate is based on.
        ci_method: How the interval was obtained: `bootstrap`, `wilson`, `newcombe`,
            `kaplan_meier`.
    """

    estimate: float
    ci_low: float
    ci_high: float
    n: int
    ci_method: str


@dataclass(frozen=True)
class BootstrapDifference:
    """Difference a - b of two independently bootstrapped statistics.

    Attributes:
        estimate: Observed difference a - b.
        ci_low: Percentile-interval lower bound of the difference.
        ci_high: Percentile-interval upper bound of the difference.
        p_value: Two-sided percentile-bootstrap p-value, 2 min(P*(d <= 0), P*(d >= 0)), floored at
            1 / n_bootstrap (the smallest value B replicates can resolve).
        n_bootstrap: Number of replicates.
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    n_bootstrap: int


@dataclass(frozen=True)
class BootstrapSettings:
    """How a percentile-bootstrap interval is drawn: the knobs every bootstrap here takes, once.

    Attributes:
        n_bootstrap: Number of replicates B.
        seed: Seed or seeded Generator; a Generator given here is drawn from in turn by every
            bootstrap it is passed to (e.g. the four of `response_time_test`).
        confidence: Level of the percentile interval, e.g. 0.95.
    """

    n_bootstrap: int = BOOTSTRAP_REPLICATES
    seed: Seed = STUDY_SEED
    confidence: float = 0.95

    def with_seed(self, seed: Seed) -> BootstrapSettings:
        """The same replicates and level, drawn from `seed` (e.g. one Generator for several)."""
        return replace(self, seed=seed)


DEFAULT_BOOTSTRAP = BootstrapSettings()


def make_rng(seed: Seed) -> np.random.Generator:
    """Return a Generator: a given Generator as is, or a new PCG64 one seeded with `seed`."""
    return np.random.default_rng(seed)


def derive_rng(seed: int, *keys: str) -> np.random.Generator:
    """A Generator for one estimate, derived from the run's seed and names (topic, group, metric).

    Each estimate gets its own stream, so adding a topic or a tag never changes another estimate's
    interval, and any single figure can be reproduced on its own.
    """
    entropy = [int(seed)] + [zlib.crc32(key.encode("utf-8")) for key in keys]
    return np.random.default_rng(entropy)


def percentile_interval(replicates: NDArray[np.float64], confidence: float) -> tuple[float, float]:
    """Return the percentile-bootstrap interval of `replicates` at `confidence` (e.g. 0.95)."""
    alpha = 1.0 - check_confidence(confidence)
    low, high = np.quantile(replicates, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def median_replicates(values: ArrayLike, n_bootstrap: int, seed: Seed) -> NDArray[np.float64]:
    """Draw `n_bootstrap` bootstrap medians of `values` exactly, without materialising resamples.

    Args:
        values: The observations (any unit); must be finite and non-empty.
        n_bootstrap: Number of replicates B.
        seed: Seed or Generator.

    Returns:
        Array of B medians, distributed exactly as the medians of B resamples of size n drawn with
        replacement (the median of an even-sized resample averages its two middle values).
    """
    ordered = sorted_array(finite_array(values, "values"))
    _check_replicates(n_bootstrap)
    rng = make_rng(seed)
    n = ordered.size
    k = (n + 1) // 2
    lower_u = rng.beta(k, n - k + 1, size=n_bootstrap)
    lower = ordered[_uniform_to_index(lower_u, n)]
    if n % 2 == 1:
        return lower
    # The k+1-th order statistic is the smallest of the n - k uniforms above the k-th.
    upper_u = lower_u + (1.0 - lower_u) * rng.beta(1, n - k, size=n_bootstrap)
    return (lower + ordered[_uniform_to_index(upper_u, n)]) / 2.0


def ratio_replicates(
    numerator: ArrayLike,
    denominator: ArrayLike,
    n_bootstrap: int,
    seed: Seed,
    *,
    max_units: int = DEFAULT_MAX_UNITS,
) -> NDArray[np.float64]:
    """Draw bootstrap replicates of sum(numerator) / sum(denominator) over resampled rows.

    Args:
        numerator: Per-question numerator (e.g. answer_count, or response_minutes for a mean).
        denominator: Per-question denominator (e.g. view_count, or ones for a mean); same length.
        n_bootstrap: Number of replicates B.
        seed: Seed or Generator.
        max_units: Above this many rows, rows are dealt at random into this many groups, and groups
            are resampled instead of rows (see the module docstring).

    Returns:
        Array of B ratios (NaN where a resample's denominator sums to 0).
    """
    num = finite_array(numerator, "numerator")
    den = finite_array(denominator, "denominator")
    if num.size != den.size:
        raise ValueError(f"numerator has {num.size} rows but denominator has {den.size}")
    _check_replicates(n_bootstrap)
    rng = make_rng(seed)
    if num.size > max_units:
        groups = rng.integers(0, max_units, size=num.size)
        num = np.bincount(groups, weights=num, minlength=max_units)
        den = np.bincount(groups, weights=den, minlength=max_units)
    units = num.size
    replicates = np.empty(n_bootstrap)
    chunk = max(1, _CHUNK_CELLS // units)
    for start in range(0, n_bootstrap, chunk):
        stop = min(start + chunk, n_bootstrap)
        index = rng.integers(0, units, size=(stop - start, units), dtype=np.int32)
        with np.errstate(invalid="ignore", divide="ignore"):
            replicates[start:stop] = num[index].sum(axis=1) / den[index].sum(axis=1)
    return replicates


def bootstrap_estimate(
    values: ArrayLike, statistic: Statistic, bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP
) -> tuple[Estimate, NDArray[np.float64]]:
    """The median or mean of `values` with a percentile-bootstrap interval, and its replicates.

    Each statistic uses its fast resampler (exact order statistics for the median, sums for the
    mean); the replicates are returned too, so a difference of two groups can reuse them.
    """
    array = finite_array(values, "values")
    n_bootstrap, seed = bootstrap.n_bootstrap, bootstrap.seed
    if statistic == "median":
        point, replicates = np.median(array), median_replicates(array, n_bootstrap, seed)
    elif statistic == "mean":
        point = array.mean()
        replicates = ratio_replicates(array, np.ones_like(array), n_bootstrap, seed)
    else:
        raise ValueError(f"statistic must be 'median' or 'mean', got {statistic!r}")
    low, high = percentile_interval(replicates, bootstrap.confidence)
    return Estimate(float(point), low, high, int(array.size), "bootstrap"), replicates


def answers_per_view(
    answer_counts: ArrayLike,
    view_counts: ArrayLike,
    bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP,
) -> Estimate:
    """The paper's PD: average answers / average views per question, with a bootstrap interval.

    A lower PD means fewer of the people who look at a question can answer it (a harder topic). The
    ratio of averages equals sum(answers) / sum(views), which is what is resampled.

    Raises:
        ValueError: On negative or missing counts, unequal lengths, or zero total views.
    """
    answers = finite_array(answer_counts, "answer_counts", non_negative=True)
    views = finite_array(view_counts, "view_counts", non_negative=True)
    if answers.size != views.size:
        raise ValueError(f"answer_counts has {answers.size} rows but view_counts has {views.size}")
    if views.sum() == 0:
        raise ValueError("view_counts sum to 0: answers per view is undefined")
    replicates = ratio_replicates(answers, views, bootstrap.n_bootstrap, bootstrap.seed)
    low, high = percentile_interval(replicates, bootstrap.confidence)
    return Estimate(float(answers.sum() / views.sum()), low, high, int(answers.size), "bootstrap")


def bootstrap_difference(
    estimate_a: float,
    replicates_a: NDArray[np.float64],
    estimate_b: float,
    replicates_b: NDArray[np.float64],
    *,
    confidence: float = 0.95,
) -> BootstrapDifference:
    """Combine two groups' independent bootstrap replicates into the difference a - b.

    The groups are independent samples, so pairing replicate i of a with replicate i of b draws from
    the bootstrap distribution of the difference.
    """
    if replicates_a.shape != replicates_b.shape or replicates_a.ndim != 1:
        raise ValueError("both groups need the same number of bootstrap replicates")
    differences = replicates_a - replicates_b
    differences = differences[np.isfinite(differences)]
    if differences.size == 0:
        raise ValueError("no finite bootstrap replicate of the difference")
    low, high = percentile_interval(differences, confidence)
    tail = min(np.mean(differences <= 0), np.mean(differences >= 0))
    b = replicates_a.size
    p_value = float(min(1.0, max(2.0 * tail, 1.0 / b)))
    return BootstrapDifference(float(estimate_a - estimate_b), low, high, p_value, b)


def _uniform_to_index(u: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    """Map uniforms on [0, 1) to indices 0..n-1 (floor(n u) is uniform over the indices)."""
    return np.minimum((u * n).astype(np.int64), n - 1)


def _check_replicates(n_bootstrap: int) -> None:
    if isinstance(n_bootstrap, bool) or int(n_bootstrap) != n_bootstrap or n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be a positive whole number, got {n_bootstrap!r}")
