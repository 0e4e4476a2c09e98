"""Save every mart and `analysis.*` table of a warehouse, and compare a warehouse with a save.

A refactor must not change a result (docs/CONTRIBUTING.md): build the demo warehouse before the
change and `save` it, build it again after and `compare`. Rows are compared as sorted sets of
values; the columns that record when something ran (load and fit times, run ids) are left out,
and floating-point values are rounded to 8 decimals, since two builds of the same data differ
only there (a parallel sum's last bits depend on the order its threads finish); a value whose
last bits fall either side of a rounding tie differs by one step of 1e-8, which is let pass.

    python -m tests.tools.warehouse_snapshot save data/warehouse.duckdb /tmp/before
    python -m tests.tools.warehouse_snapshot compare data/warehouse.duckdb /tmp/before
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "analysis")
VOLATILE = ("_at", "_run_id", "run_id", "_load_id", "duration_seconds", "elapsed_seconds")
"""Column name endings that say when or how long something ran, not what it found."""


def _tables(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return connection.sql(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {SCHEMAS} and table_type in ('BASE TABLE', 'VIEW') order by 1, 2"
    ).fetchall()


def _stable_select(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """A select of the table's columns that say what was found (floats rounded)."""
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    columns = [
        f'round("{name}", 8) as "{name}"' if kind in ("DOUBLE", "FLOAT") else f'"{name}"'
        for name, kind in rows
        if not name.endswith(VOLATILE)
    ]
    return f'select {", ".join(columns)} from "{schema}"."{table}"'


def save(warehouse: Path, folder: Path) -> int:
    """Write each table's stable columns, sorted, to `folder/<schema>.<table>.parquet`."""
    folder.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(warehouse), read_only=True)
    tables = _tables(connection)
    for schema, table in tables:
        target = folder / f"{schema}.{table}.parquet"
        current = _stable_select(connection, schema, table)
        connection.sql(f"copy ({current} order by all) to '{target}' (format parquet)")
    return len(tables)


def compare(warehouse: Path, folder: Path) -> list[str]:
    """The differences between `warehouse` and a save: missing tables, changed rows."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    now = {f"{schema}.{table}" for schema, table in _tables(connection)}
    saved = {path.name.removesuffix(".parquet") for path in folder.glob("*.parquet")}
    problems = [f"{name}: in the save, not in the warehouse" for name in sorted(saved - now)]
    problems += [f"{name}: in the warehouse, not in the save" for name in sorted(now - saved)]
    for name in sorted(now & saved):
        schema, table = name.split(".", 1)
        path = folder / f"{name}.parquet"
        current = _stable_select(connection, schema, table)
        before, after = (connection.sql(q).columns for q in (f"select * from '{path}'", current))
        if before != after:
            problems.append(f"{name}: columns {before} became {after}")
            continue
        only_before = connection.sql(f"select * from '{path}' except all {current}").fetchall()
        only_after = connection.sql(f"{current} except all select * from '{path}'").fetchall()
        if not _within_a_rounding_step(only_before, only_after):
            problems.append(
                f"{name}: {len(only_before)} rows only before, {len(only_after)} only after"
            )
    return problems


def _within_a_rounding_step(before: list[tuple], after: list[tuple]) -> bool:
    """Whether the rows that differ pair up, differing only by one 8th-decimal rounding step."""
    if len(before) != len(after):
        return False

    def key(row: tuple) -> tuple:
        return tuple(round(v, 6) if isinstance(v, float) else str(v) for v in row)

    for old, new in zip(sorted(before, key=key), sorted(after, key=key), strict=True):
        for a, b in zip(old, new, strict=True):
            close = isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1.5e-8
            if a != b and not close:
                return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.action == "save":
        print(f"saved {save(args.warehouse, args.folder)} tables to {args.folder}")
        return 0
    problems = compare(args.warehouse, args.folder)
    for problem in problems:
        print(problem)
    print("equal" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
