"""`marts.rpt_tag_selection` equals a plain-Python snowball over the same raw rows and seeds.

The reference below recomputes every round of every topic from the seeds' CSVs and the fixture's
raw rows (T_r, Q(T_r), candidates, significance, relevance, decisions, questions added) without
dbt, so a join or window mistake in the mart shows as a difference here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ptmwh import snowball
from tests.fakes.raw_rows import (
    SITE,
    RawRows,
    epoch,
    make_rows,
    question_row,
    related_tag_row,
)

from .conftest import BuiltWarehouse, _build
from .dbt_helpers import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

SEEDS = DBT_PROJECT_DIR / "seeds"
LOADED_TAGS = ["huggingface-transformers", "bert-language-model", "openai-api", "gpt-2"]
"""The tags a completed load named: `openai-api` (accepted in round 1) counts from loaded rows."""


def _csv(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _selection_rows() -> RawRows:
    """The shared fixture rows plus what the selection reads: an accepted tag that was never
    loaded (`huggingface`), related tags of initial and accepted tags, site-wide tag counts."""
    rows = make_rows(n_questions=300, seed=23)
    created = epoch(datetime(2021, 3, 1, tzinfo=UTC))
    for offset, tags in enumerate(
        [
            ["huggingface", "python"],
            ["huggingface", "bert-language-model", "spacy"],
            ["bert-language-model", "spacy", "nlp"],
            ["openai-api", "langchain"],
        ]
    ):
        question_id = 9_000 + offset
        question = question_row(
            SITE,
            question_id,
            created + offset,
            title="t",
            link="l",
            score=1,
            view_count=10,
            answer_count=0,
            accepted_answer_id=None,
            data_source="api",
            collected_by="tag_query",
            collected_at=created + 86_400,
        )
        rows.add_question(question, tags)
    rows.related_tags = [
        related_tag_row(SITE, "bert-language-model", "nlp", 50, 1),
        related_tag_row(SITE, "gpt-2", "gpt-3", 9, 1),
        related_tag_row(SITE, "gpt-2", "langchain", 5, 3),
        related_tag_row(SITE, "openai-api", "langchain", 40, 1),
        related_tag_row(SITE, "openai-api", "azure", 7, 2),
    ]
    return rows


SITE_TAG_COUNTS = {"python": 2_000, "nlp": 900, "spacy": 300, "huggingface": 50, "pytorch": 800}


@pytest.fixture(scope="module")
def selection_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_work_dir: Path
) -> Iterator[BuiltWarehouse]:
    """A warehouse with tag info, related tags and one completed load run of LOADED_TAGS."""
    rows = _selection_rows()
    tags = [
        {"site": SITE, "name": name, "count": count, "data_source": "api", "is_synthetic": True}
        for name, count in SITE_TAG_COUNTS.items()
    ]
    load_runs = [
        {
            "run_id": "run-1",
            "command": "load",
            "started_at": 1,
            "finished_at": 2,
            "status": "completed",
            "site": SITE,
            "tags": ";".join(LOADED_TAGS),
        },
        {
            "run_id": "run-2",
            "command": "load",
            "started_at": 3,
            "finished_at": 4,
            "status": "failed",
            "site": SITE,
            "tags": "huggingface",
        },
    ]
    yield _build(
        tmp_path_factory.mktemp("selection"), dbt_work_dir, rows, tags=tags, load_runs=load_runs
    )


def expected_selection(rows: RawRows) -> dict[tuple[str, int, str], dict[str, Any]]:
    """Every round's candidates per topic, computed from the seeds and raw rows alone."""
    topics = {row["topic"]: row for row in _csv("topics.csv")}
    topic_tags = _csv("topic_tags.csv")
    decisions = [
        {**row, "round": int(row["round"]), "tag": row["tag"].lower()}
        for row in _csv("topic_tag_decisions.csv")
    ]
    tags_of: dict[int, set[str]] = {}
    for tag_row in rows.question_tags:
        tags_of.setdefault(tag_row["question_id"], set()).add(tag_row["tag"])
    loaded = set(LOADED_TAGS)  # the completed run's tags; the failed run's do not count
    result: dict[tuple[str, int, str], dict[str, Any]] = {}
    for name, topic in topics.items():
        start = epoch(
            datetime.combine(date.fromisoformat(topic["window_start"]), datetime.min.time(), UTC)
        )
        end = epoch(
            datetime.combine(
                date.fromisoformat(topic["window_end"]) + timedelta(days=1),
                datetime.min.time(),
                UTC,
            )
        )
        in_window = [
            q["question_id"]
            for q in rows.questions
            if q["site"] == topic["site"] and start <= q["creation_date"] < end
        ]
        own_tags = {row["tag"] for row in topic_tags if row["topic"] == name}
        initial = {
            row["tag"]
            for row in topic_tags
            if row["topic"] == name and row["in_initial_set"] == "true"
        }
        mine = [d for d in decisions if d["topic"] == name]
        rounds = sorted({d["round"] for d in mine})
        if not rounds:
            current = 1
        else:
            last = rounds[-1]
            current = (
                last + 1
                if any(d["decision"] == "accept" for d in mine if d["round"] == last)
                else last
            )
        for rnd in sorted(set(rounds) | {current}):
            in_set = initial | {
                d["tag"] for d in mine if d["decision"] == "accept" and d["round"] < rnd
            }
            after_set = in_set | {
                d["tag"] for d in mine if d["decision"] == "accept" and d["round"] == rnd
            }
            before_q = {q for q in in_window if tags_of.get(q, set()) & in_set}
            after_q = {q for q in in_window if tags_of.get(q, set()) & after_set & own_tags}
            together: dict[str, int] = {}
            for q in before_q:
                for tag in tags_of[q] - in_set:
                    together[tag] = together.get(tag, 0) + 1
            related: dict[str, list[tuple[int, str]]] = {}
            for rel in rows.related_tags:
                if rel["tag"] in in_set and rel["related_tag"] not in in_set:
                    related.setdefault(rel["related_tag"], []).append(
                        (rel["related_rank"], rel["tag"])
                    )
            decided_here = {d["tag"] for d in mine if d["round"] == rnd}
            n_accepted = sum(1 for d in mine if d["round"] == rnd and d["decision"] == "accept")
            n_decided = len(decided_here)
            for tag in set(together) | set(related) | decided_here:
                if tag in own_tags and tag in loaded:
                    n_questions = sum(1 for q in in_window if tag in tags_of.get(q, set()))
                    source = "loaded_questions"
                else:
                    n_questions = SITE_TAG_COUNTS.get(tag)
                    source = "site_tag_count" if n_questions is not None else None
                earlier = sorted(
                    (d for d in mine if d["tag"] == tag and d["round"] <= rnd),
                    key=lambda d: d["round"],
                )
                latest = earlier[-1] if earlier else None
                n_together = together.get(tag, 0)
                result[(name, rnd, tag)] = {
                    "n_questions_together": n_together,
                    "n_questions": n_questions,
                    "n_questions_source": source,
                    "significance": n_together / n_questions if n_questions else None,
                    "relevance": n_together / len(before_q) if before_q else None,
                    "related_rank": min(related[tag])[0] if tag in related else None,
                    "related_to_tags": ";".join(sorted({t for _, t in related[tag]}))
                    if tag in related
                    else None,
                    "decision": latest["decision"] if latest else None,
                    "decided_round": latest["round"] if latest else None,
                    "n_round_tags": len(in_set),
                    "n_topic_questions_before": len(before_q),
                    "n_topic_questions_after": len(after_q),
                    "n_questions_added": len(after_q) - len(before_q),
                    "round_status": "accepted_tags"
                    if n_accepted
                    else ("complete" if n_decided else "open"),
                    "is_current_round": rnd == current,
                }
    return result


