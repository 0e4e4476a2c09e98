"""One cleaning of a question's text for every loader, on real bodies.

The real bioinformatics dump's questions are read twice: by the dump loader's parser, and as the
API would send them (title HTML-encoded, body as a JSON string) through the API loader's row
builder. Both must give the same tokens; code blocks, inline code and URLs never become tokens.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from analysis_py.themes.text import STOP_WORDS, plain_text, question_tokens
from dlt_pipeline.stackexchange.client import ApiRun
from dlt_pipeline.stackexchange.rows import question_rows
from dlt_pipeline.stackexchange_dump.files import open_dump
from dlt_pipeline.stackexchange_dump.parse import ParseOptions, iter_post_batches
from study.window import Window

DUMP = (
    Path(__file__).resolve().parents[2] / "fixtures" / "real" / "se-dump-bioinformatics"
    / "Posts.xml"
)  # fmt: skip
SITE = "bioinformatics.stackexchange.com"


def _xml_questions() -> list[dict[str, str]]:
    return [dict(row.attrib) for row in ET.parse(DUMP).getroot() if row.get("PostTypeId") == "1"]


def _dump_rows() -> dict[int, dict]:
    with open_dump(DUMP) as stream:
        batches = list(
            iter_post_batches(
                stream, ParseOptions((Window(date(2017, 1, 1), date(2017, 12, 31)),), SITE)
            )
        )
    return {row["question_id"]: row for batch in batches for row in batch.questions.to_pylist()}


def _api_row(question: dict[str, str]) -> dict:
    created = datetime.fromisoformat(question["CreationDate"]).replace(tzinfo=UTC)
    item = {
        "question_id": int(question["Id"]),
        "creation_date": int(created.timestamp()),
        "title": html.escape(question["Title"], quote=True),
        "body": question["Body"],
        "tags": [],
    }
    page = json.loads(json.dumps({"items": [item]}))
    row, _ = question_rows(
        page["items"][0], "tag_query", False, ApiRun(progress=lambda line: None),
        site=SITE, observed_at=0,
    )  # fmt: skip
    return row


def test_the_same_post_gives_the_same_tokens_from_the_api_and_from_the_dump() -> None:
    questions = _xml_questions()
    dump = _dump_rows()
    assert len(questions) == len(dump) == 419
    for question in questions:
        api = _api_row(question)
        from_dump = dump[int(question["Id"])]
        assert api["body"] == from_dump["body"] == question["Body"]
        tokens = question_tokens(api["title"], api["body"])
        assert tokens == question_tokens(from_dump["title"], from_dump["body"])
        assert tokens, question["Id"]


def _code_only_words(body: str) -> set[str]:
    """Words of 3+ letters found inside <pre>/<code> but nowhere in the prose or the title."""
    code = " ".join(re.findall(r"<code>(.*?)</code>", body, flags=re.S))
    prose = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", " ", body, flags=re.S)
    words = set(re.findall(r"[a-z]{3,}", html.unescape(code).lower()))
    return words - set(re.findall(r"[a-z]{3,}", html.unescape(prose).lower()))


def test_code_urls_markup_and_stop_words_never_become_tokens() -> None:
    with_code = [q for q in _xml_questions() if "<pre><code>" in q["Body"]]
    assert len(with_code) > 50
    for question in with_code:
        tokens = set(question_tokens(question["Title"], question["Body"]))
        assert not tokens & (_code_only_words(question["Body"]) - _title_words(question)), question[
            "Id"
        ]
        assert not tokens & STOP_WORDS
        assert all(len(token) >= 3 and token.isalpha() and token.islower() for token in tokens)


def _title_words(question: dict[str, str]) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", question["Title"].lower()))


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Sort &amp; merge BAM", "<p>Use <a href='https://x.org/a'>samtools</a> &lt;sort&gt;</p>",
         "sort & merge bam use samtools <sort>"),
        ("", "<p>see www.example.com/p?q=1 now</p><pre><code>rm -rf</code></pre>", "see now"),
    ],
)  # fmt: skip
def test_plain_text_drops_markup_code_and_urls_and_decodes_entities(title, body, expected):
    assert " ".join(plain_text(title, body).split()) == expected
