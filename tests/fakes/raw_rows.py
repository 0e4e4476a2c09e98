"""Rows of the raw tables (docs/contracts.md) as plain dicts, and a small seeded data set of them.

Every test that builds a warehouse from raw rows makes them here: one function per table's row
shape, so a contract change is made once. `make_rows` is the seeded data set with the edge cases
the marts must get right: topic questions (tag_query), a uniform baseline sample (random_sample,
listed in `baseline_sample_questions`), exact yearly totals clipped to the window as the loader
takes them, questions on and just outside both window edges, questions with two topic tags,
accepted answers missing from the data or older than their question, and HTML-encoded titles.
`tests/dbt_project/raw_fixture.py` writes the rows into a DuckDB file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Row = dict[str, Any]

TOPIC_TAGS = ["huggingface-transformers", "bert-language-model", "openai-api", "gpt-2"]
OTHER_TAGS = ["python", "pytorch", "tensorflow", "java", "nlp"]
WINDOW_START = datetime(2018, 1, 1, tzinfo=UTC)
WINDOW_END_EXCLUSIVE = datetime(2023, 6, 16, tzinfo=UTC)
SITE = "stackoverflow.com"
COLLECTED_AT = datetime(2023, 6, 30, tzinfo=UTC)


def epoch(moment: datetime) -> int:
    """Epoch seconds of a UTC datetime."""
    return int(moment.timestamp())


@dataclass
class RawRows:
    """Rows per raw table, as `raw_fixture.write_raw_tables` takes them."""

    questions: list[Row] = field(default_factory=list)
    question_tags: list[Row] = field(default_factory=list)
    answers: list[Row] = field(default_factory=list)
    baseline_totals: list[Row] = field(default_factory=list)
    related_tags: list[Row] = field(default_factory=list)
    baseline_sample_questions: list[Row] = field(default_factory=list)

    def tables(self) -> dict[str, list[Row]]:
        """All tables, for `write_raw_tables(**rows.tables())`."""
        return {
            "questions": self.questions,
            "question_tags": self.question_tags,
            "answers": self.answers,
            "baseline_totals": self.baseline_totals,
            "related_tags": self.related_tags,
            "baseline_sample_questions": self.baseline_sample_questions,
        }

    def add_question(self, question: Row, tags: list[str]) -> None:
        """Append a `questions` row and its `question_tags` rows, in the order of `tags`."""
        self.questions.append(question)
        self.question_tags += tag_rows(question["site"], question["question_id"], tags)


def question_row(
    site: str,
    question_id: int,
    created: int,
    *,
    title: str,
    link: str,
    score: int,
    view_count: int,
    answer_count: int,
    accepted_answer_id: int | None,
    data_source: str,
    collected_by: str,
    collected_at: int,
) -> Row:
    """A synthetic `questions` row created at `created` (epoch seconds), last active then too;
    answered exactly when it has an accepted answer."""
    return {
        "site": site,
        "question_id": question_id,
        "title": title,
        "link": link,
        "score": score,
        "view_count": view_count,
        "answer_count": answer_count,
        "is_answered": accepted_answer_id is not None,
        "accepted_answer_id": accepted_answer_id,
        "creation_date": created,
        "last_activity_date": created,
        "data_source": data_source,
        "collected_by": collected_by,
        "collected_at": collected_at,
        "is_synthetic": True,
    }


def tag_rows(site: str, question_id: int, tags: list[str]) -> list[Row]:
    """The question's `question_tags` rows, positions in the order of `tags`."""
    return [
        {"site": site, "question_id": question_id, "tag": tag, "tag_position": position}
        for position, tag in enumerate(tags)
    ]


def accepted_answer_row(
    site: str,
    answer_id: int,
    question_id: int,
    *,
    created: int,
    last_activity: int,
    score: int,
    data_source: str,
) -> Row:
    """A synthetic accepted `answers` row (times in epoch seconds)."""
    return {
        "site": site,
        "answer_id": answer_id,
        "question_id": question_id,
        "is_accepted": True,
        "creation_date": created,
        "last_activity_date": last_activity,
        "score": score,
        "data_source": data_source,
        "is_synthetic": True,
    }


def sample_member_row(site: str, sample_run_id: str, question_id: int) -> Row:
    """A `baseline_sample_questions` row: the question is in the run's random sample."""
    return {"site": site, "sample_run_id": sample_run_id, "question_id": question_id}


def related_tag_row(site: str, tag: str, related_tag: str, count: int, rank: int) -> Row:
    """A `related_tags` row: `related_tag` is `tag`'s `rank`-th related tag (`count` questions)."""
    return {
        "site": site,
        "tag": tag,
        "related_tag": related_tag,
        "count": count,
        "related_rank": rank,
    }


