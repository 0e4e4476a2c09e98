"""φ and Cliff's δ with their bootstrap intervals, checked against independent computations."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from analysis_py.bootstrap import BootstrapSettings
from analysis_py.effect_sizes import CliffsDeltaBootstrap, phi_coefficient, phi_with_interval


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    """Cliff's δ by brute force over all pairs (independent of the code under test)."""
    return float(np.sign(a[:, None] - b[None, :]).mean())


def test_phi_is_the_signed_square_root_of_chi_square_over_n() -> None:
    # The paper's aggregates: 73.9% of 5,896 topic questions vs 57.8% of 52,000 (demo sizes).
    k1, n1, k2, n2 = 4357, 5896, 30056, 52000
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    chi2 = scipy.stats.chi2_contingency(table, correction=False).statistic
    assert phi_coefficient(k1, n1, k2, n2) == pytest.approx(np.sqrt(chi2 / (n1 + n2)), rel=1e-12)
    assert phi_coefficient(k2, n2, k1, n1) == pytest.approx(-np.sqrt(chi2 / (n1 + n2)))
    # φ is the Pearson correlation of the two 0/1 variables.
    group = np.r_[np.ones(n1), np.zeros(n2)]
    outcome = np.r_[np.ones(k1), np.zeros(n1 - k1), np.ones(k2), np.zeros(n2 - k2)]
    assert phi_coefficient(k1, n1, k2, n2) == pytest.approx(np.corrcoef(group, outcome)[0, 1])


def test_phi_is_nan_when_a_margin_is_empty() -> None:
    assert np.isnan(phi_coefficient(10, 10, 5, 5))


def test_phi_interval_matches_the_large_sample_standard_error() -> None:
    k1, n1, k2, n2 = 4357, 5896, 30056, 52000
    estimate = phi_with_interval(k1, n1, k2, n2, BootstrapSettings(4000, seed=1))

    # Large-sample SE of φ for fixed group sizes: the delta method on φ(p1, p2) (numeric gradient).
    def phi(p1: float, p2: float) -> float:
        return phi_coefficient(p1 * n1, n1, p2 * n2, n2)

    p1, p2, h = k1 / n1, k2 / n2, 1e-7
    g1 = (phi(p1 + h, p2) - phi(p1 - h, p2)) / (2 * h)
    g2 = (phi(p1, p2 + h) - phi(p1, p2 - h)) / (2 * h)
    se = np.sqrt(g1**2 * p1 * (1 - p1) / n1 + g2**2 * p2 * (1 - p2) / n2)
    assert estimate.ci_low == pytest.approx(estimate.estimate - 1.96 * se, abs=0.1 * 1.96 * se)
    assert estimate.ci_high == pytest.approx(estimate.estimate + 1.96 * se, abs=0.1 * 1.96 * se)
    assert estimate.ci_method == "bootstrap"


def test_cliffs_delta_estimate_equals_its_definition() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 30, size=80).astype(float)  # ties on purpose
    b = rng.integers(5, 40, size=120).astype(float)
    pairs = cliffs_delta(a, b)
    u = scipy.stats.mannwhitneyu(a, b).statistic
    assert pairs == pytest.approx(2 * u / (a.size * b.size) - 1)
    reference = CliffsDeltaBootstrap(b, seed=0)
    assert reference.interval(a, BootstrapSettings(50, seed=0)).estimate == pytest.approx(pairs)


def _naive_bootstrap(a: np.ndarray, b: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    for i in range(n):
        ra = rng.choice(a, a.size)
        rb = rng.choice(b, b.size)
        out[i] = np.sign(ra[:, None] - rb[None, :]).mean()
    return out


def test_cliffs_delta_interval_matches_a_naive_bootstrap() -> None:
    rng = np.random.default_rng(5)
    a = rng.lognormal(6.0, 1.5, size=150)
    b = rng.lognormal(4.5, 1.5, size=300)
    ours = CliffsDeltaBootstrap(b, seed=1).interval(a, BootstrapSettings(3000, seed=2))
    naive = np.quantile(_naive_bootstrap(a, b, 1500, 3), [0.025, 0.975])
    assert (ours.ci_low, ours.ci_high) == pytest.approx(tuple(naive), abs=0.02)


def test_cliffs_delta_interval_with_random_groups_keeps_the_spread() -> None:
    """Above max_units both samples are grouped; the interval's width stays that of the data."""
    rng = np.random.default_rng(8)
    a = rng.lognormal(6.0, 1.5, size=3000)
    b = rng.lognormal(5.5, 1.5, size=20000)
    grouped = CliffsDeltaBootstrap(b, seed=1, max_units=300).interval(
        a, BootstrapSettings(2000, seed=2)
    )
    # Large-sample SE of δ (two-sample U-statistic variance), computed from placements.
    b_sorted = np.sort(b)
    a_sorted = np.sort(a)
    placement_a = (
        np.searchsorted(b_sorted, a, "left") - (b.size - np.searchsorted(b_sorted, a, "right"))
    ) / b.size
    placement_b = (
        np.searchsorted(a_sorted, b, "left") - (a.size - np.searchsorted(a_sorted, b, "right"))
    ) / a.size
    se = np.sqrt(placement_a.var(ddof=1) / a.size + placement_b.var(ddof=1) / b.size)
    assert grouped.estimate == pytest.approx(cliffs_delta(a, b))
    assert grouped.ci_high - grouped.ci_low == pytest.approx(2 * 1.96 * se, rel=0.15)
    assert grouped.ci_low < grouped.estimate < grouped.ci_high
