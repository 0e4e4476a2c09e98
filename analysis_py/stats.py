"""The paper's RQ2 statistics (and RQ3's sample size and agreement), importable in a notebook.

Every function validates its inputs and raises a one-line `ValueError` on misuse, computes with
scipy/statsmodels, and returns a small frozen dataclass. Rates are fractions in [0, 1]; times are
minutes; answers per view (PD) is answers per view.

Example:
    >>> from analysis_py.stats import proportion_test, cochran_sample_size
    >>> round(proportion_test(4357, 5896, 5548800, 9600000).chi_square, 1)
    626.0
    >>> cochran_sample_size(2829)
    339
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.stats
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats.inter_rater import cohens_kappa as _statsmodels_cohens_kappa
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from study.sample_size import cochran_sample_size

from .bootstrap import (
    DEFAULT_BOOTSTRAP,
    BootstrapDifference,
    BootstrapSettings,
    Estimate,
    answers_per_view,
    bootstrap_difference,
    bootstrap_estimate,
    make_rng,
    median_replicates,
    ratio_replicates,
)
from .survival import (
    HORIZON_MINUTES,
    KaplanMeierResult,
    LogRankResult,
    SurvivalCurve,
    censor_at_collection,
    kaplan_meier,
    logrank_test,
)
from .validation import (
    check_confidence,
    check_successes,
    finite_array,
    sorted_array,
)

__all__ = [
    "HORIZON_MINUTES",
    "BootstrapDifference",
    "BootstrapSettings",
    "CliffsDelta",
    "Estimate",
    "KappaResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MannWhitneyReference",
    "MannWhitneyResult",
    "ProportionTestResult",
    "ResponseTimeTestResult",
    "SurvivalCurve",
    "answers_per_view",
    "bootstrap_difference",
    "bootstrap_estimate",
    "censor_at_collection",
    "cliffs_delta",
    "cliffs_delta_label",
    "cochran_sample_size",
    "cohen_kappa",
    "holm_adjust",
    "kaplan_meier",
    "logrank_test",
    "mann_whitney_test",
    "median_replicates",
    "proportion_test",
    "ratio_replicates",
    "response_time_test",
    "wilson_interval",
]

# Romano et al. (2006) thresholds on |delta|: below each is the label on its right.
_CLIFF_THRESHOLDS = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"))


@dataclass(frozen=True)
class ProportionTestResult:
    """Pearson chi-square test of two "no accepted answer" rates (a 2x2 table), with intervals.

    Attributes:
        rate_a: Rate of group a (k_a / n_a) with its Wilson interval.
        rate_b: Rate of group b with its Wilson interval.
        difference: rate_a - rate_b with Newcombe's hybrid-score (Wilson-based) interval.
        chi_square: Pearson chi-square without continuity correction.
        p_value: Its p-value (df = 1). NaN when the table has an empty margin.
        chi_square_yates: Chi-square with Yates' continuity correction (R's `prop.test` default).
        p_value_yates: Its p-value.
        df: Degrees of freedom (1).
    """

    rate_a: Estimate
    rate_b: Estimate
    difference: Estimate
    chi_square: float
    p_value: float
    chi_square_yates: float
    p_value_yates: float
    df: int


@dataclass(frozen=True)
class CliffsDelta:
    """Cliff's delta, P(a > b) - P(a < b), with Romano et al.'s magnitude label."""

    delta: float
    label: str


@dataclass(frozen=True)
class MannWhitneyResult:
    """Two-sided Mann–Whitney U test with Cliff's delta as its effect size.

    Attributes:
        n_a: Observations in group a.
        n_b: Observations in group b.
        u_statistic: U of group a (pairs with a > b, ties counted one half).
        p_value: Two-sided p-value (scipy's default method: exact for small tie-free samples,
            else the tie-corrected normal approximation).
        cliffs_delta: P(a > b) - P(a < b) = 2 U / (n_a n_b) - 1, in [-1, 1].
        effect_label: `negligible`, `small`, `medium` or `large` (Romano et al. 2006).
    """

    n_a: int
    n_b: int
    u_statistic: float
    p_value: float
    cliffs_delta: float
    effect_label: str


@dataclass(frozen=True)
class ResponseTimeTestResult(MannWhitneyResult):
    """Comparison of minutes to an accepted answer between two groups (answered questions only):
    the Mann–Whitney test of its base class (n_a, n_b answered questions; Cliff's delta > 0 when a
    waits longer) plus bootstrap medians and means.

    Attributes:
        median_a: Median minutes of a with a bootstrap interval.
        median_b: Median minutes of b with a bootstrap interval.
        mean_a: Mean minutes of a with a bootstrap interval.
        mean_b: Mean minutes of b with a bootstrap interval.
        median_difference: median_a - median_b with a bootstrap interval and p-value.
    """

    median_a: Estimate
    median_b: Estimate
    mean_a: Estimate
    mean_b: Estimate
    median_difference: BootstrapDifference


@dataclass(frozen=True)
class KappaResult:
    """Cohen's kappa between two annotators.

    Attributes:
        kappa: Cohen's kappa.
        standard_error: Asymptotic standard error (Fleiss, Cohen & Everitt 1969, via statsmodels).
        ci_low: kappa - z * standard_error, clipped to -1.
        ci_high: kappa + z * standard_error, clipped to 1.
        observed_agreement: Share of items with the same label.
        expected_agreement: Agreement expected by chance from the marginal label shares.
        n: Items labelled by both annotators.
    """

    kappa: float
    standard_error: float
    ci_low: float
    ci_high: float
    observed_agreement: float
    expected_agreement: float
    n: int


def wilson_interval(k: int, n: int, *, confidence: float = 0.95) -> Estimate:
    """Rate k / n with its Wilson score interval (statsmodels `proportion_confint`).

    Wilson's interval stays inside [0, 1] and keeps its coverage for rates near 0 or 1 and for small
    groups (a tag with 14 questions), where the normal approximation does not.
    """
    k, n = check_successes(k, n, "k", "n")
    alpha = 1.0 - check_confidence(confidence)
    low, high = proportion_confint(k, n, alpha=alpha, method="wilson")
    return Estimate(k / n, float(low), float(high), n, "wilson")


def proportion_test(
    k1: int, n1: int, k2: int, n2: int, *, confidence: float = 0.95
) -> ProportionTestResult:
    """Compare two "no accepted answer" rates: k1 of n1 questions (group a) vs k2 of n2 (group b).

    The 2x2 table [[k1, n1 - k1], [k2, n2 - k2]] is tested with `scipy.stats.chi2_contingency`, both
    without and with Yates' continuity correction; the two agree to < 1% once both groups have more
    than a few hundred questions.

    Raises:
        ValueError: On negative or fractional counts, k > n, or an empty group.
    """
    k1, n1 = check_successes(k1, n1, "k1", "n1")
    k2, n2 = check_successes(k2, n2, "k2", "n2")
    alpha = 1.0 - check_confidence(confidence)
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=np.float64)
    if (table.sum(axis=0) == 0).any():
        # Both groups all-or-nothing alike: expected counts are 0 and the test is undefined.
        chi2 = p = chi2_yates = p_yates = float("nan")
    else:
        plain = scipy.stats.chi2_contingency(table, correction=False)
        yates = scipy.stats.chi2_contingency(table, correction=True)
        chi2, p = float(plain.statistic), float(plain.pvalue)
        chi2_yates, p_yates = float(yates.statistic), float(yates.pvalue)
    low, high = confint_proportions_2indep(
        k1, n1, k2, n2, method="newcomb", compare="diff", alpha=alpha
    )
    difference = Estimate(k1 / n1 - k2 / n2, float(low), float(high), n1 + n2, "newcombe")
    return ProportionTestResult(
        rate_a=wilson_interval(k1, n1, confidence=confidence),
        rate_b=wilson_interval(k2, n2, confidence=confidence),
        difference=difference,
        chi_square=chi2,
        p_value=p,
        chi_square_yates=chi2_yates,
        p_value_yates=p_yates,
        df=1,
    )


def cliffs_delta_label(delta: float) -> str:
    """Magnitude of Cliff's delta by Romano et al. (2006): |d| < 0.147 negligible, < 0.33 small,
    < 0.474 medium, else large."""
    if math.isnan(delta) or abs(delta) > 1:
        raise ValueError(f"Cliff's delta must lie in [-1, 1], got {delta}")
    for threshold, label in _CLIFF_THRESHOLDS:
        if abs(delta) < threshold:
            return label
    return "large"


def cliffs_delta(a: ArrayLike, b: ArrayLike) -> CliffsDelta:
    """Cliff's delta P(a > b) - P(a < b) of two samples, from the Mann–Whitney U (O(n log n))."""
    result = mann_whitney_test(a, b)
    return CliffsDelta(result.cliffs_delta, result.effect_label)


