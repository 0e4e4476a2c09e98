"""Numbers into words: units follow the metric; a missing Kaplan–Meier median is explained."""

import pytest

from reports.formatting import fmt_metric


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        ("km_median_response_minutes", None, "not reached"),
        ("km_median_response_minutes", float("nan"), "not reached"),
        ("median_response_minutes", 851.2, "851"),
        ("no_accepted_answer_rate", 0.739, "73.9%"),
    ],
)
def test_metric_values_are_formatted_by_unit(metric, value, expected):
    assert fmt_metric(metric, value) == expected


def test_a_bootstrap_p_value_at_its_floor_reads_as_a_bound():
    from reports.formatting import fmt_p

    assert fmt_p(5e-4, 5e-4) == "p ≤ 5.0e-4"
    assert fmt_p(0.012, 5e-4) == "p = 0.012"
    assert fmt_p(5e-4) == "p = 5.0e-4"  # an asymptotic test has no floor


def test_phi_and_the_rate_difference_are_each_named():
    from reports.formatting import describe_test

    chi = {
        "test": "chi_square",
        "statistic": 568.11,
        "df": 1,
        "p_value": 1e-120,
        "effect_name": "phi",
        "effect_size": 0.099,
        "ci_low": 0.091,
        "ci_high": 0.107,
    }
    assert describe_test(chi) == "χ² = 568.11, df = 1, p < 1e-100; φ = 0.099; 95% CI [0.091, 0.107]"
    difference = {
        "test": "rate_difference",
        "statistic": 0.161,
        "effect_name": "rate_difference",
        "effect_size": 0.161,
        "ci_low": 0.149,
        "ci_high": 0.173,
    }
    assert describe_test(difference) == (
        "difference = +16.1 pp; 95% CI [+14.9 pp, +17.3 pp] (Newcombe)"
    )