def test_rounds_match_the_plain_python_snowball(selection_warehouse: BuiltWarehouse) -> None:
    expected = expected_selection(selection_warehouse.rows)
    actual = {
        (row["topic"], row["round"], row["tag"]): row
        for row in selection_warehouse.query("select * from marts.rpt_tag_selection")
    }
    assert set(actual) == set(expected)
    for key, want in expected.items():
        got = actual[key]
        for column, value in want.items():
            if isinstance(value, float):
                assert got[column] == pytest.approx(value), (key, column)
            else:
                assert got[column] == value, (key, column)


def test_ptm_runs_two_rounds_and_the_second_completes(
    selection_warehouse: BuiltWarehouse,
) -> None:
    rounds = selection_warehouse.query(
        "select round, any_value(round_status) as status, any_value(n_round_tags) as n_tags, "
        "bool_or(is_current_round) as is_current from marts.rpt_tag_selection "
        "where topic = 'ptm' group by 1 order by 1"
    )
    assert [(r["round"], r["status"], r["n_tags"], r["is_current"]) for r in rounds] == [
        (1, "accepted_tags", 10, False),
        (2, "complete", 18, True),
    ]


def test_snowball_records_into_the_current_round_of_the_rounds_model(
    selection_warehouse: BuiltWarehouse,
) -> None:
    """`ptmwh snowball` reads its round from SQL: ptm's complete round 2, round 1 undecided."""
    assert snowball.read_current_round(selection_warehouse.db_path, "ptm") == 2
    assert snowball.read_current_round(selection_warehouse.db_path, "bigdata") == 1


def test_a_reject_carries_over_and_an_unloaded_accept_uses_the_site_count(
    selection_warehouse: BuiltWarehouse,
) -> None:
    rows = {
        (row["round"], row["tag"]): row
        for row in selection_warehouse.query(
            "select * from marts.rpt_tag_selection where topic = 'ptm'"
        )
    }
    assert rows[(2, "nlp")]["decision"] == "reject" and rows[(2, "nlp")]["decided_round"] == 1
    assert rows[(1, "huggingface")]["n_questions_source"] == "site_tag_count"
    assert rows[(1, "openai-api")]["n_questions_source"] == "loaded_questions"
    assert rows[(2, "langchain")]["related_to_tags"] == "gpt-2;openai-api"
    assert rows[(1, "langchain")]["related_to_tags"] == "gpt-2"