def yearly_total_rows(
    site: str,
    year: int,
    from_date: int,
    to_date: int,
    population: str,
    totals: tuple[int, int],
    topic_tags: str,
) -> list[Row]:
    """A window year's two `baseline_totals` rows of one population, as the loader writes them.

    Args:
        site: the site counted.
        year: the calendar year.
        from_date: first second counted (epoch), the year clipped to the window.
        to_date: last second counted (epoch, inclusive).
        population: `all_questions` or `topic_questions`.
        totals: the counts of every question and of those without an accepted answer.
        topic_tags: the counted tags joined by `;` (empty for `all_questions`).
    """
    return [
        {
            "site": site,
            "year": year,
            "population": population,
            "accepted_filter": accepted_filter,
            "total": total,
            "from_date": from_date,
            "to_date": to_date,
            "topic_tags": topic_tags,
            "is_synthetic": True,
        }
        for accepted_filter, total in zip(("any", "no_accepted_answer"), totals, strict=True)
    ]


def make_rows(
    n_questions: int = 400,
    seed: int = 7,
    data_source: str = "api",
    site: str = SITE,
    favorites: bool = False,
) -> RawRows:
    """Generate raw rows of `site`; `data_source='dump'` makes every question part of a full
    population, else the questions without a topic tag form the random baseline sample.
    `favorites` gives the questions a `favorite_count` (null for some), as the dump's
    `FavoriteCount`; without it the raw table has no such column, as the API loader's."""
    rng = random.Random(seed)
    favorite_rng = random.Random(seed + 1)  # its own stream: the other rows stay as they were
    rows = RawRows()
    edge_times = [
        datetime(2017, 12, 31, 23, 59, 59, tzinfo=UTC),
        WINDOW_START,
        datetime(2023, 6, 15, 23, 59, 59, tzinfo=UTC),
        WINDOW_END_EXCLUSIVE,
    ]
    span = epoch(WINDOW_END_EXCLUSIVE) - epoch(WINDOW_START)
    answer_id = 10_000_000
    for question_id in range(1, n_questions + 1):
        if question_id <= len(edge_times):
            created = epoch(edge_times[question_id - 1])
        else:
            created = epoch(WINDOW_START) + rng.randrange(span)
        is_topic = rng.random() < 0.5
        tags = rng.sample(TOPIC_TAGS, rng.choice([1, 1, 2])) if is_topic else []
        tags += rng.sample(OTHER_TAGS, rng.choice([0, 1, 2]))
        if not tags:
            tags = ["python"]
        rng.shuffle(tags)
        if data_source == "dump":
            collected_by = "dump"
        else:
            collected_by = "tag_query" if is_topic else "random_sample"
        answer_count = rng.choice([0, 0, 1, 1, 2, 3])
        accepted_answer_id = None
        if answer_count and rng.random() < 0.5:
            answer_id += 1
            accepted_answer_id = answer_id
            kind = rng.random()
            if kind < 0.1:
                pass  # accepted answer missing from the data
            else:
                delay = -600 if kind < 0.15 else rng.choice([30, 90, 3_600, 86_400 * 3, 7])
                rows.answers.append(
                    accepted_answer_row(
                        site,
                        answer_id,
                        question_id,
                        created=created + delay,
                        last_activity=created + abs(delay),
                        score=1,
                        data_source=data_source,
                    )
                )
        if collected_by == "random_sample":
            rows.baseline_sample_questions.append(sample_member_row(site, "sample-1", question_id))
        question = question_row(
            site,
            question_id,
            created,
            title=f"Q{question_id} &quot;x&quot; &amp; y&#39;s &lt;b&gt;",
            link=f"https://stackoverflow.com/q/{question_id}",
            score=rng.randint(-2, 5),
            view_count=rng.randint(1, 500),
            answer_count=answer_count,
            accepted_answer_id=accepted_answer_id,
            data_source=data_source,
            collected_by=collected_by,
            collected_at=epoch(COLLECTED_AT),
        )
        if favorites:
            question["favorite_count"] = favorite_rng.choice([None, 0, 0, 1, 2, 9])
        rows.add_question(question, tags)
    return rows


def add_baseline_totals(rows: RawRows, topic_tags: list[str], site: str = SITE) -> None:
    """Exact yearly totals for every window year, each calendar year clipped to the window (the
    last as the loader's inclusive last second): all questions and topic questions."""
    last_second = epoch(WINDOW_END_EXCLUSIVE) - 1
    for year in range(2018, 2024):
        for population, totals in (
            ("all_questions", (1_000_000 + year, 600_000 + year)),
            ("topic_questions", (1_000 + year, 700 + year)),
        ):
            rows.baseline_totals += yearly_total_rows(
                site,
                year,
                epoch(datetime(year, 1, 1, tzinfo=UTC)),
                min(last_second, epoch(datetime(year + 1, 1, 1, tzinfo=UTC)) - 1),
                population,
                totals,
                ";".join(topic_tags) if population != "all_questions" else "",
            )
