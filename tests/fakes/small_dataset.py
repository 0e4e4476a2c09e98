"""A small, deterministic `ApiDataset` in the API's item shape, for tests and quick offline runs.

Unlike the calibrated synthetic sample (`demo.synthetic`), this one is about shapes and
counts: how many questions each tag has, how many carry two topic tags, how many baseline questions
share the id space with answers and deleted posts.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from demo.replay_api.dataset import ApiDataset, Item

from .raw_rows import epoch

WINDOW_START = epoch(datetime(2020, 1, 1, tzinfo=UTC))
WINDOW_SECONDS = 3 * 365 * 86_400


def _question(qid: int, created: int, tags: list[str], rng: random.Random) -> Item:
    return {
        "tags": tags,
        "owner": {"user_id": rng.randint(1, 10**6), "display_name": "u", "user_type": "registered"},
        "is_answered": False,
        "view_count": rng.randint(1, 5_000),
        "answer_count": 0,
        "score": rng.randint(-2, 20),
        "last_activity_date": created + rng.randint(0, 86_400),
        "creation_date": created,
        "question_id": qid,
        "content_license": "CC BY-SA 4.0",
        "link": f"https://stackoverflow.com/questions/{qid}/q",
        "title": f"How do I use {tags[0]} &amp; friends? #{qid}",
        "body": f"<p>Question {qid} about {', '.join(tags)}</p>",
    }


def make_dataset(
    tag_counts: dict[str, int],
    *,
    shared: int = 0,
    baseline: int = 0,
    seed: int = 7,
    max_answers: int = 2,
    site: str = "stackoverflow.com",
) -> ApiDataset:
    """Build a dataset with `tag_counts[tag]` questions per tag (and `shared` with the first two).

    Args:
        tag_counts: topic tag -> questions carrying that tag only (among topic tags).
        shared: questions carrying the first two topic tags at once (multi-tag dedupe).
        baseline: non-topic questions (tag `python`) interleaved in the same window and id space.
        seed: random seed (the same seed gives the same dataset).
        max_answers: answers per question are drawn from 0..max_answers.
        site: the `site` the replay answers to.
    """
    rng = random.Random(seed)
    plan: list[list[str]] = []
    for tag, n in tag_counts.items():
        plan += [[tag, "nlp"] for _ in range(n)]
    first_two = list(tag_counts)[:2]
    plan += [[*first_two, "python"] for _ in range(shared)]
    plan += [["python", "pandas"] for _ in range(baseline)]
    rng.shuffle(plan)
    dataset = ApiDataset(site=site)
    next_id = 1_000
    step = WINDOW_SECONDS // max(len(plan), 1)
    for i, tags in enumerate(plan):
        created = WINDOW_START + i * step + rng.randint(0, max(step - 1, 0))
        question = _question(next_id, created, tags, rng)
        next_id += rng.randint(1, 2)  # gaps are deleted posts
        n_answers = rng.randint(0, max_answers)
        for j in range(n_answers):
            answer = {
                "owner": {"user_id": rng.randint(1, 10**6)},
                "is_accepted": j == 0 and rng.random() < 0.5,
                "score": rng.randint(0, 10),
                "last_activity_date": created + 600 * (j + 1),
                "creation_date": created + 600 * (j + 1),
                "answer_id": next_id,
                "question_id": question["question_id"],
                "content_license": "CC BY-SA 4.0",
            }
            next_id += 1
            dataset.answers.append(answer)
            if answer["is_accepted"]:
                question["accepted_answer_id"] = answer["answer_id"]
        question["answer_count"] = n_answers
        question["is_answered"] = n_answers > 0
        dataset.questions.append(question)
    dataset.tag_info = [
        {
            "name": t,
            "count": n,
            "has_synonyms": False,
            "is_moderator_only": False,
            "is_required": False,
        }
        for t, n in tag_counts.items()
    ]
    dataset.related_tags = {
        t: [
            {
                "name": "nlp",
                "count": n,
                "has_synonyms": False,
                "is_moderator_only": False,
                "is_required": False,
            },
            {
                "name": "python",
                "count": n // 2,
                "has_synonyms": True,
                "is_moderator_only": False,
                "is_required": False,
            },
        ]
        for t, n in tag_counts.items()
    }
    return dataset
