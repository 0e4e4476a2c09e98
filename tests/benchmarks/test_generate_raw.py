"""The benchmark generator writes contract-shaped raw tables with the intended distributions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from benchmarks.generate_raw import (
    COLLECTED_AT,
    TOPIC_QUESTIONS,
    TOPIC_TAG_COUNTS,
    WINDOW_END,
    WINDOW_START,
    generate_raw_warehouse,
)

N_QUESTIONS = 10_000
LOADED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A 10^4-question warehouse with a large topic share, so topic statistics are measurable."""
    db_path = tmp_path_factory.mktemp("generate") / "warehouse.duckdb"
    summary = generate_raw_warehouse(
        db_path, N_QUESTIONS, seed=3, topic_share=0.2, loaded_at=LOADED_AT
    )
    return db_path, summary


def _query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_row_counts_match_the_summary(warehouse: tuple[Path, dict]) -> None:
    db_path, summary = warehouse
    for table, expected in summary["rows"].items():
        assert _query(db_path, f"select count(*) from raw_stackexchange.{table}") == [(expected,)]
    assert summary["rows"]["questions"] == N_QUESTIONS
    # about 3 tags and 1.6 answers per question (topic questions have 1.2)
    assert 2.5 * N_QUESTIONS < summary["rows"]["question_tags"] < 3.5 * N_QUESTIONS
    assert 1.3 * N_QUESTIONS < summary["rows"]["answers"] < 1.8 * N_QUESTIONS
    assert not any(p.name.endswith(".tmp") for p in db_path.parent.iterdir())


def test_keys_are_unique_and_answers_belong_to_questions(warehouse: tuple[Path, dict]) -> None:
    db_path, _ = warehouse
    assert _query(
        db_path,
        """
        select
            (select count(distinct question_id) from raw_stackexchange.questions),
            (select count(distinct answer_id) from raw_stackexchange.answers),
            (select count(distinct (question_id, tag)) from raw_stackexchange.question_tags),
            (select count(*) from raw_stackexchange.question_tags),
            (select count(distinct _dlt_id) from raw_stackexchange.answers),
            (select count(*) from raw_stackexchange.answers as a
                anti join raw_stackexchange.questions as q using (question_id)),
            (select count(*) from raw_stackexchange.questions as q
                anti join raw_stackexchange.answers as a on q.accepted_answer_id = a.answer_id
                where q.accepted_answer_id is not null),
            (select count(distinct answer_id) from raw_stackexchange.answers
                where answer_id in (select question_id from raw_stackexchange.questions))
        """,
    ) == [
        (
            N_QUESTIONS,
            *_query(db_path, "select count(*) from raw_stackexchange.answers")[0],
            *_query(db_path, "select count(*) from raw_stackexchange.question_tags")[0] * 2,
            *_query(db_path, "select count(*) from raw_stackexchange.answers")[0],
            0,
            0,
            0,
        )
    ]


def test_values_lie_in_their_ranges(warehouse: tuple[Path, dict]) -> None:
    db_path, _ = warehouse
    start, end = int(WINDOW_START.timestamp()), int(WINDOW_END.timestamp())
    collected = int(COLLECTED_AT.timestamp())
    ((min_date, max_date, max_activity, min_views, bad_answered, positions),) = _query(
        db_path,
        """
        select
            min(creation_date), max(creation_date), max(last_activity_date),
            min(view_count - answer_count),
            count(*) filter (where is_answered != (answer_count > 0)),
            (select count(*) from (
                select question_id from raw_stackexchange.question_tags
                group by 1 having max(tag_position) != count(*) - 1 or min(tag_position) != 0))
        from raw_stackexchange.questions
        """,
    )
    assert start <= min_date < start + 86_400 * 2
    assert end - 86_400 * 2 < max_date <= end
    assert max_activity <= collected
    assert min_views >= 0
    assert bad_answered == 0
    assert positions == 0
    ((before_question, after_collection, accepted_flags),) = _query(
        db_path,
        """
        select
            count(*) filter (where a.creation_date < q.creation_date),
            count(*) filter (where a.creation_date > ?),
            count(*) filter (where a.is_accepted != (a.answer_id = q.accepted_answer_id))
        from raw_stackexchange.answers as a
        inner join raw_stackexchange.questions as q using (question_id)
        """.replace("?", str(collected)),
    )
    assert (before_question, after_collection) == (0, 0)
    assert accepted_flags == 0


