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
from reports.marts_reader import REQUIRED_TABLES
from tests.fakes.dump_versions import successive_dumps

ROOT = Path(__file__).resolve().parents[1]
REPORT_MARTS = sorted(table for schema, table in REQUIRED_TABLES if schema == "marts")
TOPIC = ["topic", "add", "brewing", "--tags", "brewing,taste,history", "--site", "beer",
         "--from", "2014-01-01", "--to", "2014-12-31"]  # fmt: skip

pytestmark = pytest.mark.slow


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
        # Sums over rows merged in another order differ in the last bits of a double.
        return [
            tuple(f"{v:.10g}" if isinstance(v, float) else v for v in row)
            for row in rows.fetchall()
        ]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
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
        built = {}
        for name, loads in (("in_order", dumps), ("newest", dumps[-1:])):
            patch.setenv("PTMWH_DB", str(work / f"{name}.duckdb"))
            for dump in loads:
                assert cli.main(["load-dump", str(dump)]) == 0
            assert cli.main(["build"]) == 0
            built[name] = work / f"{name}.duckdb"
    finally:
        patch.undo()
    return built


@pytest.mark.parametrize("table", REPORT_MARTS)
def test_every_mart_the_report_reads_equals_the_newest_dump_alone(
    warehouses: dict[str, Path], table: str
) -> None:
    in_order, newest = _mart(warehouses["in_order"], table), _mart(warehouses["newest"], table)
    assert in_order == newest
    assert newest, f"marts.{table} is empty: the comparison would prove nothing"
