"""Run one topic's RQ2 tests and estimates and gather their rows (columns in docs/contracts.md).

The tests are those of stats.py, effect_sizes.py and survival.py; their rows are laid out by
rows.py and their method notes written in methods.py, so this module says which test runs on
which groups. Group a is always the topic and group b the baseline, so positive differences mean
"the topic is higher". Each bootstrap draws from its own stream derived from (seed, topic,
group/tag, metric).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from . import methods
from .bootstrap import (
    DEFAULT_MAX_UNITS,
    BootstrapDifference,
    BootstrapSettings,
    Estimate,
    bootstrap_difference,
    bootstrap_estimate,
    derive_rng,
    percentile_interval,
    ratio_replicates,
)
from .effect_sizes import DEFAULT_MAX_UNITS as EFFECT_MAX_UNITS
from .effect_sizes import CliffsDeltaBootstrap, phi_with_interval
from .groups import GroupData, subset
from .marts import TopicData
from .rows import (
    ComparisonKey,
    GroupKey,
    MetricEstimateRow,
    StatTestRow,
    TopicRows,
    bootstrap_difference_row,
    chi_square_rows,
    estimate_row,
    kaplan_meier_rows,
    logrank_row,
    mann_whitney_row,
    rate_difference_row,
)
from .stats import (
    MannWhitneyReference,
    MannWhitneyResult,
    holm_adjust,
    proportion_test,
    wilson_interval,
)
from .survival import SurvivalTable, kaplan_meier_table, logrank_table

# The tag tests Holm's adjustment runs over, each across the topic's seed tags: (metric, test).
TAG_TESTS = (
    ("no_accepted_answer_rate", "chi_square"),
    ("response_minutes", "mann_whitney_u"),
    ("answers_per_view", "bootstrap_difference"),
)


@dataclass(frozen=True)
class Settings:
    """What every row of one run shares.

    Attributes:
        seed: The run's seed; every bootstrap stream derives from it.
        n_bootstrap: Bootstrap replicates per interval.
        computed_at: Run time (UTC), written to every row.
    """

    seed: int
    n_bootstrap: int
    computed_at: datetime

    def bootstrap(self, *keys: str) -> BootstrapSettings:
        """One estimate's bootstrap: the run's replicates, on the estimate's own stream derived
        from the seed and `keys` (topic, group or tag, metric)."""
        return BootstrapSettings(self.n_bootstrap, derive_rng(self.seed, *keys))


@dataclass(frozen=True)
class _Reference:
    """The baseline's answered questions, prepared once for every Mann–Whitney test against it."""

    mann_whitney: MannWhitneyReference
    cliffs_delta: CliffsDeltaBootstrap
    settings: Settings
    topic: str

    @classmethod
    def of(cls, baseline: GroupData, settings: Settings, topic: str) -> _Reference | None:
        """None when the baseline has no answered question. Its answers are dealt into Cliff's δ
        groups in key order and come sorted with the group (groups.py)."""
        if not baseline.answered.size:
            return None
        grouping = derive_rng(settings.seed, topic, "baseline", "cliffs_delta_units")
        return cls(
            MannWhitneyReference(baseline.answered_sorted),
            CliffsDeltaBootstrap(baseline.answered, grouping, order=baseline.answered_order),
            settings,
            topic,
        )

    def test(self, answered: NDArray[np.float64], key: str) -> tuple[MannWhitneyResult, Estimate]:
        """The Mann–Whitney test of `answered` and Cliff's δ with its bootstrap interval."""
        delta = self.cliffs_delta.interval(
            answered, self.settings.bootstrap(self.topic, key, "cliffs_delta")
        )
        return self.mann_whitney.test(answered), delta


@dataclass(frozen=True)
class _Sample:
    """One group's estimate (median minutes or answers per view) with its bootstrap replicates."""

    estimate: Estimate
    replicates: NDArray[np.float64]

    def minus(self, other: _Sample) -> BootstrapDifference:
        """This estimate minus `other`'s, with its bootstrap interval and p-value."""
        return bootstrap_difference(
            self.estimate.estimate, self.replicates, other.estimate.estimate, other.replicates
        )


@dataclass(frozen=True)
class _Samples:
    """What the comparisons reuse of each group's estimates: group name -> bootstrapped median
    minutes and answers per view (None when undefined), and the prepared baseline."""

    median: Mapping[str, _Sample | None]
    answers_per_view: Mapping[str, _Sample | None]
    reference: _Reference | None


