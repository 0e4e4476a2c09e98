"""`ptmwh sample`: the paper's RQ3 sampling (339 random + 116 high-score - overlap), seeded."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analysis_py.annotation_sample import (
    CSV_COLUMNS,
    SampleError,
    draw_annotation_sample,
    plain_text_excerpt,
)
from analysis_py.stats import cochran_sample_size

POPULATION = 2829
HIGH_SCORE = 116
SAMPLE_DAY = date(2023, 6, 15)


def _build_warehouse(db_path: Path) -> None:
    """A warehouse shaped like `ptmwh build`'s: 2,829 high-quality topic questions, 116 of them
    with score >= 9, plus low-score topic questions, baseline questions and another topic that the
    sample must ignore."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema marts")
        con.execute("create schema staging")
        con.execute(
            """
            create temp table shaped as
            select *, score >= 1 as is_high_quality from (
            select
                1000 + i as question_id,
                'ptm' as topic,
                'topic' as question_group,
                ['bert-language-model', 'huggingface'] as tags,
                'Q&A "' || i || '" about BERT' as title,
                'https://stackoverflow.com/q/' || (1000 + i) as link,
                case when i % 24 = 3 and i < 24 * ? then 9 + i % 40 else 1 + i % 8 end as score,
                timestamp '2022-01-01' + to_days(cast(i as integer)) as created_at
            from range(?) as t(i)
            union all
            select 9000 + i, 'ptm', 'topic', ['gpt-2'], 'low', 'l', -(i % 3), timestamp '2022-01-01'
            from range(500) as t(i)
            union all
            select 20000 + i, 'ptm', 'baseline', ['python'], 'b', 'l', 50, timestamp '2022-01-01'
            from range(300) as t(i)
            union all
            select 30000 + i, 'other', 'topic', ['rust'], 'o', 'l', 50, timestamp '2022-01-01'
            from range(300) as t(i)
            )
            """,
            [HIGH_SCORE, POPULATION],
        )
        con.execute(
            "create table marts.fct_questions as select 'stackoverflow.com' as site,"
            " * exclude (topic, question_group) from shaped"
        )
        con.execute(
            "create table marts.fct_topic_question_groups as select topic, 'stackoverflow.com'"
            " as site, question_id, question_group, 'full_population' as sampling_method"
            " from shaped"
        )
        con.execute(
            """
            create table staging.stg_stackexchange__questions as
            select
                site,
                question_id,
                '<p>How do I <b>fine-tune</b> &amp; save?</p><pre>x = 1</pre>' as body
            from marts.fct_questions
            """
        )


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db_path = tmp_path / "warehouse.duckdb"
    _build_warehouse(db_path)
    return db_path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_cochran_size_of_the_papers_population_is_339():
    assert cochran_sample_size(POPULATION) == 339


def test_sample_reproduces_the_papers_arithmetic(warehouse: Path, tmp_path: Path):
    result = draw_annotation_sample(warehouse, tmp_path / "annotation", sample_date=SAMPLE_DAY)

    assert result.population_size == POPULATION
    assert result.n_random == 339
    assert result.n_high_score == HIGH_SCORE
    assert result.n_total == result.n_random + result.n_high_score - result.n_overlap
    rows = _read_csv(result.csv_path)
    drawn_by = [row["drawn_by"] for row in rows]
    assert len(rows) == result.n_total
    assert drawn_by.count("both") == result.n_overlap
    assert drawn_by.count("random") + drawn_by.count("both") == 339
    assert drawn_by.count("high_score") + drawn_by.count("both") == HIGH_SCORE
    assert all(int(row["score"]) >= 9 for row in rows if row["drawn_by"] != "random")
    assert all(int(row["score"]) >= 1 for row in rows)
    assert all(int(row["id"]) < 9000 for row in rows), "low-score, baseline or other-topic drawn"
    assert "339 random + 116 with score >= 9" in result.summary_line()


def test_csv_has_the_annotators_columns_and_readable_text(warehouse: Path, tmp_path: Path):
    result = draw_annotation_sample(warehouse, tmp_path, sample_date=SAMPLE_DAY)

    assert result.csv_path == tmp_path / "sample-2023-06-15.csv"
    with result.csv_path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == CSV_COLUMNS
    first = _read_csv(result.csv_path)[0]
    assert first["tags"] == "bert-language-model;huggingface"
    assert first["title"].startswith('Q&A "')
    assert first["body_excerpt"] == "How do I fine-tune & save? x = 1"
    assert first["link"] == f"https://stackoverflow.com/q/{first['id']}"
    assert (first["annotator"], first["code"]) == ("", "")
    assert "topic" in header
    assert {row["topic"] for row in _read_csv(result.csv_path)} == {"ptm"}


def test_same_seed_same_sample_and_other_seed_other_sample(warehouse: Path, tmp_path: Path):
    first = draw_annotation_sample(warehouse, tmp_path / "a", seed=7, sample_date=SAMPLE_DAY)
    again = draw_annotation_sample(warehouse, tmp_path / "b", seed=7, sample_date=SAMPLE_DAY)
    other = draw_annotation_sample(warehouse, tmp_path / "c", seed=8, sample_date=SAMPLE_DAY)

    ids = [row["id"] for row in _read_csv(first.csv_path)]
    assert ids == [row["id"] for row in _read_csv(again.csv_path)]
    assert ids != [row["id"] for row in _read_csv(other.csv_path)]


def test_sample_is_recorded_and_replaced_under_the_same_id(warehouse: Path, tmp_path: Path):
    draw_annotation_sample(warehouse, tmp_path, seed=1, sample_date=SAMPLE_DAY)
    result = draw_annotation_sample(warehouse, tmp_path, seed=2, sample_date=SAMPLE_DAY)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = con.execute(
            """
            select sample_id, count(*), min(seed), max(seed), min(population_size),
                min(random_size), min(topic), count(*) filter (where drawn_by = 'both')
            from analysis.annotation_samples group by 1
            """
        ).fetchall()
        ids = {
            row[0]
            for row in con.sql("select question_id from analysis.annotation_samples").fetchall()
        }
    assert recorded == [
        ("ptm-2023-06-15", result.n_total, 2, 2, POPULATION, 339, "ptm", result.n_overlap)
    ]
    assert ids == {int(row["id"]) for row in _read_csv(result.csv_path)}


def test_missing_marts_and_empty_topic_are_clear_errors(warehouse: Path, tmp_path: Path):
    with pytest.raises(SampleError, match="no warehouse at .*: run `ptmwh load` and `ptmwh build`"):
        draw_annotation_sample(tmp_path / "absent.duckdb", tmp_path)
    assert not (tmp_path / "absent.duckdb").exists()
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(SampleError, match="run `ptmwh build` first"):
        draw_annotation_sample(tmp_path / "empty.duckdb", tmp_path)
    with pytest.raises(SampleError, match="no 'llm' questions with score >= 1"):
        draw_annotation_sample(warehouse, tmp_path, topic="llm")
    assert not list(tmp_path.glob("sample-*.csv"))


def test_excerpt_is_plain_text_cut_at_a_word():
    body = "<p>" + "word " * 100 + "</p>"
    excerpt = plain_text_excerpt(body, max_chars=23)
    assert excerpt == "word word word word…"
    assert plain_text_excerpt(None) == ""
    assert plain_text_excerpt("<p>a</p><p>b<br>c</p>") == "a b c"
