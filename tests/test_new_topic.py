"""The "new topic" user story end to end: topic add -> load -> build -> analyze -> report.

Against the loopback replay, with a copy of the dbt project (its seeds included) so the
repository's seeds stay untouched. The new topic's marts are checked against plain Python over the
served dataset, and ptm's marts must not change because another topic was added beside it.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli, topics
from tests.fakes import make_dataset, serve

ROOT = Path(__file__).resolve().parents[1]
YEAR_2021 = (
    int(datetime(2021, 1, 1, tzinfo=UTC).timestamp()),
    int(datetime(2022, 1, 1, tzinfo=UTC).timestamp()),
)
RUST_TAGS = {"rust", "tokio"}
PTM_MARTS = ("rpt_difficulty", "rpt_tag_frequency", "rpt_popularity_yearly")

pytestmark = pytest.mark.slow


def _project(work: Path) -> Path:
    """A copy of the dbt project, without build output."""
    project = work / "dbt_project"
    shutil.copytree(
        ROOT / "dbt_project",
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    return project


def _run(monkeypatch: pytest.MonkeyPatch, work: Path, url: str, steps: list[list[str]]) -> Path:
    """Run `ptmwh` steps against a warehouse and a dbt project of `work`'s own."""
    project = _project(work)
    monkeypatch.setattr(topics, "SEEDS_DIR", project / "seeds")
    monkeypatch.setenv("PTMWH_DBT_PROJECT_DIR", str(project))
    monkeypatch.setenv("PTMWH_DB", str(work / "w.duckdb"))
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__BASE_URL", url)
    monkeypatch.setenv("SOURCES__STACKEXCHANGE__SAMPLE_SIZE", "120")
    for step in steps:
        assert cli.main(step) == 0, step
    return work / "w.duckdb"


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A warehouse with rustasync added beside ptm, and one with ptm alone, from one dataset."""
    dataset = make_dataset(
        {"rust": 40, "tokio": 25, "huggingface-transformers": 30, "gpt-2": 15},
        shared=10,
        baseline=200,
    )
    load = ["load", "--baseline", "sample"]
    rest = [["build"], ["analyze"]]
    patch = pytest.MonkeyPatch()
    try:
        with serve(dataset) as url:
            both_dir = tmp_path_factory.mktemp("both")
            add = ["topic", "add", "rustasync", "--tags", "rust,tokio"]
            both = _run(
                patch,
                both_dir,
                url,
                [
                    [*add, "--from", "2021-01-01", "--to", "2021-12-31"],
                    [*load, "--topic", "rustasync", "--topic", "ptm"],
                    *rest,
                    ["report", "--out", str(both_dir / "site")],
                ],
            )
            alone = _run(
                patch, tmp_path_factory.mktemp("alone"), url, [[*load, "--topic", "ptm"], *rest]
            )
    finally:
        patch.undo()
    return {"dataset": dataset, "both": both, "alone": alone, "site": both_dir / "site"}


def test_new_topic_difficulty_equals_plain_python_over_the_dataset(warehouses):
    db = warehouses["both"]
    sampled = {
        q
        for (q,) in _query(
            db, "select question_id from raw_stackexchange.baseline_sample_questions"
        )
    }
    in_2021 = [
        q
        for q in warehouses["dataset"].questions
        if YEAR_2021[0] <= q["creation_date"] < YEAR_2021[1]
    ]
    groups = {
        "topic": [q for q in in_2021 if RUST_TAGS & set(q["tags"])],
        "baseline": [
            q for q in in_2021 if not RUST_TAGS & set(q["tags"]) and q["question_id"] in sampled
        ],
    }
    rows = _query(
        db,
        "select question_group, n_questions, no_accepted_answer_rate from marts.rpt_difficulty "
        "where topic = 'rustasync' order by 1",
    )
    assert [row[0] for row in rows] == ["baseline", "topic"]
    for group, n_questions, rate in rows:
        members = groups[group]
        assert members and n_questions == len(members), group
        no_accepted = sum(1 for q in members if "accepted_answer_id" not in q)
        assert rate == pytest.approx(no_accepted / len(members)), group


def test_new_topic_marts_hold_only_its_tags_and_window(warehouses):
    db = warehouses["both"]
    tags = {
        t
        for (t,) in _query(db, "select tag from marts.rpt_tag_frequency where topic = 'rustasync'")
    }
    assert tags == RUST_TAGS
    years = _query(
        db, "select distinct year from marts.rpt_popularity_yearly where topic = 'rustasync'"
    )
    assert years == [(2021,)]
    by_tag_years = _query(
        db, "select distinct year from marts.rpt_popularity_tag_yearly where topic = 'rustasync'"
    )
    assert by_tag_years == [(2021,)]


def test_ptm_is_unchanged_by_the_new_topic(warehouses):
    for mart in PTM_MARTS:
        sql = f"select * from marts.{mart} where topic = 'ptm' order by all"
        with_new = _query(warehouses["both"], sql)
        assert with_new, mart
        assert with_new == _query(warehouses["alone"], sql), mart


def test_report_names_the_new_topic_with_its_window(warehouses):
    report = (warehouses["site"] / "report.md").read_text()
    assert "rustasync" in report
    assert "2021-01-01" in report and "2021-12-31" in report
