"""Write dlt-shaped raw tables (docs/contracts.md) into a DuckDB file from plain Python rows.

The dlt loaders are not needed to test the dbt project: these tables have the contract's column
names and types (every table carries `site`: post ids are unique per site only), dates as epoch
seconds, and dlt's `_dlt_load_id`/`_dlt_id` columns and `_dlt_loads` log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

RAW_SCHEMA = "raw_stackexchange"
LOAD_ID = "1700000000.000001"

Row = Mapping[str, Any]

COLUMNS: dict[str, dict[str, str]] = {
    "questions": {
        "site": "varchar",
        "question_id": "bigint",
        "title": "varchar",
        "link": "varchar",
        "body": "varchar",
        "score": "bigint",
        "view_count": "bigint",
        "answer_count": "bigint",
        "is_answered": "boolean",
        "accepted_answer_id": "bigint",
        "creation_date": "bigint",
        "last_activity_date": "bigint",
        "owner_user_id": "bigint",
        "closed_date": "bigint",
        "content_license": "varchar",
        "data_source": "varchar",
        "collected_by": "varchar",
        "collected_at": "bigint",
        "is_synthetic": "boolean",
    },
    "question_tags": {
        "site": "varchar",
        "question_id": "bigint",
        "tag": "varchar",
        "tag_position": "bigint",
    },
    "answers": {
        "site": "varchar",
        "answer_id": "bigint",
        "question_id": "bigint",
        "is_accepted": "boolean",
        "creation_date": "bigint",
        "last_activity_date": "bigint",
        "score": "bigint",
        "owner_user_id": "bigint",
        "data_source": "varchar",
        "is_synthetic": "boolean",
    },
    "tags": {
        "site": "varchar",
        "name": "varchar",
        "count": "bigint",
        "has_synonyms": "boolean",
        "is_moderator_only": "boolean",
        "is_required": "boolean",
        "data_source": "varchar",
        "is_synthetic": "boolean",
    },
    "related_tags": {
        "site": "varchar",
        "tag": "varchar",
        "related_tag": "varchar",
        "count": "bigint",
        "related_rank": "bigint",
    },
    "baseline_totals": {
        "site": "varchar",
        "year": "bigint",
        "population": "varchar",
        "accepted_filter": "varchar",
        "total": "bigint",
        "from_date": "bigint",
        "to_date": "bigint",
        "topic_tags": "varchar",
        "is_synthetic": "boolean",
    },
    "baseline_sample_runs": {
        "site": "varchar",
        "sample_run_id": "varchar",
        "seed": "bigint",
        "target_size": "bigint",
        "id_min": "bigint",
        "id_max": "bigint",
        "ids_requested": "bigint",
        "questions_found": "bigint",
        "sampled_at": "bigint",
    },
    "baseline_sample_questions": {
        "site": "varchar",
        "sample_run_id": "varchar",
        "question_id": "bigint",
    },
    "load_runs": {
        "run_id": "varchar",
        "command": "varchar",
        "started_at": "bigint",
        "finished_at": "bigint",
        "status": "varchar",
        "site": "varchar",
        "base_url": "varchar",
        "tags": "varchar",
        "from_date": "bigint",
        "to_date": "bigint",
        "dump_date": "date",
        "requests_made": "bigint",
        "items_loaded": "varchar",
        "items_skipped": "bigint",
        "skipped_reasons": "varchar",
        "quota_remaining": "bigint",
        "quota_max": "bigint",
        "message": "varchar",
    },
}


OPTIONAL_COLUMNS: dict[str, dict[str, str]] = {
    "questions": {"favorite_count": "bigint"},
}
"""Columns a loader may not write yet: created, as dlt does, only when some row carries them."""


def write_raw_tables(db_path: Path, **tables: Sequence[Row] | None) -> None:
    """Create (or replace) raw tables in `db_path` holding the given rows.

    Args:
        db_path: DuckDB file to write.
        **tables: table name (a key of `COLUMNS`) -> rows as dicts (missing keys are null). A table
            passed as None, or not passed, is left absent, as in a warehouse whose loader never
            wrote it.
    """
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        con.execute(
            f"create table if not exists {RAW_SCHEMA}._dlt_loads (load_id varchar, "
            "schema_name varchar, status bigint, inserted_at timestamptz, "
            "schema_version_hash varchar)"
        )
        con.execute(
            f"insert into {RAW_SCHEMA}._dlt_loads values (?, 'stackexchange', 0, now(), 'h')",
            [LOAD_ID],
        )
        for name, rows in tables.items():
            if rows is None:
                continue
            _write_table(con, name, rows)


def drop_raw_table(db_path: Path, name: str) -> None:
    """Drop one raw table, to test warehouses where a loader has not run."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"drop table if exists {RAW_SCHEMA}.{name}")


def _write_table(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[Row]) -> None:
    optional = OPTIONAL_COLUMNS.get(name, {})
    columns = COLUMNS[name] | {
        column: data_type
        for column, data_type in optional.items()
        if any(column in row for row in rows)
    }
    ddl = ", ".join(f"{column} {data_type}" for column, data_type in columns.items())
    con.execute(f"drop table if exists {RAW_SCHEMA}.{name}")
    con.execute(
        f"create table {RAW_SCHEMA}.{name} ({ddl}, _dlt_load_id varchar not null, "
        "_dlt_id varchar not null)"
    )
    values = [
        [row.get(column) for column in columns] + [LOAD_ID, f"{name}-{i}"]
        for i, row in enumerate(rows)
    ]
    if values:
        placeholders = ", ".join("?" for _ in range(len(columns) + 2))
        con.executemany(f"insert into {RAW_SCHEMA}.{name} values ({placeholders})", values)
