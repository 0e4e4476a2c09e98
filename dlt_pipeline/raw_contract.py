"""The raw tables' contract: what every loader writes into `raw_stackexchange`.

The API source and the dump source both write `questions`, `question_tags` and `answers`, and dbt's
staging reads them without knowing which loader ran. So the Arrow schemas, keys and write
disposition live here once; `docs/contracts.md` and dbt's sources yml describe the same columns
(a test compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

DATASET = "raw_stackexchange"
"""The dataset (DuckDB schema) of the raw tables, whichever loader writes them."""

MERGE: dict[str, Any] = {"disposition": "merge", "strategy": "delete-insert"}
"""Every raw table merges, so re-runs and resumed runs never duplicate a row."""

FROZEN_CONTRACT: dict[str, Any] = {"tables": "evolve", "columns": "freeze", "data_type": "freeze"}
"""New tables may appear on the first load; new columns or changed types fail loudly (API drift)."""


@dataclass(frozen=True)
class RawTable:
    """One raw table: its Arrow schema and merge keys.

    Attributes:
        schema: the columns and types every loader hands to dlt.
        primary_key: the row's identity (the API loader deduplicates on it).
        merge_key: rows replaced as a group on reload, when coarser than the primary key.
    """

    schema: pa.Schema
    primary_key: str | list[str]
    merge_key: list[str] | None = None

    @property
    def keys(self) -> dict[str, Any]:
        """The key hints of dlt's resource and `make_hints`."""
        keys: dict[str, Any] = {"primary_key": self.primary_key}
        if self.merge_key is not None:
            keys["merge_key"] = self.merge_key
        return keys

    @property
    def replace_key(self) -> list[str]:
        """The columns whose rows a reload replaces, for loaders that merge on them alone.

        A dump holds each post once, so the dump loader merges on this key only and skips dlt's
        primary-key deduplication pass; the rows that end up in the table are the same.
        """
        if self.merge_key is not None:
            return self.merge_key
        return [self.primary_key] if isinstance(self.primary_key, str) else self.primary_key


QUESTIONS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("question_id", pa.int64(), nullable=False),
        ("title", pa.string()),
        ("link", pa.string()),
        ("body", pa.string()),
        ("score", pa.int64()),
        ("view_count", pa.int64()),
        ("answer_count", pa.int64()),
        ("is_answered", pa.bool_()),
        ("accepted_answer_id", pa.int64()),
        ("creation_date", pa.int64()),
        ("last_activity_date", pa.int64()),
        ("owner_user_id", pa.int64()),
        ("closed_date", pa.int64()),
        ("content_license", pa.string()),
        ("data_source", pa.string()),
        ("collected_by", pa.string()),
        ("collected_at", pa.int64()),
        ("is_synthetic", pa.bool_()),
        ("deleted_at", pa.int64()),
    ]
)
QUESTION_TAGS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("question_id", pa.int64(), nullable=False),
        pa.field("tag", pa.string(), nullable=False),
        ("tag_position", pa.int64()),
        ("deleted_at", pa.int64()),
    ]
)
ANSWERS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("answer_id", pa.int64(), nullable=False),
        ("question_id", pa.int64()),
        ("is_accepted", pa.bool_()),
        ("creation_date", pa.int64()),
        ("last_activity_date", pa.int64()),
        ("score", pa.int64()),
        ("owner_user_id", pa.int64()),
        ("data_source", pa.string()),
        ("is_synthetic", pa.bool_()),
        ("deleted_at", pa.int64()),
    ]
)
TAGS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        ("count", pa.int64()),
        ("has_synonyms", pa.bool_()),
        ("is_moderator_only", pa.bool_()),
        ("is_required", pa.bool_()),
        ("data_source", pa.string()),
        ("is_synthetic", pa.bool_()),
    ]
)
RELATED_TAGS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("tag", pa.string(), nullable=False),
        pa.field("related_tag", pa.string(), nullable=False),
        ("count", pa.int64()),
        ("related_rank", pa.int64()),
    ]
)
BASELINE_TOTALS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        ("year", pa.int64()),
        pa.field("population", pa.string(), nullable=False),
        pa.field("accepted_filter", pa.string(), nullable=False),
        ("total", pa.int64()),
        pa.field("from_date", pa.int64(), nullable=False),
        pa.field("to_date", pa.int64(), nullable=False),
        pa.field("topic_tags", pa.string(), nullable=False),
        ("is_synthetic", pa.bool_()),
    ]
)
BASELINE_SAMPLE_RUNS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("sample_run_id", pa.string(), nullable=False),
        ("seed", pa.int64()),
        ("target_size", pa.int64()),
        ("id_min", pa.int64()),
        ("id_max", pa.int64()),
        ("ids_requested", pa.int64()),
        ("questions_found", pa.int64()),
        ("sampled_at", pa.timestamp("us", tz="UTC")),
    ]
)
BASELINE_SAMPLE_QUESTIONS_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("sample_run_id", pa.string(), nullable=False),
        pa.field("question_id", pa.int64(), nullable=False),
    ]
)
LOAD_RUNS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        ("command", pa.string()),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("finished_at", pa.timestamp("us", tz="UTC")),
        ("status", pa.string()),
        ("site", pa.string()),
        ("base_url", pa.string()),
        ("tags", pa.string()),
        ("from_date", pa.date32()),
        ("to_date", pa.date32()),
        ("dump_date", pa.date32()),
        ("requests_made", pa.int64()),
        ("items_loaded", pa.string()),
        ("items_skipped", pa.int64()),
        ("skipped_reasons", pa.string()),
        ("quota_remaining", pa.int64()),
        ("quota_max", pa.int64()),
        ("message", pa.string()),
    ]
)

RAW_TABLES: dict[str, RawTable] = {
    "questions": RawTable(QUESTIONS_SCHEMA, ["site", "question_id"]),
    "question_tags": RawTable(
        QUESTION_TAGS_SCHEMA, ["site", "question_id", "tag"], ["site", "question_id"]
    ),
    "answers": RawTable(ANSWERS_SCHEMA, ["site", "answer_id"]),
    "tags": RawTable(TAGS_SCHEMA, ["site", "name"]),
    "related_tags": RawTable(RELATED_TAGS_SCHEMA, ["site", "tag", "related_tag"]),
    "baseline_totals": RawTable(
        BASELINE_TOTALS_SCHEMA,
        ["site", "population", "accepted_filter", "topic_tags", "from_date", "to_date"],
    ),
    "baseline_sample_runs": RawTable(BASELINE_SAMPLE_RUNS_SCHEMA, "sample_run_id"),
    "baseline_sample_questions": RawTable(
        BASELINE_SAMPLE_QUESTIONS_SCHEMA, ["site", "sample_run_id", "question_id"]
    ),
    "load_runs": RawTable(LOAD_RUNS_SCHEMA, "run_id"),
}
"""Raw table name -> its contract, in the order of docs/contracts.md."""
