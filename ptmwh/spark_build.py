"""`ptmwh build --engine spark`: the same dbt models on a local SparkSession.

Three steps, each its own module: the raw tables go to Parquet (`spark_raw`), dbt builds with
`--target spark` (the profile's session target; the on-run-start hook registers the Parquet files
as the raw tables), and the Spark-built marts and seeds replace DuckDB's (`spark_marts`), so
`ptmwh analyze` and `ptmwh report` run unchanged (docs/scale.md, "Running on Spark").
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .build import BuildError, run_dbt
from .spark_marts import append_spark_build_runs, copy_spark_marts
from .spark_raw import export_raw_parquet


def spark_dir(db_path: Path) -> Path:
    """Where a Spark build of `db_path` keeps its files: beside it, `<name>.spark/`."""
    return db_path.with_name(db_path.stem + ".spark")


def run_spark_build(db_path: Path, *, quiet: bool = False) -> list[str]:
    """Build the warehouse at `db_path` with dbt on Spark and copy the marts back into it.

    The Spark warehouse directory (`<name>.spark/warehouse`, the session's
    `spark.sql.warehouse.dir`) is emptied first: the in-memory catalog starts empty in a new
    process, and Spark refuses to create a table over a directory left by an earlier one. A
    SparkSession's warehouse directory is fixed when it starts, so one process builds one warehouse.

    Returns:
        The unique ids of the dbt nodes that ran.

    Raises:
        BuildError: dbt reported a failure; DuckDB's marts are then left as they were, and the
            failed build is recorded in its `ops.build_runs`.
    """
    root = spark_dir(db_path)
    raw_tables = export_raw_parquet(db_path, root / "raw")
    warehouse = root / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    previous = os.environ.get("PTMWH_SPARK_WAREHOUSE")
    os.environ["PTMWH_SPARK_WAREHOUSE"] = str(warehouse.resolve())
    try:
        nodes = run_dbt(
            db_path,
            "build",
            dbt_vars={"raw_tables": raw_tables},
            extra_args=["--target", "spark"],
            quiet=quiet,
        )
    except BuildError:
        append_spark_build_runs(db_path)
        raise
    finally:
        if previous is None:
            os.environ.pop("PTMWH_SPARK_WAREHOUSE", None)
        else:
            os.environ["PTMWH_SPARK_WAREHOUSE"] = previous
    copy_spark_marts(db_path, root / "marts")
    append_spark_build_runs(db_path)
    return nodes
