"""Run dbt in-process against a scratch warehouse, with target and logs outside the project.

Every test that runs dbt goes through `run_dbt`: the repository's project, or a copy whose seeds
a test changes (CONTRIBUTING.md: a test never writes into the repository).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dbt.cli.main import dbtRunnerResult

from ptmwh.build import invoke_dbt
from ptmwh.settings import DBT_PROJECT_DIR

__all__ = ["DBT_PROJECT_DIR", "failed_nodes", "run_dbt"]


def run_dbt(
    args: Sequence[str], db_path: Path, work_dir: Path, project_dir: Path = DBT_PROJECT_DIR
) -> dbtRunnerResult:
    """Invoke `dbt <args>` on `db_path`, with target/ and logs/ in `work_dir`, not the project.

    Args:
        args: dbt's command and its options, e.g. `["build", "--select", "fct_questions"]`.
        db_path: the warehouse dbt's profile points at.
        work_dir: where dbt writes target/ and logs/.
        project_dir: the dbt project (and its profiles) to run, `dbt_project/` unless a copy.
    """
    return invoke_dbt(
        [
            *args,
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
            "--quiet",
        ],
        db_path,
    )


def failed_nodes(result: dbtRunnerResult) -> list[tuple[str, str | None]]:
    """(unique id, message) of each node dbt did not build or whose test did not pass."""
    return [
        (r.node.unique_id, r.message)
        for r in result.result or []
        if r.status not in ("success", "pass")
    ]
