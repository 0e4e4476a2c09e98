"""The rows of `analysis.stat_tests`, `metric_estimates` and `survival_curves`, typed.

Each row class has one field per column of its table (docs/contracts.md, the DDL in store.py), in
the table's order; `TopicRows.tables` turns them into the column -> value records `store.py`
writes, the one place rows become table records. The builders below fill a row from a test's
result, so the comparisons (comparisons.py) say which test ran, not which columns it fills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from .bootstrap import BootstrapDifference, Estimate
from .stats import MannWhitneyResult, ProportionTestResult
from .survival import KaplanMeierResult, LogRankResult


@dataclass(frozen=True, kw_only=True, slots=True)
class StatTestRow:
    """One test of `analysis.stat_tests`; None (like NaN) is stored as NULL."""

    topic: str
    comparison: str
    tag: str | None
    metric: str
    test: str
    statistic: float
    df: int | None = None
    p_value: float | None = None
    p_value_holm: float | None = None
    p_value_floor: float | None = None
    effect_name: str | None = None
    effect_size: float | None = None
    effect_label: str | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_a: int
    n_b: int
    method_notes: str
    computed_at: datetime
    input_rows: int


@dataclass(frozen=True, kw_only=True, slots=True)
class MetricEstimateRow:
    """One estimate of `analysis.metric_estimates`."""

    topic: str
    question_group: str
    tag: str | None
    metric: str
    estimate: float
    ci_low: float
    ci_high: float
    ci_method: str
    n: int
    method: str
    computed_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class SurvivalCurveRow:
    """One step of a Kaplan-Meier curve in `analysis.survival_curves`."""

    topic: str
    question_group: str
    minutes: float
    survival_probability: float
    ci_low: float
    ci_high: float
    n_at_risk: int


@dataclass
class TopicRows:
    """The rows of one topic (or of a whole run, once topics are added up), table by table."""

    stat_tests: list[StatTestRow] = field(default_factory=list)
    metric_estimates: list[MetricEstimateRow] = field(default_factory=list)
    survival_curves: list[SurvivalCurveRow] = field(default_factory=list)

    def extend(self, other: TopicRows) -> None:
        """Append another topic's rows."""
        self.stat_tests += other.stat_tests
        self.metric_estimates += other.metric_estimates
        self.survival_curves += other.survival_curves

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Table name -> records keyed by column, as `store.write_results` takes them."""
        return {
            "stat_tests": _records(self.stat_tests),
            "metric_estimates": _records(self.metric_estimates),
            "survival_curves": _records(self.survival_curves),
        }


def _records(rows: list[Any]) -> list[dict[str, Any]]:
    if not rows:
        return []
    names = [column.name for column in fields(rows[0])]
    return [{name: getattr(row, name) for name in names} for row in rows]


@dataclass(frozen=True)
class GroupKey:
    """Whose estimates: one group of a topic (`topic` or `baseline`), or the topic's questions
    carrying one of its seed tags."""

    topic: str
    computed_at: datetime
    question_group: str
    tag: str | None = None


@dataclass(frozen=True)
class ComparisonKey:
    """What every test of one comparison shares: the topic against its baseline, or one of its
    seed tags (tag set) against the baseline."""

    topic: str
    computed_at: datetime
    input_rows: int
    tag: str | None = None

    def row(self, **columns: Any) -> StatTestRow:
        """A `stat_tests` row of this comparison with the test's own columns."""
        return StatTestRow(
            topic=self.topic,
            comparison="topic_vs_baseline" if self.tag is None else "tag_vs_baseline",
            tag=self.tag,
            computed_at=self.computed_at,
            input_rows=self.input_rows,
            **columns,
        )


def estimate_row(
    key: GroupKey, metric: str, estimate: Estimate, methods: Mapping[str, str]
) -> MetricEstimateRow:
    """An estimate row; `method` is the mart's method of the figure it is computed from."""
    method_key = (
        "no_accepted_answer_rate"
        if metric == "no_accepted_answer_rate"
        else ("answers_per_view" if metric.startswith("answers_per_view") else "response_minutes")
    )
    return MetricEstimateRow(
        topic=key.topic,
        question_group=key.question_group,
        tag=key.tag,
        metric=metric,
        estimate=estimate.estimate,
        ci_low=estimate.ci_low,
        ci_high=estimate.ci_high,
        ci_method=estimate.ci_method,
        n=estimate.n,
        method=methods[method_key],
        computed_at=key.computed_at,
    )


