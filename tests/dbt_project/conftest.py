"""Session fixtures: warehouses built once by dbt from fixture raw rows (a build costs seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.fakes.raw_rows import SITE, RawRows, add_baseline_totals, make_rows, related_tag_row

from .dbt_helpers import run_dbt
from .expected import seed_topic_tags
from .raw_fixture import write_raw_tables


@dataclass
class BuiltWarehouse:
    """A warehouse dbt built, the raw rows it was built from, and where dbt worked."""

    db_path: Path
    work_dir: Path
    rows: RawRows

    def query(self, sql: str) -> list[dict]:
        """Rows of `sql` as dicts, read-only."""
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="session")
def dbt_work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One dbt target/ for the session, so later invocations reuse dbt's partial parse."""
    return tmp_path_factory.mktemp("dbt")


def _build(
    tmp_dir: Path, work_dir: Path, rows: RawRows, **extra_tables: list | None
) -> BuiltWarehouse:
    db_path = tmp_dir / "warehouse.duckdb"
    write_raw_tables(db_path, **{**rows.tables(), **extra_tables})
    result = run_dbt(["build"], db_path, work_dir)
    assert result.success, result.exception
    return BuiltWarehouse(db_path=db_path, work_dir=work_dir, rows=rows)


@pytest.fixture(scope="session")
def api_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_work_dir: Path
) -> Iterator[BuiltWarehouse]:
    """Topic questions by tag query, a random baseline sample and exact yearly totals."""
    rows = make_rows()
    add_baseline_totals(rows, seed_topic_tags())
    rows.related_tags = [
        related_tag_row(SITE, "bert-language-model", "nlp", 50, 1),
        related_tag_row(SITE, "gpt-2", "gpt-3", 9, 1),
        related_tag_row(SITE, "gpt-2", "langchain", 5, 2),
    ]
    yield _build(tmp_path_factory.mktemp("api"), dbt_work_dir, rows)


@pytest.fixture(scope="session")
def dump_warehouse(
    tmp_path_factory: pytest.TempPathFactory, dbt_work_dir: Path
) -> Iterator[BuiltWarehouse]:
    """A dump-only load: full population, favourite counts, no baseline_totals/related_tags/sample
    tables."""
    rows = make_rows(n_questions=200, seed=11, data_source="dump", favorites=True)
    yield _build(
        tmp_path_factory.mktemp("dump"),
        dbt_work_dir,
        rows,
        baseline_totals=None,
        related_tags=None,
    )
