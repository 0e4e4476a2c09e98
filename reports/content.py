"""Gather what the report shows from the warehouse into one plain dict for the templates.

Sections follow the paper (RQ1 popularity, RQ2 difficulty, RQ3 taxonomy). Values stay raw here; the
templates format them with the filters in `formatting`, so HTML and Markdown show the same figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from importlib import metadata
from typing import Any

from . import annotation_study, charts, tag_selection, themes
from .forest import ForestRow, forest_plot
from .formatting import fmt_points, is_missing
from .marts_reader import MartsReader, Row
from .topic_index import topic_index

# Packages whose versions explain how the numbers were made, in the order shown.
_TOOLS = (
    "ptm-warehouse",
    "dlt",
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "scipy",
    "statsmodels",
    "matplotlib",
    "jinja2",
)
_N_TOP_TAGS = 6
# Horizons (minutes) of the stored Kaplan–Meier estimates `p_accepted_within_<minutes>_minutes`.
_SURVIVAL_HORIZONS = ((60, "1 hour"), (1440, "1 day"), (43_200, "30 days"), (525_600, "1 year"))
_COMPARISON_METRICS = (
    "no_accepted_answer_rate",
    "mean_response_minutes",
    "median_response_minutes",
    "km_median_response_minutes",
    "answers_per_view",
    "p_accepted_within_60_minutes",
    "p_accepted_within_1440_minutes",
    "p_accepted_within_43200_minutes",
)
_TEST_ORDER = ("no_accepted_answer_rate", "response_minutes", "answers_per_view")
_QUANTILE_COLUMN = re.compile(r"^p(\d+)(?:_minutes)?$")
# Table II's forest plot: a tag's rate difference is significant when its χ² survives Holm.
_HOLM_ALPHA = 0.05


def tool_versions() -> list[tuple[str, str]]:
    """Installed versions of the tools in the pipeline ("not installed" when absent)."""
    versions = []
    for name in _TOOLS:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return versions


def gather(warehouse: MartsReader, build: Row | None) -> dict[str, Any]:
    """Everything the templates render except the generated-at line."""
    overview = warehouse.question_overview()
    topics = warehouse.topics()
    rq3 = annotation_study.gather(warehouse, topics)
    collected = warehouse.collection_times()
    return {
        "build": build,
        "load_runs": warehouse.table("marts", "rpt_load_runs", order_by="started_at, load_run_id"),
        "overview": overview,
        "is_synthetic": any(row["is_synthetic"] for row in overview)
        or warehouse.has_synthetic_difficulty()
        or rq3["annotations_synthetic"],
        "window": warehouse.question_window(),
        "row_counts": warehouse.row_counts(),
        "versions": tool_versions(),
        "index": topic_index(warehouse, topics),
        "topics": [
            _topic_section(warehouse, topic, number, collected.get(topic, {}))
            for number, topic in enumerate(topics, start=1)
        ],
        **rq3,
    }


def _topic_section(
    warehouse: MartsReader, topic: str, number: int, collected: Row
) -> dict[str, Any]:
    """RQ1 and RQ2 content for one topic; `number` keeps its figures' ids unique in the page."""
    difficulty = warehouse.topic_table(
        "marts", "rpt_difficulty", topic, order_by="question_group desc"
    )
    window = (
        next((row["window_start_date"] for row in difficulty if row["window_start_date"]), None),
        next((row["window_end_date"] for row in difficulty if row["window_end_date"]), None),
    )
    return {
        "topic": topic,
        "number": number,
        "tags": warehouse.seed("topic_tags", topic, order_by="tag"),
        "difficulty": difficulty,
        "window_start_date": window[0],
        "window_end_date": window[1],
        "first_collected_at": collected.get("first_collected_at"),
        "last_collected_at": collected.get("last_collected_at"),
        **_rq1(warehouse, topic, number, window),
        **tag_selection.gather(warehouse, topic),
        **_rq2(warehouse, topic, number),
        **themes.gather(warehouse, topic, number),
    }


