"""The dump parser alone: tag formats, titles, dates, window, bounded batches, errors, formats."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from dlt_pipeline.results import LoadError
from dlt_pipeline.stackexchange_dump.batches import PostBatch
from dlt_pipeline.stackexchange_dump.files import open_dump
from dlt_pipeline.stackexchange_dump.parse import (
    DumpParseError,
    ParseOptions,
    _strip_non_question_bodies,
    iter_post_batches,
)
from study.window import Window

WINDOW = Window(date(2020, 1, 1), date(2020, 12, 31))


def question_row(post_id: int, created: str, tags: str, title: str = "T", extra: str = "") -> str:
    return (
        f'  <row Id="{post_id}" PostTypeId="1" CreationDate="{created}" Score="2" ViewCount="30" '
        f'Body="&lt;p&gt;body&lt;/p&gt;" OwnerUserId="9" LastActivityDate="{created}" '
        f'Title="{title}" Tags="{tags}" AnswerCount="1" CommentCount="0"{extra} />'
    )


def answer_row(post_id: int, parent: int, created: str) -> str:
    return (
        f'  <row Id="{post_id}" PostTypeId="2" ParentId="{parent}" CreationDate="{created}" '
        f'Score="1" Body="&lt;p&gt;a&lt;/p&gt;" LastActivityDate="{created}" CommentCount="0" />'
    )


def write_dump(path: Path, rows: list[str], *, close: bool = True) -> Path:
    """Write a small Posts.xml (gzip when the name ends in .gz) as the official dump lays it out."""
    text = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "\n".join(rows) + "\n"
    data = (text + ("</posts>\n" if close else "")).encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def _parse(path: Path, window: Window = WINDOW, **options: object) -> list[PostBatch]:
    with open_dump(path) as stream:
        parse = ParseOptions((window,), "stackoverflow.com", **options)  # type: ignore[arg-type]
        return list(iter_post_batches(stream, parse))


def _rows(batches: list[PostBatch], table: str) -> list[dict[str, object]]:
    return [row for batch in batches for row in getattr(batch, table).to_pylist()]


def test_both_tag_formats_give_ordered_tags(tmp_path: Path) -> None:
    path = write_dump(
        tmp_path / "Posts.xml",
        [
            question_row(1, "2020-02-01T10:00:00.123", "&lt;python&gt;&lt;bert-language-model&gt;"),
            question_row(2, "2020-02-02T10:00:00.000", "|gpt-3|openai-api|python|"),
        ],
    )
    tags = [
        (r["question_id"], r["tag"], r["tag_position"])
        for r in _rows(_parse(path), "question_tags")
    ]
    assert tags == [
        (1, "python", 0),
        (1, "bert-language-model", 1),
        (2, "gpt-3", 0),
        (2, "openai-api", 1),
        (2, "python", 2),
    ]


def test_title_entities_are_html_encoded_like_the_api(tmp_path: Path) -> None:
    title = "a &amp; b &lt;c&gt; &quot;q&quot; it's"
    path = write_dump(
        tmp_path / "Posts.xml", [question_row(1, "2020-03-01T00:00:00", "|x|", title)]
    )
    (question,) = _rows(_parse(path), "questions")
    assert question["title"] == "a &amp; b &lt;c&gt; &quot;q&quot; it&#39;s"


def test_question_columns_follow_the_contract(tmp_path: Path) -> None:
    extra = (
        ' AcceptedAnswerId="5" ClosedDate="2020-03-02T00:00:01.999" ContentLicense="CC BY-SA 4.0"'
    )
    path = write_dump(
        tmp_path / "Posts.xml", [question_row(7, "2020-03-01T00:00:00.500", "|x|", extra=extra)]
    )
    (question,) = _rows(_parse(path), "questions")
    assert question == {
        "site": "stackoverflow.com",
        "question_id": 7,
        "title": "T",
        "link": "https://stackoverflow.com/q/7",
        "body": "<p>body</p>",
        "score": 2,
        "view_count": 30,
        "answer_count": 1,
        "is_answered": True,
        "accepted_answer_id": 5,
        "creation_date": 1583020800,
        "last_activity_date": 1583020800,
        "owner_user_id": 9,
        "closed_date": 1583107201,
        "content_license": "CC BY-SA 4.0",
        "data_source": "dump",
        "collected_by": "dump",
        "collected_at": None,
        "is_synthetic": False,
        "deleted_at": None,
    }


def test_question_bodies_are_kept_unless_turned_off(tmp_path: Path) -> None:
    path = write_dump(tmp_path / "Posts.xml", [question_row(1, "2020-03-01T00:00:00", "|x|")])
    assert _rows(_parse(path), "questions")[0]["body"] == "<p>body</p>"
    assert _rows(_parse(path, include_bodies=False), "questions")[0]["body"] is None


def test_only_question_bodies_reach_the_parser() -> None:
    rows = "\n".join(
        [
            question_row(1, "2020-03-01T00:00:00", "|x|"),
            answer_row(2, 1, "2020-03-02T00:00:00"),
            '  <row Id="3" PostTypeId="5" CreationDate="2020-03-03T00:00:00" Body="wiki" />',
        ]
    ).encode()
    kept = _strip_non_question_bodies(rows).decode().splitlines()
    assert kept[0] == question_row(1, "2020-03-01T00:00:00", "|x|")
    assert kept[1] == answer_row(2, 1, "2020-03-02T00:00:00").replace(
        ' Body="&lt;p&gt;a&lt;/p&gt;"', ""
    )
    assert kept[2] == '  <row Id="3" PostTypeId="5" CreationDate="2020-03-03T00:00:00" />'


def test_window_skips_questions_outside_and_answers_before_it(tmp_path: Path) -> None:
    path = write_dump(
        tmp_path / "Posts.xml",
        [
            question_row(1, "2019-12-31T23:59:59.999", "|old|"),
            answer_row(2, 1, "2019-12-31T23:59:59.999"),
            question_row(3, "2020-01-01T00:00:00.000", "|first-day|"),
            question_row(4, "2020-12-31T23:59:59.999", "|last-day|"),
            question_row(5, "2021-01-01T00:00:00.000", "|too-new|"),
            answer_row(6, 4, "2021-01-05T00:00:00.000"),
        ],
    )
    batches = _parse(path)
    assert [r["question_id"] for r in _rows(batches, "questions")] == [3, 4]
    # A late answer waits for its question; one before the window cannot belong to it.
    assert [r["answer_id"] for r in _rows(batches, "answers")] == [6]
    assert batches[-1].posts_seen == 6


def test_batches_stay_bounded_by_batch_rows_plus_one_chunk(tmp_path: Path) -> None:
    rows = [question_row(i, "2020-05-01T00:00:00", "|x|") for i in range(1, 201)]
    path = write_dump(tmp_path / "Posts.xml", rows)
    line_bytes = len(rows[0]) + 1
    batches = _parse(path, batch_rows=10, chunk_bytes=line_bytes)
    sizes = [batch.kept_posts for batch in batches]
    # Each chunk is one line plus the rest of the line it ends in: at most two rows over batch_rows.
    assert max(sizes) <= 12
    assert sum(sizes) == 200
    assert len(batches) >= 200 // 12


def test_truncated_file_yields_rows_before_and_names_the_line(tmp_path: Path) -> None:
    rows = [question_row(i, "2020-05-01T00:00:00", "|x|") for i in range(1, 4)]
    path = write_dump(tmp_path / "Posts.xml", rows, close=False)
    path.write_bytes(path.read_bytes() + rows[0][:40].encode())  # half a row, then the file ends
    batches: list[PostBatch] = []
    with pytest.raises(DumpParseError) as raised, open_dump(path) as stream:
        for batch in iter_post_batches(stream, ParseOptions((WINDOW,), "stackoverflow.com")):
            batches.append(batch)
    assert [r["question_id"] for r in _rows(batches, "questions")] == [1, 2, 3]
    message = str(raised.value)
    assert "\n" not in message
    assert "line 6" in message
    assert "unclosed token" in message


def test_corrupt_row_names_its_line_and_byte_offset(tmp_path: Path) -> None:
    rows = [question_row(i, "2020-05-01T00:00:00", "|x|") for i in range(1, 4)]
    rows[1] = rows[1].replace('Score="2"', 'Score="2" Score="3"')  # duplicate attribute
    path = write_dump(tmp_path / "Posts.xml", rows)
    offset = path.read_bytes().index(rows[1].encode())
    batches: list[PostBatch] = []
    with pytest.raises(DumpParseError) as raised, open_dump(path) as stream:
        batches.extend(iter_post_batches(stream, ParseOptions((WINDOW,), "stackoverflow.com")))
    assert [r["question_id"] for r in _rows(batches, "questions")] == [1]
    assert f"line 4 (byte {offset} of the XML)" in str(raised.value)


def test_gzip_dump_is_streamed(tmp_path: Path) -> None:
    path = write_dump(
        tmp_path / "Posts.xml.gz",
        [question_row(1, "2020-02-01T10:00:00", "|a|"), answer_row(2, 1, "2020-02-01T11:00:00")],
    )
    batches = _parse(path)
    assert [r["question_id"] for r in _rows(batches, "questions")] == [1]
    assert batches[-1].bytes_read == path.stat().st_size


def test_truncated_gzip_fails_in_one_line(tmp_path: Path) -> None:
    path = write_dump(tmp_path / "Posts.xml.gz", [question_row(1, "2020-02-01T10:00:00", "|a|")])
    path.write_bytes(path.read_bytes()[:-12])
    with pytest.raises(DumpParseError, match="corrupt or truncated"):
        _parse(path)


def test_seven_zip_without_a_7z_program_says_how_to_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "stackoverflow.com-Posts.7z"
    archive.write_bytes(b"7z\xbc\xaf\x27\x1c")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with (
        pytest.raises(LoadError, match=r"no 7-Zip program found .*apt-get install 7zip"),
        open_dump(archive),
    ):
        pass


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="dump file not found"), open_dump(tmp_path / "nope.xml"):
        pass
