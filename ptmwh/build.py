"""Run dbt on the warehouse: the `ptmwh build` step."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import dbt_project_dir

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult


def close_dbt_duckdb() -> None:
    """Close the DuckDB handle dbt-duckdb keeps open in-process after a run.

    Without this, the next step in the same process (analysis, report) cannot open the file with a
    different configuration (e.g. read-only), and the single-writer rule would be broken.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
        DuckDBConnectionManager._ENV = None


def invoke_dbt(args: Sequence[str], db_path: Path) -> dbtRunnerResult:
    """Invoke `dbt <args>` in-process on the warehouse at `db_path` and return dbt's result.

    `PTMWH_DB` is set to the absolute path for the duration, because dbt's profile reads it, and
    dbt-duckdb's handle is closed afterwards so the next step can open the file its own way.
    """
    from dbt.cli.main import dbtRunner

    previous = os.environ.get("PTMWH_DB")
    os.environ["PTMWH_DB"] = str(db_path.resolve())
    try:
        return dbtRunner().invoke(list(args))
    finally:
        close_dbt_duckdb()
        if previous is None:
            os.environ.pop("PTMWH_DB", None)
        else:
            os.environ["PTMWH_DB"] = previous


def warehouse_target_path(db_path: Path) -> Path:
    """dbt's target directory for the warehouse at `db_path`, one per warehouse file.

    The profile renders the warehouse's path, and dbt re-parses the whole project (~6 s) whenever
    the profile differs from the one its cached parse was made with: with one target directory per
    warehouse, rebuilding a warehouse reuses its own cache even after another one was built, and
    two warehouses' builds do not overwrite each other's manifest and run results.
    """
    resolved = db_path.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    return dbt_project_dir() / "target" / "warehouses" / f"{resolved.stem}-{digest}"


class BuildError(Exception):
    """dbt failed; the message names the failing nodes."""


def run_dbt(
    db_path: Path,
    command: str = "build",
    *,
    dbt_vars: dict[str, object] | None = None,
    extra_args: Sequence[str] = (),
    quiet: bool = False,
) -> list[str]:
    """Run one dbt command against the warehouse at `db_path`, raising on failure.

    Returns:
        The unique ids of the nodes that ran.

    Raises:
        BuildError: dbt reported a failure (a model or test error, a missing source, bad SQL).
    """
    project = str(dbt_project_dir())
    args = [command, "--project-dir", project, "--profiles-dir", project]
    args += ["--target-path", str(warehouse_target_path(db_path))]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    if quiet:
        args = ["--quiet", *args]
    result = invoke_dbt([*args, *extra_args], db_path)
    node_results = list(getattr(result.result, "results", None) or [])
    if not result.success:
        failed = [
            r.node.unique_id
            for r in node_results
            if str(getattr(r, "status", "")) in {"error", "fail", "runtime error"}
        ]
        reason = (
            f"{len(failed)} failed: {', '.join(failed[:5])}" if failed else str(result.exception)
        )
        raise BuildError(
            f"dbt {command} failed ({reason}); see dbt_project/logs/dbt.log, fix, and rerun "
            "(the previous marts are still readable)"
        )
    return [r.node.unique_id for r in node_results]
