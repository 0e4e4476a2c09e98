"""`run_dump_load` into DuckDB: the real beer dump, answer resolution, re-runs, failures."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa
import pytest
from test_dump_parser import answer_row, question_row, write_dump

from dlt_pipeline.dump_runner import run_dump_load
from dlt_pipeline.raw_contract import QUESTIONS_SCHEMA
from dlt_pipeline.results import LoadError
from dlt_pipeline.stackexchange_dump.files import open_dump
from dlt_pipeline.stackexchange_dump.parse import ParseOptions, iter_post_batches
from dlt_pipeline.stackexchange_dump.pending import pending_folder, write_segment
from study.window import Window

BEER = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "se-dump-beer"
SITE = "stackoverflow.com"
YEAR_2020 = {"windows": [Window(date(2020, 1, 1), date(2020, 12, 31))], "site": SITE}


def _query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _quiet(_line: str) -> None:
    """Progress sink for tests."""


def test_real_beer_dump_counts_match_the_file(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    result = run_dump_load(
        db_path,
        BEER / "Posts.xml",
        windows=[Window(date(2014, 1, 1), date(2014, 12, 31))],
        progress=_quiet,
        site="beer",
    )
    posts = ET.parse(BEER / "Posts.xml").getroot()
    questions = [row for row in posts if row.get("PostTypeId") == "1"]
    accepted = {
        int(row.get("AcceptedAnswerId")) for row in questions if row.get("AcceptedAnswerId")
    }
    assert (len(questions), len(accepted)) == (244, 142)
    assert result.row_counts == {"questions": 244, "question_tags": 485, "answers": 448}
    assert result.items_loaded == {"questions": 244, "question_tags": 485, "answers": 448}
    loaded_accepted = _query(
        db_path, "select answer_id from raw_stackexchange.answers where is_accepted"
    )
    assert {row[0] for row in loaded_accepted} == accepted
    # Every tag's question count equals Tags.xml's Count for this dump.
    tag_counts = {
        row.get("TagName"): int(row.get("Count")) for row in ET.parse(BEER / "Tags.xml").getroot()
    }
    loaded = _query(
        db_path, "select tag, count(*) from raw_stackexchange.question_tags group by tag"
    )
    assert dict(loaded) == tag_counts
    first = _query(
        db_path,
        "select title, link, creation_date, data_source, collected_by"
        " from raw_stackexchange.questions where question_id = 1",
    )
    assert first == [
        (
            "What is a citra hop, and how does it differ from other hops?",
            "https://beer.stackexchange.com/q/1",
            1390335965,
            "dump",
            "dump",
        )
    ]


def test_real_beer_dump_keeps_each_question_body_as_in_the_file(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    windows = [Window(date(2014, 1, 1), date(2014, 12, 31))]
    run_dump_load(db_path, BEER / "Posts.xml", windows=windows, progress=_quiet, site="beer")
    posts = ET.parse(BEER / "Posts.xml").getroot()
    bodies = {int(row.get("Id")): row.get("Body") for row in posts if row.get("PostTypeId") == "1"}
    loaded = _query(db_path, "select question_id, body from raw_stackexchange.questions")
    assert dict(loaded) == bodies
    assert all(body for body in bodies.values())
    answer_columns = _query(
        db_path,
        "select column_name from information_schema.columns"
        " where table_schema = 'raw_stackexchange' and table_name = 'answers'",
    )
    assert "body" not in {column for (column,) in answer_columns}


def test_a_load_without_bodies_leaves_them_null(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    windows = [Window(date(2014, 1, 1), date(2014, 12, 31))]
    run_dump_load(
        db_path,
        BEER / "Posts.xml",
        windows=windows,
        progress=_quiet,
        site="beer",
        include_bodies=False,
    )
    assert _query(db_path, "select count(body) from raw_stackexchange.questions") == [(0,)]


def _small_dump(path: Path) -> Path:
    return write_dump(
        path,
        [
            answer_row(11, 10, "2020-06-02T00:00:00.000"),  # before its question in file order
            answer_row(12, 10, "2020-06-03T00:00:00.000"),
            question_row(10, "2020-06-01T00:00:00.000", "|bert|", extra=' AcceptedAnswerId="11"'),
            question_row(20, "2019-06-01T00:00:00.000", "|old|", extra=' AcceptedAnswerId="21"'),
            answer_row(21, 20, "2020-06-01T00:00:00.000"),  # in the window, but its question is not
            question_row(30, "2020-12-31T23:00:00.000", "&lt;gpt-3&gt;&lt;python&gt;"),
            answer_row(
                31, 30, "2021-02-01T00:00:00.000"
            ),  # after the window: kept for its question
        ],
    )


def test_answers_get_is_accepted_and_follow_their_question_window(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "wh.duckdb"
    db_path.parent.mkdir()
    result = run_dump_load(
        db_path, _small_dump(tmp_path / "Posts.xml"), **YEAR_2020, progress=_quiet
    )
    answers = _query(
        db_path,
        "select answer_id, question_id, is_accepted, data_source, is_synthetic"
        " from raw_stackexchange.answers order by 1",
    )
    assert answers == [
        (11, 10, True, "dump", False),
        (12, 10, False, "dump", False),
        (31, 30, False, "dump", False),
    ]
    assert result.items_loaded == {"questions": 2, "question_tags": 3, "answers": 3}
    assert _query(db_path, "select count(*) from raw_stackexchange.dump_answers_pending") == [(0,)]
    runs = _query(
        db_path,
        "select command, status, site, from_date, to_date, requests_made, items_skipped,"
        " skipped_reasons from raw_stackexchange.load_runs",
    )
    assert runs == [
        (
            "load-dump",
            "completed",
            SITE,
            date(2020, 1, 1),
            date(2020, 12, 31),
            0,
            2,
            '{"answer_to_question_outside_window": 1, "fabricated_post": 0, "id_outlier": 0, '
            '"other_post_type": 0, "outside_window": 1}',
        )
    ]
    assert (tmp_path / "data" / ".dlt_pipelines" / "wh").is_dir()  # dlt state beside the warehouse


def test_rerun_is_idempotent(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    dump = _small_dump(tmp_path / "Posts.xml")
    first = run_dump_load(db_path, dump, **YEAR_2020, progress=_quiet, segment_posts=4)
    second = run_dump_load(db_path, dump, **YEAR_2020, progress=_quiet)
    assert (
        first.row_counts
        == second.row_counts
        == {
            "questions": 2,
            "question_tags": 3,
            "answers": 3,
        }
    )
    distinct = _query(
        db_path,
        "select count(distinct question_id), count(*) from raw_stackexchange.questions",
    )
    assert distinct == [(2, 2)]


def test_the_union_of_windows_is_kept(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    windows = [
        Window(date(2020, 6, 1), date(2020, 6, 30)),
        Window(date(2019, 6, 1), date(2019, 6, 1)),
    ]
    result = run_dump_load(
        db_path, _small_dump(tmp_path / "Posts.xml"), windows=windows, site=SITE, progress=_quiet
    )
    questions = _query(db_path, "select question_id from raw_stackexchange.questions order by 1")
    assert questions == [(10,), (20,)]
    answers = _query(db_path, "select answer_id from raw_stackexchange.answers order by 1")
    assert answers == [(11,), (12,), (21,)]
    assert "window 2020-06-01..2020-06-30, 2019-06-01..2019-06-01" in result.message


def test_corrupt_file_keeps_what_was_loaded_before(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    run_dump_load(db_path, _small_dump(tmp_path / "Posts.xml"), **YEAR_2020, progress=_quiet)
    rows = [question_row(i, "2020-07-01T00:00:00", "|later|") for i in range(100, 106)]
    rows.insert(3, answer_row(200, 100, "2020-07-02T00:00:00"))
    truncated = write_dump(tmp_path / "Truncated.xml", rows, close=False)
    truncated.write_bytes(truncated.read_bytes() + b'  <row Id="999" PostTypeId="1" Creat')
    with pytest.raises(LoadError) as raised:
        run_dump_load(db_path, truncated, **YEAR_2020, progress=_quiet, segment_posts=4)
    assert "line 10" in str(raised.value)
    assert "\n" not in str(raised.value)
    failed = _query(
        db_path, "select message from raw_stackexchange.load_runs where status = 'failed'"
    )
    assert failed == [(str(raised.value),)]
    # The earlier load stays, and every complete row before the truncation was committed.
    questions = _query(db_path, "select question_id from raw_stackexchange.questions order by 1")
    assert [row[0] for row in questions] == [10, 30, 100, 101, 102, 103, 104, 105]
    answers = _query(db_path, "select answer_id from raw_stackexchange.answers order by 1")
    assert [row[0] for row in answers] == [11, 12, 31, 200]


def test_dump_and_api_rows_share_the_raw_tables(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    api_question = {name: None for name in QUESTIONS_SCHEMA.names}
    api_question.update(site=SITE, question_id=99, data_source="api", collected_by="tag_query")
    api = dlt.pipeline(
        pipeline_name="api_like",
        destination=dlt.destinations.duckdb(credentials=str(db_path)),
        dataset_name="raw_stackexchange",
        pipelines_dir=str(tmp_path / "pipelines"),
    )

    def load_api_question() -> None:
        api.run(
            pa.Table.from_pylist([api_question], schema=QUESTIONS_SCHEMA),
            table_name="questions",
            write_disposition={"disposition": "merge", "strategy": "delete-insert"},
            primary_key=["site", "question_id"],
        )

    load_api_question()
    run_dump_load(db_path, _small_dump(tmp_path / "Posts.xml"), **YEAR_2020, progress=_quiet)
    load_api_question()  # and the API loader still loads after the dump
    by_source = _query(
        db_path,
        "select data_source, count(*) from raw_stackexchange.questions group by 1 order by 1",
    )
    assert by_source == [("api", 1), ("dump", 2)]


def test_a_package_left_by_an_interrupted_load_does_not_replace_new_data(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    interrupted = dlt.pipeline(
        pipeline_name="stackexchange_dump",
        destination=dlt.destinations.duckdb(credentials=str(db_path)),
        dataset_name="raw_stackexchange",
        pipelines_dir=str(tmp_path / ".dlt_pipelines" / "warehouse"),
    )
    interrupted.extract([{"site": SITE, "question_id": 777}], table_name="questions")
    interrupted.normalize()  # extracted and normalised, never loaded: as if killed mid-load
    assert interrupted.has_pending_data
    run_dump_load(db_path, _small_dump(tmp_path / "Posts.xml"), **YEAR_2020, progress=_quiet)
    questions = _query(db_path, "select question_id from raw_stackexchange.questions order by 1")
    assert questions == [(10,), (30,)]


def test_a_deleted_warehouse_is_loaded_afresh_beside_its_old_pipeline_state(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    dump = _small_dump(tmp_path / "Posts.xml")
    run_dump_load(db_path, dump, **YEAR_2020, progress=_quiet)
    assert (tmp_path / ".dlt_pipelines" / "warehouse" / "stackexchange_dump").is_dir()
    for leftover in tmp_path.glob("warehouse.duckdb*"):
        leftover.unlink()  # the file goes, dlt's local state beside it stays
    again = run_dump_load(db_path, dump, **YEAR_2020, progress=_quiet)
    assert again.row_counts == {"questions": 2, "question_tags": 3, "answers": 3}
    runs = _query(db_path, "select command, status from raw_stackexchange.load_runs")
    assert runs == [("load-dump", "completed")]


def test_the_same_post_ids_on_two_sites_are_kept_apart(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    dump = _small_dump(tmp_path / "Posts.xml")
    for site in ("beer", SITE, "beer"):
        run_dump_load(db_path, dump, **{**YEAR_2020, "site": site}, progress=_quiet)
    rows = {
        table: _query(
            db_path,
            f"select site, count(*) from raw_stackexchange.{table} group by 1 order by 1",
        )
        for table in ("questions", "question_tags", "answers")
    }
    assert rows == {
        "questions": [("beer.stackexchange.com", 2), (SITE, 2)],
        "question_tags": [("beer.stackexchange.com", 3), (SITE, 3)],
        "answers": [("beer.stackexchange.com", 3), (SITE, 3)],
    }
    links = _query(db_path, "select site, link from raw_stackexchange.questions order by all")
    assert links[0] == ("beer.stackexchange.com", "https://beer.stackexchange.com/q/10")
    assert links[-1] == (SITE, "https://stackoverflow.com/q/30")


def test_a_load_in_segments_leaves_no_segment_files_and_equals_a_load_in_one(
    tmp_path: Path,
) -> None:
    dump = _small_dump(tmp_path / "Posts.xml")
    tables = ("questions", "question_tags", "answers")
    rows = {}
    for segment_posts in (1, 10_000):
        db_path = tmp_path / f"w{segment_posts}.duckdb"
        run_dump_load(db_path, dump, **YEAR_2020, progress=_quiet, segment_posts=segment_posts)
        assert not pending_folder(db_path).exists()
        rows[segment_posts] = [
            _query(
                db_path, f"select * exclude (_dlt_load_id) from raw_stackexchange.{t} order by all"
            )
            for t in tables
        ]
    assert rows[1] == rows[10_000]
    assert [len(table) for table in rows[1]] == [2, 3, 3]


def test_segment_files_left_by_a_killed_load_are_not_merged(tmp_path: Path) -> None:
    """A load killed outright leaves its segment files; the next load starts without them."""
    db_path = tmp_path / "warehouse.duckdb"
    stale = write_dump(tmp_path / "Stale.xml", [question_row(777, "2020-05-01T00:00:00", "|x|")])
    with open_dump(stale) as stream:
        batches = list(iter_post_batches(stream, ParseOptions(tuple(YEAR_2020["windows"]), SITE)))
    write_segment(db_path, 0, batches)
    (pending_folder(db_path) / "dump_questions_pending-000001.partial").write_bytes(b"cut off")
    run_dump_load(db_path, _small_dump(tmp_path / "Posts.xml"), **YEAR_2020, progress=_quiet)
    questions = _query(db_path, "select question_id from raw_stackexchange.questions order by 1")
    assert questions == [(10,), (30,)]
    assert not pending_folder(db_path).exists()


def test_the_parse_workers_import_neither_dlt_nor_duckdb() -> None:
    """Each spawned worker imports the parse modules; dlt and DuckDB would add ~70 MB to each."""
    code = (
        "import sys, dlt_pipeline.stackexchange_dump.ranges; "
        "print(sorted(m for m in ('dlt', 'duckdb') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
