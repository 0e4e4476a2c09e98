"""`ptmwh annotations import [--topic NAME] FILE…`: topics from the seeds, one-line refusals."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ptmwh import cli
from ptmwh.topics import read_topics

HEADER = "id,annotator,code"


def _warehouse_with_sample(db_path: Path) -> Path:
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema analysis")
        con.execute(
            "create table analysis.annotation_samples as select 'ptm-2023-06-15' as sample_id, "
            "range as question_id, 'ptm' as topic from range(100, 110)"
        )
    return db_path


def _labels(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        try:
            return con.sql(
                "select topic, question_id, annotator from raw_annotations.annotation_labels"
            ).fetchall()
        except duckdb.CatalogException:
            return []


@pytest.mark.parametrize(
    ("text", "flags", "message"),
    [
        (f"{HEADER}\n100,alice,Tokenizer\n", [], "bare.csv: no topic column; pass --topic NAME"),
        (
            f"{HEADER},topic\n100,alice,Tokenizer,nlp\n",
            [],
            "bare.csv line 2: unknown topic 'nlp': use one of {known} "
            "(dbt_project/seeds/topics.csv); nothing was imported",
        ),
    ],
    ids=["no-topic", "unknown-topic"],
)
def test_import_refusals_are_one_line_and_import_nothing(
    seeds: Path, tmp_path: Path, capsys, text: str, flags: list[str], message: str
):
    db_path = _warehouse_with_sample(tmp_path / "w.duckdb")
    bare = tmp_path / "bare.csv"
    bare.write_text(text, encoding="utf-8")

    assert cli.main(["annotations", "import", *flags, str(bare)]) == 1

    known = ", ".join(sorted(read_topics()))
    assert capsys.readouterr().err == f"ptmwh annotations: error: {message.format(known=known)}\n"
    assert "ptm" in known
    assert _labels(db_path) == []


def test_topic_flag_names_the_topic_of_a_csv_without_the_column(seeds: Path, tmp_path: Path):
    db_path = _warehouse_with_sample(tmp_path / "w.duckdb")
    labelled = tmp_path / "old.csv"
    labelled.write_text(f"{HEADER}\n100,alice,Tokenizer\n", encoding="utf-8")

    assert cli.main(["annotations", "import", "--topic", "ptm", str(labelled)]) == 0

    assert _labels(db_path) == [("ptm", 100, "alice")]
