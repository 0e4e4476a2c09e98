"""The literature topics §V compares PTM questions with (big data, concurrency, mobile, security).

Their questions are part of the paper's baseline (PTM-unrelated questions), so they are not
generated anew: a chosen subset of the generated baseline questions gets the topic's tags. The
subset is drawn by exact counts (questions without an accepted answer, accepted answers faster and
slower than the target median) and, for security, tilted towards more-viewed questions until its PD
ratio matches. The baseline as a whole, and so every figure calibrated on it, stays as it was.

Each topic's tags come from the seed `dbt_project/seeds/topic_tags.csv`, the warehouse's own
definition of the topics; only the targets live in `calibration`."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..replay_api.dataset import Item
from . import calibration as cal
from .populations import MAX_TAGS
from .sampling import apportion

TOPIC_TAGS_SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "topic_tags.csv"
"""The warehouse's seed of topic tags, the single definition of every topic's tag list."""
REFERENCE_BASELINE = 52_000
"""Baseline size `calibration.LITERATURE_QUESTIONS` is given for; other sizes scale the topics."""
_TILT_RANGE = (-4.0, 4.0)


@dataclass(frozen=True)
class _Baseline:
    """The baseline questions of the window, as arrays over their positions in `questions`.

    Attributes:
        position: index of each question in the generated question list.
        year: index into `calibration.YEARS`.
        accepted: has an accepted answer.
        minutes: minutes to the accepted answer (NaN without one).
        answers: answer count.
        views: view count.
    """

    position: np.ndarray
    year: np.ndarray
    accepted: np.ndarray
    minutes: np.ndarray
    answers: np.ndarray
    views: np.ndarray


def literature_topic_tags(seed: Path = TOPIC_TAGS_SEED) -> dict[str, tuple[str, ...]]:
    """Tags of each topic with §V targets, in the seed's order (its first tag the most used).

    The seed is the warehouse's definition of the topics, so the sample cannot drift from it.

    Args:
        seed: the `topic_tags` seed CSV (topic, tag, tag_kind, in_initial_set).

    Returns:
        topic -> its tags, lower case, without duplicates.

    Raises:
        ValueError: a topic with targets in `calibration` has no rows in the seed.
    """
    topics: dict[str, list[str]] = {}
    with seed.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["topic"] in cal.LITERATURE_QUESTIONS:
                topics.setdefault(row["topic"], []).append(row["tag"].strip().lower())
    missing = sorted(set(cal.LITERATURE_QUESTIONS) - set(topics))
    if missing:
        raise ValueError(f"{seed} has no tags for the literature topics {', '.join(missing)}")
    return {topic: tuple(dict.fromkeys(tags)) for topic, tags in topics.items()}


def _baseline(questions: list[Item], answers: list[Item], topic_tags: set[str]) -> _Baseline:
    """Read the figures back from the items, so the calibration sees exactly what the API serves."""
    accepted_at = {a["answer_id"]: a["creation_date"] for a in answers if a["is_accepted"]}
    starts = [int(dt.datetime(y, 1, 1, tzinfo=dt.UTC).timestamp()) for y in cal.YEARS]
    rows = [
        (i, q)
        for i, q in enumerate(questions)
        if cal.WINDOW_START <= q["creation_date"] <= cal.WINDOW_END
        and not topic_tags.intersection(q["tags"])
    ]
    created = np.array([q["creation_date"] for _, q in rows], dtype=np.int64)
    accepted_id = [q.get("accepted_answer_id") for _, q in rows]
    minutes = np.array(
        [
            np.nan if a is None else (accepted_at[a] - q["creation_date"]) / 60
            for a, (_, q) in zip(accepted_id, rows, strict=True)
        ]
    )
    return _Baseline(
        position=np.array([i for i, _ in rows], dtype=np.int64),
        year=np.searchsorted(starts, created, side="right") - 1,
        accepted=~np.isnan(minutes),
        minutes=minutes,
        answers=np.array([q["answer_count"] for _, q in rows], dtype=float),
        views=np.array([q["view_count"] for _, q in rows], dtype=float),
    )


def _answers_per_view(base: _Baseline, members: np.ndarray) -> float:
    """PD (§V) of some baseline questions: mean answer count / mean view count."""
    return float(base.answers[members].sum() / base.views[members].sum())


def _pick(
    base: _Baseline, keys: np.ndarray, classes: list[tuple[np.ndarray, int]], tilt: float
) -> np.ndarray:
    """Each class's count, spread over the years like the class, highest keys first."""
    chosen = np.zeros(len(base.year), dtype=bool)
    tilted = keys + tilt * np.log(base.views)
    for candidates, count in classes:
        per_year = np.bincount(base.year[candidates], minlength=len(cal.YEARS))
        wanted = apportion(count, per_year.astype(float), caps=per_year)
        for y, n in enumerate(wanted):
            members = np.flatnonzero(candidates & (base.year == y))
            chosen[members[np.argsort(-tilted[members], kind="stable")[:n]]] = True
    return chosen


