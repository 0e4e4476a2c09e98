"""`ptmwh build`: rebuild every topic's marts with dbt, on DuckDB or on Spark."""

from __future__ import annotations

import argparse
from pathlib import Path

from .verb import Verb


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="spark: build on a local SparkSession (needs `.[spark]`), then copy the marts back",
    )


def _build(db_path: Path, args: argparse.Namespace) -> str:
    if not db_path.exists():
        raise FileNotFoundError(
            f"no warehouse at {db_path}: nothing to build yet; load data first "
            "(`ptmwh load --topic NAME`, `ptmwh load-dump PATH`, or `ptmwh run "
            "--synthetic-sample` for the offline demo), or set PTMWH_DB to your warehouse"
        )
    if args.engine == "spark":
        from ..spark_build import run_spark_build

        nodes = run_spark_build(db_path)
        return f"dbt build on Spark passed ({len(nodes)} models, seeds and tests); marts copied"
    from ..build import run_dbt

    nodes = run_dbt(db_path, "build")
    return f"dbt build passed ({len(nodes)} models, seeds and tests)"


BUILD = Verb("build", "rebuild every topic's marts with dbt (dbt build)", _add_arguments, _build)
