"""Read one topic's comparison groups from the marts into numpy arrays (DuckDB -> Arrow -> numpy).

The groups come from their one definition, `marts.fct_topic_question_groups` (which questions are a
topic's `topic` and `baseline` questions), which carries each question's figures from
`marts.fct_questions`; only the topic group's tags need a join. Nothing here re-derives a group, so
the analysis counts exactly the questions `marts.rpt_difficulty` counts. Only the columns a
statistic uses are read, so 10^7 baseline questions cost a few hundred MB and one scan.

Topics of one site and window whose baseline is the dump (`full_population`) share it: the view
defines each one's baseline as the site's dump questions in the window less the topic's own
(`fct_topic_question_groups.sql`). Reading that view costs a window join and an anti join over
every dump question per topic (most of `ptmwh analyze` at 10^7, benchmarks/README.md), so such
topics are read as one unit: one topic's baseline rows from the view, plus those of its own
questions the view puts in another topic's baseline, give the shared population; each topic's
baseline is that less its own questions, and must count what `rpt_difficulty` counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from .groups import GroupData, make_group, subset

REQUIRED_TABLES = (
    "marts.fct_questions",
    "marts.fct_topic_question_groups",
    "marts.rpt_difficulty",
    "marts.rpt_tag_frequency",
    "seeds.topics",
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
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    for table in REQUIRED_TABLES:
        if table not in present:
            raise MartsMissingError(f"{table} missing: run `ptmwh build` first")


def topics(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The topics of `marts.rpt_difficulty`, sorted: the topics the marts were built for."""
    rows = con.execute("select distinct topic from marts.rpt_difficulty order by 1").fetchall()
    return [row[0] for row in rows]


def baseline_units(con: duckdb.DuckDBPyConnection, topic_names: Sequence[str]) -> list[list[str]]:
    """The topics grouped into units read together: those whose baseline is the dump of one site
    and window (seeds `topics`; `rpt_difficulty`'s baseline `response_minutes_method` is the
    view's sampling method) form one unit; every other topic is a unit of its own."""
    rows = con.execute(
        """
        select topics.topic, topics.site, topics.window_start, topics.window_end
        from seeds.topics as topics
        inner join marts.rpt_difficulty as difficulty
            on topics.topic = difficulty.topic
        where difficulty.question_group = 'baseline'
            and difficulty.response_minutes_method = 'full_population'
        """
    ).fetchall()
    shared = {topic: (site, start, end) for topic, site, start, end in rows}
    units: dict[Any, list[str]] = {}
    for topic in topic_names:
        units.setdefault(shared.get(topic, ("alone", topic)), []).append(topic)
    return list(units.values())


def load_unit(con: duckdb.DuckDBPyConnection, unit: Sequence[str]) -> Iterator[TopicData]:
    """Each topic of a unit of `baseline_units`, in order, reading a shared baseline once.

    Raises:
        MartsMissingError: as `load_topic`, or when a topic's baseline derived from the shared one
            does not count what `marts.rpt_difficulty` counts (the marts are stale: rebuild).
    """
    if len(unit) == 1:
        yield load_topic(con, unit[0])
        return
    members = {topic: _group_rows(con, topic, "topic") for topic in unit}
    member_ids = {topic: _numpy(rows, "question_id") for topic, rows in members.items()}
    first = min(unit, key=lambda topic: member_ids[topic].size)
    shared = _shared_baseline(con, first, unit, members[first], member_ids)
    for topic in unit:
        difficulty = _difficulty_rows(con, topic)
        if "baseline" not in difficulty:
            raise MartsMissingError(
                f"marts.rpt_difficulty has no baseline row for topic {topic!r}: run `ptmwh build`"
            )
        row = difficulty["baseline"]
        keep = ~np.isin(shared.question_ids, member_ids[topic], assume_unique=True)
        baseline = subset(
            shared, keep, methods=_methods(row), no_accepted_answer=_shared_rate_counts(row, keep)
        )
        if row.get("question_count_method") == "full_population" and baseline.n_rows != int(
            row["n_questions"]
        ):
            raise MartsMissingError(
                f"topic {topic!r}: its baseline from the shared dump baseline has "
                f"{baseline.n_rows} questions but marts.rpt_difficulty counts "
                f"{int(row['n_questions'])}: run `ptmwh build`"
            )
        yield _topic_data(con, topic, difficulty, {"topic": members[topic]}, {"baseline": baseline})


def load_topic(con: duckdb.DuckDBPyConnection, topic: str) -> TopicData:
    """Read the topic's groups, their `rpt_difficulty` rows, its seed tags and collection times.

    Groups with neither questions nor a `rpt_difficulty` row are left out (e.g. no baseline yet).

    Raises:
        MartsMissingError: a group has questions but no `rpt_difficulty` row, or a question has no
            `collected_at` (its censoring time would be unknown).
    """
    rows = {group: _group_rows(con, topic, group) for group in GROUPS}
    return _topic_data(con, topic, _difficulty_rows(con, topic), rows, {})


