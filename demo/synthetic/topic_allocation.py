"""Which topic tags each topic question carries, so that per-tag and per-year counts are exact.

Each tag's Table I count is split over the years by its profile. Each year has a fixed number of
questions; every question gets one main (primary) topic tag, and the tag occurrences left over ride
along on questions of the same family (e.g. bert-language-model on a huggingface-transformers
question), which is how Table I's counts add up to more than 5,896 questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import calibration as cal
from .sampling import apportion

MAX_TOPIC_TAGS_PER_QUESTION = 4


@dataclass(frozen=True)
class TopicAllocation:
    """Topic tags per question, in creation-year order.

    Attributes:
        tags: the topic tags, in the order given to the generator.
        year_index: per question, index into `calibration.YEARS`.
        primary: per question, index into `tags` of its main topic tag.
        tag_lists: per question, indexes into `tags` (primary first).
    """

    tags: tuple[str, ...]
    year_index: np.ndarray
    primary: np.ndarray
    tag_lists: list[list[int]]


def tag_counts(tags: Sequence[str]) -> np.ndarray:
    """Questions per tag in the window: Table I's count, or a small default for other tags."""
    return np.array([cal.TABLE_I_TAG_COUNTS.get(t, cal.DEFAULT_TAG_COUNT) for t in tags])


def _year_totals(counts_by_year: np.ndarray, is_default: bool) -> np.ndarray:
    """Topic questions per year: §IV's shape for the paper's tags, else a proportional estimate."""
    if is_default:
        return np.array([cal.TOPIC_QUESTIONS_PER_YEAR[y] for y in cal.YEARS])
    slots = counts_by_year.sum(axis=0)
    ratio = cal.TOPIC_QUESTIONS / sum(cal.TABLE_I_TAG_COUNTS.values())
    return np.clip(np.round(slots * ratio).astype(np.int64), counts_by_year.max(axis=0), slots)


def _partners(tags: Sequence[str]) -> np.ndarray:
    """partners[t, g]: may tag t ride along a question whose primary tag is g (same family)?"""
    family = np.array([t in cal.OPENAI_FAMILY for t in tags])
    either = np.array([t == "fine-tune" for t in tags])
    same = family[:, None] == family[None, :]
    return (same | either[:, None] | either[None, :]) & ~np.eye(len(tags), dtype=bool)


def allocate_topic_tags(rng: np.random.Generator, tags: Sequence[str]) -> TopicAllocation:
    """Assign topic tags to questions with exact per-tag and per-year counts.

    Args:
        rng: the generator's random source.
        tags: the topic tags (the paper's 18 reproduce Table I and §IV).

    Returns:
        The allocation, questions ordered by year.
    """
    tags = tuple(tags)
    counts = tag_counts(tags)
    profiles = np.array([cal.TAG_YEAR_PROFILES.get(t, cal.DEFAULT_YEAR_PROFILE) for t in tags])
    by_year = np.stack([apportion(int(n), p) for n, p in zip(counts, profiles, strict=True)])
    is_default = set(tags) == set(cal.TABLE_I_TAG_COUNTS)
    questions_per_year = _year_totals(by_year, is_default)
    propensity = np.array([cal.SECONDARY_PROPENSITY.get(t, 0.3) for t in tags])
    partners = _partners(tags)

    year_index: list[np.ndarray] = []
    primaries: list[np.ndarray] = []
    tag_lists: list[list[int]] = []
    for y, n_questions in enumerate(questions_per_year):
        slots = by_year[:, y]
        secondary = apportion(int(slots.sum() - n_questions), slots * propensity, caps=slots)
        primary = rng.permutation(np.repeat(np.arange(len(tags)), slots - secondary))
        carries = np.zeros((len(primary), len(tags)), dtype=bool)
        carries[np.arange(len(primary)), primary] = True
        lists = [[int(p)] for p in primary]
        for t in np.argsort(-secondary, kind="stable"):
            if secondary[t] == 0:
                continue
            room = ~carries[:, t] & (carries.sum(axis=1) < MAX_TOPIC_TAGS_PER_QUESTION)
            hosts = np.flatnonzero(room & partners[t, primary])
            if len(hosts) < secondary[t]:
                hosts = np.flatnonzero(room)
            for q in rng.choice(hosts, size=int(secondary[t]), replace=False):
                carries[q, t] = True
                lists[q].append(int(t))
        year_index.append(np.full(len(primary), y))
        primaries.append(primary)
        tag_lists.extend(lists)
    return TopicAllocation(
        tags=tags,
        year_index=np.concatenate(year_index),
        primary=np.concatenate(primaries),
        tag_lists=tag_lists,
    )
