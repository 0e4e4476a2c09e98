"""Run mechanics every loader shares: open the pipeline, run it, count rows, record the run.

The three loaders (API, dump, annotations) differ in what they extract, not in how a load is
run; keeping these steps here means one way to wrap dlt's failures and one way to count rows.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt
import duckdb
from dlt.common.pipeline import LoadInfo
from dlt.pipeline.exceptions import PipelineStepFailed

from .hints import marked
from .raw_contract import MERGE, RAW_TABLES
from .results import LoadError


def pipelines_dir(db_path: Path) -> Path:
    """Where dlt keeps a warehouse's pipeline state: beside the file, shared with no other file."""
    return db_path.parent / ".dlt_pipelines" / db_path.stem


def warehouse_pipeline(db_path: Path, pipeline_name: str, dataset_name: str) -> dlt.Pipeline:
    """A dlt pipeline loading `dataset_name` into the DuckDB file `db_path`.

    Arrow batches get dlt's `_dlt_load_id` column here rather than through `.dlt/config.toml`:
    the raw contract (and dbt's staging) needs it whatever directory the loader runs from.
    """
    dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
    _forget_state_of_a_lost_dataset(db_path, pipeline_name, dataset_name)
    return dlt.pipeline(
        pipeline_name=pipeline_name,
        destination=dlt.destinations.duckdb(credentials=str(db_path)),
        dataset_name=dataset_name,
        pipelines_dir=str(pipelines_dir(db_path)),
    )


def _forget_state_of_a_lost_dataset(db_path: Path, pipeline_name: str, dataset_name: str) -> None:
    """Drop the pipeline's local state when the warehouse no longer holds its dataset.

    dlt's local state lists the tables it created; after the warehouse file was deleted or replaced
    it would skip creating them and the load would fail writing its first row. A dataset that dlt
    made holds `_dlt_version`; without it the state describes nothing that exists.
    """
    state = pipelines_dir(db_path) / pipeline_name
    if not state.exists():
        return
    if db_path.exists():
        with duckdb.connect(str(db_path)) as connection:
            (held,) = connection.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = ? and table_name = '_dlt_version'",
                [dataset_name],
            ).fetchone()
        if held:
            return
    shutil.rmtree(state)


def source_config(
    name: str, value: Any = None, expected: type | None = None, default: Any = None
) -> Any:
    """An argument, else `[sources.stackexchange] name` from dlt config (toml, env), else `default`.

    Both Stack Exchange loaders read the same section, so one window and site serve either.
    """
    if value is not None:
        return value
    found = dlt.config.get(f"sources.stackexchange.{name}", expected)
    return default if found is None else found


def first_line(exc: PipelineStepFailed) -> str:
    """The first line of the error behind a failed step (dlt's own message spans many lines)."""
    cause = exc.exception
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


def run_load(
    pipeline: dlt.Pipeline, data: Any, failure: Callable[[PipelineStepFailed], str]
) -> LoadInfo:
    """Run one dlt load; a failed step becomes a one-line `LoadError` (earlier loads stay).

    Args:
        pipeline: the pipeline of the warehouse file.
        data: a source or resource.
        failure: the loader's one-line message (problem and fix) for a failed step.
    """
    try:
        info = pipeline.run(data)
    except PipelineStepFailed as exc:
        raise LoadError(failure(exc)) from exc
    info.raise_on_failed_jobs()
    return info


def row_counts(db_path: Path, dataset: str, tables: Iterable[str]) -> dict[str, int]:
    """Rows per table of `dataset` after a load; tables no load has created yet are left out."""
    with duckdb.connect(str(db_path)) as connection:
        existing = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [dataset],
            ).fetchall()
        }
        counts: dict[str, int] = {}
        for table in tables:
            if table in existing:
                row = connection.execute(f'select count(*) from {dataset}."{table}"').fetchone()
                counts[table] = int(row[0]) if row else 0
        return counts


@dlt.resource(name="load_runs", write_disposition=MERGE, **RAW_TABLES["load_runs"].keys)
def _load_runs(row: dict[str, Any]) -> Iterator[Any]:
    """One `load_runs` row: what a load cost and did (never the key)."""
    yield marked("load_runs", [row])


def record_run(
    pipeline: dlt.Pipeline,
    failure: Callable[[PipelineStepFailed], str],
    *,
    items_loaded: dict[str, int],
    skipped_reasons: dict[str, int],
    **values: Any,
) -> None:
    """Merge one `load_runs` row, finished now, the per-resource dicts as JSON text.

    Args:
        pipeline: the pipeline whose dataset holds `load_runs`.
        failure: the loader's one-line message for a failed step.
        items_loaded: items per raw table of this run.
        skipped_reasons: items not loaded, per reason.
        **values: the other columns of `load_runs` (docs/contracts.md) but `run_id`.
    """
    row = {
        "run_id": uuid.uuid4().hex,
        **values,
        "finished_at": datetime.now(UTC),
        "items_loaded": json.dumps(items_loaded, sort_keys=True),
        "skipped_reasons": json.dumps(skipped_reasons, sort_keys=True),
    }
    run_load(pipeline, _load_runs(row), failure)
