"""Read the marts the analysis needs into numpy arrays (DuckDB -> Arrow -> numpy).

Only the columns a statistic uses are read, so 10^7 baseline questions cost a few hundred MB and
one scan. Baseline rows of a topic are those with `question_group = 'baseline'` and that topic, or
with no topic at all (a baseline shared by every topic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from numpy.typing import NDArray

REQUIRED_TABLES = ("fct_questions", "rpt_difficulty")
METRIC_METHOD_COLUMNS = {
    "no_accepted_answer_rate": "no_accepted_answer_rate_method",
    "response_minutes": "response_minutes_method",
    "answers_per_view": "answers_per_view_method",
}

_GROUP_CONDITIONS = {
    "topic": "question_group = 'topic' and topic = $topic",
    "baseline": "question_group = 'baseline' and (topic = $topic or topic is null)",
}


class MartsMissingError(RuntimeError):
    """The marts the analysis reads do not exist (yet)."""


@dataclass(frozen=True)
class GroupData:
    """One question group (topic or baseline) of one topic, as arrays with one entry per question.

    Attributes:
        n_rows: Questions in `marts.fct_questions` for this group.
        no_accepted_answer: (k, n) for the rate: from the rows, or from `rpt_difficulty`'s exact API
            counts when its rate method is `exact_count`.
        has_accepted_answer: Per question.
        response_minutes: Minutes to the accepted answer; NaN without one.
        minutes_to_cutoff: Minutes from creation to the data cut-off.
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
    minutes_to_cutoff: NDArray[np.float64]
    answer_count: NDArray[np.float64]
    view_count: NDArray[np.float64]
    tags: tuple[tuple[str, ...], ...]
    methods: Mapping[str, str]


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


def data_cutoff(con: duckdb.DuckDBPyConnection) -> datetime:
    """The censoring cut-off: the latest `created_at` in `marts.fct_questions` (UTC)."""
    cutoff = con.execute("select max(created_at) from marts.fct_questions").fetchone()[0]
    if cutoff is None:
        raise MartsMissingError("marts.fct_questions is empty: run `ptmwh load` and `ptmwh build`")
    return cutoff


def topics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Topics that have topic questions, sorted."""
    rows = con.execute(
        "select distinct topic from marts.fct_questions"
        " where question_group = 'topic' and topic is not null order by 1"
    ).fetchall()
    return [row[0] for row in rows]


def load_groups(
    con: duckdb.DuckDBPyConnection, topic: str, cutoff: datetime
) -> dict[str, GroupData]:
    """Read the topic's and its baseline's questions and their `rpt_difficulty` rows.

    Groups with neither questions nor a `rpt_difficulty` row are left out (e.g. no baseline yet).
    """
    difficulty = _difficulty_rows(con, topic)
    groups = {}
    for group, condition in _GROUP_CONDITIONS.items():
        tags_column = ", tags" if group == "topic" else ""
        rows = con.execute(
            f"""
            select
                coalesce(has_accepted_answer, false) as has_accepted_answer,
                response_minutes::double as response_minutes,
                greatest(date_diff('minute', created_at, $cutoff::timestamp), 0)::double
                    as minutes_to_cutoff,
                answer_count::double as answer_count,
                view_count::double as view_count{tags_column}
            from marts.fct_questions
            where {condition}
            """,
            {"topic": topic, "cutoff": cutoff},
        ).to_arrow_table()
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
            minutes_to_cutoff=_numpy(rows, "minutes_to_cutoff"),
            answer_count=_numpy(rows, "answer_count"),
            view_count=_numpy(rows, "view_count"),
            tags=tuple(tuple(t or ()) for t in rows.column("tags").to_pylist())
            if tags_column
            else (),
            methods=_methods(difficulty[group]),
        )
    return groups


def tags_in_baseline(con: duckdb.DuckDBPyConnection, topic: str, tags: list[str]) -> set[str]:
    """Which of `tags` some baseline question of the topic carries (a topic's own tags never do)."""
    if not tags:
        return set()
    found = con.execute(
        f"""
        select [{", ".join("bool_or(list_contains(tags, ?))" for _ in tags)}]
        from marts.fct_questions
        where {_GROUP_CONDITIONS["baseline"].replace("$topic", "?")}
        """,
        [*tags, topic],
    ).fetchone()[0]
    return {tag for tag, carried in zip(tags, found or (), strict=False) if carried}


def _difficulty_rows(con: duckdb.DuckDBPyConnection, topic: str) -> dict[str, dict[str, Any]]:
    cursor = con.execute(
        "select * from marts.rpt_difficulty where topic = $topic or"
        " (question_group = 'baseline' and topic is null)",
        {"topic": topic},
    )
    names = [column[0] for column in cursor.description]
    rows: dict[str, dict[str, Any]] = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        # A topic's own baseline row wins over a shared one.
        if row["question_group"] not in rows or row["topic"] == topic:
            rows[row["question_group"]] = row
    return rows


def _methods(row: Mapping[str, Any]) -> dict[str, str]:
    fallback = row.get("question_count_method") or "full_population"
    return {metric: row.get(column) or fallback for metric, column in METRIC_METHOD_COLUMNS.items()}


def _rate_counts(row: Mapping[str, Any], has_accepted: NDArray[np.bool_]) -> tuple[int, int]:
    if _methods(row)["no_accepted_answer_rate"] == "exact_count":
        return int(row["n_no_accepted_answer"]), int(row["n_questions"])
    return int((~has_accepted).sum()), int(has_accepted.size)


def _numpy(table: Any, column: str) -> NDArray[Any]:
    return table.column(column).to_numpy(zero_copy_only=False)