def analyze_topic(data: TopicData, settings: Settings) -> TopicRows:
    """Compute every test, estimate and curve for one topic.

    Args:
        data: The topic's groups, its seed tags (each gets per-tag tests against the baseline) and
            when its questions were collected.
        settings: Seed, replicates, timestamps.

    Returns:
        The topic's rows of `stat_tests`, `metric_estimates` and `survival_curves`.
    """
    rows = TopicRows()
    medians: dict[str, _Sample | None] = {}
    per_view: dict[str, _Sample | None] = {}
    survival: dict[str, SurvivalTable] = {}
    for name, group in data.groups.items():
        key = GroupKey(data.topic, settings.computed_at, name)
        estimates, medians[name] = _group_estimates(key, group, settings)
        rows.metric_estimates += estimates
        per_view[name] = _per_view(group, settings, data.topic, name)
        if per_view[name] is not None:
            rows.metric_estimates.append(
                estimate_row(key, "answers_per_view", per_view[name].estimate, group.methods)
            )
        if group.survival is not None:
            survival[name] = group.survival
            km_estimates, curve = kaplan_meier_rows(
                key, kaplan_meier_table(group.survival), group.methods["response_minutes"]
            )
            rows.metric_estimates += km_estimates
            rows.survival_curves += curve
    # A topic whose tags no loaded question carries has no topic group: nothing to compare.
    if "baseline" in data.groups and "topic" in data.groups:
        reference = _Reference.of(data.groups["baseline"], settings, data.topic)
        rows.extend(_comparisons(data, settings, _Samples(medians, per_view, reference), survival))
    return rows


def _comparisons(
    data: TopicData, settings: Settings, samples: _Samples, survival: Mapping[str, SurvivalTable]
) -> TopicRows:
    """The topic's and each seed tag's tests against the baseline, and the PD ratio."""
    groups = data.groups
    key = ComparisonKey(data.topic, settings.computed_at, data.n_rows)
    tests = _topic_vs_baseline(
        groups,
        samples,
        survival,
        settings,
        key,
        methods.censoring_note(data.collected_from, data.collected_to),
    )
    topic_key = GroupKey(data.topic, settings.computed_at, "topic")
    estimates = _ratio_rows(topic_key, samples.answers_per_view, groups["baseline"].methods)
    tag_tests, tag_estimates = _tag_rows(key, groups, data.seed_tags, samples, settings)
    return TopicRows(tests + tag_tests, estimates + tag_estimates)


def _group_estimates(
    key: GroupKey, group: GroupData, settings: Settings
) -> tuple[list[MetricEstimateRow], _Sample | None]:
    """Rate, median and mean response minutes of one group (or one tag's questions).

    Returns:
        The estimate rows, and the median with its replicates (None without answered questions).
    """
    k, n = group.no_accepted_answer
    rows = []
    if n:
        rows.append(
            estimate_row(key, "no_accepted_answer_rate", wilson_interval(k, n), group.methods)
        )
    answered = group.answered
    if not answered.size:
        return rows, None
    streams = (key.topic, key.question_group, key.tag or "")
    # The median's order statistics need the answers sorted; the mean's random groups of rows
    # need them in key order (groups.py keeps both).
    median = _Sample(
        *bootstrap_estimate(group.answered_sorted, "median", settings.bootstrap(*streams, "median"))
    )
    mean, _ = bootstrap_estimate(answered, "mean", settings.bootstrap(*streams, "mean"))
    rows.append(estimate_row(key, "median_response_minutes", median.estimate, group.methods))
    rows.append(estimate_row(key, "mean_response_minutes", mean, group.methods))
    return rows, median


def _topic_vs_baseline(
    groups: Mapping[str, GroupData],
    samples: _Samples,
    survival: Mapping[str, SurvivalTable],
    settings: Settings,
    key: ComparisonKey,
    censoring: str,
) -> list[StatTestRow]:
    """χ² and rate difference, response-time tests, log-rank and PD difference of the topic."""
    topic, baseline = groups["topic"], groups["baseline"]
    rows = _rate_tests(topic, baseline, key, settings, "topic", yates=True)
    if topic.answered.size and baseline.answered.size:
        rows += _response_time_tests(topic, baseline, samples, key, settings)
    if "topic" in survival and "baseline" in survival:
        logrank = logrank_table(survival["topic"], survival["baseline"])
        notes = methods.LOGRANK.format(
            z=logrank.z,
            censoring=censoring,
            baseline=_baseline_note(baseline, "response_minutes"),
        )
        rows.append(logrank_row(key, logrank, (topic.n_rows, baseline.n_rows), notes))
    per_view = samples.answers_per_view
    if per_view.get("topic") is not None and per_view.get("baseline") is not None:
        rows.append(_per_view_test(key, per_view["topic"], per_view["baseline"], baseline))
    return rows


