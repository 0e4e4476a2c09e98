"""The one way every loader opens a dlt pipeline onto the warehouse file."""

from __future__ import annotations

from pathlib import Path

import dlt


def pipelines_dir(db_path: Path) -> Path:
    """Where dlt keeps a warehouse's pipeline state: beside the file, shared with no other file."""
    return db_path.parent / ".dlt_pipelines" / db_path.stem


def warehouse_pipeline(db_path: Path, pipeline_name: str, dataset_name: str) -> dlt.Pipeline:
    """A dlt pipeline loading `dataset_name` into the DuckDB file `db_path`.

    Arrow batches get dlt's `_dlt_load_id` column here rather than through `.dlt/config.toml`:
    the raw contract (and dbt's staging) needs it whatever directory the loader runs from.
    """
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    return dlt.pipeline(
        pipeline_name=pipeline_name,
        destination=dlt.destinations.duckdb(credentials=str(db_path)),
        dataset_name=dataset_name,
        pipelines_dir=str(pipelines_dir(db_path)),
    )
