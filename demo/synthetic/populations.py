"""The two populations of questions, before outcomes: creation times and tag lists.

Topic questions carry their allocated topic tags plus ordinary companions (python, pytorch,
langchain, ...); baseline questions carry tags of one technology family (python, javascript, c#,
.net, c++, sql, ...) and never a topic tag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from . import vocabulary as vocab
from .sampling import apportion
from .topic_allocation import TopicAllocation, allocate_topic_tags

MAX_TAGS = 5
_DAY = 86_400


@dataclass(frozen=True)
class Population:
    """Questions of one population, in generation order.

    Attributes:
        created: creation time, epoch seconds UTC.
        tags: tag names per question (the API's order).
        group: topic: index of the primary topic tag; baseline: index of the tag family.
        main_tag: the tag titles mention (baseline) or the primary topic tag.
        in_window: created within 2018-01-01 .. 2023-06-15.
    """

    created: np.ndarray
    tags: list[list[str]]
    group: np.ndarray
    main_tag: list[str]
    in_window: np.ndarray


def _year_bounds() -> list[tuple[int, int]]:
    starts = [int(dt.datetime(y, 1, 1, tzinfo=dt.UTC).timestamp()) for y in cal.YEARS]
    ends = [*(s - 1 for s in starts[1:]), cal.WINDOW_END]
    return list(zip(starts, ends, strict=True))


def _created_in_years(rng: np.random.Generator, year_index: np.ndarray) -> np.ndarray:
    bounds = np.array(_year_bounds())
    low, high = bounds[year_index, 0], bounds[year_index, 1]
    return low + np.floor(rng.uniform(size=len(year_index)) * (high - low + 1)).astype(np.int64)


def _outside_window(rng: np.random.Generator, per_side: int) -> np.ndarray:
    """`per_side` times on 2017-12-31 and as many on 2023-06-16 (UTC)."""
    before = cal.WINDOW_START - _DAY + rng.integers(0, _DAY, per_side)
    after = cal.WINDOW_END + 1 + rng.integers(0, _DAY, per_side)
    return np.concatenate([before, after])


def _top_k(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray) -> list[np.ndarray]:
    """Per row, k[row] distinct column indexes drawn in proportion to weights (Gumbel top-k)."""
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-keys, axis=1)
    usable = (weights > 0).sum(axis=1)
    return [order[i, : min(k[i], usable[i])] for i in range(len(k))]


def _python_first(tags: list[str]) -> list[str]:
    return ["python", *(t for t in tags if t != "python")] if "python" in tags else tags


def topic_population(rng: np.random.Generator, topic_tags: Sequence[str]) -> Population:
    """Topic questions: Table I's tag counts in the window, plus a few just outside it."""
    alloc: TopicAllocation = allocate_topic_tags(rng, topic_tags)
    created_in = _created_in_years(rng, alloc.year_index)
    per_side = cal.OUTSIDE_WINDOW_QUESTIONS["topic"]
    counts = np.array([cal.TABLE_I_TAG_COUNTS.get(t, cal.DEFAULT_TAG_COUNT) for t in alloc.tags])
    outside_primary = rng.choice(len(alloc.tags), size=2 * per_side, p=counts / counts.sum())
    created = np.concatenate([created_in, _outside_window(rng, per_side)])
    primary = np.concatenate([alloc.primary, outside_primary])
    topic_lists = [*alloc.tag_lists, *([int(p)] for p in outside_primary)]
    years = np.concatenate([alloc.year_index, [0] * per_side + [len(cal.YEARS) - 1] * per_side])

    excluded = set(alloc.tags)
    companions = [
        (name, weight, first_year, family)
        for family, table in enumerate(
            (vocab.HUGGINGFACE_COMPANION_TAGS, vocab.OPENAI_COMPANION_TAGS)
        )
        for name, weight, first_year in table
        if name not in excluded
    ]
    names = sorted({c[0] for c in companions})
    column = {name: i for i, name in enumerate(names)}
    weights = np.zeros((2, len(cal.YEARS), len(names)))
    for name, weight, first_year, family in companions:
        for y, year in enumerate(cal.YEARS):
            if year >= first_year:
                weights[family, y, column[name]] += weight
    is_openai = np.array([alloc.tags[p] in cal.OPENAI_FAMILY for p in primary])
    n_topic = np.array([len(t) for t in topic_lists])
    wanted = rng.choice(5, size=len(primary), p=[0.05, 0.25, 0.35, 0.22, 0.13])
    picked = _top_k(
        rng, weights[is_openai.astype(int), years], np.minimum(wanted, MAX_TAGS - n_topic)
    )
    tags = [
        _python_first([alloc.tags[t] for t in topic_lists[i]] + [names[c] for c in picked[i]])
        for i in range(len(primary))
    ]
    in_window = (created >= cal.WINDOW_START) & (created <= cal.WINDOW_END)
    return Population(created, tags, primary, [alloc.tags[p] for p in primary], in_window)


def baseline_population(
    rng: np.random.Generator, n_baseline: int, topic_tags: Sequence[str]
) -> Population:
    """Baseline questions of the window (never carrying a topic tag), plus a few just outside it."""
    excluded = set(topic_tags)
    families = [
        ([(t, w) for t, w in members if t not in excluded], family_weight)
        for members, family_weight in vocab.BASELINE_FAMILIES
    ]
    families = [(members, w) for members, w in families if members]
    if not families:
        raise ValueError(
            "every baseline tag is also a topic tag; choose topic tags that leave a baseline"
        )
    family_weights = np.array([w for _, w in families])
    names = sorted({t for members, _ in families for t, _ in members})
    column = {name: i for i, name in enumerate(names)}
    weights = np.zeros((len(families), len(names)))
    for f, (members, _) in enumerate(families):
        for name, weight in members:
            weights[f, column[name]] = weight

    per_year = apportion(n_baseline, np.array(cal.BASELINE_YEAR_WEIGHTS))
    year_index = np.repeat(np.arange(len(cal.YEARS)), per_year)
    per_side = cal.OUTSIDE_WINDOW_QUESTIONS["baseline"]
    created = np.concatenate([_created_in_years(rng, year_index), _outside_window(rng, per_side)])
    n = len(created)
    family = rng.choice(len(families), size=n, p=family_weights / family_weights.sum())
    main_first = rng.uniform(size=n) < 0.85
    wanted = rng.choice(5, size=n, p=[0.1, 0.3, 0.3, 0.2, 0.1]) + 1
    row_weights = weights[family]
    main_column = np.array([column[families[f][0][0][0]] for f in family])
    row_weights[main_first, main_column[main_first]] = 1e9
    picked = _top_k(rng, row_weights, wanted)
    tags = [[names[c] for c in picked[i]] for i in range(n)]
    in_window = (created >= cal.WINDOW_START) & (created <= cal.WINDOW_END)
    return Population(created, tags, family, [t[0] for t in tags], in_window)
