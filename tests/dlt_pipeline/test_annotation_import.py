"""`ptmwh annotations import`: whole files accepted or rejected by line, idempotent merges."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dlt_pipeline.annotation_runner import import_annotations
from dlt_pipeline.annotations import AnnotationFileError, read_taxonomy_codes
from dlt_pipeline.results import LoadError, LoadResult

SAMPLE_IDS = range(100, 120)
HEADER = "id,link,title,tags,score,body_excerpt,drawn_by,annotator,code\n"
"""A sample CSV written before `ptmwh sample` wrote a `topic` column: imported with `--topic`."""
TOPICS = frozenset({"ptm", "llm"})
"""The topics the CLI would read from the seeds."""


def _import(db_path: Path, files: list[Path], **options: object) -> LoadResult:
    """`ptmwh annotations import --topic ptm FILE...` unless `topic` says otherwise."""
    options.setdefault("topic", "ptm")
    return import_annotations(db_path, files, known_topics=TOPICS, **options)  # type: ignore[arg-type]


def _row(question_id: int, annotator: str, code: str) -> str:
    link = f"https://stackoverflow.com/q/{question_id}"
    return f'{question_id},{link},"A, title",bert,3,text,random,{annotator},{code}\n'


def _record_sample(db_path: Path) -> Path:
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema analysis")
        con.execute(
            "create table analysis.annotation_samples as select 'ptm-2023-06-15' as sample_id, "
            "range as question_id, 'random' as drawn_by from range(100, 120)"
        )
    return db_path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return _record_sample(tmp_path / "warehouse.duckdb")


@pytest.fixture(scope="module")
def carols_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with a sample and carol's one label, imported once and copied per test."""
    work_dir = tmp_path_factory.mktemp("carol")
    db_path = _record_sample(work_dir / "warehouse.duckdb")
    _import(db_path, [_write(work_dir / "good.csv", HEADER + _row(110, "carol", "Model Saving"))])
    return db_path


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _labels(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        try:
            return con.sql(
                "select question_id, annotator, code, source_file "
                "from raw_annotations.annotation_labels order by 1, 2"
            ).fetchall()
        except duckdb.CatalogException:
            return []


def test_import_loads_labels_and_reimport_is_idempotent(warehouse: Path, tmp_path: Path):
    labelled = _write(
        tmp_path / "alice.csv",
        HEADER
        + _row(100, "alice", "Fine-tuning")
        + _row(101, " alice ", "fine-TUNING")
        + _row(102, "alice", "False positive")
        + _row(103, "", "")
        + "\n",
    )

    first = _import(warehouse, [labelled])
    again = _import(warehouse, [labelled])

    expected = [
        (100, "alice", "Fine-tuning", "alice.csv"),
        (101, "alice", "Fine-tuning", "alice.csv"),
        (102, "alice", "False positive", "alice.csv"),
    ]
    assert _labels(warehouse) == expected
    assert first.items_loaded == {"annotation_labels": 3}
    assert again.row_counts == {"annotation_labels": 3}
    assert "1 row(s) without a code skipped" in again.summary_line()
    assert (tmp_path / ".dlt_pipelines" / "warehouse").is_dir()


def test_corrected_file_replaces_codes_and_later_file_wins(warehouse: Path, tmp_path: Path):
    _import(warehouse, [_write(tmp_path / "a.csv", HEADER + _row(100, "bob", "Tokenizer"))])
    _import(
        warehouse,
        [
            _write(tmp_path / "b.csv", HEADER + _row(100, "bob", "Parameter")),
            _write(tmp_path / "c.csv", HEADER + _row(100, "bob", "Model Loading")),
        ],
    )
    assert _labels(warehouse) == [(100, "bob", "Model Loading", "c.csv")]


@pytest.mark.parametrize(
    ("text", "encoding", "line", "message"),
    [
        (
            HEADER + _row(100, "bob", "Tokenizer") + _row(101, "bob", "Vibes"),
            "utf-8",
            3,
            "unknown code 'Vibes'",
        ),
        (HEADER + _row(999, "bob", "Tokenizer"), "utf-8", 2, "question 999 is not in the recorded"),
        (
            HEADER + _row(100, "bob", "Tokenizer") + _row(101, " ", "Parameter"),
            "utf-8",
            3,
            "no annotator name",
        ),
        (HEADER + "100,x\n", "utf-8", 2, "has 2 fields but the header has 9"),
        ("id,annotator,label\n" + "100,bob,Tokenizer\n", "utf-8", 1, "lacks column(s) code"),
        ("", "utf-8", 1, "lacks column(s) id, annotator, code"),
        (
            HEADER + _row(100, "bob", "Tokenizer") + _row(101, "Jürgen", "Parameter"),
            "latin-1",
            3,
            "not UTF-8",
        ),
        (HEADER + '100,l,"unclosed,t,1,x,random,bob,Tokenizer\n', "utf-8", 2, "malformed CSV"),
        (
            HEADER + _row(100, "bob", "Tokenizer") + _row(100, "bob", "Parameter"),
            "utf-8",
            3,
            "already has code 'Tokenizer'",
        ),
        (
            HEADER + "abc,l,t,g,1,x,random,bob,Tokenizer\n",
            "utf-8",
            2,
            "id 'abc' is not a question id",
        ),
        (
            "id,annotator,code,phase\n100,bob,Tokenizer,pilot\n101,bob,Parameter,training\n",
            "utf-8",
            3,
            "unknown phase 'training': use pilot or independent (empty means independent)",
        ),
        (
            "id,annotator,code,phase\n100,bob,Tokenizer,pilot\n100,bob,Tokenizer,independent\n",
            "utf-8",
            3,
            "already has code 'Tokenizer' (pilot) from 'bob' on line 2",
        ),
    ],
    ids=[
        "unknown-code",
        "id-not-in-sample",
        "missing-annotator",
        "wrong-field-count",
        "bad-header",
        "empty-file",
        "wrong-encoding",
        "bad-quoting",
        "conflicting-codes",
        "non-numeric-id",
        "unknown-phase",
        "conflicting-phases",
    ],
)
def test_bad_file_is_rejected_by_line_and_nothing_is_loaded(
    carols_import: Path, tmp_path: Path, text: str, encoding: str, line: int, message: str
):
    warehouse = Path(shutil.copy(carols_import, tmp_path / "warehouse.duckdb"))
    bad = _write(tmp_path / "bad.csv", text, encoding)
    more = _write(tmp_path / "more.csv", HEADER + _row(111, "carol", "Model Testing"))

    with pytest.raises(AnnotationFileError) as error:
        _import(warehouse, [more, bad])

    assert str(error.value).startswith(f"bad.csv line {line}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert (error.value.file_name, error.value.line) == ("bad.csv", line)
    assert _labels(warehouse) == [(110, "carol", "Model Saving", "good.csv")]


def test_phase_column_is_optional_and_defaults_to_independent(warehouse: Path, tmp_path: Path):
    with_phase = _write(
        tmp_path / "pilot.csv",
        "id,annotator,code,phase\n"
        "100,alice,Tokenizer,Pilot\n"
        "101,alice,Parameter, independent \n"
        "102,alice,Parameter,\n",
    )
    without_phase = _write(tmp_path / "bob.csv", HEADER + _row(100, "bob", "Tokenizer"))

    _import(warehouse, [with_phase, without_phase], is_synthetic=True)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql(
            "select question_id, annotator, phase, is_synthetic "
            "from raw_annotations.annotation_labels order by 1, 2"
        ).fetchall()
    assert rows == [
        (100, "alice", "pilot", True),
        (100, "bob", "independent", True),
        (101, "alice", "independent", True),
        (102, "alice", "independent", True),
    ]


def test_import_without_a_recorded_sample_says_what_to_run(tmp_path: Path):
    labelled = _write(tmp_path / "a.csv", HEADER + _row(100, "bob", "Tokenizer"))
    with pytest.raises(LoadError, match="run `ptmwh sample`"):
        _import(tmp_path / "none.duckdb", [labelled])
    with pytest.raises(LoadError, match="no files given"):
        _import(tmp_path / "none.duckdb", [])


def test_codes_come_from_the_taxonomy_seed():
    codes = read_taxonomy_codes()
    assert len(codes) == 43
    assert codes["false positive"] == "False positive"
    assert codes["library compatibility/version"] == "Library Compatibility/Version"


def _topic_labels(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(
            "select topic, question_id, annotator, code "
            "from raw_annotations.annotation_labels order by 1, 2, 3"
        ).fetchall()


def test_a_question_labelled_for_two_topics_is_two_labels(warehouse: Path, tmp_path: Path):
    labelled = _write(
        tmp_path / "alice.csv",
        "id,annotator,code,topic\n"
        "100,alice,Tokenizer,ptm\n"
        "100,alice,Parameter,LLM\n"
        "101,alice,Parameter,\n",
    )

    result = _import(warehouse, [labelled], topic="llm")

    assert _topic_labels(warehouse) == [
        ("llm", 100, "alice", "Parameter"),
        ("llm", 101, "alice", "Parameter"),
        ("ptm", 100, "alice", "Tokenizer"),
    ]
    assert result.row_counts == {"annotation_labels": 3}


def test_a_file_without_topic_column_or_flag_is_refused_in_one_line(
    carols_import: Path, tmp_path: Path
):
    warehouse = Path(shutil.copy(carols_import, tmp_path / "warehouse.duckdb"))
    more = _write(tmp_path / "more.csv", "id,annotator,code,topic\n111,carol,Tokenizer,ptm\n")
    bare = _write(tmp_path / "bare.csv", HEADER + _row(112, "carol", "Tokenizer"))

    with pytest.raises(LoadError) as error:
        _import(warehouse, [more, bare], topic=None)

    assert str(error.value) == "bare.csv: no topic column; pass --topic NAME"
    assert _labels(warehouse) == [(110, "carol", "Model Saving", "good.csv")]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("id,annotator,code,topic\n111,carol,Tokenizer,ptm\n112,carol,Tokenizer,nlp\n", None),
        (HEADER + _row(111, "carol", "Tokenizer") + _row(112, "carol", "Tokenizer"), "nlp"),
    ],
    ids=["topic-column", "topic-flag"],
)
def test_an_unknown_topic_is_refused_by_line_naming_the_known_topics(
    carols_import: Path, tmp_path: Path, text: str, topic: str | None
):
    warehouse = Path(shutil.copy(carols_import, tmp_path / "warehouse.duckdb"))
    bad = _write(tmp_path / "bad.csv", text)

    with pytest.raises(AnnotationFileError) as error:
        _import(warehouse, [bad], topic=topic)

    line = 3 if topic is None else 2
    assert str(error.value) == (
        f"bad.csv line {line}: unknown topic 'nlp': use one of llm, ptm "
        "(dbt_project/seeds/topics.csv); nothing was imported"
    )
    assert _labels(warehouse) == [(110, "carol", "Model Saving", "good.csv")]
