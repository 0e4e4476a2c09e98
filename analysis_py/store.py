"""Write the analysis tables (schema `analysis`, see docs/contracts.md) in one transaction.

`stat_tests`, `metric_estimates` and `survival_curves` hold the latest run only: they are emptied
and refilled inside one transaction, so a failure anywhere leaves the previous results untouched.
`runs` keeps one row per run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

TABLES: Mapping[str, Sequence[tuple[str, str]]] = {
    "stat_tests": (
        ("topic", "varchar not null"),
        ("comparison", "varchar not null"),
        ("tag", "varchar"),
        ("metric", "varchar not null"),
        ("test", "varchar not null"),
        ("statistic", "double"),
        ("df", "integer"),
        ("p_value", "double"),
        ("p_value_holm", "double"),
        ("p_value_floor", "double"),
        ("effect_name", "varchar"),
        ("effect_size", "double"),
        ("effect_label", "varchar"),
        ("ci_low", "double"),
        ("ci_high", "double"),
        ("n_a", "bigint"),
        ("n_b", "bigint"),
        ("method_notes", "varchar"),
        ("computed_at", "timestamp not null"),
        ("input_rows", "bigint"),
    ),
    "metric_estimates": (
        ("topic", "varchar not null"),
        ("question_group", "varchar not null"),
        ("tag", "varchar"),
        ("metric", "varchar not null"),
        ("estimate", "double"),
        ("ci_low", "double"),
        ("ci_high", "double"),
        ("ci_method", "varchar"),
        ("n", "bigint"),
        ("method", "varchar"),
        ("computed_at", "timestamp not null"),
    ),
    "survival_curves": (
        ("topic", "varchar not null"),
        ("question_group", "varchar not null"),
        ("minutes", "double not null"),
        ("survival_probability", "double"),
        ("ci_low", "double"),
        ("ci_high", "double"),
        ("n_at_risk", "bigint"),
    ),
    "runs": (
        ("run_id", "varchar not null primary key"),
        ("computed_at", "timestamp not null"),
        ("n_tests", "integer not null"),
        ("seed", "bigint not null"),
    ),
}
REPLACED_TABLES = ("stat_tests", "metric_estimates", "survival_curves")


def write_results(db_path: Path, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Replace the latest results and append the run row, atomically.

    Args:
        db_path: The warehouse file, opened read-write only for this write.
        rows: Table name -> rows (dicts keyed by the contract's column names). `runs` rows are
            appended; the other tables are replaced by their rows.

    Raises:
        duckdb.Error: When the write fails; the transaction is rolled back and the previous results
            stay as they were.
    """
    unknown = set(rows) - set(TABLES)
    if unknown:
        raise ValueError(f"no analysis table named {sorted(unknown)}")
    with duckdb.connect(str(db_path)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute("begin transaction")
        try:
            con.execute("create schema if not exists analysis")
            for table, columns in TABLES.items():
                column_sql = ", ".join(f"{name} {kind}" for name, kind in columns)
                con.execute(f"create table if not exists analysis.{table} ({column_sql})")
            for table in REPLACED_TABLES:
                con.execute(f"delete from analysis.{table}")
            for table, table_rows in rows.items():
                _insert(con, table, table_rows)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows via an Arrow table; missing keys and NaN (undefined statistics) become NULL."""
    if not rows:
        return
    names = [name for name, _ in TABLES[table]]
    arrow_rows = pa.Table.from_pylist(
        [{name: _null_if_nan(row.get(name)) for name in names} for row in rows]
    )
    con.register("_analysis_rows", arrow_rows)
    try:
        column_list = ", ".join(names)
        con.execute(
            f"insert into analysis.{table} ({column_list}) select {column_list} from _analysis_rows"
        )
    finally:
        con.unregister("_analysis_rows")


def _null_if_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