def _response_time_tests(
    topic: GroupData,
    baseline: GroupData,
    samples: _Samples,
    key: ComparisonKey,
    settings: Settings,
) -> list[StatTestRow]:
    """Mann–Whitney U with Cliff's δ, and the bootstrap difference of median minutes."""
    mwu, delta = samples.reference.test(topic.answered, "topic")
    notes = _baseline_note(baseline, "response_minutes")
    mann_whitney = mann_whitney_row(
        key,
        mwu,
        delta,
        methods.MANN_WHITNEY_TOPIC.format(
            n_bootstrap=settings.n_bootstrap, max_units=EFFECT_MAX_UNITS, baseline=notes
        ),
    )
    median_a, median_b = samples.median["topic"], samples.median["baseline"]
    difference = median_a.minus(median_b)
    median_notes = methods.MEDIAN_DIFFERENCE.format(
        median_a=median_a.estimate.estimate,
        median_b=median_b.estimate.estimate,
        n_bootstrap=difference.n_bootstrap,
        baseline=notes,
    )
    median_difference = bootstrap_difference_row(
        key,
        "response_minutes",
        "median_difference_minutes",
        difference,
        (mwu.n_a, mwu.n_b),
        median_notes,
    )
    return [mann_whitney, median_difference]


def _rate_tests(
    a: GroupData,
    b: GroupData,
    key: ComparisonKey,
    settings: Settings,
    stream: str,
    *,
    yates: bool,
) -> list[StatTestRow]:
    """The χ² test(s) with φ as effect size, and the rate difference with Newcombe's interval.

    φ and the difference answer different questions (how strongly group and outcome are
    associated; by how many percentage points the rates differ), so each is its own named row.
    """
    (k1, n1), (k2, n2) = a.no_accepted_answer, b.no_accepted_answer
    if not n1 or not n2:
        return []
    result = proportion_test(k1, n1, k2, n2)
    phi = phi_with_interval(k1, n1, k2, n2, settings.bootstrap(key.tag or "", stream, "phi"))
    counts = {"k1": k1, "n1": n1, "k2": k2, "n2": n2}
    baseline = _baseline_note(b, "no_accepted_answer_rate")
    notes = methods.CHI_SQUARE.format(
        **counts,
        n_bootstrap=settings.n_bootstrap,
        yates=methods.yates_note(result),
        baseline=baseline,
    )
    rows = chi_square_rows(key, result, phi, (n1, n2), notes, yates=yates)
    difference_notes = methods.RATE_DIFFERENCE.format(**counts, baseline=baseline)
    rows.append(rate_difference_row(key, result, (n1, n2), difference_notes))
    return rows


def _per_view_test(key: ComparisonKey, a: _Sample, b: _Sample, baseline: GroupData) -> StatTestRow:
    """The bootstrap difference of answers per view (PD), a minus the baseline."""
    difference = a.minus(b)
    notes = methods.ANSWERS_PER_VIEW_DIFFERENCE.format(
        n_bootstrap=difference.n_bootstrap,
        max_units=DEFAULT_MAX_UNITS,
        baseline=_baseline_note(baseline, "answers_per_view"),
    )
    return bootstrap_difference_row(
        key,
        "answers_per_view",
        "answers_per_view_difference",
        difference,
        (a.estimate.n, b.estimate.n),
        notes,
    )