def _rq1(
    warehouse: MartsReader, topic: str, number: int, window: tuple[date | None, date | None]
) -> dict[str, Any]:
    """Table I and Fig. 1 (yearly popularity, overall and for the most popular tags).

    A partial year (the window covers part of it) is marked with the days it covers, so its
    smaller count is not read as a decline.
    """
    tag_frequency = warehouse.topic_table("marts", "rpt_tag_frequency", topic, "rank, tag")
    yearly = [
        {**row, "span": _year_span(row["year"], *window) if row.get("is_partial_year") else None}
        for row in warehouse.topic_table("marts", "rpt_popularity_yearly", topic, "year")
    ]
    partial = {row["year"]: row for row in yearly if row.get("is_partial_year")}
    top_tags = [row["tag"] for row in tag_frequency[:_N_TOP_TAGS]]
    tag_yearly = warehouse.topic_table("marts", "rpt_popularity_tag_yearly", topic, "tag, year")
    counts = {(row["tag"], row["year"]): row["n_questions"] for row in tag_yearly}
    years = sorted({row["year"] for row in tag_yearly} | {row["year"] for row in yearly})
    labels = {
        year: charts.year_label({"year": year, "is_partial_year": year in partial})
        for year in years
    }
    series = {
        tag: [(labels[year], counts.get((tag, year), 0)) for year in years] for tag in top_tags
    }
    return {
        "tag_frequency": tag_frequency,
        "yearly": yearly,
        "partial_years": list(partial.values()),
        "has_share": any(row.get("topic_share") is not None for row in yearly),
        "fig1a": charts.popularity_yearly(yearly, f"fig1a-{number}"),
        "top_tags": top_tags,
        "tag_yearly_table": [
            {
                "year": year,
                "partial": partial.get(year),
                "counts": [counts.get((tag, year), 0) for tag in top_tags],
            }
            for year in years
        ],
        "fig1b": charts.tag_yearly(series, f"fig1b-{number}"),
    }


def _year_span(year: int, start: date | None, end: date | None) -> str:
    """The days of `year` inside the window, e.g. "Jan 1–Jun 15" (a label, not a statistic)."""
    first = max(start, date(year, 1, 1)) if start else date(year, 1, 1)
    last = min(end, date(year, 12, 31)) if end else date(year, 12, 31)
    return f"{first:%b} {first.day}–{last:%b} {last.day}"


def _rq2(warehouse: MartsReader, topic: str, number: int) -> dict[str, Any]:
    """Table II with its forest plot, the topic-vs-baseline comparison, Fig. 2, the tests."""
    estimates = warehouse.topic_table(
        "analysis", "metric_estimates", topic, "question_group, tag nulls first, metric"
    )
    tests = warehouse.topic_table(
        "analysis", "stat_tests", topic, "comparison desc, tag nulls first, metric, test"
    )
    quantiles, boxes = _quantiles(warehouse, topic)
    curves = _curves(warehouse, topic)
    by_tag = _by_tag(warehouse, topic, tests)
    tag_forest = _tag_forest(by_tag)
    return {
        "by_tag": by_tag,
        "tag_forest": tag_forest,
        "fig_tags": forest_plot(
            [row["forest"] for row in tag_forest],
            salt=f"fig-tags-{number}",
            xlabel="no-accepted-answer rate, tag minus baseline (percentage points)",
            reference_line=0.0,
            reference_label="as the baseline",
            tick_format=lambda value: fmt_points(value).replace(" pp", ""),
        ),
        "comparison": _comparison(estimates),
        "tests": _overall_tests(tests),
        "quantiles": quantiles,
        "fig2a": charts.response_time_boxes(boxes, f"fig2a-{number}"),
        "survival_table": _survival_table(estimates),
        "fig2b": charts.survival(curves, f"fig2b-{number}"),
    }


def _by_tag(warehouse: MartsReader, topic: str, tests: list[Row]) -> list[Row]:
    """Table II rows, each with its tag-vs-baseline tests of the no-accepted-answer rate."""
    tag_tests: dict[str, list[Row]] = defaultdict(list)
    for row in tests:
        if row["comparison"] == "tag_vs_baseline" and row["tag"] is not None:
            tag_tests[row["tag"]].append(row)
    rows = warehouse.topic_table("marts", "rpt_difficulty_by_tag", topic, "n_questions desc, tag")
    return [{**row, "tests": tag_tests.get(row["tag"], [])} for row in rows]