def _choose(
    rng: np.random.Generator,
    base: _Baseline,
    existing: np.ndarray,
    pool: np.ndarray,
    n: int,
    topic: str,
) -> np.ndarray:
    """Which pool questions join the topic so that, with `existing`, it meets its §V targets.

    Counts are exact: questions without an accepted answer, and accepted ones below and above the
    target median (including the pool's nearest values on both sides, which pins the median).
    Metrics without a target take the baseline's value. A PD target is met by tilting the choice
    towards more- or less-viewed questions within the same counts and years.
    """
    rate = cal.LITERATURE_NO_ACCEPTED_ANSWER_RATE.get(topic, float(np.mean(~base.accepted)))
    median = cal.LITERATURE_RESPONSE_MINUTES_MEDIAN.get(topic, float(np.nanmedian(base.minutes)))
    open_unaccepted, open_accepted = pool & ~base.accepted, pool & base.accepted
    n = min(n, int(pool.sum()))
    if n == 0:
        return np.zeros(len(base.year), dtype=bool)
    total = int(existing.sum()) + n
    unaccepted = round(rate * total) - int((existing & ~base.accepted).sum())
    unaccepted = int(np.clip(unaccepted, n - open_accepted.sum(), open_unaccepted.sum()))
    unaccepted = max(min(unaccepted, n), 0)
    n_accepted = n - unaccepted
    below_pool = open_accepted & (base.minutes < median)
    above_pool = open_accepted & (base.minutes >= median)
    existing_minutes = base.minutes[existing & base.accepted]
    n_median = len(existing_minutes) + n_accepted
    below = n_median // 2 - int((existing_minutes < median).sum())
    below = int(np.clip(below, n_accepted - above_pool.sum(), below_pool.sum()))
    below = max(min(below, n_accepted), 0)
    classes = [
        (open_unaccepted, unaccepted),
        (below_pool, below),
        (above_pool, n_accepted - below),
    ]

    keys = rng.gumbel(size=len(base.year))
    for candidates in (below_pool, above_pool):
        if candidates.any():
            distance = np.abs(base.minutes[candidates] - median)
            keys[np.flatnonzero(candidates)[np.argmin(distance)]] = np.inf
    target = cal.LITERATURE_ANSWERS_PER_VIEW_RATIO.get(topic)
    if target is None:
        return _pick(base, keys, classes, 0.0)

    def ratio(tilt: float) -> float:
        members = existing | _pick(base, keys, classes, tilt)
        return _answers_per_view(base, members) / _answers_per_view(base, ~members)

    low, high = _TILT_RANGE
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if ratio(middle) > target else (low, middle)
    return _pick(base, keys, classes, (low + high) / 2)


def _tag_lists(rng: np.random.Generator, n: int, n_tags: int) -> list[list[int]]:
    """1-3 topic tags per question, tag i weighted 1/(i+1), every tag used once when n allows."""
    weights = 1.0 / np.arange(1, n_tags + 1)
    counts = apportion(n - n_tags, weights) + 1 if n >= n_tags else apportion(n, weights)
    primary = rng.permutation(np.repeat(np.arange(n_tags), counts))
    wanted = np.minimum(
        rng.choice(len(cal.LITERATURE_TAGS_PER_QUESTION), n, p=cal.LITERATURE_TAGS_PER_QUESTION)
        + 1,
        n_tags,
    )
    keys = np.log(weights) + rng.gumbel(size=(n, n_tags))
    keys[np.arange(n), primary] = np.inf
    order = np.argsort(-keys, axis=1)
    return [order[i, : wanted[i]].tolist() for i in range(n)]


def add_literature_topics(
    rng: np.random.Generator,
    questions: list[Item],
    answers: list[Item],
    topics: Mapping[str, tuple[str, ...]],
    excluded_tags: set[str],
    n_baseline: int,
) -> None:
    """Give each literature topic's tags to a calibrated subset of the baseline questions, in place.

    Baseline questions that already carry a topic's tag (the baseline's own `android` and `ios`
    questions) count towards it; the topics do not share questions otherwise.

    Args:
        rng: a random source of its own, so the rest of the sample is drawn as before.
        questions: the generated question items; chosen ones get topic tags.
        answers: the generated answer items (for response times).
        topics: topic -> tags, most used first (`literature_topic_tags`).
        excluded_tags: the main topic's tags, whose questions are not baseline.
        n_baseline: the baseline's size in the window, which scales the topics.
    """
    base = _baseline(questions, answers, excluded_tags)
    if not base.accepted.any():  # no response times to calibrate on (tiny samples)
        return
    carriers = {
        topic: np.array([bool(set(tags).intersection(questions[p]["tags"])) for p in base.position])
        for topic, tags in topics.items()
    }
    taken = np.logical_or.reduce([*carriers.values(), np.zeros(len(base.year), dtype=bool)])
    for topic, tags in topics.items():
        size = round(cal.LITERATURE_QUESTIONS[topic] * n_baseline / REFERENCE_BASELINE)
        existing = carriers[topic]
        n_new = max(size - int(existing.sum()), len(tags))
        chosen = _choose(rng, base, existing, ~taken, n_new, topic)
        taken |= chosen
        positions = base.position[chosen]
        for position, carried in zip(
            positions.tolist(), _tag_lists(rng, len(positions), len(tags)), strict=True
        ):
            question = questions[position]
            own = question["tags"]
            question["tags"] = [own[0], *(tags[t] for t in carried), *own[1:]][:MAX_TAGS]
