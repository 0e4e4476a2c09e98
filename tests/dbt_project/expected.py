"""Plain-Python versions of the marts' metrics, computed from the raw rows, not from dbt."""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Iterable
from typing import Any

from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from tests.fakes.raw_rows import WINDOW_END_EXCLUSIVE, WINDOW_START, RawRows, epoch

from .dbt_helpers import DBT_PROJECT_DIR


def seed_topic_tags(topic: str = "ptm") -> list[str]:
    """The topic's tags from the `topic_tags` seed."""
    with (DBT_PROJECT_DIR / "seeds" / "topic_tags.csv").open() as handle:
        return [row["tag"] for row in csv.DictReader(handle) if row["topic"] == topic]


def questions_in_window(rows: RawRows) -> list[dict[str, Any]]:
    """Questions with their tags, group and response_minutes, inside the inclusive window."""
    topic_tags = set(seed_topic_tags())
    tags_by_question: dict[int, list[tuple[int, str]]] = {}
    for tag_row in rows.question_tags:
        tags_by_question.setdefault(tag_row["question_id"], []).append(
            (tag_row["tag_position"], tag_row["tag"])
        )
    answers = {answer["answer_id"]: answer for answer in rows.answers}
    result = []
    for question in rows.questions:
        created = question["creation_date"]
        if not epoch(WINDOW_START) <= created < epoch(WINDOW_END_EXCLUSIVE):
            continue
        tags = [tag for _, tag in sorted(tags_by_question.get(question["question_id"], []))]
        accepted = answers.get(question["accepted_answer_id"])
        response_minutes = None
        if accepted is not None and accepted["creation_date"] >= created:
            response_minutes = (accepted["creation_date"] - created) / 60
        result.append(
            {
                **question,
                "tags": tags,
                "question_group": "topic" if topic_tags & set(tags) else "baseline",
                "has_accepted_answer": question["accepted_answer_id"] is not None,
                "response_minutes": response_minutes,
            }
        )
    return result


def difficulty(questions: Iterable[dict[str, Any]]) -> dict[str, float | int | None]:
    """%no acc, response minutes and PD of a set of questions (§V)."""
    questions = list(questions)
    minutes = [q["response_minutes"] for q in questions if q["response_minutes"] is not None]
    n_no_accepted = sum(1 for q in questions if not q["has_accepted_answer"])
    avg_answers = statistics.fmean(q["answer_count"] for q in questions)
    avg_views = statistics.fmean(q["view_count"] for q in questions)
    return {
        "n_questions": len(questions),
        "n_no_accepted_answer": n_no_accepted,
        "no_accepted_answer_rate": n_no_accepted / len(questions),
        "n_with_response_time": len(minutes),
        "mean_response_minutes": statistics.fmean(minutes) if minutes else None,
        "median_response_minutes": statistics.median(minutes) if minutes else None,
        "answers_per_view": avg_answers / avg_views,
    }


Z_95 = float(norm.ppf(0.975))


def difficulty_intervals(questions: Iterable[dict[str, Any]]) -> dict[str, float | None]:
    """The marts' 95% intervals of the §V metrics: Wilson, order statistics, normal, delta method.

    Bounds are null where an interval is undefined (no response time for the median, fewer than
    two values for the others); lower bounds of minutes and PD are raised to 0.
    """
    questions = list(questions)
    n = len(questions)
    minutes = sorted(q["response_minutes"] for q in questions if q["response_minutes"] is not None)
    n_no_accepted = sum(1 for q in questions if not q["has_accepted_answer"])
    rate_low, rate_high = proportion_confint(n_no_accepted, n, alpha=0.05, method="wilson")
    intervals: dict[str, float | None] = {
        "no_accepted_answer_rate_ci_low": rate_low,
        "no_accepted_answer_rate_ci_high": rate_high,
        "median_response_minutes_ci_low": None,
        "median_response_minutes_ci_high": None,
        "mean_response_minutes_ci_low": None,
        "mean_response_minutes_ci_high": None,
        "answers_per_view_ci_low": None,
        "answers_per_view_ci_high": None,
    }
    m = len(minutes)
    if m:
        low_rank = max(1, math.floor(m / 2 - Z_95 * math.sqrt(m) / 2))
        high_rank = min(m, math.ceil(1 + m / 2 + Z_95 * math.sqrt(m) / 2))
        intervals["median_response_minutes_ci_low"] = minutes[low_rank - 1]
        intervals["median_response_minutes_ci_high"] = minutes[high_rank - 1]
    if m >= 2:
        mean = statistics.fmean(minutes)
        half_width = Z_95 * statistics.stdev(minutes) / math.sqrt(m)
        intervals["mean_response_minutes_ci_low"] = max(0.0, mean - half_width)
        intervals["mean_response_minutes_ci_high"] = mean + half_width
    answers = [float(q["answer_count"]) for q in questions]
    views = [float(q["view_count"]) for q in questions]
    if n >= 2 and statistics.fmean(views) > 0:
        ratio = statistics.fmean(answers) / statistics.fmean(views)
        variance = (
            statistics.variance(answers)
            - 2 * ratio * statistics.covariance(answers, views)
            + ratio**2 * statistics.variance(views)
        )
        standard_error = math.sqrt(max(variance, 0.0) / n) / statistics.fmean(views)
        intervals["answers_per_view_ci_low"] = max(0.0, ratio - Z_95 * standard_error)
        intervals["answers_per_view_ci_high"] = ratio + Z_95 * standard_error
    return intervals


POPULARITY_MEANS = (("view_count", True), ("score", False), ("favorite_count", True))
"""The counts whose means the marts report, and whether the count cannot be negative."""


def popularity(questions: Iterable[dict[str, Any]]) -> dict[str, float | int | None]:
    """The marts' popularity measures with their 95% intervals, from the questions' own rows.

    Each mean covers the questions that have the count (a missing `favorite_count` key is a
    source without favourites); its normal interval mean -/+ z sd / sqrt(n) is null with fewer
    than two values, its lower bound raised to 0 for counts that cannot be negative. The share
    unanswered (answer_count = 0) carries statsmodels' Wilson interval.
    """
    questions = list(questions)
    result: dict[str, float | int | None] = {}
    for column, non_negative in POPULARITY_MEANS:
        values = [float(q[column]) for q in questions if q.get(column) is not None]
        mean = statistics.fmean(values) if values else None
        low = high = None
        if len(values) >= 2:
            half_width = Z_95 * statistics.stdev(values) / math.sqrt(len(values))
            centre = statistics.fmean(values)
            low, high = centre - half_width, centre + half_width
            if non_negative:
                low = max(0.0, low)
        result |= {f"mean_{column}": mean, f"mean_{column}_ci_low": low}
        result[f"mean_{column}_ci_high"] = high
    counted = [q["answer_count"] for q in questions if q["answer_count"] is not None]
    n_unanswered = sum(1 for answer_count in counted if answer_count == 0)
    rate_low, rate_high = proportion_confint(
        n_unanswered, len(counted), alpha=0.05, method="wilson"
    )
    return result | {
        "n_unanswered": n_unanswered,
        "unanswered_rate": n_unanswered / len(counted),
        "unanswered_rate_ci_low": rate_low,
        "unanswered_rate_ci_high": rate_high,
    }