def _topic_data(
    con: duckdb.DuckDBPyConnection,
    topic: str,
    difficulty: Mapping[str, Mapping[str, Any]],
    rows: Mapping[str, Any],
    ready: Mapping[str, GroupData],
) -> TopicData:
    """The topic's groups: `ready` ones as given, the others from their rows."""
    groups = {}
    for group in GROUPS:
        if group in ready:
            groups[group] = ready[group]
            continue
        table = rows[group]
        if table.num_rows == 0 and group not in difficulty:
            continue
        if group not in difficulty:
            raise MartsMissingError(
                f"marts.rpt_difficulty has no {group} row for topic {topic!r}: run `ptmwh build`"
            )
        groups[group] = _group(table, difficulty[group], with_tags=group == "topic")
    collected = np.concatenate([group.collected_at for group in groups.values()])
    n_unknown = int(np.isnat(collected).sum())
    if n_unknown:
        raise MartsMissingError(
            f"{n_unknown} question(s) of topic {topic!r} have no collected_at in"
            " marts.fct_questions, so their censoring time is unknown: reload them and rebuild"
        )
    if not collected.size:
        return TopicData(topic, groups, _seed_tags(con, topic), None, None)
    span = collected.min().astype(datetime), collected.max().astype(datetime)
    return TopicData(topic, groups, _seed_tags(con, topic), *span)


def _group(table: Any, difficulty: Mapping[str, Any] | None, *, with_tags: bool) -> GroupData:
    """A group from its rows; without a `rpt_difficulty` row (a shared baseline's union) its rate
    and methods are the rows' own."""
    has_accepted = _numpy(table, "has_accepted_answer").astype(bool)
    return make_group(
        no_accepted_answer=_rate_counts(difficulty or {}, has_accepted),
        question_ids=_numpy(table, "question_id").astype(np.int64),
        has_accepted_answer=has_accepted,
        response_minutes=_numpy(table, "response_minutes"),
        minutes_to_collection=_numpy(table, "minutes_to_collection"),
        answer_count=_numpy(table, "answer_count"),
        view_count=_numpy(table, "view_count"),
        collected_at=_numpy(table, "collected_at").astype("datetime64[us]"),
        tags=tuple(tuple(t or ()) for t in table.column("tags").to_pylist()) if with_tags else (),
        methods=_methods(difficulty or {}),
    )


def _shared_baseline(
    con: duckdb.DuckDBPyConnection,
    first: str,
    unit: Sequence[str],
    first_members: Any,
    member_ids: Mapping[str, NDArray[np.int64]],
) -> GroupData:
    """Every question in some topic's baseline of the unit: `first`'s baseline rows, plus those of
    `first`'s own questions that the view puts in another topic's baseline (asked for by id, a
    cheap filter; a question that is every other topic's own too is in no baseline at all)."""
    baseline = _group_rows(con, first, "baseline")
    unresolved = member_ids[first]
    found: list[NDArray[np.int64]] = []
    for topic in sorted(unit, key=lambda t: np.isin(unresolved, member_ids[t]).sum()):
        if topic == first or not unresolved.size:
            continue
        asked = unresolved[~np.isin(unresolved, member_ids[topic])]
        if asked.size:
            found.append(_baseline_ids_among(con, topic, asked))
        unresolved = np.setdiff1d(unresolved, asked, assume_unique=True)
    extra = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    if extra.size:
        chosen = np.isin(_numpy(first_members, "question_id"), extra)
        baseline = pa.concat_tables(
            [baseline, first_members.drop_columns(["tags"]).filter(pa.array(chosen))]
        )
        baseline = baseline.take(np.argsort(_numpy(baseline, "question_id"), kind="stable"))
    return _group(baseline, None, with_tags=False)


def _baseline_ids_among(
    con: duckdb.DuckDBPyConnection, topic: str, ids: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Which of `ids` are in the topic's baseline. The ids are written into the query as a list of
    integer literals: DuckDB then filters the scan of fct_questions by them, where a join to a
    parameter list evaluates the view over every question."""
    listed = ", ".join(str(int(question_id)) for question_id in ids)
    rows = con.execute(
        "select question_id from marts.fct_topic_question_groups where topic = $topic"
        f" and question_group = 'baseline' and question_id in ({listed})",
        {"topic": topic},
    ).fetchnumpy()
    return np.asarray(rows["question_id"], dtype=np.int64)


def _group_rows(con: duckdb.DuckDBPyConnection, topic: str, group: str) -> Any:
    """One group's questions in key order: a join's row order varies between runs, and the
    bootstrap's random groups of rows must not, or one seed would give two intervals. A topic's
    questions are all on its site, so the question id alone orders them (an integer sort)."""
    tags_column, tags_join = (", tagged.tags", _TOPIC_TAGS) if group == "topic" else ("", "")
    return con.execute(
        f"""
        select
            questions.question_id::bigint as question_id,
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


def _shared_rate_counts(row: Mapping[str, Any], keep: NDArray[np.bool_]) -> tuple[int, int] | None:
    """A derived baseline's exact API counts when its rate method is `exact_count`; else None (the
    kept rows are counted)."""
    if _methods(row)["no_accepted_answer_rate"] == "exact_count":
        return int(row["n_no_accepted_answer"]), int(row["n_questions"])
    return None


def _numpy(table: Any, column: str) -> NDArray[Any]:
    return table.column(column).to_numpy(zero_copy_only=False)
