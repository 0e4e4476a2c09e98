"""Run dbt in-process against a scratch warehouse, with target and logs outside the project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dbt.cli.main import dbtRunnerResult

from ptmwh.build import invoke_dbt
from ptmwh.settings import DBT_PROJECT_DIR

__all__ = ["DBT_PROJECT_DIR", "run_dbt"]


def run_dbt(args: Sequence[str], db_path: Path, work_dir: Path) -> dbtRunnerResult:
    """Invoke `dbt <args>` on `db_path`, with target/ and logs/ in `work_dir`, not the project."""
    return invoke_dbt(
        [
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
            "--quiet",
        ],
        db_path,
    )
