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
