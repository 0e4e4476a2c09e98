"""Per-question outcomes calibrated to §V and §VI-B: accepted answer, response time, answers, views,
score.

Every function draws with exact counts or stratified quantiles (see `sampling`), so the sample's
aggregates match the paper for any seed, not just on average."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize

from . import calibration as cal
from .sampling import apportion, choose_exact, stratified_normal

SECONDS_PER_YEAR = 365.25 * 86_400


def group_no_accepted_rates(
    tags: Sequence[str], primary: np.ndarray, tag_lists: list[list[int]]
) -> np.ndarray:
    """No-accepted-answer rate per primary-tag group that reproduces Table II and §V's 73.9%.

    A tag's rate mixes the groups its questions belong to (multi-tagged questions), so the group
    rates are solved by fixed-point iteration: Table II tags are pulled to their targets, the other
    groups share one rate that keeps the overall topic rate at 73.9%.

    Args:
        tags: topic tags.
        primary: per question, index of its primary tag.
        tag_lists: per question, indexes of all its topic tags.

    Returns:
        One rate per tag index, in [0.3, 0.97].
    """
    n_tags = len(tags)
    mixing = np.zeros((n_tags, n_tags))
    for q, carried in enumerate(tag_lists):
        mixing[carried, primary[q]] += 1
    mixing /= np.maximum(mixing.sum(axis=1, keepdims=True), 1)
    group_sizes = np.bincount(primary, minlength=n_tags).astype(float)
    targets = np.array([cal.TABLE_II_NO_ACCEPTED_ANSWER_RATE.get(t, np.nan) for t in tags])
    pinned = ~np.isnan(targets)
    rates = np.where(pinned, targets, cal.TOPIC_NO_ACCEPTED_ANSWER_RATE)
    for _ in range(50):
        rates[pinned] += targets[pinned] - (mixing @ rates)[pinned]
        free = ~pinned & (group_sizes > 0)
        if free.any():
            needed = cal.TOPIC_NO_ACCEPTED_ANSWER_RATE * group_sizes.sum()
            rates[free] = (needed - group_sizes[~free] @ rates[~free]) / group_sizes[free].sum()
        rates = np.clip(rates, 0.3, 0.97)
    return rates


def accepted_by_group(
    rng: np.random.Generator,
    group: np.ndarray,
    no_accepted_rates: np.ndarray,
    strata: np.ndarray | None = None,
) -> np.ndarray:
    """Exactly round(n_g * (1 - rate_g)) questions of each group g get an accepted answer.

    Within a group the accepted questions are spread over `strata` (e.g. the set of other topic tags
    a question carries) in proportion to their sizes, so every tag's rate lands on its expected
    value."""
    strata = np.zeros(len(group), dtype=np.int64) if strata is None else strata
    accepted = np.zeros(len(group), dtype=bool)
    for g, rate in enumerate(no_accepted_rates):
        members = np.flatnonzero(group == g)
        keys, inverse = np.unique(strata[members], return_inverse=True)
        shuffled = rng.permutation(len(keys))
        sizes = np.bincount(inverse, minlength=len(keys))[shuffled]
        k = int(round(len(members) * (1 - rate)))
        per_stratum = np.empty(len(keys), dtype=np.int64)
        per_stratum[shuffled] = apportion(k, sizes.astype(float), caps=sizes)
        for s, n_accepted in enumerate(per_stratum):
            if n_accepted:
                accepted[choose_exact(rng, members[inverse == s], int(n_accepted))] = True
    return accepted


def response_minutes(rng: np.random.Generator, n: int, population: str) -> np.ndarray:
    """Minutes from question to accepted answer, with §V's median and mean exactly.

    A two-part lognormal mixture (fast answers, and a heavy tail of answers accepted weeks later) is
    drawn by stratified quantiles, then a power transform a*x**b pins the median and mean to §V.

    Args:
        rng: random source.
        n: questions with an accepted answer.
        population: `topic` or `baseline`.

    Returns:
        n response times in minutes (float, >= 1), in random order.
    """
    if population == "topic":
        median, mean = cal.TOPIC_RESPONSE_MINUTES_MEDIAN, cal.TOPIC_RESPONSE_MINUTES_MEAN
    else:
        median, mean = cal.BASELINE_RESPONSE_MINUTES_MEDIAN, cal.BASELINE_RESPONSE_MINUTES_MEAN
    (body_w, body_median, body_sigma), (_, tail_median, tail_sigma) = cal.RESPONSE_MIXTURES[
        population
    ]
    n_body = int(round(n * body_w))
    body = body_median * np.exp(body_sigma * stratified_normal(rng, n_body))
    tail = tail_median * np.exp(tail_sigma * stratified_normal(rng, n - n_body))
    raw = rng.permutation(np.clip(np.concatenate([body, tail]), 1.0, 1.5e6))
    if n < 3:
        return raw
    raw_median = float(np.median(raw))
    scaled = raw / raw_median

    def mean_gap(b: float) -> float:
        return float(np.mean(scaled**b)) - mean / median

    exponent = optimize.brentq(mean_gap, 0.2, 3.0)
    return np.maximum(median * scaled**exponent, 1.0)


def fit_under_caps(rng: np.random.Generator, values: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Reassign values so that values[i] <= caps[i], keeping the multiset (and so every statistic).

    Late questions cannot have an answer accepted after the crawl; their long response times are
    swapped with those of earlier questions. Only a value no swap can place is cut to its cap."""
    values = values.copy()
    for i in np.flatnonzero(values > caps)[np.argsort(caps[values > caps], kind="stable")]:
        if values[i] <= caps[i]:
            continue
        partners = np.flatnonzero((values <= caps[i]) & (caps >= values[i]))
        if len(partners) == 0:
            values[i] = caps[i]
            continue
        j = rng.choice(partners)
        values[i], values[j] = values[j], values[i]
    return values


