"""One question group (a topic's questions, its baseline, a tag's questions) as arrays, with the
orderings the statistics need computed once.

Several statistics of one group need its answered questions sorted (the median's order
statistics, the Mann–Whitney reference, Cliff's δ) or its survival data counted per distinct time
(Kaplan–Meier, log-rank). At 10^7 baseline questions each sort costs about a second, and topics
that share a dump baseline would sort the same values again per topic. So a group carries them,
and `subset` derives a part's sorted order and survival table from the whole's in O(n), without
sorting again: a topic's baseline is the shared baseline less the topic's own questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from .survival import SurvivalTable, censor_at_collection


@dataclass(frozen=True)
class GroupData:
    """One question group of one topic, as arrays with one entry per question in key order.

    Attributes:
        n_rows: The group's questions in `marts.fct_topic_question_groups`.
        no_accepted_answer: (k, n) for the rate: from the rows, or from `rpt_difficulty`'s exact API
            counts when its rate method is `exact_count`.
        question_ids: Per question, ascending (the key order every array follows).
        has_accepted_answer: Per question.
        response_minutes: Minutes to the accepted answer; NaN without one.
        minutes_to_collection: Minutes from creation to `collected_at`, when the question's data
            was observed (the censoring time of a question without an accepted answer).
        answer_count: Answers per question (NaN where unknown).
        view_count: Views per question (NaN where unknown).
        collected_at: When each question's data was observed (UTC, NaT where unknown).
        tags: Each question's tags (topic group only; empty for the baseline).
        methods: Metric -> how the figure was obtained (`full_population`, `exact_count`,
            `random_sample`), from `rpt_difficulty`.
        answered: Response minutes of the answered questions, in key order.
        answered_order: The permutation that sorts `answered`.
        answered_sorted: `answered` sorted ascending.
        survival: Response times censored at collection, counted per distinct time (None for an
            empty group).
    """

    n_rows: int
    no_accepted_answer: tuple[int, int]
    question_ids: NDArray[np.int64]
    has_accepted_answer: NDArray[np.bool_]
    response_minutes: NDArray[np.float64]
    minutes_to_collection: NDArray[np.float64]
    answer_count: NDArray[np.float64]
    view_count: NDArray[np.float64]
    collected_at: NDArray[np.datetime64]
    tags: tuple[tuple[str, ...], ...]
    methods: Mapping[str, str]
    answered: NDArray[np.float64]
    answered_order: NDArray[np.intp]
    answered_sorted: NDArray[np.float64]
    survival: SurvivalTable | None


def make_group(
    *,
    no_accepted_answer: tuple[int, int],
    question_ids: NDArray[np.int64],
    has_accepted_answer: NDArray[np.bool_],
    response_minutes: NDArray[np.float64],
    minutes_to_collection: NDArray[np.float64],
    answer_count: NDArray[np.float64],
    view_count: NDArray[np.float64],
    collected_at: NDArray[np.datetime64],
    tags: tuple[tuple[str, ...], ...],
    methods: Mapping[str, str],
) -> GroupData:
    """A group from its per-question arrays (key order), sorting its answered questions once."""
    answered = response_minutes[np.isfinite(response_minutes)]
    order = np.argsort(answered, kind="stable")
    n_rows = int(question_ids.size)
    return GroupData(
        n_rows=n_rows,
        no_accepted_answer=no_accepted_answer,
        question_ids=question_ids,
        has_accepted_answer=has_accepted_answer,
        response_minutes=response_minutes,
        minutes_to_collection=minutes_to_collection,
        answer_count=answer_count,
        view_count=view_count,
        collected_at=collected_at,
        tags=tags,
        methods=methods,
        answered=answered,
        answered_order=order,
        answered_sorted=answered[order],
        survival=SurvivalTable.of(*censor_at_collection(response_minutes, minutes_to_collection))
        if n_rows
        else None,
    )


def subset(
    group: GroupData,
    keep: NDArray[np.bool_],
    *,
    no_accepted_answer: tuple[int, int] | None = None,
    methods: Mapping[str, str] | None = None,
) -> GroupData:
    """The group's questions where `keep` is true, as a group; rates counted from those rows
    unless `no_accepted_answer` is given. The sorted answers and the survival table come from the
    whole group's, so no part is sorted again. Tags are not carried: a part is not split again.
    """
    if keep.all():
        # A topic without questions of its own in a shared baseline: no copy of 10^7 rows.
        n_no = int((~group.has_accepted_answer).sum())
        return replace(
            group,
            no_accepted_answer=no_accepted_answer or (n_no, group.n_rows),
            tags=(),
            methods=group.methods if methods is None else methods,
        )
    has_accepted = group.has_accepted_answer[keep]
    n_rows = int(keep.sum())
    answered_kept = keep[np.isfinite(group.response_minutes)]
    kept_in_order = answered_kept[group.answered_order]
    # Position of each kept answer among the kept ones, to renumber the sorting permutation.
    renumbered = np.cumsum(answered_kept) - 1
    return GroupData(
        n_rows=n_rows,
        no_accepted_answer=no_accepted_answer or (int((~has_accepted).sum()), n_rows),
        question_ids=group.question_ids[keep],
        has_accepted_answer=has_accepted,
        response_minutes=group.response_minutes[keep],
        minutes_to_collection=group.minutes_to_collection[keep],
        answer_count=group.answer_count[keep],
        view_count=group.view_count[keep],
        collected_at=group.collected_at[keep],
        tags=(),
        methods=group.methods if methods is None else methods,
        answered=group.answered[answered_kept],
        answered_order=renumbered[group.answered_order[kept_in_order]],
        answered_sorted=group.answered_sorted[kept_in_order],
        survival=_survival_subset(group, keep, n_rows),
    )


def _survival_subset(
    group: GroupData, keep: NDArray[np.bool_], n_rows: int
) -> SurvivalTable | None:
    """The kept rows' survival table: the whole's less the dropped rows, or counted afresh when
    fewer rows are kept than dropped (whichever side is smaller is the one counted)."""
    if not n_rows or group.survival is None:
        return None
    drop = ~keep
    if n_rows <= int(drop.sum()):
        return SurvivalTable.of(
            *censor_at_collection(group.response_minutes[keep], group.minutes_to_collection[keep])
        )
    if not drop.any():
        return group.survival
    return group.survival.without(
        *censor_at_collection(group.response_minutes[drop], group.minutes_to_collection[drop])
    )
