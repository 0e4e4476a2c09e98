"""analysis_py.stats against scipy/statsmodels reference values, hand computations and the paper."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats
from statsmodels.stats.inter_rater import cohens_kappa as statsmodels_kappa
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_chisquare

from analysis_py.stats import (
    BootstrapSettings,
    MannWhitneyReference,
    answers_per_view,
    bootstrap_estimate,
    censor_at_collection,
    cliffs_delta,
    cliffs_delta_label,
    cohen_kappa,
    holm_adjust,
    kaplan_meier,
    logrank_test,
    median_replicates,
    proportion_test,
    ratio_replicates,
    response_time_test,
    wilson_interval,
)
from analysis_py.survival import SurvivalTable

PAPER_CHI_SQUARE = 628.83
PAPER_TOPIC_N = 5896


# --- proportion test ---------------------------------------------------------------------------


@pytest.mark.parametrize(("k1", "n1", "k2", "n2"), [(30, 50, 20, 60), (4357, 5896, 57800, 100000)])
def test_proportion_test_matches_scipy_and_statsmodels(k1: int, n1: int, k2: int, n2: int) -> None:
    result = proportion_test(k1, n1, k2, n2)
    table = [[k1, n1 - k1], [k2, n2 - k2]]
    plain = scipy.stats.chi2_contingency(table, correction=False)
    yates = scipy.stats.chi2_contingency(table, correction=True)
    assert (result.chi_square, result.p_value) == pytest.approx((plain.statistic, plain.pvalue))
    assert (result.chi_square_yates, result.p_value_yates) == pytest.approx(
        (yates.statistic, yates.pvalue)
    )
    chi2, p, _ = proportions_chisquare([k1, k2], [n1, n2])
    assert (result.chi_square, result.p_value) == pytest.approx((chi2, p))
    assert result.df == 1
    assert (result.rate_a.ci_low, result.rate_a.ci_high) == pytest.approx(
        proportion_confint(k1, n1, method="wilson")
    )
    assert result.difference.estimate == pytest.approx(k1 / n1 - k2 / n2)
    assert result.difference.ci_low < result.difference.estimate < result.difference.ci_high


def test_small_table_values_by_hand() -> None:
    # [[30, 20], [20, 40]]: expected [[22.727, 27.273], [27.273, 32.727]], chi2 = 8.4872...
    result = proportion_test(30, 50, 20, 60)
    expected = sum(
        (o - e) ** 2 / e
        for o, e in zip(
            [30, 20, 20, 40],
            [50 * 50 / 110, 50 * 60 / 110, 60 * 50 / 110, 60 * 60 / 110],
            strict=True,
        )
    )
    assert result.chi_square == pytest.approx(expected)
    assert result.chi_square_yates < result.chi_square


def test_paper_aggregates_land_near_the_published_chi_square() -> None:
    """5,896 topic questions at 73.9% against ~9.6 M baseline questions at 57.8% (paper section V).

    The paper gives rounded rates and no baseline size, so the exact table is unknown: 73.9% of
    5,896 is 4,357.1 (not a count), and every count from 4,355 to 4,360 rounds to 73.9%. Over that
    rounding range (and baseline rates 57.75%-57.85%) chi-square spans about 620-634; the published
    628.83 lies inside it, and the point estimate (626.0) is within 0.5%. A baseline of 9.6 M is the
    order of Stack Overflow questions from 2018 to mid-2023; its exact size barely matters (it
    enters as 1/n1 + 1/n2 with n2 >> n1).
    """
    k1 = round(0.739 * PAPER_TOPIC_N)
    n2 = 9_600_000
    result = proportion_test(k1, PAPER_TOPIC_N, round(0.578 * n2), n2)
    assert result.chi_square == pytest.approx(PAPER_CHI_SQUARE, rel=0.005)
    assert result.p_value < 1e-100

    compatible = [
        proportion_test(k, PAPER_TOPIC_N, round(rate * n2), n2).chi_square
        for k in range(4300, 4420)
        if round(k / PAPER_TOPIC_N, 3) == 0.739
        for rate in (0.5775, 0.5785)
    ]
    assert min(compatible) < PAPER_CHI_SQUARE < max(compatible)
    assert max(compatible) - min(compatible) > 5  # rounding alone moves chi-square by > 5
    # The baseline size is not critical: halving or doubling it moves chi-square < 0.1%.
    for size in (n2 // 2, n2 * 2):
        other = proportion_test(k1, PAPER_TOPIC_N, round(0.578 * size), size).chi_square
        assert other == pytest.approx(result.chi_square, rel=1e-3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 10, 5, 10), "k1 must not be negative"),
        ((11, 10, 5, 10), r"k1 \(11\) exceeds n1 \(10\)"),
        ((0, 0, 5, 10), "n1 is 0"),
        ((5, 10, 5, 0), "n2 is 0"),
        ((2.5, 10, 5, 10), "whole number"),
        ((float("nan"), 10, 5, 10), "whole number"),
    ],
)
def test_proportion_test_rejects_bad_counts(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        proportion_test(*args)


def test_identical_all_or_nothing_groups_give_undefined_test() -> None:
    result = proportion_test(0, 10, 0, 20)
    assert math.isnan(result.chi_square) and math.isnan(result.p_value)
    assert result.difference.estimate == 0


def test_wilson_interval_matches_statsmodels_at_other_levels() -> None:
    estimate = wilson_interval(3, 14, confidence=0.9)
    assert (estimate.ci_low, estimate.ci_high) == pytest.approx(
        proportion_confint(3, 14, alpha=0.1, method="wilson")
    )
    assert estimate.ci_method == "wilson"
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(3, 14, confidence=95)


# --- response times, Cliff's delta, bootstrap --------------------------------------------------


def test_cliffs_delta_equals_brute_force_with_ties() -> None:
    a = np.array([1, 2, 2, 5, 9, 9, 30.0])
    b = np.array([2, 3, 3, 4, 9.0])
    brute = np.mean(np.sign(a[:, None] - b[None, :]))
    assert cliffs_delta(a, b).delta == pytest.approx(brute)


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (0.0, "negligible"),
        (-0.146, "negligible"),
        (0.147, "small"),
        (-0.329, "small"),
        (0.33, "medium"),
        (0.473, "medium"),
        (-0.474, "large"),
        (1.0, "large"),
    ],
)
def test_cliffs_delta_labels_follow_romano(delta: float, label: str) -> None:
    assert cliffs_delta_label(delta) == label


def test_response_time_test_matches_scipy_and_is_seeded() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.lognormal(6.7, 2, 400), rng.lognormal(4.0, 2, 900)
    result = response_time_test(a, b, BootstrapSettings(500, seed=5))
    reference = scipy.stats.mannwhitneyu(a, b, alternative="two-sided")
    assert (result.u_statistic, result.p_value) == pytest.approx(
        (reference.statistic, reference.pvalue)
    )
    assert result.median_a.estimate == pytest.approx(np.median(a))
    assert result.mean_b.estimate == pytest.approx(b.mean())
    assert result.median_a.ci_low < np.median(a) < result.median_a.ci_high
    assert result.effect_label == "large" and result.cliffs_delta > 0.474
    assert response_time_test(a, b, BootstrapSettings(500, seed=5)) == result
    assert response_time_test(a, b, BootstrapSettings(500, seed=6)) != result


@pytest.mark.parametrize(
    ("a", "message"),
    [([], "empty"), ([1.0, float("nan")], "contains nan at position 1"), ([-3.0], "negative")],
)
def test_response_time_test_rejects_bad_input(a: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        response_time_test(a, [1.0, 2.0])


@pytest.mark.parametrize("n", [41, 40])
def test_order_statistic_median_bootstrap_matches_plain_resampling(n: int) -> None:
    values = np.random.default_rng(1).lognormal(4, 1.5, n)
    fast = median_replicates(values, 40_000, seed=2)
    rng = np.random.default_rng(3)
    plain = np.median(values[rng.integers(0, n, size=(40_000, n))], axis=1)
    quantiles = [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]
    spread = np.quantile(values, 0.75) - np.quantile(values, 0.25)
    assert np.quantile(fast, quantiles) == pytest.approx(
        np.quantile(plain, quantiles), abs=0.05 * spread
    )
    assert fast.mean() == pytest.approx(plain.mean(), abs=0.02 * spread)


def test_bootstrap_median_interval_agrees_with_scipy_bootstrap() -> None:
    values = np.random.default_rng(8).exponential(60, 301)
    ours, _ = bootstrap_estimate(values, "median", BootstrapSettings(9999, seed=1))
    reference = scipy.stats.bootstrap(
        (values,), np.median, n_resamples=9999, method="percentile", random_state=2
    ).confidence_interval
    width = reference.high - reference.low
    assert ours.ci_low == pytest.approx(reference.low, abs=0.1 * width)
    assert ours.ci_high == pytest.approx(reference.high, abs=0.1 * width)


def test_random_groups_keep_the_spread_of_row_resampling() -> None:
    rng = np.random.default_rng(4)
    answers = rng.poisson(1.2, 20_000).astype(float)
    views = (rng.lognormal(3, 1, 20_000) + 1).round()
    rows = ratio_replicates(answers, views, 800, seed=1, max_units=20_000)
    groups = ratio_replicates(answers, views, 800, seed=1, max_units=1_000)
    assert groups.std() == pytest.approx(rows.std(), rel=0.15)
    assert groups.mean() == pytest.approx(answers.sum() / views.sum(), rel=0.01)


def test_answers_per_view_is_ratio_of_averages() -> None:
    estimate = answers_per_view([1, 0, 2, 3], [10, 20, 30, 40], BootstrapSettings(300, seed=1))
    assert estimate.estimate == pytest.approx((6 / 4) / (100 / 4))
    assert estimate.ci_low <= estimate.estimate <= estimate.ci_high
    with pytest.raises(ValueError, match="sum to 0"):
        answers_per_view([0, 0], [0, 0])
    with pytest.raises(ValueError, match="3 rows but view_counts has 2"):
        answers_per_view([1, 2, 3], [4, 5])


# --- survival ----------------------------------------------------------------------------------


def test_kaplan_meier_by_hand() -> None:
    times = np.array([1, 2, 2, 3, 5, 8, 9, 12.0])
    events = np.array([1, 1, 0, 1, 0, 1, 0, 0], dtype=bool)
    km = kaplan_meier(times, events, horizons=(2, 4))
    # S(1) = 7/8, S(2) = 7/8 * 6/7, S(3) = 0.75 * 4/5, S(8) = 0.6 * 2/3 = 0.4.
    assert km.median.estimate == 8
    assert km.p_accepted_within[2].estimate == pytest.approx(0.25)
    assert km.p_accepted_within[4].estimate == pytest.approx(0.4)
    assert km.p_accepted_within[4].ci_low < 0.4 < km.p_accepted_within[4].ci_high
    assert km.curve.minutes[0] == 0 and km.curve.survival_probability[0] == 1
    assert list(km.curve.n_at_risk[:3]) == [8, 8, 7]  # at 0, 1, 2 minutes
    assert (km.n, km.n_events) == (8, 4)


def test_kaplan_meier_median_is_undefined_when_most_never_get_an_answer() -> None:
    km = kaplan_meier([5, 10, 100, 100, 100], [True, True, False, False, False])
    assert math.isnan(km.median.estimate)
    assert km.p_accepted_within[60].estimate == pytest.approx(0.4)


def test_censoring_at_the_collection_time() -> None:
    times, events = censor_at_collection([30.0, np.nan, 500.0], [100.0, 80.0, 200.0])
    assert list(times) == [30, 80, 200]
    assert list(events) == [
        True,
        False,
        False,
    ]  # accepted after the collection time (inconsistent data) counts as censored


def test_logrank_is_scipys_squared() -> None:
    rng = np.random.default_rng(2)
    ta, tb = rng.exponential(100, 200), rng.exponential(60, 300)
    ea, eb = rng.random(200) < 0.6, rng.random(300) < 0.7
    result = logrank_test(ta, ea, tb, eb)
    reference = scipy.stats.logrank(
        scipy.stats.CensoredData(uncensored=ta[ea], right=ta[~ea]),
        scipy.stats.CensoredData(uncensored=tb[eb], right=tb[~eb]),
    )
    assert result.statistic == pytest.approx(reference.statistic**2)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert result.p_value == pytest.approx(scipy.stats.chi2.sf(result.statistic, 1))


# --- multiplicity, sample size, agreement -----------------------------------------------------


def test_holm_matches_statsmodels_and_skips_nan() -> None:
    p = [0.01, 0.04, float("nan"), 0.03, 0.2]
    adjusted = holm_adjust(p)
    expected = multipletests([0.01, 0.04, 0.03, 0.2], method="holm")[1]
    assert list(adjusted[[0, 1, 3, 4]]) == pytest.approx(list(expected))
    assert math.isnan(adjusted[2])


def _labels_from_table(table: np.ndarray) -> tuple[list[str], list[str]]:
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [f"code{i}"] * int(count)
            b += [f"code{j}"] * int(count)
    return a, b


def test_cohen_kappa_by_hand_and_against_statsmodels() -> None:
    table = np.array([[20, 5], [10, 15]])
    a, b = _labels_from_table(table)
    result = cohen_kappa(a, b)
    # p_o = 35/50 = 0.7; p_e = (25 * 30 + 25 * 20) / 50^2 = 0.5; kappa = (0.7 - 0.5) / 0.5.
    assert result.observed_agreement == pytest.approx(0.7)
    assert result.expected_agreement == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.4)
    reference = statsmodels_kappa(table)
    assert result.standard_error == pytest.approx(reference.std_kappa)
    assert (result.ci_low, result.ci_high) == pytest.approx(
        (reference.kappa_low, reference.kappa_upp)
    )

    three = np.array([[30, 2, 1], [3, 25, 2], [0, 4, 33]])
    result = cohen_kappa(*_labels_from_table(three))
    assert result.kappa == pytest.approx(statsmodels_kappa(three).kappa)
    assert result.n == three.sum()


def test_cohen_kappa_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="3 items but labels_b has 2"):
        cohen_kappa(["a", "b", "a"], ["a", "b"])
    with pytest.raises(ValueError, match="no labelled items"):
        cohen_kappa([], [])
    with pytest.raises(ValueError, match="missing label at position 1"):
        cohen_kappa(["a", None], ["a", "b"])
    with pytest.raises(ValueError, match="undefined"):
        cohen_kappa(["a", "a"], ["a", "a"])


def test_logrank_stays_finite_where_scipys_integer_counts_overflow() -> None:
    """scipy 1.17's logrank multiplies int64 at-risk counts: with ~3 M at risk it returns NaN."""
    rng = np.random.default_rng(5)
    ta, tb = rng.exponential(900, 6000).round(), rng.exponential(60, 3_000_000).round()
    ea, eb = rng.random(6000) < 0.3, rng.random(3_000_000) < 0.45
    result = logrank_test(ta, ea, tb, eb)
    assert np.isfinite(result.statistic) and result.z < 0
    # The same data thinned 100-fold keeps the direction and scipy agrees there.
    small = logrank_test(ta, ea, tb[::100], eb[::100])
    reference = scipy.stats.logrank(
        scipy.stats.CensoredData(uncensored=ta[ea], right=ta[~ea]),
        scipy.stats.CensoredData(uncensored=tb[::100][eb[::100]], right=tb[::100][~eb[::100]]),
    )
    assert small.z == pytest.approx(reference.statistic)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mann_whitney_reference_matches_scipy_asymptotic(seed: int) -> None:
    rng = np.random.default_rng(seed)
    baseline = rng.lognormal(4, 2, 5000).round()  # rounded minutes: many ties
    reference = MannWhitneyReference(baseline)
    for a in (rng.lognormal(6, 2, 300).round(), baseline[:40] + 1, np.array([3.0])):
        ours = reference.test(a)
        expected = scipy.stats.mannwhitneyu(a, baseline, method="asymptotic")
        assert ours.u_statistic == pytest.approx(expected.statistic)
        assert ours.p_value == pytest.approx(expected.pvalue, rel=1e-9)
        assert ours.cliffs_delta == pytest.approx(cliffs_delta(a, baseline).delta)


