"""A dump is a snapshot of its site: newer dumps update and delete, older ones are refused, and
the known bad rows of a dump (fabricated posts, id outliers, a file that is not Posts.xml) never
reach the raw tables. Expected values are read from the XML with ElementTree, not the loader."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from dlt_pipeline.dump_runner import run_dump_load
from dlt_pipeline.results import LoadError
from study.window import Window
from tests.fakes.dump_versions import BEER_POSTS, successive_dumps

WINDOWS = [Window(date(2014, 1, 1), date(2014, 12, 31))]
SITE = "beer.stackexchange.com"


def _quiet(_line: str) -> None:
    """Progress sink for tests."""


def _load(db_path: Path, path: Path, **options: object) -> None:
    run_dump_load(db_path, path, windows=WINDOWS, progress=_quiet, **options)  # type: ignore[arg-type]


def _query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _posts(path: Path, post_type: str) -> dict[int, ET.Element]:
    return {
        int(row.get("Id", "")): row
        for row in ET.parse(path).getroot()
        if row.get("PostTypeId") == post_type
    }


def _epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def _raw_state(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: _query(db_path, f"select * exclude (_dlt_load_id) from "
                      f"raw_stackexchange.{table} order by all")
        for table in ("questions", "question_tags", "answers", "load_runs")
    }  # fmt: skip


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return successive_dumps(tmp_path_factory.mktemp("dumps"))


def test_newer_dumps_update_every_post_and_mark_the_missing_ones_deleted(
    tmp_path: Path, dumps: list[Path]
) -> None:
    a, b, c = dumps
    db_path = tmp_path / "w.duckdb"
    for dump in dumps:
        _load(db_path, dump)
    live = _query(
        db_path,
        "select question_id, score, view_count, answer_count from raw_stackexchange.questions "
        "where deleted_at is null order by 1",
    )
    newest = _posts(c, "1")
    assert live == [
        (i, int(q.get("Score", "")), int(q.get("ViewCount", "")), int(q.get("AnswerCount", "")))
        for i, q in sorted(newest.items())
    ]
    # Each missing question is deleted as of the first dump without it (B: 2014-06-01, C: 07-01).
    deleted = dict(
        _query(db_path, "select question_id, deleted_at from raw_stackexchange.questions "
                        "where deleted_at is not null")
    )  # fmt: skip
    in_b, in_a = _posts(b, "1"), _posts(a, "1")
    expected = {i: _epoch("2014-06-01") for i in in_a if i not in in_b and i not in newest}
    expected |= {i: _epoch("2014-07-01") for i in in_b if i not in newest}
    assert deleted == expected and len(deleted) > 10
    live_answers = _query(
        db_path, "select answer_id from raw_stackexchange.answers where deleted_at is null"
    )
    assert {i for (i,) in live_answers} == set(_posts(c, "2"))
    live_tags = _query(
        db_path,
        "select question_id, tag from raw_stackexchange.question_tags where deleted_at is null",
    )
    assert sorted(live_tags) == sorted(
        (i, tag) for i, q in newest.items() for tag in q.get("Tags", "")[1:-1].split("><")
    )
    runs = _query(db_path, "select dump_date from raw_stackexchange.load_runs order by started_at")
    assert runs == [(date(2014, 5, 2),), (date(2014, 6, 1),), (date(2014, 7, 1),)]


def test_reloading_the_newest_dump_changes_nothing(tmp_path: Path, dumps: list[Path]) -> None:
    db_path = tmp_path / "w.duckdb"
    for dump in dumps:
        _load(db_path, dump)
    before = _raw_state(db_path)
    _load(db_path, dumps[-1])
    after = _raw_state(db_path)
    assert {t: rows for t, rows in after.items() if t != "load_runs"} == {
        t: rows for t, rows in before.items() if t != "load_runs"
    }


def test_an_older_dump_is_refused_and_changes_nothing_unless_forced(
    tmp_path: Path, dumps: list[Path]
) -> None:
    a, b, c = dumps
    db_path = tmp_path / "w.duckdb"
    _load(db_path, c)
    before = _raw_state(db_path)
    with pytest.raises(LoadError) as raised:
        _load(db_path, b)  # its date is known only once the file has been read
    message = str(raised.value)
    assert "\n" not in message and "dated 2014-06-01, older than the dump of 2014-07-01" in message
    assert "--force" in message
    with pytest.raises(LoadError, match="older than the dump of 2014-07-01"):
        _load(db_path, b, dump_date=date(2014, 6, 1))  # refused before the file is opened
    assert _raw_state(db_path) == before
    _load(db_path, b, force=True)
    live = _query(
        db_path, "select count(*) from raw_stackexchange.questions where deleted_at is null"
    )
    assert live == [(len(_posts(b, "1")),)]


def _with_rows(folder: Path, extra: list[str]) -> Path:
    """The real beer dump with `extra` rows appended, in a folder named after the site."""
    path = folder / SITE / "Posts.xml"
    path.parent.mkdir(parents=True)
    text = BEER_POSTS.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("</posts>", "\n".join(extra) + "\n</posts>"), encoding="utf-8")
    return path


def test_fabricated_posts_and_id_outliers_are_dropped_and_counted(tmp_path: Path) -> None:
    fabricated = [
        '  <row Id="1000000001" PostTypeId="1" CreationDate="2014-03-01T00:00:00.000" Score="0" '
        'ViewCount="1" OwnerUserId="-1" Title="x" Tags="&lt;brewing&gt;" AnswerCount="1" />',
        '  <row Id="1000000010" PostTypeId="2" ParentId="1000000001" '
        'CreationDate="2014-03-01T00:00:00.000" Score="0" OwnerUserId="-1" />',
    ]
    outliers = [  # more than 10x the largest real question (758) and answer (767) ids
        '  <row Id="7581" PostTypeId="1" CreationDate="2014-03-02T00:00:00.000" Score="0" '
        'ViewCount="1" OwnerUserId="5" Title="x" Tags="&lt;taste&gt;" AnswerCount="0" />',
        '  <row Id="99999" PostTypeId="2" ParentId="1" '
        'CreationDate="2014-03-02T00:00:00.000" Score="0" OwnerUserId="5" />',
    ]
    db_path = tmp_path / "w.duckdb"
    result = run_dump_load(
        db_path, _with_rows(tmp_path, fabricated + outliers), windows=WINDOWS, progress=_quiet
    )
    questions, answers = _posts(BEER_POSTS, "1"), _posts(BEER_POSTS, "2")
    assert result.row_counts["questions"] == len(questions) == 244
    assert result.row_counts["answers"] == len(answers) == 448
    ((skipped, reasons),) = _query(
        db_path, "select items_skipped, skipped_reasons from raw_stackexchange.load_runs"
    )
    reasons = json.loads(reasons)
    assert (reasons["fabricated_post"], reasons["id_outlier"]) == (2, 2)
    assert skipped == sum(reasons.values())
    ids = _query(db_path, "select max(question_id) from raw_stackexchange.questions")
    assert ids == [(max(questions),)]


@pytest.mark.parametrize(
    ("rows", "missing"),
    [
        (['  <row Id="1" TagName="hops" Count="3" />'], "PostTypeId"),  # Tags.xml, not Posts.xml
        (['  <row Id="1" PostTypeId="1" Title="t" Tags="|a|" />'], "CreationDate"),
    ],
)
def test_a_file_that_is_not_posts_xml_is_refused_before_anything_is_written(
    tmp_path: Path, rows: list[str], missing: str
) -> None:
    db_path = tmp_path / "w.duckdb"
    _load(db_path, BEER_POSTS, site=SITE)
    before = _raw_state(db_path)
    other = tmp_path / "other" / SITE / "Posts.xml"
    other.parent.mkdir(parents=True)
    other.write_text('<?xml version="1.0"?>\n<tags>\n' + "\n".join(rows) + "\n</tags>\n")
    with pytest.raises(LoadError) as raised:
        _load(db_path, other)
    message = str(raised.value)
    assert "\n" not in message
    assert f"row 1 has no {missing}: this is not a Stack Exchange Posts.xml" in message
    assert _raw_state(db_path) == before
    pending = _query(db_path, "select count(*) from raw_stackexchange.dump_questions_pending")
    assert pending == [(0,)]


def test_the_real_tags_xml_is_refused(tmp_path: Path) -> None:
    tags = tmp_path / SITE / "Posts.xml"
    tags.parent.mkdir()
    shutil.copy(BEER_POSTS.with_name("Tags.xml"), tags)
    with pytest.raises(LoadError, match="row 1 has no PostTypeId"):
        _load(tmp_path / "w.duckdb", tags)
    tables = _query(
        tmp_path / "w.duckdb",
        "select table_name from information_schema.tables where table_name = 'questions'",
    )
    assert tables == []