def mann_whitney_test(a: ArrayLike, b: ArrayLike) -> MannWhitneyResult:
    """Two-sided Mann–Whitney U test (`scipy.stats.mannwhitneyu`) with Cliff's delta.

    Raises:
        ValueError: On an empty group or NaN/inf values.
    """
    first = finite_array(a, "a")
    second = finite_array(b, "b")
    result = scipy.stats.mannwhitneyu(first, second, alternative="two-sided")
    u = float(result.statistic)
    delta = float(2.0 * u / (first.size * second.size) - 1.0)
    return MannWhitneyResult(
        int(first.size), int(second.size), u, float(result.pvalue), delta, cliffs_delta_label(delta)
    )


class MannWhitneyReference:
    """One large sample b, sorted once, to run many Mann–Whitney tests of samples a against it.

    Testing each of a topic's tags against millions of answered baseline questions with scipy ranks
    the pooled sample every time, so the cost grows with the baseline once per tag
    (benchmarks/README.md). Here U comes from binary searches in the sorted baseline
    (O(n_a log n_b)) and the p-value from scipy's normal approximation with tie and
    continuity correction (`mannwhitneyu(method="asymptotic")`), in float64 throughout.
    """

    def __init__(self, b: ArrayLike) -> None:
        self._sorted = sorted_array(finite_array(b, "b"))
        starts = np.flatnonzero(np.r_[True, np.diff(self._sorted) != 0])
        self._values = self._sorted[starts]
        self._counts = np.diff(np.r_[starts, self._sorted.size]).astype(np.float64)
        self._tie_term = float(np.sum(self._counts**3 - self._counts))

    def test(self, a: ArrayLike) -> MannWhitneyResult:
        """Two-sided asymptotic Mann–Whitney test of `a` against the reference sample."""
        first = finite_array(a, "a")
        n1, n2 = float(first.size), float(self._sorted.size)
        below = np.searchsorted(self._sorted, first, side="left")
        ties = np.searchsorted(self._sorted, first, side="right") - below
        u = float(below.sum() + 0.5 * ties.sum())
        values, counts = np.unique(first, return_counts=True)
        position = np.minimum(np.searchsorted(self._values, values), self._values.size - 1)
        shared = np.where(self._values[position] == values, self._counts[position], 0.0)
        pooled = counts + shared
        tie_term = self._tie_term + np.sum(pooled**3 - pooled) - np.sum(shared**3 - shared)
        n = n1 + n2
        spread = np.sqrt(n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0))))
        # No spread (every value tied, e.g. one answered question each): no evidence either way.
        p_value = 1.0
        if spread > 0:
            z = (max(u, n1 * n2 - u) - n1 * n2 / 2.0 - 0.5) / spread
            p_value = float(min(1.0, 2.0 * scipy.stats.norm.sf(z)))
        delta = float(2.0 * u / (n1 * n2) - 1.0)
        return MannWhitneyResult(
            int(n1), int(n2), u, p_value, delta, cliffs_delta_label(max(-1.0, min(1.0, delta)))
        )