def test_shares_follow_the_paper(warehouse: tuple[Path, dict]) -> None:
    db_path, _ = warehouse
    topic_list = "[" + ", ".join(f"'{tag}'" for tag in TOPIC_TAG_COUNTS) + "]"
    rows = _query(
        db_path,
        f"""
        with

        grouped as (
            select
                q.*,
                exists (
                    select 1 from raw_stackexchange.question_tags as t
                    where t.question_id = q.question_id and list_contains({topic_list}, t.tag)
                ) as is_topic
            from raw_stackexchange.questions as q
        )

        select
            is_topic,
            count(*),
            avg(case when accepted_answer_id is null then 1.0 else 0.0 end),
            avg(answer_count) / avg(view_count)
        from grouped
        group by 1
        order by 1
        """,
    )
    (_, n_baseline, baseline_rate, baseline_pd), (_, n_topic, topic_rate, topic_pd) = rows
    assert 0.15 < n_topic / N_QUESTIONS < 0.25
    assert baseline_rate == pytest.approx(0.578, abs=0.03)
    assert topic_rate == pytest.approx(0.739, abs=0.04)
    assert baseline_pd == pytest.approx(0.12, rel=0.25)
    assert topic_pd == pytest.approx(0.06, rel=0.25)
    shares = dict(
        _query(
            db_path,
            f"""
            select tag, count(*) / {n_topic} from raw_stackexchange.question_tags
            where list_contains({topic_list}, tag) group by 1
            """,
        )
    )
    assert shares["huggingface-transformers"] == pytest.approx(2563 / TOPIC_QUESTIONS, abs=0.04)
    assert shares["bert-language-model"] == pytest.approx(1763 / TOPIC_QUESTIONS, abs=0.04)
    assert shares["openai-api"] == pytest.approx(1053 / TOPIC_QUESTIONS, abs=0.03)
    ((median_minutes,),) = _query(
        db_path,
        """
        select median((a.creation_date - q.creation_date) / 60.0)
        from raw_stackexchange.questions as q
        inner join raw_stackexchange.answers as a on a.answer_id = q.accepted_answer_id
        where not exists (
            select 1 from raw_stackexchange.question_tags as t
            where t.question_id = q.question_id and t.tag = 'huggingface-transformers'
        )
        """,
    )
    assert 30 < median_minutes < 200  # baseline median 55, the topic's 851 pulls it up a little


def test_dlt_metadata_lets_dbt_sources_resolve(warehouse: tuple[Path, dict]) -> None:
    db_path, summary = warehouse
    assert _query(db_path, "select load_id, status from raw_stackexchange._dlt_loads") == [
        (summary["load_id"], 0)
    ]
    assert _query(db_path, "select distinct _dlt_load_id from raw_stackexchange.questions") == [
        (summary["load_id"],)
    ]


def test_same_seed_same_rows(tmp_path: Path, warehouse: tuple[Path, dict]) -> None:
    db_path, _ = warehouse
    again = tmp_path / "again.duckdb"
    generate_raw_warehouse(again, N_QUESTIONS, seed=3, topic_share=0.2, loaded_at=LOADED_AT)
    checksum = """
        select
            (select sum(hash(q)) from raw_stackexchange.questions as q),
            (select sum(hash(a)) from raw_stackexchange.answers as a),
            (select sum(hash(t)) from raw_stackexchange.question_tags as t)
    """
    assert _query(again, checksum) == _query(db_path, checksum)
    other = tmp_path / "other.duckdb"
    generate_raw_warehouse(other, N_QUESTIONS, seed=4, topic_share=0.2, loaded_at=LOADED_AT)
    assert _query(other, checksum) != _query(db_path, checksum)


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_questions"):
        generate_raw_warehouse(tmp_path / "w.duckdb", 0)
    with pytest.raises(ValueError, match="topic_share"):
        generate_raw_warehouse(tmp_path / "w.duckdb", 10, topic_share=0.9)
