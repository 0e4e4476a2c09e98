"""Read one topic's comparison groups from the marts into numpy arrays (DuckDB -> Arrow -> numpy).

The groups come from their one definition, `marts.fct_topic_question_groups` (which questions are a
topic's `topic` and `baseline` questions), which carries each question's figures from
`marts.fct_questions`; only the topic group's tags need a join. Nothing here re-derives a group, so
the analysis counts exactly the questions `marts.rpt_difficulty` counts. Only the columns a
statistic uses are read, so 10^7 baseline questions cost a few hundred MB and one scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

REQUIRED_TABLES = (
    "fct_questions",
    "fct_topic_question_groups",
    "rpt_difficulty",
    "rpt_tag_frequency",
)
GROUPS = ("topic", "baseline")
METRIC_METHOD_COLUMNS = {
    "no_accepted_answer_rate": "no_accepted_answer_rate_method",
    "response_minutes": "response_minutes_method",
    "answers_per_view": "answers_per_view_method",
}

_TOPIC_TAGS = """
    left join marts.fct_questions as tagged
        on questions.site = tagged.site and questions.question_id = tagged.question_id
"""


class MartsMissingError(RuntimeError):
    """The marts the analysis reads do not exist (yet), or lack what a statistic needs."""


@dataclass(frozen=True)
class GroupData:
    """One question group (topic or baseline) of one topic, as arrays with one entry per question.

    Attributes:
        n_rows: The group's questions in `marts.fct_topic_question_groups`.
        no_accepted_answer: (k, n) for the rate: from the rows, or from `rpt_difficulty`'s exact API
            counts when its rate method is `exact_count`.
        has_accepted_answer: Per question.
        response_minutes: Minutes to the accepted answer; NaN without one.
        minutes_to_collection: Minutes from creation to `collected_at`, when the question's data
            was observed (the censoring time of a question without an accepted answer).
        answer_count: Answers per question (NaN where unknown).
        view_count: Views per question (NaN where unknown).
        tags: Each question's tags (topic group only; empty for the baseline).
        methods: Metric -> how the figure was obtained (`full_population`, `exact_count`,
            `random_sample`), from `rpt_difficulty`.
    """

    n_rows: int
    no_accepted_answer: tuple[int, int]
    has_accepted_answer: NDArray[np.bool_]
    response_minutes: NDArray[np.float64]
    minutes_to_collection: NDArray[np.float64]
    answer_count: NDArray[np.float64]
    view_count: NDArray[np.float64]
    tags: tuple[tuple[str, ...], ...]
    methods: Mapping[str, str]


@dataclass(frozen=True)
class TopicData:
    """What the analysis of one topic reads.

    Attributes:
        topic: The topic's name.
        groups: `topic` and (when loaded) `baseline`.
        seed_tags: The topic's own tags (its `marts.rpt_tag_frequency` rows) carried by at least one
            of its questions, most frequent first: the family of the per-tag tests.
        collected_from: Earliest `collected_at` of the topic's questions (UTC), None without any.
        collected_to: Latest `collected_at` of the topic's questions (UTC), None without any.
    """

    topic: str
    groups: Mapping[str, GroupData]
    seed_tags: tuple[str, ...]
    collected_from: datetime | None
    collected_to: datetime | None

    @property
    def n_rows(self) -> int:
        """Questions read over both groups."""
        return sum(group.n_rows for group in self.groups.values())


def connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A short read-only connection, without DuckDB's terminal progress bar."""
    con = duckdb.connect(str(db_path), read_only=True)
    con.execute("set enable_progress_bar = false")
    return con


def check_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Raise `MartsMissingError` naming the first missing mart and the command that builds it."""
    present = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    for table in REQUIRED_TABLES:
        if table not in present:
            raise MartsMissingError(f"marts.{table} missing: run `ptmwh build` first")


def topics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The topics of `marts.rpt_difficulty`, sorted: the topics the marts were built for."""
    rows = con.execute("select distinct topic from marts.rpt_difficulty order by 1").fetchall()
    return [row[0] for row in rows]


