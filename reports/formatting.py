"""Turn stored numbers into the words and figures a reader expects (no statistics computed here)."""

from __future__ import annotations

import math
from typing import Any

_TEST_NAMES = {
    "chi_square": "χ²",
    "chi_square_yates": "χ² (Yates-corrected)",
    "mann_whitney_u": "Mann–Whitney U",
    "logrank": "log-rank χ²",
    "bootstrap_difference": "bootstrap difference",
}
_EFFECT_NAMES = {
    "phi": "φ",
    "cliffs_delta": "Cliff's δ",
    "rate_difference": "difference",
    "median_difference_minutes": "difference of medians (minutes)",
    "answers_per_view_difference": "PD difference",
}
_METRIC_NAMES = {
    "no_accepted_answer_rate": "questions without an accepted answer",
    "median_response_minutes": "median minutes to the accepted answer",
    "mean_response_minutes": "mean minutes to the accepted answer",
    "km_median_response_minutes": "Kaplan–Meier median minutes (unanswered censored)",
    "answers_per_view": "answers per view (PD)",
    "response_minutes": "minutes to the accepted answer",
    "p_accepted_within_60_minutes": "accepted answer within 1 hour",
    "p_accepted_within_1440_minutes": "accepted answer within 1 day",
    "p_accepted_within_43200_minutes": "accepted answer within 30 days",
    "p_accepted_within_525600_minutes": "accepted answer within 1 year",
    "answers_per_view_ratio": "PD ratio, topic / baseline",
    "mean_view_count": "mean views",
    "mean_score": "mean score",
    "mean_favorite_count": "mean favourites",
    "unanswered_rate": "questions without any answer",
}
_SMALLEST_P = 1e-100


def is_missing(value: Any) -> bool:
    """Whether a stored value is absent (NULL or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def metric_name(metric: str) -> str:
    """A reader's name for a metric column name."""
    return _METRIC_NAMES.get(metric, metric.replace("_", " "))


def test_name(test: str) -> str:
    """A reader's name for a test identifier such as `chi_square`."""
    return _TEST_NAMES.get(test, test.replace("_", " "))


def fmt_number(value: Any, digits: int = 2) -> str:
    """A number with thousands separators; integers without decimals; "–" when absent."""
    if is_missing(value):
        return "–"
    number = float(value)
    if abs(number) >= 1e6 or (number.is_integer() and abs(number) >= 100):
        return f"{number:,.0f}"
    if 0 < abs(number) < 10 ** (-digits):
        return f"{number:.{digits}g}"
    return f"{number:,.{digits}f}"


def fmt_count(value: Any) -> str:
    """An integer count with thousands separators."""
    return "–" if is_missing(value) else f"{int(value):,}"


def fmt_rate(value: Any, digits: int = 1) -> str:
    """A rate in [0, 1] as a percentage, e.g. 0.739 -> "73.9%"."""
    return "–" if is_missing(value) else f"{100 * float(value):.{digits}f}%"


def fmt_minutes(value: Any) -> str:
    """Minutes, rounded to whole minutes past 10 (response times span seconds to years)."""
    if is_missing(value):
        return "–"
    return f"{float(value):,.0f}" if abs(float(value)) >= 10 else f"{float(value):.1f}"


def fmt_days(minutes: Any) -> str:
    """Minutes shown in days with one decimal, as Table IV of the Hugging Face study gives times."""
    return "–" if is_missing(minutes) else f"{float(minutes) / 1440:,.1f}"


def fmt_metric(metric: str, value: Any) -> str:
    """Format a value by the unit its metric name implies.

    A missing Kaplan–Meier median means the curve never fell below one half: fewer than half the
    group's questions had an accepted answer by the data's cut-off, so the median is not reached.
    """
    if metric == "km_median_response_minutes" and is_missing(value):
        return "not reached"
    if metric.endswith("_rate") or metric.startswith("p_accepted_within"):
        return fmt_rate(value)
    if "minutes" in metric:
        return fmt_minutes(value)
    return fmt_number(value)


def fmt_interval(metric: str, low: Any, high: Any) -> str:
    """A 95% interval as "[low, high]", or "" when the analysis gave none."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"[{fmt_metric(metric, low)}, {fmt_metric(metric, high)}]"


def fmt_p(p: Any, floor: Any = None) -> str:
    """A p-value as a reader quotes it: "p < 1e-100", "p = 2.5e-40", "p = 0.034".

    A bootstrap p-value cannot resolve less than 1/B (`floor`): at the floor it reads
    "p ≤ 5.0e-4", an upper bound, not a value.
    """
    if is_missing(p):
        return "p not reported"
    p = float(p)
    relation = "≤" if not is_missing(floor) and p <= float(floor) else "="
    if p < _SMALLEST_P:
        return "p < 1e-100"
    if p < 0.001:
        mantissa, exponent = f"{p:.1e}".split("e")
        return f"p {relation} {mantissa}e-{int(exponent[1:])}"
    return f"p {relation} {p:.3f}"


def fmt_points(value: Any) -> str:
    """A rate difference in percentage points with its sign, e.g. 0.161 -> "+16.1 pp"."""
    return "–" if is_missing(value) else f"{100 * float(value):+.1f} pp"


def describe_test(row: dict[str, Any]) -> str:
    """One `analysis.stat_tests` row in words, each effect under its own name.

    Examples: "χ² = 568.11, df = 1, p < 1e-100; φ = 0.099; 95% CI [0.091, 0.107]" and, for the
    row of the rate difference, "difference = +16.1 pp; 95% CI [+14.9 pp, +17.3 pp] (Newcombe)".
    """
    test = row["test"]
    effect_name = row.get("effect_name")
    interval = not is_missing(row.get("ci_low")) and not is_missing(row.get("ci_high"))
    if effect_name == "rate_difference":
        words = f"difference = {fmt_points(row['effect_size'])}"
        if interval:
            words += f"; 95% CI [{fmt_points(row['ci_low'])}, {fmt_points(row['ci_high'])}]"
        return words + " (Newcombe)"
    parts = []
    if test == "bootstrap_difference":
        parts.append(f"difference = {fmt_number(row['statistic'], 3)}")
    else:
        parts.append(f"{test_name(test)} = {fmt_number(row['statistic'])}")
    if not is_missing(row.get("df")):
        parts.append(f"df = {fmt_number(row['df'], 0 if float(row['df']).is_integer() else 2)}")
    parts.append(fmt_p(row.get("p_value"), row.get("p_value_floor")))
    if not is_missing(row.get("p_value_holm")):
        parts.append(f"Holm-adjusted {fmt_p(row['p_value_holm'], row.get('p_value_floor'))}")
    words = ", ".join(parts)
    if test != "bootstrap_difference" and not is_missing(row.get("effect_size")):
        effect = f"{_EFFECT_NAMES.get(effect_name, 'effect size')} = "
        effect += fmt_number(row["effect_size"], 3)
        if row.get("effect_label"):
            effect += f" ({row['effect_label']})"
        words += f"; {effect}"
    if interval:
        words += f"; 95% CI [{fmt_number(row['ci_low'], 3)}, {fmt_number(row['ci_high'], 3)}]"
    return words