def kaplan_meier_rows(
    key: GroupKey, km: KaplanMeierResult, method: str
) -> tuple[list[MetricEstimateRow], list[SurvivalCurveRow]]:
    """The KM median and acceptance probabilities by horizon, and the curve, of one group."""
    methods = {"response_minutes": method}
    estimates = [estimate_row(key, "km_median_response_minutes", km.median, methods)]
    for horizon, estimate in km.p_accepted_within.items():
        estimates.append(
            estimate_row(key, f"p_accepted_within_{horizon}_minutes", estimate, methods)
        )
    curve = km.curve
    points = [
        SurvivalCurveRow(
            topic=key.topic,
            question_group=key.question_group,
            minutes=float(minutes),
            survival_probability=float(probability),
            ci_low=float(low),
            ci_high=float(high),
            n_at_risk=int(at_risk),
        )
        for minutes, probability, low, high, at_risk in zip(
            curve.minutes,
            curve.survival_probability,
            curve.ci_low,
            curve.ci_high,
            curve.n_at_risk,
            strict=True,
        )
    ]
    return estimates, points


def mann_whitney_row(
    key: ComparisonKey, mwu: MannWhitneyResult, delta: Estimate, method_notes: str
) -> StatTestRow:
    """A Mann-Whitney U test of response minutes, Cliff's delta with its interval as effect."""
    return key.row(
        metric="response_minutes",
        test="mann_whitney_u",
        statistic=mwu.u_statistic,
        p_value=mwu.p_value,
        effect_name="cliffs_delta",
        effect_size=mwu.cliffs_delta,
        ci_low=delta.ci_low,
        ci_high=delta.ci_high,
        effect_label=mwu.effect_label,
        n_a=mwu.n_a,
        n_b=mwu.n_b,
        method_notes=method_notes,
    )


def bootstrap_difference_row(
    key: ComparisonKey,
    metric: str,
    effect_name: str,
    difference: BootstrapDifference,
    sizes: tuple[int, int],
    method_notes: str,
) -> StatTestRow:
    """A bootstrap difference topic minus baseline: the difference is statistic and effect, and
    the p-value cannot resolve less than 1/B (`p_value_floor`)."""
    return key.row(
        metric=metric,
        test="bootstrap_difference",
        statistic=difference.estimate,
        p_value=difference.p_value,
        p_value_floor=1.0 / difference.n_bootstrap,
        effect_name=effect_name,
        effect_size=difference.estimate,
        ci_low=difference.ci_low,
        ci_high=difference.ci_high,
        n_a=sizes[0],
        n_b=sizes[1],
        method_notes=method_notes,
    )


def chi_square_rows(
    key: ComparisonKey,
    result: ProportionTestResult,
    phi: Estimate,
    sizes: tuple[int, int],
    method_notes: str,
    *,
    yates: bool,
) -> list[StatTestRow]:
    """The 2x2 χ² test of no-accepted-answer counts (and with `yates` its corrected twin), φ with
    its interval as effect."""
    tested = {
        "metric": "no_accepted_answer_rate",
        "n_a": sizes[0],
        "n_b": sizes[1],
        "df": result.df,
        "effect_name": "phi",
        "effect_size": phi.estimate,
        "ci_low": phi.ci_low,
        "ci_high": phi.ci_high,
        "method_notes": method_notes,
    }
    rows = [
        key.row(test="chi_square", statistic=result.chi_square, p_value=result.p_value, **tested)
    ]
    if yates:
        rows.append(
            key.row(
                test="chi_square_yates",
                statistic=result.chi_square_yates,
                p_value=result.p_value_yates,
                **tested,
            )
        )
    return rows


def rate_difference_row(
    key: ComparisonKey, result: ProportionTestResult, sizes: tuple[int, int], method_notes: str
) -> StatTestRow:
    """The no-accepted-answer rate difference with its interval; its test is the χ² row."""
    difference = result.difference
    return key.row(
        metric="no_accepted_answer_rate",
        test="rate_difference",
        statistic=difference.estimate,
        effect_name="rate_difference",
        effect_size=difference.estimate,
        ci_low=difference.ci_low,
        ci_high=difference.ci_high,
        n_a=sizes[0],
        n_b=sizes[1],
        method_notes=method_notes,
    )


def logrank_row(
    key: ComparisonKey, logrank: LogRankResult, sizes: tuple[int, int], method_notes: str
) -> StatTestRow:
    """The log-rank test of time to an accepted answer over all questions (censored ones too)."""
    return key.row(
        metric="response_minutes",
        test="logrank",
        statistic=logrank.statistic,
        df=logrank.df,
        p_value=logrank.p_value,
        n_a=sizes[0],
        n_b=sizes[1],
        method_notes=method_notes,
    )