def answer_counts(rng: np.random.Generator, accepted: np.ndarray, population: str) -> np.ndarray:
    """Answers per question: at least one with an accepted answer, often none without."""
    with_accepted, without = cal.MEAN_ANSWERS[population]
    extra = rng.poisson(np.where(accepted, with_accepted, without))
    return extra + accepted.astype(np.int64)


def view_counts(
    rng: np.random.Generator, age_seconds: np.ndarray, is_topic: np.ndarray, multiplier: np.ndarray
) -> np.ndarray:
    """Realistic, heavy-tailed view counts that grow with a question's age (float, before
    scaling)."""
    age_years = np.maximum(age_seconds / SECONDS_PER_YEAR, 0.02)
    median = np.where(
        is_topic,
        cal.MEDIAN_VIEWS_PER_YEAR_OF_AGE["topic"],
        cal.MEDIAN_VIEWS_PER_YEAR_OF_AGE["baseline"],
    )
    noise = np.empty(len(age_seconds))
    for mask in (is_topic, ~is_topic):
        noise[mask] = stratified_normal(rng, int(mask.sum()))
    return median * age_years**0.7 * multiplier * np.exp(cal.VIEWS_SIGMA * noise)


def scores(
    rng: np.random.Generator, views: np.ndarray, n_at_least_1: int, n_at_least_9: int
) -> np.ndarray:
    """Question scores with exact counts at >= 1 and >= 9 (§VI-B), higher for more-viewed
    questions."""
    n = len(views)
    latent = np.log1p(views) + rng.normal(0.0, 1.0, n)
    order = np.argsort(-latent, kind="stable")
    result = np.empty(n, dtype=np.int64)
    top, good, rest = np.split(order, [n_at_least_9, n_at_least_1])
    result[top] = 9 + np.minimum(rng.geometric(0.12, len(top)) - 1, 400)
    result[good] = np.minimum(rng.geometric(0.45, len(good)), 8)
    result[rest] = rng.choice([0, 0, 0, 0, 0, -1, -1, -2, -3], size=len(rest))
    return result


def answers_per_view(answers: np.ndarray, views: np.ndarray) -> float:
    """PD (§V): mean answer count divided by mean view count."""
    return float(answers.mean() / views.mean())


def topic_view_multipliers(
    tags: Sequence[str],
    carries: np.ndarray,
    primary: np.ndarray,
    answers: np.ndarray,
    views: np.ndarray,
) -> np.ndarray:
    """Per-question view multipliers that give Table II tags their PD relative to the whole topic.

    Table II's PD values cannot be matched absolutely with realistic views (this package's
    README), but their ratios to the topic's 0.06 can: a tag twice the topic's PD gets half the
    views per answer.

    Args:
        tags: topic tags.
        carries: boolean matrix, question x tag.
        primary: per question, index of the primary tag.
        answers: answer counts per question.
        views: view counts per question before adjustment.
    """
    targets = {
        i: cal.TABLE_II_ANSWERS_PER_VIEW[t] / cal.TOPIC_ANSWERS_PER_VIEW
        for i, t in enumerate(tags)
        if t in cal.TABLE_II_ANSWERS_PER_VIEW and carries[:, i].any()
    }
    multiplier = np.ones(len(tags))
    for _ in range(30):
        adjusted = views * multiplier[primary]
        overall = answers_per_view(answers, adjusted)
        for i, target in targets.items():
            members = carries[:, i]
            relative = answers_per_view(answers[members], adjusted[members]) / overall
            multiplier[i] *= (relative / target) ** 0.7
    return multiplier[primary]