def _tag_rows(
    topic_key: ComparisonKey,
    groups: Mapping[str, GroupData],
    tags: Sequence[str],
    samples: _Samples,
    settings: Settings,
) -> tuple[list[StatTestRow], list[MetricEstimateRow]]:
    """Each seed tag's estimates and its χ², Mann–Whitney and PD tests against the baseline.

    Returns:
        `(tests, estimates)`; tests carry `p_value_holm`, Holm-adjusted across tags per test.
    """
    topic_group, baseline = groups["topic"], groups["baseline"]
    tests: list[StatTestRow] = []
    estimates: list[MetricEstimateRow] = []
    for tag in tags:
        tagged = _tag_group(topic_group, tag)
        group_key = GroupKey(topic_key.topic, topic_key.computed_at, "topic", tag)
        estimates += _group_estimates(group_key, tagged, settings)[0]
        key = replace(topic_key, tag=tag)
        stream = "tag:" + tag
        tests += _rate_tests(tagged, baseline, key, settings, stream, yates=False)
        if tagged.answered.size and samples.reference is not None:
            mwu, delta = samples.reference.test(tagged.answered, stream)
            notes = methods.MANN_WHITNEY_TAG.format(
                baseline=_baseline_note(baseline, "response_minutes")
            )
            tests.append(mann_whitney_row(key, mwu, delta, notes))
        view = _per_view(tagged, settings, topic_key.topic, stream)
        if view is None:
            continue
        estimates.append(estimate_row(group_key, "answers_per_view", view.estimate, tagged.methods))
        baseline_per_view = samples.answers_per_view["baseline"]
        if baseline_per_view is not None:
            tests.append(_per_view_test(key, view, baseline_per_view, baseline))
    return _holm_across_tags(tests), estimates


def _holm_across_tags(tests: list[StatTestRow]) -> list[StatTestRow]:
    """The tag tests with `p_value_holm`, Holm-adjusted per (metric, test) across tags.

    The family of each test is exactly the topic's seed tags for which the test is defined (a tag
    without an answered question has no Mann–Whitney row), so Holm's m is the number of tests made.
    """
    adjusted = list(tests)
    for metric, test in TAG_TESTS:
        family = [i for i, row in enumerate(tests) if row.metric == metric and row.test == test]
        p_values = holm_adjust([tests[i].p_value for i in family])
        for i, p_value in zip(family, p_values, strict=True):
            adjusted[i] = replace(tests[i], p_value_holm=float(p_value))
    return adjusted


def _ratio_rows(
    key: GroupKey, per_view: Mapping[str, _Sample | None], baseline_methods: Mapping[str, str]
) -> list[MetricEstimateRow]:
    """The PD ratio topic / baseline with a percentile-bootstrap interval.

    Absolute PD values depend on a site's view counts (docs/metrics.md), so the ratio is the figure
    that compares across data sets, such as with the paper's 0.06 / 0.12 = 0.5.
    """
    topic, baseline = per_view.get("topic"), per_view.get("baseline")
    if topic is None or baseline is None:
        return []
    with np.errstate(invalid="ignore", divide="ignore"):
        replicates = topic.replicates / baseline.replicates
    low, high = percentile_interval(replicates[np.isfinite(replicates)], 0.95)
    ratio = Estimate(
        topic.estimate.estimate / baseline.estimate.estimate,
        low,
        high,
        topic.estimate.n + baseline.estimate.n,
        "bootstrap",
    )
    return [estimate_row(key, "answers_per_view_ratio", ratio, baseline_methods)]


def _per_view(group: GroupData, settings: Settings, topic: str, key: str) -> _Sample | None:
    """Answers per view with replicates, over questions whose answer and view counts are known."""
    known = np.isfinite(group.answer_count) & np.isfinite(group.view_count)
    answers, views = group.answer_count[known], group.view_count[known]
    if answers.size == 0 or views.sum() == 0:
        return None
    bootstrap = settings.bootstrap(topic, key, "answers_per_view")
    replicates = ratio_replicates(answers, views, bootstrap.n_bootstrap, bootstrap.seed)
    low, high = percentile_interval(replicates[np.isfinite(replicates)], bootstrap.confidence)
    estimate = Estimate(
        float(answers.sum() / views.sum()), low, high, int(answers.size), "bootstrap"
    )
    return _Sample(estimate, replicates)


def _tag_group(group: GroupData, tag: str) -> GroupData:
    """The topic's questions carrying `tag`, as a group of their own (rates from these rows)."""
    mask = np.fromiter((tag in tags for tags in group.tags), dtype=bool, count=len(group.tags))
    return subset(group, mask)


def _baseline_note(baseline: GroupData, metric: str) -> str:
    """Which baseline figure a test used: the mart's method and the baseline's size."""
    size = (
        baseline.no_accepted_answer[1] if metric == "no_accepted_answer_rate" else baseline.n_rows
    )
    return methods.BASELINE.format(metric=metric, method=baseline.methods[metric], n=size)
