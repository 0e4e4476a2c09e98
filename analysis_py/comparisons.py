"""Turn one topic's question groups into rows of `analysis.stat_tests`, `metric_estimates` and
`survival_curves` (columns as in docs/contracts.md).

Group a is always the topic and group b the baseline, so positive differences mean "the topic is
higher". Each bootstrap draws from its own stream derived from (seed, topic, group/tag, metric).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .bootstrap import (
    DEFAULT_MAX_UNITS,
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
from .stats import (
    MannWhitneyReference,
    MannWhitneyResult,
    ProportionTestResult,
    holm_adjust,
    proportion_test,
    wilson_interval,
)
from .survival import SurvivalTable, kaplan_meier_table, logrank_table

Row = dict[str, Any]

QUOTED_CHI_SQUARE = "chi_square"
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


def analyze_topic(data: TopicData, settings: Settings) -> dict[str, list[Row]]:
    """Compute every test, estimate and curve for one topic.

    Args:
        data: The topic's groups, its seed tags (each gets per-tag tests against the baseline) and
            when its questions were collected.
        settings: Seed, replicates, timestamps.

    Returns:
        Table name (`stat_tests`, `metric_estimates`, `survival_curves`) -> rows.
    """
    topic, groups, input_rows = data.topic, data.groups, data.n_rows
    base = {"topic": topic, "computed_at": settings.computed_at}
    tests: list[Row] = []
    estimates: list[Row] = []
    curves: list[Row] = []
    medians: dict[str, _Sample | None] = {}
    per_view: dict[str, _Sample | None] = {}
    survival: dict[str, SurvivalTable] = {}
    for name, group in groups.items():
        rows, medians[name] = _group_estimates(base | {"question_group": name}, group, settings)
        estimates += rows
        per_view[name] = _per_view(group, settings, topic, name)
        if per_view[name] is not None:
            estimates.append(
                _estimate_row(
                    base, name, None, "answers_per_view", per_view[name].estimate, group.methods
                )
            )
        if group.survival is not None:
            survival[name] = group.survival
            km = kaplan_meier_table(group.survival)
            estimates += _km_rows(base, name, km, group.methods["response_minutes"])
            curves += _curve_rows(topic, name, km)
    # A topic whose tags no loaded question carries has no topic group: nothing to compare.
    if "baseline" in groups and "topic" in groups:
        reference = _Reference.of(groups["baseline"], settings, topic)
        samples = {"median": medians, "answers_per_view": per_view, "reference": reference}
        tests += _topic_vs_baseline(
            groups, samples, survival, settings, input_rows, _censoring_note(data)
        )
        estimates += _ratio_rows(base, per_view, groups["baseline"].methods)
        tag_tests, tag_estimates = _tag_rows(
            base, groups, data.seed_tags, reference, per_view["baseline"], settings, input_rows
        )
        tests += tag_tests
        estimates += tag_estimates
    for row in tests:
        row.update(base)
    return {"stat_tests": tests, "metric_estimates": estimates, "survival_curves": curves}


def _censoring_note(data: TopicData) -> str:
    """The censoring rule and the topic's collection times, in words, for the log-rank row.

    Stored with the test so that a reader of `analysis.stat_tests` alone knows until when each
    question was followed.
    """
    if data.collected_from is None or data.collected_to is None:
        period = "no collection time recorded"
    elif data.collected_from == data.collected_to:
        period = f"collected at {data.collected_to:%Y-%m-%d %H:%M} UTC"
    else:
        period = (
            f"collected between {data.collected_from:%Y-%m-%d %H:%M} and "
            f"{data.collected_to:%Y-%m-%d %H:%M} UTC"
        )
    return (
        "a question without an accepted answer is right-censored at its own collected_at (when "
        "its data was observed: the load's time for API loads, the dump's date for dumps; "
        f"{period}); no answer accepted after that can be in the data."
    )


def _group_estimates(
    base: Row, group: GroupData, settings: Settings
) -> tuple[list[Row], _Sample | None]:
    """Rate, median and mean response minutes of one group (or one tag's questions).

    Returns:
        The estimate rows, and the median with its replicates (None without answered questions).
    """
    k, n = group.no_accepted_answer
    group_name = base["question_group"]
    rows = []
    if n:
        rows.append(
            _estimate_row(
                base,
                group_name,
                base.get("tag"),
                "no_accepted_answer_rate",
                wilson_interval(k, n),
                group.methods,
            )
        )
    answered = group.answered
    if not answered.size:
        return rows, None
    keys = (base["topic"], group_name, base.get("tag") or "")
    # The median's order statistics need the answers sorted; the mean's random groups of rows
    # need them in key order (groups.py keeps both).
    median = _Sample(
        *bootstrap_estimate(group.answered_sorted, "median", settings.bootstrap(*keys, "median"))
    )
    mean, _ = bootstrap_estimate(answered, "mean", settings.bootstrap(*keys, "mean"))
    tag = base.get("tag")
    rows.append(
        _estimate_row(
            base, group_name, tag, "median_response_minutes", median.estimate, group.methods
        )
    )
    rows.append(_estimate_row(base, group_name, tag, "mean_response_minutes", mean, group.methods))
    return rows, median


def _topic_vs_baseline(
    groups: Mapping[str, GroupData],
    samples: Mapping[str, Any],
    survival: Mapping[str, SurvivalTable],
    settings: Settings,
    input_rows: int,
    censoring: str,
) -> list[Row]:
    topic, baseline = groups["topic"], groups["baseline"]
    shared = {"comparison": "topic_vs_baseline", "tag": None, "input_rows": input_rows}
    rows = _rate_rows(topic, baseline, shared, settings, "topic", yates=True)
    answered_a, answered_b = topic.answered, baseline.answered
    notes = _baseline_note(baseline, "response_minutes")
    if answered_a.size and answered_b.size:
        mwu, delta = samples["reference"].test(answered_a, "topic")
        rows.append(
            _mann_whitney_row(
                mwu,
                delta,
                shared,
                "Two-sided Mann-Whitney U (U of the topic) over questions with an "
                "accepted answer, as the paper; effect_size = Cliff's delta (> 0: the topic waits "
                "longer), labelled by Romano et al. 2006 (0.147/0.33/0.474), with a percentile "
                f"bootstrap interval ({settings.n_bootstrap} replicates; above "
                f"{EFFECT_MAX_UNITS} questions a group's random groups are resampled). " + notes,
            )
        )
        median_a, median_b = samples["median"]["topic"], samples["median"]["baseline"]
        difference = bootstrap_difference(
            median_a.estimate.estimate,
            median_a.replicates,
            median_b.estimate.estimate,
            median_b.replicates,
        )
        rows.append(
            shared
            | {
                "metric": "response_minutes",
                "test": "bootstrap_difference",
                "statistic": difference.estimate,
                "p_value": difference.p_value,
                "p_value_floor": 1.0 / difference.n_bootstrap,
                "effect_name": "median_difference_minutes",
                "effect_size": difference.estimate,
                "ci_low": difference.ci_low,
                "ci_high": difference.ci_high,
                "n_a": mwu.n_a,
                "n_b": mwu.n_b,
                "method_notes": "Median minutes to an accepted answer, topic minus baseline "
                f"({median_a.estimate.estimate:g} - {median_b.estimate.estimate:g}); percentile "
                f"bootstrap, {difference.n_bootstrap} replicates (exact order-statistic "
                "resampling of the median, the same replicates as metric_estimates); two-sided "
                f"bootstrap p-value, which cannot resolve less than 1/{difference.n_bootstrap} "
                "(p_value_floor). " + notes,
            }
        )
    if "topic" in survival and "baseline" in survival:
        logrank = logrank_table(survival["topic"], survival["baseline"])
        rows.append(
            shared
            | {
                "metric": "response_minutes",
                "test": "logrank",
                "statistic": logrank.statistic,
                "df": logrank.df,
                "p_value": logrank.p_value,
                "n_a": topic.n_rows,
                "n_b": baseline.n_rows,
                "method_notes": f"Log-rank chi-square (z^2, df 1; z = {logrank.z:.3f}, < 0: the "
                "topic gets accepted answers later) over all questions; "
                + censoring
                + " "
                + _baseline_note(baseline, "response_minutes"),
            }
        )
    per_view = samples["answers_per_view"]
    if per_view.get("topic") is not None and per_view.get("baseline") is not None:
        rows.append(shared | _per_view_row(per_view["topic"], per_view["baseline"], baseline))
    return rows


def _rate_rows(
    a: GroupData, b: GroupData, shared: Row, settings: Settings, key: str, *, yates: bool
) -> list[Row]:
    """The χ² test(s) with φ as effect size, and the rate difference with Newcombe's interval.

    φ and the difference answer different questions (how strongly group and outcome are
    associated; by how many percentage points the rates differ), so each is its own named row.
    """
    (k1, n1), (k2, n2) = a.no_accepted_answer, b.no_accepted_answer
    if not n1 or not n2:
        return []
    result = proportion_test(k1, n1, k2, n2)
    phi = phi_with_interval(k1, n1, k2, n2, settings.bootstrap(shared.get("tag") or "", key, "phi"))
    counts = shared | {"metric": "no_accepted_answer_rate", "n_a": n1, "n_b": n2}
    baseline = _baseline_note(b, "no_accepted_answer_rate")
    tested = counts | {
        "df": result.df,
        "effect_name": "phi",
        "effect_size": phi.estimate,
        "ci_low": phi.ci_low,
        "ci_high": phi.ci_high,
    }
    notes = (
        f"2x2 test of no-accepted-answer counts ({k1}/{n1} vs {k2}/{n2}); effect_size = phi "
        "(> 0: the topic more often has no accepted answer; |phi| = sqrt(chi2 / N)) with a "
        f"parametric-bootstrap interval ({settings.n_bootstrap} binomial replicates). The report "
        f"quotes the test '{QUOTED_CHI_SQUARE}' (Pearson, no continuity correction). "
        + yates_note(result)
        + " "
        + baseline
    )
    rows = [
        tested
        | {
            "test": "chi_square",
            "statistic": result.chi_square,
            "p_value": result.p_value,
            "method_notes": notes,
        }
    ]
    if yates:
        rows.append(
            tested
            | {
                "test": "chi_square_yates",
                "statistic": result.chi_square_yates,
                "p_value": result.p_value_yates,
                "method_notes": notes,
            }
        )
    rows.append(
        counts
        | {
            "test": "rate_difference",
            "statistic": result.difference.estimate,
            "effect_name": "rate_difference",
            "effect_size": result.difference.estimate,
            "ci_low": result.difference.ci_low,
            "ci_high": result.difference.ci_high,
            "method_notes": f"No-accepted-answer rate difference, topic minus baseline "
            f"({k1}/{n1} - {k2}/{n2}), with Newcombe's hybrid-score interval; its test is the "
            "chi_square row. " + baseline,
        }
    )
    return rows


def yates_note(result: ProportionTestResult, alpha: float = 0.05) -> str:
    """What Yates' continuity correction does to this 2x2 test, in one sentence.

    Computed per comparison: the correction lowers χ² by a share that shrinks as the groups grow
    (about 0.1% at the paper's sizes, 30% on a site of a few hundred questions), and it matters only
    when it moves p across `alpha`.
    """
    plain, corrected = result.chi_square, result.chi_square_yates
    if not (np.isfinite(plain) and np.isfinite(corrected)):
        return "Yates' continuity correction: undefined (a column of the 2x2 table is empty)."
    lowered = f"{100 * (plain - corrected) / plain:.1f}% lower" if plain > 0 else "unchanged"
    text = (
        f"With Yates' continuity correction (R prop.test's default, row 'chi_square_yates') "
        f"chi2 = {corrected:.2f} (p = {result.p_value_yates:.3g}) against {plain:.2f} "
        f"(p = {result.p_value:.3g}) without, {lowered}: "
    )
    significant = (result.p_value < alpha, result.p_value_yates < alpha)
    if significant == (True, True):
        return text + f"both are significant at {alpha:g}, so the correction does not matter here."
    if significant == (False, False):
        return (
            text + f"neither is significant at {alpha:g}, so the correction does not matter here."
        )
    return text + (
        f"only the test without it is significant at {alpha:g}, so the conclusion depends on "
        "the correction here."
    )


def _per_view_row(a: _Sample, b: _Sample, baseline: GroupData) -> Row:
    difference = bootstrap_difference(
        a.estimate.estimate, a.replicates, b.estimate.estimate, b.replicates
    )
    return {
        "metric": "answers_per_view",
        "test": "bootstrap_difference",
        "statistic": difference.estimate,
        "p_value": difference.p_value,
        "p_value_floor": 1.0 / difference.n_bootstrap,
        "effect_name": "answers_per_view_difference",
        "effect_size": difference.estimate,
        "ci_low": difference.ci_low,
        "ci_high": difference.ci_high,
        "n_a": a.estimate.n,
        "n_b": b.estimate.n,
        "method_notes": "PD = average answers / average views; statistic = PD difference (topic "
        "minus baseline) with a percentile-bootstrap interval and two-sided p-value "
        f"({difference.n_bootstrap} replicates; above {DEFAULT_MAX_UNITS} questions, random "
        "groups of questions are resampled; the p-value cannot resolve less than 1/B, "
        "p_value_floor); the PD ratio topic / baseline is in metric_estimates "
        "(answers_per_view_ratio). " + _baseline_note(baseline, "answers_per_view"),
    }


def _tag_rows(
    base: Row,
    groups: Mapping[str, GroupData],
    tags: Sequence[str],
    reference: _Reference | None,
    baseline_per_view: _Sample | None,
    settings: Settings,
    input_rows: int,
) -> tuple[list[Row], list[Row]]:
    """Each seed tag's estimates and its χ², Mann–Whitney and PD tests against the baseline.

    The family of each test is exactly the topic's seed tags for which the test is defined (a tag
    without an answered question has no Mann–Whitney row), so Holm's m is the number of tests made.

    Returns:
        `(tests, estimates)`; tests carry `p_value_holm`, Holm-adjusted across tags per test.
    """
    topic_group, baseline = groups["topic"], groups["baseline"]
    tests: list[Row] = []
    estimates: list[Row] = []
    for tag in tags:
        tagged = _tag_group(topic_group, tag)
        estimates += _group_estimates(
            base | {"question_group": "topic", "tag": tag}, tagged, settings
        )[0]
        shared = {"comparison": "tag_vs_baseline", "tag": tag, "input_rows": input_rows}
        tests += _rate_rows(tagged, baseline, shared, settings, "tag:" + tag, yates=False)
        answered_a = tagged.answered
        if answered_a.size and reference is not None:
            mwu, delta = reference.test(answered_a, "tag:" + tag)
            tests.append(
                _mann_whitney_row(
                    mwu,
                    delta,
                    shared,
                    "Two-sided Mann-Whitney U of the tag's answered questions "
                    "against the baseline's; effect_size = Cliff's delta; p_value_holm = Holm "
                    "across tags. " + _baseline_note(baseline, "response_minutes"),
                )
            )
        view = _per_view(tagged, settings, base["topic"], "tag:" + tag)
        if view is None:
            continue
        estimates.append(
            _estimate_row(base, "topic", tag, "answers_per_view", view.estimate, tagged.methods)
        )
        if baseline_per_view is not None:
            tests.append(shared | _per_view_row(view, baseline_per_view, baseline))
    for metric, test in TAG_TESTS:
        family = [row for row in tests if row["metric"] == metric and row["test"] == test]
        for row, adjusted in zip(family, holm_adjust([r["p_value"] for r in family]), strict=True):
            row["p_value_holm"] = float(adjusted)
    return tests, estimates


def _ratio_rows(
    base: Row, per_view: Mapping[str, _Sample | None], baseline_methods: Mapping[str, str]
) -> list[Row]:
    """The PD ratio topic / baseline with a percentile-bootstrap interval.

    Absolute PD values depend on a site's view counts (see the README), so the ratio is the figure
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
    return [_estimate_row(base, "topic", None, "answers_per_view_ratio", ratio, baseline_methods)]


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


def _km_rows(base: Row, group: str, km: Any, method: str) -> list[Row]:
    rows = [
        _estimate_row(
            base, group, None, "km_median_response_minutes", km.median, {"response_minutes": method}
        )
    ]
    for horizon, estimate in km.p_accepted_within.items():
        rows.append(
            _estimate_row(
                base,
                group,
                None,
                f"p_accepted_within_{horizon}_minutes",
                estimate,
                {"response_minutes": method},
            )
        )
    return rows


def _curve_rows(topic: str, group: str, km: Any) -> list[Row]:
    curve = km.curve
    return [
        {
            "topic": topic,
            "question_group": group,
            "minutes": float(minutes),
            "survival_probability": float(probability),
            "ci_low": float(low),
            "ci_high": float(high),
            "n_at_risk": int(at_risk),
        }
        for minutes, probability, low, high, at_risk in zip(
            curve.minutes,
            curve.survival_probability,
            curve.ci_low,
            curve.ci_high,
            curve.n_at_risk,
            strict=True,
        )
    ]


def _estimate_row(
    base: Row,
    group: str,
    tag: str | None,
    metric: str,
    estimate: Estimate,
    methods: Mapping[str, str],
) -> Row:
    method_key = (
        "no_accepted_answer_rate"
        if metric == "no_accepted_answer_rate"
        else ("answers_per_view" if metric.startswith("answers_per_view") else "response_minutes")
    )
    return {
        "topic": base["topic"],
        "computed_at": base["computed_at"],
        "question_group": group,
        "tag": tag,
        "metric": metric,
        "estimate": estimate.estimate,
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "ci_method": estimate.ci_method,
        "n": estimate.n,
        "method": methods[method_key],
    }


def _tag_group(group: GroupData, tag: str) -> GroupData:
    """The topic's questions carrying `tag`, as a group of their own (rates from these rows)."""
    mask = np.fromiter((tag in tags for tags in group.tags), dtype=bool, count=len(group.tags))
    return subset(group, mask)


def _baseline_note(baseline: GroupData, metric: str) -> str:
    size = (
        baseline.no_accepted_answer[1] if metric == "no_accepted_answer_rate" else baseline.n_rows
    )
    return f"Baseline {metric}: {baseline.methods[metric]} (n = {size})."


def _mann_whitney_row(
    mwu: MannWhitneyResult, delta: Estimate, shared: Row, method_notes: str
) -> Row:
    """A `stat_tests` row of a Mann-Whitney U test of response minutes (Cliff's delta)."""
    return shared | {
        "metric": "response_minutes",
        "test": "mann_whitney_u",
        "statistic": mwu.u_statistic,
        "p_value": mwu.p_value,
        "effect_name": "cliffs_delta",
        "effect_size": mwu.cliffs_delta,
        "ci_low": delta.ci_low,
        "ci_high": delta.ci_high,
        "effect_label": mwu.effect_label,
        "n_a": mwu.n_a,
        "n_b": mwu.n_b,
        "method_notes": method_notes,
    }