def response_time_test(
    a: ArrayLike, b: ArrayLike, bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP
) -> ResponseTimeTestResult:
    """Compare minutes to an accepted answer of answered questions in groups a and b.

    Two-sided Mann–Whitney U (response times are heavily right-skewed, so no t-test), Cliff's delta
    as the effect size, medians and means with percentile-bootstrap intervals, and the bootstrap
    difference of medians. One Generator seeded from `bootstrap.seed` drives all resampling.

    Raises:
        ValueError: On an empty group, NaN/inf or negative minutes.
    """
    first = finite_array(a, "a (response minutes)", non_negative=True)
    second = finite_array(b, "b (response minutes)", non_negative=True)
    check_confidence(bootstrap.confidence)
    shared = bootstrap.with_seed(make_rng(bootstrap.seed))
    mwu = mann_whitney_test(first, second)
    (median_a, reps_a), (median_b, reps_b) = (
        bootstrap_estimate(values, "median", shared) for values in (first, second)
    )
    (mean_a, _), (mean_b, _) = (
        bootstrap_estimate(values, "mean", shared) for values in (first, second)
    )
    return ResponseTimeTestResult(
        **vars(mwu),
        median_a=median_a,
        median_b=median_b,
        mean_a=mean_a,
        mean_b=mean_b,
        median_difference=bootstrap_difference(
            median_a.estimate, reps_a, median_b.estimate, reps_b, confidence=bootstrap.confidence
        ),
    )