def _tag_forest(by_tag: list[Row]) -> list[dict[str, Any]]:
    """Per tested seed tag: its rate difference from the baseline and whether χ² survives Holm.

    The difference and its Newcombe interval come from the `rate_difference` row, the Holm p-value
    from the `chi_square` row of the same tag (the difference's test).
    """
    rows = []
    for row in by_tag:
        tests = {test["test"]: test for test in row["tests"]}
        difference, chi_square = tests.get("rate_difference"), tests.get("chi_square")
        if difference is None:
            continue
        holm = None if chi_square is None else chi_square.get("p_value_holm")
        significant = not is_missing(holm) and holm < _HOLM_ALPHA
        rows.append(
            {
                "tag": row["tag"],
                "n_questions": row["n_questions"],
                "difference": difference,
                "p_value_holm": holm,
                "significant": significant,
                "forest": ForestRow(
                    label=row["tag"],
                    estimate=difference["effect_size"],
                    ci_low=difference["ci_low"],
                    ci_high=difference["ci_high"],
                    significant=significant,
                ),
            }
        )
    return rows


def _comparison(estimates: list[Row]) -> list[dict[str, Any]]:
    """Topic-vs-baseline rows: per metric, each group's estimate with its interval."""
    by_metric: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in estimates:
        if row["tag"] is None:
            by_metric[row["metric"]][row["question_group"]] = row
    return [
        {"metric": metric, "topic": groups.get("topic"), "baseline": groups.get("baseline")}
        for metric in _COMPARISON_METRICS
        if (groups := by_metric.get(metric))
    ]


def _overall_tests(tests: list[Row]) -> list[Row]:
    """Topic-vs-baseline tests, ordered as the paper discusses the metrics."""
    overall = [row for row in tests if row["comparison"] == "topic_vs_baseline"]
    rank = {metric: index for index, metric in enumerate(_TEST_ORDER)}
    return sorted(overall, key=lambda row: (rank.get(row["metric"], len(rank)), row["test"]))


def _quantiles(warehouse: MartsReader, topic: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Stored response-time quantiles as a table, and the box each group's quantiles describe.

    The box spans p25–p75 (p20–p80 when quartiles are not stored) with whiskers at p10–p90.
    """
    rows = warehouse.topic_table(
        "marts", "rpt_response_time_distribution", topic, "question_group desc, sampling_method"
    )
    methods: dict[str, set[Any]] = defaultdict(set)
    for row in rows:
        methods[row["question_group"]].add(row["sampling_method"])
    by_group: dict[str, dict[int, float]] = {}
    for row in rows:
        group = row["question_group"]
        label = group if len(methods[group]) == 1 else f"{group} ({row['sampling_method']})"
        by_group.setdefault(
            label,
            {
                int(match.group(1)): row[column]
                for column in row
                if (match := _QUANTILE_COLUMN.match(column)) and row[column] is not None
            },
        )
    boxes = []
    for label, values in by_group.items():
        low, high = (25, 75) if 25 in values and 75 in values else (20, 80)
        if {10, low, 50, high, 90} <= values.keys():
            boxes.append(
                {
                    "group": label.split(" ")[0],
                    "label": label,
                    "whislo": values[10],
                    "q1": values[low],
                    "med": values[50],
                    "q3": values[high],
                    "whishi": values[90],
                }
            )
    levels = sorted({q for values in by_group.values() for q in values})
    table = {
        "groups": list(by_group),
        "rows": [
            {"q": q, "values": [values.get(q) for values in by_group.values()]} for q in levels
        ],
    }
    return table, boxes


def _curves(warehouse: MartsReader, topic: str) -> dict[str, list[Row]]:
    """Kaplan–Meier step curves per group, in minutes order."""
    curves: dict[str, list[Row]] = defaultdict(list)
    for row in warehouse.topic_table(
        "analysis", "survival_curves", topic, "question_group desc, minutes"
    ):
        curves[row["question_group"]].append(row)
    return dict(curves)


def _survival_table(estimates: list[Row]) -> list[dict[str, Any]]:
    """Share still without an accepted answer at each horizon, S(t) = 1 - P(accepted within t).

    Read from the estimates the analysis stores at exactly these horizons, not from the plotted
    curve, whose grid points fall between them.
    """
    within = {
        (row["metric"], row["question_group"]): row["estimate"]
        for row in estimates
        if row["tag"] is None and row["metric"].startswith("p_accepted_within_")
    }
    groups = sorted({group for _, group in within}, reverse=True)
    table = []
    for minutes, label in _SURVIVAL_HORIZONS:
        metric = f"p_accepted_within_{minutes}_minutes"
        values = {
            group: None if within.get((metric, group)) is None else 1.0 - within[(metric, group)]
            for group in groups
        }
        table.append({"minutes": minutes, "label": label, "values": values})
    return table
