"""Where the warehouse lives: one DuckDB file shared by dlt, dbt and the scripts."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("data") / "warehouse.duckdb"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def dbt_project_dir() -> Path:
    """Return the dbt project `ptmwh build` runs: env `PTMWH_DBT_PROJECT_DIR`, else `dbt_project/`.

    Tests point it at a copy whose seeds they change, so the repository's seeds stay untouched.
    """
    raw = os.environ.get("PTMWH_DBT_PROJECT_DIR")
    return Path(raw).expanduser().resolve() if raw else DBT_PROJECT_DIR


def warehouse_path() -> Path:
    """Return the absolute warehouse path from env `PTMWH_DB` (default `data/warehouse.duckdb`).

    The path is made absolute so that dbt, which runs inside `dbt_project/`, and the scripts,
    which run from anywhere, open the same file.
    """
    raw = os.environ.get("PTMWH_DB") or str(DEFAULT_DB)
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    return path
