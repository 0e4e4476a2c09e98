"""Kendall's tau over the themes' figures, its bootstrap, and the NMI of themes and codes."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy.stats import kendalltau

from analysis_py.theme_statistics import (
    ThemeQuestions,
    analyze_themes,
    kendall_tau_b_columns,
    normalized_mutual_information,
    rank_correlations,
)


def _theme(rng: np.random.Generator, views: float, no_accepted: float, n: int = 60):
    return ThemeQuestions(
        rng.poisson(views, n).astype(float),
        rng.integers(-1, 5, n).astype(float),
        rng.uniform(size=n) >= no_accepted,
        np.where(rng.uniform(size=n) < 0.5, rng.exponential(300, n), np.nan),
    )


def test_tau_is_scipys_over_the_theme_figures_and_the_interval_holds_it() -> None:
    rng = np.random.default_rng(1)
    themes = [_theme(rng, 100 * k, 0.3 + 0.1 * k) for k in range(1, 6)]
    (row, *_) = rank_correlations("t", themes, seed=3, n_bootstrap=200)
    views = [float(np.mean(t.view_count)) for t in themes]
    rates = [float(np.mean(~t.has_accepted_answer)) for t in themes]
    expected = kendalltau(views, rates)
    assert row["kendall_tau"] == pytest.approx(expected.statistic)
    assert row["p_value"] == pytest.approx(expected.pvalue)
    assert row["ci_low"] <= row["kendall_tau"] <= row["ci_high"]
    again = rank_correlations("t", themes, seed=3, n_bootstrap=200)[0]
    assert again == row, "the bootstrap is seeded"


def test_nmi_is_one_for_a_bijection_zero_for_independence_and_matches_a_hand_value() -> None:
    assert normalized_mutual_information({(1, "a"): 5, (2, "b"): 7}) == pytest.approx(1.0)
    assert normalized_mutual_information(
        {(1, "a"): 2, (1, "b"): 2, (2, "a"): 3, (2, "b"): 3}
    ) == pytest.approx(0.0, abs=1e-12)
    # themes {1: 3, 2: 1}, codes {a: 2, b: 2}: I = 3/4 ln(3/4 / (3/4 * 1/2))... by hand
    counts = {(1, "a"): 2, (1, "b"): 1, (2, "b"): 1}
    p = {k: v / 4 for k, v in counts.items()}
    mutual = (
        p[(1, "a")] * math.log(p[(1, "a")] / (0.75 * 0.5))
        + p[(1, "b")] * math.log(p[(1, "b")] / (0.75 * 0.5))
        + p[(2, "b")] * math.log(p[(2, "b")] / (0.25 * 0.5))
    )
    h_theme = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    h_code = math.log(2)
    expected = mutual / ((h_theme + h_code) / 2)
    assert normalized_mutual_information(counts) == pytest.approx(expected)


def test_a_warehouse_without_theme_marts_is_said_so(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    assert "no theme marts" in analyze_themes(db, n_bootstrap=10)


def test_the_bootstraps_tau_b_equals_scipys_with_ties_and_missing_values() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 4, (9, 50)).astype(float)
    y = rng.integers(0, 4, (9, 50)).astype(float)
    x[2, :10] = np.nan
    y[5, 20:25] = np.nan
    expected = [kendalltau(x[:, b], y[:, b], nan_policy="omit").statistic for b in range(50)]
    assert kendall_tau_b_columns(x, y) == pytest.approx(expected, nan_ok=True)