@pytest.mark.parametrize("share", [0.0, 0.4, 1.0])
def test_kaplan_meier_matches_scipy_ecdf_with_ties_and_censoring(share: float) -> None:
    rng = np.random.default_rng(4)
    times = rng.lognormal(3.0, 1.5, size=400).round()  # many ties
    events = rng.random(400) < share
    km = kaplan_meier(times, events, horizons=(10, 60))
    fit = scipy.stats.ecdf(scipy.stats.CensoredData(uncensored=times[events], right=times[~events]))
    grid = km.curve.minutes
    assert km.curve.survival_probability == pytest.approx(fit.sf.evaluate(grid), rel=1e-12)
    ordered = np.sort(times)
    assert list(km.curve.n_at_risk) == list(ordered.size - np.searchsorted(ordered, grid))
    if events.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            band = fit.sf.confidence_interval(0.95, method="log-log")
        for low, high, t in zip(km.curve.ci_low, km.curve.ci_high, grid, strict=True):
            assert low == pytest.approx(float(band.low.evaluate(t)), rel=1e-9, nan_ok=True)
            assert high == pytest.approx(float(band.high.evaluate(t)), rel=1e-9, nan_ok=True)
        assert km.p_accepted_within[60].estimate == pytest.approx(1 - fit.sf.evaluate(60))


def test_a_survival_table_less_some_rows_is_the_table_of_the_rest() -> None:
    rng = np.random.default_rng(6)
    times = rng.integers(0, 50, size=2000).astype(float)
    events = rng.random(2000) < 0.5
    drop = rng.random(2000) < 0.2
    rest = SurvivalTable.of(times, events).without(times[drop], events[drop])
    # The rest counted by hand: distinct times kept, their events and questions.
    kept_times, kept_events = times[~drop], events[~drop]
    distinct = np.unique(kept_times)
    assert list(rest.times) == list(distinct)
    assert list(rest.counts) == [float((kept_times == t).sum()) for t in distinct]
    assert list(rest.events) == [float((kept_events & (kept_times == t)).sum()) for t in distinct]
