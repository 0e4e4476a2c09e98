"""Build the deterministic synthetic Stack Overflow sample that `make demo` serves from the loopback
replay of the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from study.defaults import DEFAULT_TOPIC, STUDY_SEED

from ..replay_api.dataset import ApiDataset, Item
from . import calibration as cal
from . import outcomes
from . import vocabulary as vocab
from .id_space import post_ids
from .items import answer_item, question_item
from .literature import add_literature_topics, literature_topic_tags
from .populations import Population, baseline_population, topic_population
from .tag_metadata import related_tags, tag_info
from .text import baseline_titles, bodies, topic_titles
from .themes import plant_themes
from .users import Owner, pick_owners, user_pool

USER_POOL_SIZE = 20_000
"""Users who ask and answer; small samples use fewer (one per three questions, at least 1,000)."""
_MINUTE = 60

SYNTHETIC_SITE = "stackoverflow.com"
"""The site the synthetic sample imitates (the paper's): the replay answers to this `site` only."""


def build_synthetic_dataset(
    seed: int = STUDY_SEED, n_baseline: int = 52_000, topic_tags: Sequence[str] | None = None
) -> ApiDataset:
    """Generate the calibrated synthetic sample (topic questions, baseline questions, answers,
    tags).

    The same seed gives byte-for-byte the same dataset. With the default tags the sample reproduces
    Table I's tag counts, §IV's yearly growth, §V's no-accepted-answer rates, response-time medians
    and means and the PD ratio, and §VI-B's score counts (see `demo/synthetic/README.md`); part of
    its baseline then also carries the tags of the literature topics §V compares with (big data,
    concurrency, mobile, security, from `dbt_project/seeds/topic_tags.csv`), calibrated to the
    figures §V quotes for them.

    Args:
        seed: seed of numpy's random Generator.
        n_baseline: baseline (non-topic) questions in the window 2018-01-01 .. 2023-06-15.
        topic_tags: the topic's tags; None means the paper's 18 tags of Table I and the literature
            topics. Other tags give a sample of that topic alone: the literature topics are
            calibrated against the paper's baseline.

    Returns:
        An `ApiDataset` with `is_synthetic=True`, `site="stackoverflow.com"`, `collected_at`
        the sample's notional crawl (`calibration.COLLECTED_AT`) and `planted_themes` the theme
        planted in each topic question's body (`themes.py`; `ptm`'s for the generated topic
        questions, whatever their tags).

    Raises:
        ValueError: the tag list is empty or `n_baseline` is negative.
    """
    tags = _topic_tags(topic_tags, n_baseline)
    rng = np.random.default_rng(seed)
    topic = topic_population(rng, tags)
    baseline = baseline_population(rng, n_baseline, tags)
    questions, answers = _posts(rng, tags, topic, baseline)
    described = tags
    themed: dict[str, tuple[str, ...]] = {DEFAULT_TOPIC: tags}
    if topic_tags is None:
        literature = _add_literature(seed, questions, answers, tags, n_baseline)
        described = tuple(dict.fromkeys([*tags, *(t for ts in literature.values() for t in ts)]))
        themed.update(literature)
    # Streams of their own again: themes only add a paragraph to the bodies of topic questions.
    planted = plant_themes(seed, questions, themed)
    all_tags = [q["tags"] for q in questions]
    related = related_tags(described, all_tags)
    return ApiDataset(
        questions=questions,
        answers=answers,
        tag_info=tag_info(described, all_tags, related),
        related_tags=related,
        site=SYNTHETIC_SITE,
        is_synthetic=True,
        collected_at=cal.COLLECTED_AT,
        planted_themes=planted,
    )


def _topic_tags(topic_tags: Sequence[str] | None, n_baseline: int) -> tuple[str, ...]:
    """The topic's tags, each once (Table I's by default), once both arguments are checked."""
    tags = tuple(cal.TABLE_I_TAG_COUNTS) if topic_tags is None else tuple(dict.fromkeys(topic_tags))
    if not tags:
        raise ValueError(
            "topic_tags is empty: pass at least one tag, or None for the paper's 18 tags"
        )
    if n_baseline < 0:
        raise ValueError(
            f"n_baseline is {n_baseline}: pass a count of 0 or more baseline questions"
        )
    return tags


def _add_literature(
    seed: int, questions: list[Item], answers: list[Item], tags: tuple[str, ...], n_baseline: int
) -> dict[str, tuple[str, ...]]:
    """Give part of the baseline the literature topics' tags (§V); return each topic's tags."""
    literature = literature_topic_tags()
    # A stream of its own: the main sample's draws stay what they were without these topics.
    add_literature_topics(
        np.random.default_rng([seed, 1]), questions, answers, literature, set(tags), n_baseline
    )
    return literature


def _accepted(
    rng: np.random.Generator, tags: tuple[str, ...], topic: Population, n_base: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Accepted-answer flags (topic, baseline) and the topic question x tag membership matrix."""
    index = {t: i for i, t in enumerate(tags)}
    lists = [[index[t] for t in q if t in index] for q in topic.tags]
    window_lists = [lists[i] for i in np.flatnonzero(topic.in_window)]
    rates = outcomes.group_no_accepted_rates(tags, topic.group[topic.in_window], window_lists)
    signature = np.array([sum(1 << t for t in carried) for carried in lists], dtype=np.int64)
    topic_accepted = outcomes.accepted_by_group(rng, topic.group, rates, strata=signature)
    base_accepted = outcomes.accepted_by_group(
        rng, np.zeros(n_base, dtype=np.int64), np.array([cal.BASELINE_NO_ACCEPTED_ANSWER_RATE])
    )
    carries = np.zeros((len(lists), len(tags)), dtype=bool)
    for q, carried in enumerate(lists):
        carries[q, carried] = True
    return topic_accepted, base_accepted, carries


def _response_seconds(
    rng: np.random.Generator, created: np.ndarray, accepted: np.ndarray, population: str
) -> np.ndarray:
    """Seconds to the accepted answer (0 where none), never after the crawl."""
    minutes = outcomes.response_minutes(rng, int(accepted.sum()), population)
    caps = (cal.COLLECTED_AT - created[accepted]) / _MINUTE - 1
    minutes = outcomes.fit_under_caps(rng, minutes, caps)
    seconds = np.zeros(len(created), dtype=np.int64)
    seconds[accepted] = np.maximum(np.round(minutes * _MINUTE), _MINUTE).astype(np.int64)
    return seconds


def _views(
    rng: np.random.Generator,
    tags: tuple[str, ...],
    created: np.ndarray,
    is_topic: np.ndarray,
    answer_count: np.ndarray,
    carries: np.ndarray,
    topic_primary: np.ndarray,
) -> np.ndarray:
    """View counts with Table II's relative PD per tag and §V's topic/baseline PD ratio
    (0.06/0.12)."""
    views = outcomes.view_counts(rng, cal.COLLECTED_AT - created, is_topic, np.ones(len(created)))
    views[is_topic] *= outcomes.topic_view_multipliers(
        tags, carries, topic_primary, answer_count[is_topic], views[is_topic]
    )
    ratio = outcomes.answers_per_view(
        answer_count[is_topic], views[is_topic]
    ) / outcomes.answers_per_view(answer_count[~is_topic], views[~is_topic])
    target = cal.TOPIC_ANSWERS_PER_VIEW / cal.BASELINE_ANSWERS_PER_VIEW
    views[is_topic] *= ratio / target
    return np.maximum(np.round(views), answer_count + 1).astype(np.int64)


def _scores(rng: np.random.Generator, views: np.ndarray, is_topic: np.ndarray) -> np.ndarray:
    """Scores: §VI-B's counts for the topic (scaled to its size), typical ones for the baseline."""
    n_topic = int(is_topic.sum())
    n_base = len(views) - n_topic
    share = n_topic / cal.TOPIC_QUESTIONS
    result = np.empty(len(views), dtype=np.int64)
    result[is_topic] = outcomes.scores(
        rng,
        views[is_topic],
        int(round(cal.TOPIC_SCORE_AT_LEAST_1 * share)),
        int(round(cal.TOPIC_SCORE_AT_LEAST_9 * share)),
    )
    result[~is_topic] = outcomes.scores(
        rng,
        views[~is_topic],
        int(round(cal.BASELINE_SCORE_AT_LEAST_1_RATE * n_base)),
        int(round(cal.BASELINE_SCORE_AT_LEAST_9_RATE * n_base)),
    )
    return result


def _later(
    rng: np.random.Generator, start: np.ndarray, median_minutes: float | np.ndarray
) -> np.ndarray:
    """A time after `start` (lognormal delay, at least a minute), never after the crawl."""
    delay = np.maximum(
        median_minutes * _MINUTE * np.exp(2.0 * rng.normal(size=len(start))), _MINUTE
    )
    return np.minimum(start + delay.astype(np.int64), cal.COLLECTED_AT)


def _texts(
    rng: np.random.Generator, topic: Population, baseline: Population, tags: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """Raw titles and HTML bodies, topic questions first; five topic titles carry markup."""
    is_openai = np.array([tags[g] in cal.OPENAI_FAMILY for g in topic.group])
    topic_raw, topic_fill = topic_titles(rng, is_openai)
    for i, title in zip(
        rng.choice(np.flatnonzero(topic.in_window), len(vocab.HTML_TITLES), replace=False),
        vocab.HTML_TITLES,
        strict=True,
    ):
        topic_raw[i] = title
    topic_bodies = bodies(rng, topic_raw, vocab.SENTENCES, vocab.CODE_SNIPPETS, topic_fill, 0.6)
    base_raw, base_fill = baseline_titles(rng, baseline.main_tag)
    base_bodies = bodies(
        rng, base_raw, vocab.BASELINE_SENTENCES, vocab.BASELINE_CODE_SNIPPETS, base_fill, 0.4
    )
    return topic_raw + base_raw, topic_bodies + base_bodies


def _posts(
    rng: np.random.Generator, tags: tuple[str, ...], topic: Population, baseline: Population
) -> tuple[list[Item], list[Item]]:
    """Questions and answers of both populations, with calibrated outcomes and shared post ids.

    The steps draw from `rng` in a fixed order (outcomes, answers, edits and closures, texts,
    owners): the same seed gives the same sample only while that order holds.
    """
    n_topic = len(topic.created)
    questions = _question_outcomes(rng, tags, topic, baseline)
    answers = _answers(rng, questions)
    n_questions = len(questions.created)
    ids = post_ids(np.concatenate([questions.created, answers.created]))
    question_ids, answer_ids = ids[:n_questions], ids[n_questions:]
    history = _edits_and_closures(rng, questions.created, n_topic)
    titles, texts = _texts(rng, topic, baseline, tags)
    question_owners = pick_owners(
        rng,
        pool := user_pool(rng, min(USER_POOL_SIZE, max(1_000, n_questions // 3))),
        n_questions,
    )
    answer_owners = pick_owners(rng, pool, len(answer_ids))
    columns = _question_columns(questions, answers, history, question_ids, answer_ids)
    return (
        _question_items(columns, topic.tags + baseline.tags, question_owners, titles, texts),
        _answer_items(answers, question_ids, answer_ids, answer_owners),
    )


@dataclass(frozen=True)
class _Outcomes:
    """Every question's calibrated outcomes, topic questions first (one element per question).

    Attributes:
        created: creation time, epoch seconds.
        is_topic: whether the question is a topic question.
        accepted: whether it has an accepted answer.
        response: seconds to the accepted answer (0 where none).
        answer_count: answers, the accepted one included.
        views: view count.
        score: question score.
    """

    created: np.ndarray
    is_topic: np.ndarray
    accepted: np.ndarray
    response: np.ndarray
    answer_count: np.ndarray
    views: np.ndarray
    score: np.ndarray


def _question_outcomes(
    rng: np.random.Generator, tags: tuple[str, ...], topic: Population, baseline: Population
) -> _Outcomes:
    """§V's accepted answers and response times, answer and view counts, §VI-B's scores."""
    n_topic, n_base = len(topic.created), len(baseline.created)
    created = np.concatenate([topic.created, baseline.created]).astype(np.int64)
    is_topic = np.arange(n_topic + n_base) < n_topic
    topic_accepted, base_accepted, carries = _accepted(rng, tags, topic, n_base)
    accepted = np.concatenate([topic_accepted, base_accepted])
    response = np.concatenate(
        [
            _response_seconds(rng, topic.created, topic_accepted, "topic"),
            _response_seconds(rng, baseline.created, base_accepted, "baseline"),
        ]
    )
    answer_count = np.concatenate(
        [
            outcomes.answer_counts(rng, topic_accepted, "topic"),
            outcomes.answer_counts(rng, base_accepted, "baseline"),
        ]
    )
    views = _views(rng, tags, created, is_topic, answer_count, carries, topic.group)
    score = _scores(rng, views, is_topic)
    return _Outcomes(created, is_topic, accepted, response, answer_count, views, score)


@dataclass(frozen=True)
class _Answers:
    """Every answer, the accepted ones first (one element per answer).

    Attributes:
        question: the index of the answer's question among all questions.
        accepted: whether it is its question's accepted answer.
        created: creation time, epoch seconds.
        activity: last activity time, epoch seconds.
        score: answer score.
    """

    question: np.ndarray
    accepted: np.ndarray
    created: np.ndarray
    activity: np.ndarray
    score: np.ndarray


def _answers(rng: np.random.Generator, questions: _Outcomes) -> _Answers:
    """The accepted answer at the response time, the others after a lognormal delay."""
    created, accepted = questions.created, questions.accepted
    extra = questions.answer_count - accepted
    answer_question = np.concatenate(
        [np.flatnonzero(accepted), np.repeat(np.arange(len(created)), extra)]
    )
    answer_accepted = np.arange(len(answer_question)) < accepted.sum()
    delay_median = np.where(questions.is_topic[answer_question], 240.0, 40.0)
    answer_created = np.where(
        answer_accepted,
        created[answer_question] + questions.response[answer_question],
        _later(rng, created[answer_question], delay_median),
    )
    answer_edited = rng.uniform(size=len(answer_question)) < 0.2
    answer_activity = np.where(answer_edited, _later(rng, answer_created, 2_000.0), answer_created)
    answer_score = np.where(
        answer_accepted,
        np.minimum(rng.geometric(0.35, len(answer_question)) - 1, 300),
        rng.choice([-1, 0, 0, 0, 1, 1, 2], size=len(answer_question)),
    )
    return _Answers(answer_question, answer_accepted, answer_created, answer_activity, answer_score)


@dataclass(frozen=True)
class _History:
    """What happened to each question after it was asked, besides its answers.

    Attributes:
        edited: whether it was edited.
        last_edit: when it was (last) edited, epoch seconds; meaningful where `edited`.
        closed: whether it was closed.
        closed_date: when it was closed, epoch seconds; meaningful where `closed`.
        closed_reason: index into `vocabulary.CLOSED_REASONS`.
    """

    edited: np.ndarray
    last_edit: np.ndarray
    closed: np.ndarray
    closed_date: np.ndarray
    closed_reason: np.ndarray


def _edits_and_closures(rng: np.random.Generator, created: np.ndarray, n_topic: int) -> _History:
    """Edits at the calibrated rate and closures at each population's closed rate."""
    n_base = len(created) - n_topic
    edited = rng.uniform(size=len(created)) < cal.EDITED_RATE
    last_edit = _later(rng, created, 30.0)
    n_closed = {
        "topic": int(round(cal.CLOSED_RATE["topic"] * n_topic)),
        "baseline": int(round(cal.CLOSED_RATE["baseline"] * n_base)),
    }
    closed = np.zeros(len(created), dtype=bool)
    closed[rng.choice(n_topic, n_closed["topic"], replace=False)] = True
    closed[n_topic + rng.choice(n_base, n_closed["baseline"], replace=False)] = True
    closed_date = _later(rng, created, 120.0)
    closed_reason = rng.integers(0, len(vocab.CLOSED_REASONS), len(created))
    return _History(edited, last_edit, closed, closed_date, closed_reason)


def _question_columns(
    questions: _Outcomes,
    answers: _Answers,
    history: _History,
    question_ids: np.ndarray,
    answer_ids: np.ndarray,
) -> dict[str, list]:
    """The questions' item fields as Python lists, -1 standing for none (an absent date or id).

    A question is answered when it has an accepted or an upvoted answer; its last activity is the
    latest of its creation, edit, closure and its answers' activity.
    """
    created, accepted = questions.created, questions.accepted
    accepted_answer_id = np.zeros(len(created), dtype=np.int64)
    accepted_answer_id[answers.question[answers.accepted]] = answer_ids[answers.accepted]
    upvoted = np.bincount(answers.question[answers.score > 0], minlength=len(created)) > 0
    last_activity = np.maximum(created, np.where(history.edited, history.last_edit, created))
    last_activity = np.maximum(
        last_activity, np.where(history.closed, history.closed_date, created)
    )
    np.maximum.at(last_activity, answers.question, answers.activity)
    return {
        name: column.tolist()
        for name, column in {
            "id": question_ids,
            "views": questions.views,
            "answers": questions.answer_count,
            "score": questions.score,
            "is_answered": accepted | upvoted,
            "created": created,
            "activity": last_activity,
            "edit": np.where(history.edited, history.last_edit, -1),
            "accepted": np.where(accepted, accepted_answer_id, -1),
            "closed": np.where(history.closed, history.closed_date, -1),
            "reason": history.closed_reason,
        }.items()
    }


def _question_items(
    q: dict[str, list],
    all_tags: Sequence[Sequence[str]],
    owners: Sequence[Owner],
    titles: Sequence[str],
    texts: Sequence[str],
) -> list[Item]:
    """The API's question items, in post id order."""
    return [
        question_item(
            question_id=q["id"][i],
            tags=list(all_tags[i]),
            owner=owners[i],
            raw_title=titles[i],
            body=texts[i],
            view_count=q["views"][i],
            answer_count=q["answers"][i],
            score=q["score"][i],
            is_answered=q["is_answered"][i],
            creation_date=q["created"][i],
            last_activity_date=q["activity"][i],
            last_edit_date=None if q["edit"][i] < 0 else q["edit"][i],
            accepted_answer_id=None if q["accepted"][i] < 0 else q["accepted"][i],
            closed=None
            if q["closed"][i] < 0
            else (q["closed"][i], vocab.CLOSED_REASONS[q["reason"][i]]),
        )
        for i in np.argsort(q["id"], kind="stable").tolist()
    ]


def _answer_items(
    answers: _Answers, question_ids: np.ndarray, answer_ids: np.ndarray, owners: Sequence[Owner]
) -> list[Item]:
    """The API's answer items, in post id order."""
    a = {
        name: column.tolist()
        for name, column in {
            "id": answer_ids,
            "question": question_ids[answers.question],
            "accepted": answers.accepted,
            "score": answers.score,
            "created": answers.created,
            "activity": answers.activity,
        }.items()
    }
    return [
        answer_item(
            answer_id=a["id"][j],
            question_id=a["question"][j],
            owner=owners[j],
            is_accepted=a["accepted"][j],
            score=a["score"][j],
            creation_date=a["created"][j],
            last_activity_date=a["activity"][j],
        )
        for j in np.argsort(answer_ids, kind="stable").tolist()
    ]
