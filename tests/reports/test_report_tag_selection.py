"""The RQ1 tag-selection partials: initial and selected set, the paper's counts, the rounds."""

from __future__ import annotations

import duckdb

from reports import tag_selection
from reports.marts_reader import MartsReader
from reports.renderer import _environment

COLUMNS = (
    "topic varchar, round integer, tag varchar, decision varchar, decided_round integer, "
    "n_round_tags bigint, n_topic_questions_before bigint, n_topic_questions_after bigint, "
    "n_questions_added bigint, round_status varchar, is_current_round boolean"
)
ROWS = [
    ("ptm", 1, "huggingface", "accept", 1, 10, 4303, 5896, 1593, "accepted_tags", False),
    ("ptm", 1, "pytorch", "reject", 1, 10, 4303, 5896, 1593, "accepted_tags", False),
    ("ptm", 1, "cuda", None, None, 10, 4303, 5896, 1593, "accepted_tags", False),
    ("ptm", 2, "pytorch", "reject", 1, 18, 5896, 5896, 0, "complete", True),
    ("ptm", 2, "spacy", "reject", 2, 18, 5896, 5896, 0, "complete", True),
]


def _reader() -> MartsReader:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(f"create table marts.rpt_tag_selection ({COLUMNS})")
    con.executemany(f"insert into marts.rpt_tag_selection values ({', '.join('?' * 11)})", ROWS)
    return MartsReader(con)


def test_gather_counts_the_initial_and_the_full_set_and_each_round():
    selection = tag_selection.gather(_reader(), "ptm")["tag_selection"]
    assert selection["initial"] == {"n_tags": 10, "n_questions": 4303}
    assert selection["full"] == {"n_tags": 18, "n_questions": 5896}
    assert selection["is_complete"]
    first, second = selection["rounds"]
    assert (first["accepted"], first["rejected"], first["n_candidates"]) == (
        ["huggingface"], ["pytorch"], 3
    )  # fmt: skip
    assert (second["accepted"], second["rejected"]) == (
        [],
        ["spacy"],
    )  # a carried reject is not new
    assert tag_selection.gather(_reader(), "bigdata") == {"tag_selection": None}


def test_gather_is_empty_on_a_warehouse_without_the_mart():
    assert tag_selection.gather(MartsReader(duckdb.connect()), "ptm") == {"tag_selection": None}


def test_both_partials_render_the_rounds_beside_the_paper():
    topic = {"topic": "ptm", **tag_selection.gather(_reader(), "ptm")}
    html = _environment(markdown=False).get_template("_tag_selection.html.j2").render(topic=topic)
    assert "the 10 initial tags hold 4,303 questions, the 18 selected tags 5,896" in html
    assert "(paper: 10 tags, 4,303 questions → 18 tags, 5,896)" in html
    assert "<td><code>huggingface</code></td><td><code>pytorch</code></td>" in html
    md = _environment(markdown=True).get_template("_tag_selection.md.j2").render(topic=topic)
    assert "| 1 | 10 | 4,303 | 3 | huggingface | pytorch | 1,593 | 5,896 |" in md
    assert "| 2 | 18 | 5,896 | 2 | – | spacy | 0 | 5,896 |" in md
    assert "the selection is complete" in md


def test_a_topic_without_decisions_is_described_as_taken_as_given():
    reader = _reader()
    reader._con.execute(
        "insert into marts.rpt_tag_selection values "
        "('bigdata', 1, 'java', null, null, 12, 1800, 1800, 0, 'open', true)"
    )
    topic = {"topic": "bigdata", **tag_selection.gather(reader, "bigdata")}
    md = _environment(markdown=True).get_template("_tag_selection.md.j2").render(topic=topic)
    assert md.strip() == (
        "Tag selection: the topic's 12 tags (1,800 questions) are taken as given; "
        "no snowball round is recorded (`ptmwh snowball --topic bigdata` starts one)."
    )
