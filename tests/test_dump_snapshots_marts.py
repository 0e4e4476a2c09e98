"""Three successive dumps of a site, loaded in order, give the marts of the newest dump alone.

The user story of a dump as a snapshot of its site, through the CLI and dbt: A, B, C (the real
beer dump, then versions with deleted posts, changed counts and retags; see
tests/fakes/dump_versions.py) loaded into one warehouse and C alone into another, each built by
`ptmwh build`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli, topics
from ptmwh.build import invoke_dbt, warehouse_target_path
from reports.marts_reader import REQUIRED_TABLES
from tests.dbt_project.dbt_helpers import failed_nodes
from tests.fakes.dump_versions import successive_dumps

ROOT = Path(__file__).resolve().parents[1]
REPORT_MARTS = sorted(table for schema, table in REQUIRED_TABLES if schema == "marts")
TOPIC = ["topic", "add", "brewing", "--tags", "brewing,taste,history", "--site", "beer",
         "--from", "2014-01-01", "--to", "2014-12-31"]  # fmt: skip

# Two dbt builds and three of the snapshot alone: beyond the suite's 300 s per test on busy cores.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _rounded(row: tuple) -> tuple:
    """Sums over rows merged in another order differ in the last bits of a double."""
    return tuple(f"{v:.10g}" if isinstance(v, float) else v for v in row)


def _mart(db: Path, table: str) -> list[tuple]:
    """Every row of a mart, sorted, without the columns that name a load (they differ by design)."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            if "load_id" not in name
        ]
        rows = con.execute(f"select {', '.join(columns)} from marts.{table} order by all")
        return [_rounded(row) for row in rows.fetchall()]


def _snapshot_rows(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select site, question_id, view_count, score, deleted, dbt_valid_from, dbt_valid_to "
            "from snapshots.snap_question_counts order by all"
        ).fetchall()


def _build_snapshot(db: Path, project: Path) -> None:
    """Build the snapshot and what it reads (seeds, staging), as `ptmwh build` would, not the marts.

    `ptmwh run` builds everything after each load; of an earlier dump only the snapshot keeps
    anything, so the marts are built after the newest dump alone (a full build takes ~20 s here).
    """
    args = ["build", "--select", "+resource_type:snapshot", "--quiet"]
    for option in ("--project-dir", "--profiles-dir"):
        args += [option, str(project)]
    result = invoke_dbt([*args, "--target-path", str(warehouse_target_path(db))], db)
    assert result.success, failed_nodes(result)


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One warehouse from dumps A, B, C in order, and one from C alone, both built by dbt."""
    work = tmp_path_factory.mktemp("snapshots")
    dumps = successive_dumps(work / "dumps")
    project = work / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(topics, "SEEDS_DIR", project / "seeds")
        patch.setenv("PTMWH_DBT_PROJECT_DIR", str(project))
        assert cli.main(TOPIC) == 0
        built: dict[str, object] = {}
        for name, loads in (("in_order", dumps), ("newest", dumps[-1:])):
            db = work / f"{name}.duckdb"
            patch.setenv("PTMWH_DB", str(db))
            for dump in loads[:-1]:
                assert cli.main(["load-dump", str(dump)]) == 0
                _build_snapshot(db, project)
            assert cli.main(["load-dump", str(loads[-1])]) == 0
            assert cli.main(["build"]) == 0
            built[name] = db
        built["snapshot_before_rebuild"] = _snapshot_rows(work / "in_order.duckdb")
        _build_snapshot(work / "in_order.duckdb", project)  # a rebuild adds no version
    finally:
        patch.undo()
    return built


@pytest.mark.parametrize("table", REPORT_MARTS)
def test_every_mart_the_report_reads_equals_the_newest_dump_alone(
    warehouses: dict, table: str
) -> None:
    in_order, newest = _mart(warehouses["in_order"], table), _mart(warehouses["newest"], table)
    assert in_order == newest
    assert newest, f"marts.{table} is empty: the comparison would prove nothing"


HISTORY_METRICS = ("n_questions", "n_no_accepted_answer", "no_accepted_answer_rate",
                   "n_with_response_time", "mean_response_minutes", "median_response_minutes",
                   "avg_answer_count", "avg_view_count", "answers_per_view")  # fmt: skip


def test_difficulty_history_has_each_load_and_its_newest_equals_rpt_difficulty(warehouses: dict):
    db = warehouses["in_order"]
    metrics = ", ".join(HISTORY_METRICS)
    with duckdb.connect(str(db), read_only=True) as con:
        dates = con.execute(
            "select distinct load_date::varchar from marts.rpt_difficulty_history order by 1"
        ).fetchall()
        newest = con.execute(
            f"select question_group, {metrics} from marts.rpt_difficulty_history "
            "where load_date = (select max(load_date) from marts.rpt_difficulty_history) "
            "order by 1"
        ).fetchall()
        current = con.execute(
            f"select question_group, {metrics} from marts.rpt_difficulty order by 1"
        ).fetchall()
        first_count = con.execute(
            "select n_questions from marts.rpt_difficulty_history "
            "where question_group = 'baseline' order by load_date limit 1"
        ).fetchall()
    assert dates == [("2014-05-02",), ("2014-06-01",), ("2014-07-01",)]
    assert [_rounded(row) for row in newest] == [_rounded(row) for row in current]
    # As of dump A the baseline had every real beer question outside the topic: history keeps
    # the questions deleted since.
    assert first_count[0][0] > newest[0][1]


def test_a_rebuild_without_a_new_load_adds_no_snapshot_version(warehouses: dict):
    after = _snapshot_rows(warehouses["in_order"])
    assert after == warehouses["snapshot_before_rebuild"]
    versions = {}
    for site, question_id, *_ in after:
        versions[(site, question_id)] = versions.get((site, question_id), 0) + 1
    assert max(versions.values()) >= 2  # changed and deleted questions have several versions
