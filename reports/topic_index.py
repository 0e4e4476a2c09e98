"""Gather the report's index over every topic: one row per topic, a forest plot per difficulty
metric, the field's popularity measures (topic against baseline), and the literature's quoted
figures beside the ones computed here.

The index comes first so a reader sees how the topics compare before reading any one of them.
Every figure is read from `marts.rpt_difficulty`, `analysis.metric_estimates` and the seeds; the
only arithmetic is the paper's own quoted PD ratio (two quoted numbers, not data).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .forest import ForestRow, forest_plot
from .formatting import fmt_minutes, fmt_rate, is_missing
from .marts_reader import MartsReader, Row

# (metric in analysis.metric_estimates, axis label, percent axis, log axis)
INDEX_METRICS: tuple[tuple[str, str, bool, bool], ...] = (
    ("no_accepted_answer_rate", "questions without an accepted answer", True, False),
    ("median_response_minutes", "median minutes to the accepted answer (log scale)", False, True),
    ("answers_per_view", "answers per view (PD)", False, False),
    ("answers_per_view_ratio", "PD ratio, topic / baseline (1 = as the baseline)", False, False),
)
# Popularity columns of `marts.rpt_difficulty`, each with `_ci_low`/`_ci_high` beside it.
POPULARITY_METRICS: tuple[str, ...] = (
    "mean_view_count",
    "mean_score",
    "mean_favorite_count",
    "unanswered_rate",
)
_METHOD_COLUMNS = (
    ("rate", "no_accepted_answer_rate_method"),
    ("response times", "response_minutes_method"),
    ("PD", "answers_per_view_method"),
)
# The paper's literature rows of its own topic and of its baseline (seed `literature_baselines`).
_PAPER_TOPIC, _PAPER_BASELINE = "ptm", "unrelated"


def topic_index(warehouse: MartsReader, topics: Sequence[str]) -> dict[str, Any]:
    """The index's rows, its forest plots (each with its table rows) and the literature table."""
    titles = {row["topic"]: row for row in warehouse.seed("topics", order_by="topic")}
    collected = warehouse.collection_times()
    estimates = _estimates(warehouse)
    difficulty = {
        (row["topic"], row["question_group"]): row
        for row in warehouse.table("marts", "rpt_difficulty")
    }
    rows = [
        _index_row(topic, titles.get(topic, {}), difficulty, estimates, collected.get(topic, {}))
        for topic in topics
    ]
    return {
        "rows": rows,
        "popularity_metrics": POPULARITY_METRICS,
        "forests": [_forest(rows, metric, *axis) for metric, *axis in INDEX_METRICS],
        "literature": _literature(warehouse, rows),
        "paper_pd_ratio": _paper_pd_ratio(warehouse),
    }


def _estimates(warehouse: MartsReader) -> dict[tuple[str, str, str], Row]:
    metrics = ", ".join(f"'{metric}'" for metric, *_ in INDEX_METRICS)
    return {
        (row["topic"], row["question_group"], row["metric"]): row
        for row in warehouse.rows(
            f"select * from analysis.metric_estimates where tag is null and metric in ({metrics})"
        )
    }


def _index_row(
    topic: str,
    seed: Row,
    difficulty: dict[tuple[str, str], Row],
    estimates: dict[tuple[str, str, str], Row],
    collected: Row,
) -> dict[str, Any]:
    own = difficulty.get((topic, "topic"), {})
    baseline = difficulty.get((topic, "baseline"), {})
    methods = [
        f"{name}: {baseline[column]}" for name, column in _METHOD_COLUMNS if baseline.get(column)
    ]
    return {
        "topic": topic,
        "title": seed.get("title") or topic,
        "site": seed.get("site"),
        "window_start_date": own.get("window_start_date"),
        "window_end_date": own.get("window_end_date"),
        "n_topic_questions": own.get("n_questions"),
        "avg_view_count": own.get("avg_view_count"),
        "baseline_avg_view_count": baseline.get("avg_view_count"),
        "first_collected_at": collected.get("first_collected_at"),
        "last_collected_at": collected.get("last_collected_at"),
        "baseline_method": " · ".join(methods) or "no baseline",
        "popularity": {
            metric: {"topic": _popularity(own, metric), "baseline": _popularity(baseline, metric)}
            for metric in POPULARITY_METRICS
        },
        "popularity_method": baseline.get("popularity_method"),
        "metrics": {
            metric: {
                "topic": estimates.get((topic, "topic", metric)),
                "baseline": estimates.get((topic, "baseline", metric)),
            }
            for metric, *_ in INDEX_METRICS
        },
    }


def _popularity(row: Row, metric: str) -> dict[str, Any] | None:
    """One group's popularity estimate with its 95% interval (`rpt_difficulty`), or None when
    the group has none (no favourite counts in the source, a marts build before these columns)."""
    if is_missing(row.get(metric)):
        return None
    return {
        "estimate": row[metric],
        "ci_low": row.get(f"{metric}_ci_low"),
        "ci_high": row.get(f"{metric}_ci_high"),
    }


def _forest(
    rows: list[dict[str, Any]], metric: str, label: str, percent: bool, log_scale: bool
) -> dict[str, Any]:
    """One metric's forest plot over the topics; the baseline is each topic's reference."""
    forest_rows = []
    for row in rows:
        own = row["metrics"][metric]["topic"] or {}
        baseline = row["metrics"][metric]["baseline"] or {}
        forest_rows.append(
            ForestRow(
                label=row["title"],
                estimate=own.get("estimate"),
                ci_low=own.get("ci_low"),
                ci_high=own.get("ci_high"),
                reference=baseline.get("estimate"),
            )
        )
    is_ratio = metric == "answers_per_view_ratio"
    salt = f"index-{metric.replace('_', '-')}"
    return {
        "metric": metric,
        "salt": salt,
        "label": label,
        "svg": forest_plot(
            forest_rows,
            salt=salt,
            xlabel=label,
            reference_line=1.0 if is_ratio else None,
            reference_label="baseline (ratio 1)" if is_ratio else "the topic's baseline",
            tick_format=_tick_format(percent, log_scale),
            log_scale=log_scale,
        ),
    }


def _tick_format(percent: bool, log_scale: bool) -> Callable[[float], str] | None:
    """Percentages for rates, plain minutes on a log axis, matplotlib's default otherwise."""
    if percent:
        return lambda value: fmt_rate(value, 0)
    if log_scale:
        return fmt_minutes
    return None


def _name_key(name: str) -> str:
    """Literature rows name topics in words (`big data`); topics are keys (`bigdata`)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _literature(warehouse: MartsReader, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each quoted literature row with the computed figures of the topic it names, if built."""
    computed = {_name_key(row["topic"]): row for row in rows}
    return [
        {"quoted": quoted, "computed": computed.get(_name_key(quoted["topic"]))}
        for quoted in warehouse.seed("literature_baselines", order_by="topic, reference")
    ]


def _paper_pd_ratio(warehouse: MartsReader) -> dict[str, float] | None:
    """The paper's PD ratio, its topic's quoted PD over its baseline's (0.06 / 0.12 = 0.5)."""
    quoted = {
        _name_key(row["topic"]): row["answers_per_view"]
        for row in warehouse.seed("literature_baselines", order_by="topic, reference")
    }
    topic, baseline = quoted.get(_PAPER_TOPIC), quoted.get(_PAPER_BASELINE)
    if is_missing(topic) or is_missing(baseline) or not baseline:
        return None
    return {"topic": topic, "baseline": baseline, "ratio": topic / baseline}
