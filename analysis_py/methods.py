"""The method notes of `analysis.stat_tests` (`method_notes`), in words, one constant per test.

Each row says how it was computed, so that a reader of the table alone knows the test, the sign
of its effect and the baseline behind it (docs/contracts.md). The templates are filled with the
row's own figures by `str.format`; the notes that depend on the figures (Yates' correction, the
censoring period) are composed by the functions below.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from .stats import ProportionTestResult

# The chi-square the report quotes (Pearson, no continuity correction); the Yates row is stored too.
QUOTED_CHI_SQUARE = "chi_square"

CHI_SQUARE = (
    "2x2 test of no-accepted-answer counts ({k1}/{n1} vs {k2}/{n2}); effect_size = phi "
    "(> 0: the topic more often has no accepted answer; |phi| = sqrt(chi2 / N)) with a "
    "parametric-bootstrap interval ({n_bootstrap} binomial replicates). The report "
    f"quotes the test '{QUOTED_CHI_SQUARE}' (Pearson, no continuity correction). "
    "{yates} {baseline}"
)
RATE_DIFFERENCE = (
    "No-accepted-answer rate difference, topic minus baseline "
    "({k1}/{n1} - {k2}/{n2}), with Newcombe's hybrid-score interval; its test is the "
    "chi_square row. {baseline}"
)
MANN_WHITNEY_TOPIC = (
    "Two-sided Mann-Whitney U (U of the topic) over questions with an "
    "accepted answer, as the paper; effect_size = Cliff's delta (> 0: the topic waits "
    "longer), labelled by Romano et al. 2006 (0.147/0.33/0.474), with a percentile "
    "bootstrap interval ({n_bootstrap} replicates; above "
    "{max_units} questions a group's random groups are resampled). {baseline}"
)
MANN_WHITNEY_TAG = (
    "Two-sided Mann-Whitney U of the tag's answered questions "
    "against the baseline's; effect_size = Cliff's delta; p_value_holm = Holm "
    "across tags. {baseline}"
)
MEDIAN_DIFFERENCE = (
    "Median minutes to an accepted answer, topic minus baseline "
    "({median_a:g} - {median_b:g}); percentile "
    "bootstrap, {n_bootstrap} replicates (exact order-statistic "
    "resampling of the median, the same replicates as metric_estimates); two-sided "
    "bootstrap p-value, which cannot resolve less than 1/{n_bootstrap} "
    "(p_value_floor). {baseline}"
)
LOGRANK = (
    "Log-rank chi-square (z^2, df 1; z = {z:.3f}, < 0: the "
    "topic gets accepted answers later) over all questions; {censoring} {baseline}"
)
ANSWERS_PER_VIEW_DIFFERENCE = (
    "PD = average answers / average views; statistic = PD difference (topic "
    "minus baseline) with a percentile-bootstrap interval and two-sided p-value "
    "({n_bootstrap} replicates; above {max_units} questions, random "
    "groups of questions are resampled; the p-value cannot resolve less than 1/B, "
    "p_value_floor); the PD ratio topic / baseline is in metric_estimates "
    "(answers_per_view_ratio). {baseline}"
)
BASELINE = "Baseline {metric}: {method} (n = {n})."
CENSORING = (
    "a question without an accepted answer is right-censored at its own collected_at (when "
    "its data was observed: the load's time for API loads, the dump's date for dumps; "
    "{period}); no answer accepted after that can be in the data."
)


def censoring_note(collected_from: datetime | None, collected_to: datetime | None) -> str:
    """The censoring rule and the topic's collection times, in words, for the log-rank row.

    Stored with the test so that a reader of `analysis.stat_tests` alone knows until when each
    question was followed.
    """
    if collected_from is None or collected_to is None:
        period = "no collection time recorded"
    elif collected_from == collected_to:
        period = f"collected at {collected_to:%Y-%m-%d %H:%M} UTC"
    else:
        period = (
            f"collected between {collected_from:%Y-%m-%d %H:%M} and "
            f"{collected_to:%Y-%m-%d %H:%M} UTC"
        )
    return CENSORING.format(period=period)


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