def holm_adjust(p_values: Sequence[float]) -> NDArray[np.float64]:
    """Holm-adjust p-values of a family of tests (e.g. one test per tag), via statsmodels.

    NaN p-values (tests that could not be computed) stay NaN and do not count towards the family.
    """
    array = np.asarray(p_values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError("p_values must be one-dimensional")
    finite = np.isfinite(array)
    if ((array[finite] < 0) | (array[finite] > 1)).any():
        raise ValueError("p_values must lie in [0, 1]")
    adjusted = np.full(array.shape, np.nan)
    if finite.any():
        adjusted[finite] = multipletests(array[finite], method="holm")[1]
    return adjusted


def cohen_kappa(
    labels_a: Sequence[Hashable], labels_b: Sequence[Hashable], *, confidence: float = 0.95
) -> KappaResult:
    """Cohen's kappa of two annotators' labels for the same items, in the same order.

    The labels' cross-table goes to statsmodels' `cohens_kappa`, which also gives the asymptotic
    standard error; the interval is kappa +- z * SE.

    Raises:
        ValueError: On different lengths, no items, or a missing (None/NaN/empty) label.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError(f"labels_a has {len(labels_a)} items but labels_b has {len(labels_b)}")
    if not labels_a:
        raise ValueError("no labelled items: kappa needs at least one item coded by both")
    for name, labels in (("labels_a", labels_a), ("labels_b", labels_b)):
        for position, label in enumerate(labels):
            if label is None or label == "" or (isinstance(label, float) and math.isnan(label)):
                raise ValueError(f"{name} has a missing label at position {position}")
    z = scipy.stats.norm.ppf(1.0 - (1.0 - check_confidence(confidence)) / 2.0)
    categories = sorted(set(labels_a) | set(labels_b), key=str)
    index = {category: i for i, category in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for first, second in zip(labels_a, labels_b, strict=True):
        table[index[first], index[second]] += 1
    n = len(labels_a)
    observed = float(np.trace(table) / n)
    expected = float(table.sum(axis=1) @ table.sum(axis=0) / (n * n))
    if expected == 1.0:
        raise ValueError(
            "both annotators used one and the same label throughout: kappa is undefined"
        )
    result = _statsmodels_cohens_kappa(table)
    kappa, se = float(result.kappa), float(result.std_kappa)
    low, high = max(-1.0, kappa - z * se), min(1.0, kappa + z * se)
    return KappaResult(kappa, se, float(low), float(high), observed, expected, n)