def load_topic(con: duckdb.DuckDBPyConnection, topic: str) -> TopicData:
    """Read the topic's groups, their `rpt_difficulty` rows, its seed tags and collection times.

    Groups with neither questions nor a `rpt_difficulty` row are left out (e.g. no baseline yet).

    Raises:
        MartsMissingError: a group has questions but no `rpt_difficulty` row, or a question has no
            `collected_at` (its censoring time would be unknown).
    """
    difficulty = _difficulty_rows(con, topic)
    groups = {}
    collection_times = []
    for group in GROUPS:
        rows = _group_rows(con, topic, group)
        collection_times += rows.column("collected_at").chunks
        if rows.num_rows == 0 and group not in difficulty:
            continue
        if group not in difficulty:
            raise MartsMissingError(
                f"marts.rpt_difficulty has no {group} row for topic {topic!r}: run `ptmwh build`"
            )
        has_accepted = _numpy(rows, "has_accepted_answer").astype(bool)
        groups[group] = GroupData(
            n_rows=rows.num_rows,
            no_accepted_answer=_rate_counts(difficulty[group], has_accepted),
            has_accepted_answer=has_accepted,
            response_minutes=_numpy(rows, "response_minutes"),
            minutes_to_collection=_numpy(rows, "minutes_to_collection"),
            answer_count=_numpy(rows, "answer_count"),
            view_count=_numpy(rows, "view_count"),
            tags=tuple(tuple(t or ()) for t in rows.column("tags").to_pylist())
            if group == "topic"
            else (),
            methods=_methods(difficulty[group]),
        )
    # From the rows already read: a second query would stream the whole baseline again.
    collected = pa.chunked_array(collection_times, type=pa.timestamp("us"))
    n_unknown = collected.null_count
    span = pc.min_max(collected)
    collected_from, collected_to = span["min"].as_py(), span["max"].as_py()
    if n_unknown:
        raise MartsMissingError(
            f"{n_unknown} question(s) of topic {topic!r} have no collected_at in"
            " marts.fct_questions, so their censoring time is unknown: reload them and rebuild"
        )
    return TopicData(topic, groups, _seed_tags(con, topic), collected_from, collected_to)


def _group_rows(con: duckdb.DuckDBPyConnection, topic: str, group: str) -> Any:
    """One group's questions in key order: a join's row order varies between runs, and the
    bootstrap's random groups of rows must not, or one seed would give two intervals. A topic's
    questions are all on its site, so the question id alone orders them (an integer sort)."""
    tags_column, tags_join = (", tagged.tags", _TOPIC_TAGS) if group == "topic" else ("", "")
    return con.execute(
        f"""
        select
            coalesce(questions.has_accepted_answer, false) as has_accepted_answer,
            questions.response_minutes::double as response_minutes,
            greatest(
                (epoch(questions.collected_at) - epoch(questions.created_at)) / 60.0, 0
            )::double as minutes_to_collection,
            questions.answer_count::double as answer_count,
            questions.view_count::double as view_count,
            questions.collected_at::timestamp as collected_at{tags_column}
        from marts.fct_topic_question_groups as questions{tags_join}
        where questions.topic = $topic and questions.question_group = $group
        order by questions.question_id
        """,
        {"topic": topic, "group": group},
    ).to_arrow_table()


def _seed_tags(con: duckdb.DuckDBPyConnection, topic: str) -> tuple[str, ...]:
    rows = con.execute(
        "select tag from marts.rpt_tag_frequency where topic = $topic and n_questions >= 1"
        " order by n_questions desc, tag",
        {"topic": topic},
    ).fetchall()
    return tuple(row[0] for row in rows)


def _difficulty_rows(con: duckdb.DuckDBPyConnection, topic: str) -> dict[str, dict[str, Any]]:
    cursor = con.execute(
        "select * from marts.rpt_difficulty where topic = $topic", {"topic": topic}
    )
    names = [column[0] for column in cursor.description]
    rows = (dict(zip(names, values, strict=True)) for values in cursor.fetchall())
    return {row["question_group"]: row for row in rows}


def _methods(row: Mapping[str, Any]) -> dict[str, str]:
    fallback = row.get("question_count_method") or "full_population"
    return {metric: row.get(column) or fallback for metric, column in METRIC_METHOD_COLUMNS.items()}


def _rate_counts(row: Mapping[str, Any], has_accepted: NDArray[np.bool_]) -> tuple[int, int]:
    if _methods(row)["no_accepted_answer_rate"] == "exact_count":
        return int(row["n_no_accepted_answer"]), int(row["n_questions"])
    return int((~has_accepted).sum()), int(has_accepted.size)


def _numpy(table: Any, column: str) -> NDArray[Any]:
    return table.column(column).to_numpy(zero_copy_only=False)
