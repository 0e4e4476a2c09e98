"""The parse of a Posts.xml in worker processes gives what the one-process parse gives.

Both ways of splitting: byte ranges of a plain file, and chunks of one stream (a `.7z`'s).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from dlt_pipeline.dump_runner import run_dump_load
from dlt_pipeline.stackexchange_dump.batches import PostBatch
from dlt_pipeline.stackexchange_dump.files import open_dump
from dlt_pipeline.stackexchange_dump.parse import ParseOptions
from dlt_pipeline.stackexchange_dump.ranges import (
    RangesFailed,
    iter_range_batches,
    iter_stream_batches,
    split_ranges,
)
from study.window import Window
from tests.dlt_pipeline.test_dump_parser import _parse, answer_row, question_row, write_dump

REAL_POSTS = Path(__file__).parents[1] / "fixtures" / "real" / "se-dump-beer" / "Posts.xml"
ALL_TIME = Window(date(2000, 1, 1), date(2030, 12, 31))


def _rows_by_id(batches: list[PostBatch], table: str, key: str) -> list[dict[str, object]]:
    rows = [row for batch in batches for row in getattr(batch, table).to_pylist()]
    return sorted(rows, key=lambda row: (row[key], row.get("tag_position") or 0))


def _options(**options: object) -> ParseOptions:
    return ParseOptions((ALL_TIME,), "stackoverflow.com", **options)  # type: ignore[arg-type]


def _in_ranges(path: Path, workers: int, **options: object) -> list[PostBatch]:
    return list(iter_range_batches(path, _options(**options), workers=workers))


def _in_chunks(path: Path, workers: int, **options: object) -> list[PostBatch]:
    """The file read as one stream, cut into 64 KiB chunks (the beer dump: 13 of them)."""
    options.setdefault("chunk_bytes", 64 * 1024)
    with open_dump(path) as stream:
        return list(iter_stream_batches(stream, _options(**options), workers=workers))


SPLITS = pytest.mark.parametrize("split", [_in_ranges, _in_chunks], ids=["ranges", "chunks"])


def test_ranges_start_and_end_at_line_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "Posts.xml"
    path.write_bytes(b"aaaa\nbbbbbbbb\ncc\ndddddd\n")
    ranges = split_ranges(path, 3)
    # cut 8 moves past "bbbbbbbb\n" to 14; cut 16 is the newline ending "cc", so 17
    assert ranges == [(0, 14), (14, 17), (17, 24)]
    pieces = [path.read_bytes()[start:end] for start, end in ranges]
    assert b"".join(pieces) == path.read_bytes()
    assert all(piece.endswith(b"\n") for piece in pieces)


@SPLITS
def test_two_workers_give_the_rows_and_counters_of_one_process(split) -> None:
    text = REAL_POSTS.read_text(encoding="utf-8-sig")
    one = _parse(REAL_POSTS, ALL_TIME)
    # Independently of either parser: rows and their types counted in the file's text.
    types = re.findall(r'<row Id="(\d+)" PostTypeId="(\d+)"', text)
    questions = [int(i) for i, kind in types if kind == "1"]
    answers = [int(i) for i, kind in types if kind == "2"]
    newest = max(re.findall(r'(?:CreationDate|LastActivityDate)="([^"]+)"', text))
    for workers in (2, 3):
        batches = split(REAL_POSTS, workers)
        last = batches[-1]
        assert last.posts_seen == len(types) == one[-1].posts_seen
        assert last.posts_kept == len(questions) + len(answers)
        assert last.other_post_types == len(types) - len(questions) - len(answers)
        assert last.top_ids["1"] == sorted(questions)[-4:]
        assert last.top_ids["2"] == sorted(answers)[-4:]
        assert last.newest_date == newest
        assert last.bytes_read == REAL_POSTS.stat().st_size
        for table, key in (("questions", "question_id"), ("answers", "answer_id")):
            assert _rows_by_id(batches, table, key) == _rows_by_id(one, table, key)
        assert _rows_by_id(batches, "question_tags", "question_id") == _rows_by_id(
            one, "question_tags", "question_id"
        )


@SPLITS
def test_the_row_at_the_split_point_is_parsed_once(split, tmp_path: Path) -> None:
    rows = [question_row(i, "2020-03-01T00:00:00.000", "&lt;a&gt;") for i in range(1, 41)]
    rows += [answer_row(100 + i, i, "2020-03-02T00:00:00.000") for i in range(1, 41)]
    path = write_dump(tmp_path / "Posts.xml", rows)
    data = path.read_bytes()
    middle = len(data) // 2
    assert data[middle - 1 : middle + 1] != b"\n<"  # the cut falls inside a row, not between two
    batches = split(path, 2, batch_rows=7, chunk_bytes=1000)
    ids = sorted(pa.concat_tables([b.questions for b in batches]).column("question_id").to_pylist())
    answers = sorted(pa.concat_tables([b.answers for b in batches]).column("answer_id").to_pylist())
    assert ids == list(range(1, 41))
    assert answers == list(range(101, 141))
    assert batches[-1].posts_seen == 80


@SPLITS
def test_a_corrupt_range_fails_so_the_file_is_parsed_in_one_process(split, tmp_path: Path) -> None:
    rows = [question_row(i, "2020-03-01T00:00:00.000", "&lt;a&gt;") for i in range(1, 40)]
    path = write_dump(tmp_path / "Posts.xml", rows, close=False)
    with pytest.raises(RangesFailed):
        split(path, 2, chunk_bytes=1000)


def test_a_stream_whose_last_row_ends_without_a_newline_is_parsed_whole(tmp_path: Path) -> None:
    rows = [question_row(i, "2020-03-01T00:00:00.000", "&lt;a&gt;") for i in range(1, 30)]
    path = write_dump(tmp_path / "Posts.xml", rows)
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))  # `</posts>` is the last byte
    batches = _in_chunks(path, 2, chunk_bytes=500)
    ids = sorted(pa.concat_tables([b.questions for b in batches]).column("question_id").to_pylist())
    assert ids == list(range(1, 30))
    assert batches[-1].bytes_read == path.stat().st_size


def test_a_row_longer_than_a_chunk_fails_so_the_stream_is_parsed_in_one_process(
    tmp_path: Path,
) -> None:
    rows = [question_row(i, "2020-03-01T00:00:00.000", "&lt;a&gt;") for i in range(1, 30)]
    path = write_dump(tmp_path / "Posts.xml", rows)
    row_bytes = max(len(line) for line in path.read_bytes().splitlines())
    with pytest.raises(RangesFailed, match="longer than"):
        _in_chunks(path, 2, chunk_bytes=row_bytes // 2)


def test_a_load_in_two_workers_equals_a_load_in_one(tmp_path: Path) -> None:
    results = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        window = [Window(date(2000, 1, 1), date(2030, 12, 31))]
        result = run_dump_load(
            db,
            REAL_POSTS,
            windows=window,
            site="beer",
            progress=lambda _: None,
            parse_workers=workers,
        )
        results[workers] = (result.items_loaded, result.row_counts)
    assert results[1] == results[2]


def test_a_corrupt_file_loaded_in_workers_reports_what_one_process_reports(
    tmp_path: Path,
) -> None:
    rows = [question_row(i, "2020-03-01T00:00:00.000", "&lt;a&gt;") for i in range(1, 40)]
    path = write_dump(tmp_path / "Posts.xml", rows, close=False)
    messages = []
    for workers in (1, 2):
        with pytest.raises(Exception) as failure:
            run_dump_load(
                tmp_path / f"w{workers}.duckdb",
                path,
                windows=[Window(date(2020, 1, 1), date(2020, 12, 31))],
                site="beer",
                progress=lambda _: None,
                parse_workers=workers,
            )
        messages.append(str(failure.value))
    assert messages[0] == messages[1]
    assert "line 42" in messages[0]
