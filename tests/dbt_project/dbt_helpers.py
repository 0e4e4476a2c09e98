"""Run dbt in-process against a scratch warehouse, with target and logs outside the project."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult

from ptmwh.build import close_dbt_duckdb

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def run_dbt(args: Sequence[str], db_path: Path, work_dir: Path) -> dbtRunnerResult:
    """Invoke `dbt <args>` on `db_path`, with target/ and logs/ in `work_dir`, not the project."""
    previous = os.environ.get("PTMWH_DB")
    os.environ["PTMWH_DB"] = str(db_path)
    try:
        return dbtRunner().invoke(
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
            ]
        )
    finally:
        close_dbt_duckdb()
        if previous is None:
            os.environ.pop("PTMWH_DB", None)
        else:
            os.environ["PTMWH_DB"] = previous
