"""A dump is a snapshot of its site: the SQL steps around merging one dump's pending posts.

The dump loader appends a file's posts to the pending tables first (`dump_*_pending`), so that
nothing reaches the raw tables before the whole file has been read: only then are its date (an
older dump than one already loaded is refused), its id outliers and its `collected_at` known, and
only a complete file may mark the site's posts it no longer holds as deleted. The steps here are
plain DuckDB statements on the warehouse file; `dump_runner` calls them in order
(dlt_pipeline/stackexchange_dump/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from study.window import Window

from .raw_contract import ANSWERS_SCHEMA, DATASET, RAW_TABLES
from .results import LoadError
from .stackexchange_dump.pending import remove_segments
from .stackexchange_dump.settings import (
    PENDING_ANSWERS_TABLE,
    PENDING_QUESTION_TAGS_TABLE,
    PENDING_QUESTIONS_TABLE,
    PENDING_TABLES,
)
from .warehouse import connect


def window_condition(column: str, windows: Sequence[Window]) -> tuple[str, list[object]]:
    """SQL that `column` (epoch seconds) lies in one of the windows, and its parameters."""
    condition = " or ".join([f"({column} >= ? and {column} < ?)"] * len(windows))
    parameters: list[object] = []
    for window in windows:
        parameters += [window.start_epoch, window.end_epoch]
    return condition, parameters


def _existing(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables of the raw dataset that exist now."""
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = ?", [DATASET]
    ).fetchall()
    return {name for (name,) in rows}


def clear_pending(db_path: Path) -> None:
    """Empty the pending tables and delete the segment files (left by a stopped or refused load,
    or after a merge)."""
    remove_segments(db_path)
    with connect(db_path) as connection:
        existing = _existing(connection)
        for table in PENDING_TABLES:
            if table in existing:
                connection.execute(f"delete from {DATASET}.{table}")


def newest_loaded_dump(db_path: Path, site: str) -> date | None:
    """The newest `dump_date` of a completed dump load of `site`, or None (no warehouse yet)."""
    if not db_path.exists():
        return None
    with connect(db_path) as connection:
        if "load_runs" not in _existing(connection):
            return None
        row = connection.execute(
            f"select max(dump_date) from {DATASET}.load_runs "
            "where command = 'load-dump' and status = 'completed' and site = ?",
            [site],
        ).fetchone()
    return row[0] if row else None


def refuse_older_dump(site: str, dump_date: date, newest: date | None, force: bool) -> None:
    """Refuse a dump older than the site's newest loaded one: it would undo newer counts.

    Raises:
        LoadError: `dump_date` is before `newest` and `force` is not set.
    """
    if newest is not None and dump_date < newest and not force:
        raise LoadError(
            f"this dump of {site} is dated {dump_date}, older than the dump of {newest} already "
            "loaded; loading it would bring back older counts and deleted posts; nothing was "
            "changed; load the newest dump, or pass --force to load this one anyway"
        )


@dataclass(frozen=True)
class SiteOverlap:
    """How much of a site's loaded questions a dump holds: is it a dump of that site at all?

    Attributes:
        live: the site's questions in the load's windows that exist now (no `deleted_at`) and
            were created before the dump's day ended: those the dump could hold.
        held: of them, the questions whose id the dump holds (the others it would mark deleted).
        same: of them, the questions the dump holds with the same id and creation time (to the
            minute): a post keeps both for life, so another site's post with the same id does
            not count.
    """

    live: int
    held: int
    same: int

    @property
    def would_delete(self) -> int:
        """Live questions this dump would mark deleted."""
        return self.live - self.held


def site_overlap(
    db_path: Path, site: str, windows: Sequence[Window], created_before: int
) -> SiteOverlap:
    """Compare the pending questions with the site's live ones in `windows` (read before merging).

    Args:
        db_path: the warehouse file.
        site: the dump's site.
        windows: the load's question windows.
        created_before: epoch seconds; questions created later cannot be in the dump.
    """
    questions_in, parameters = window_condition("questions.creation_date", windows)
    with connect(db_path) as connection:
        existing = _existing(connection)
        if "questions" not in existing or PENDING_QUESTIONS_TABLE not in existing:
            return SiteOverlap(0, 0, 0)
        row = connection.execute(
            f"""
            select
                count(*),
                count(pending.question_id),
                count(*) filter (
                    where abs(pending.creation_date - questions.creation_date) < 60
                )
            from {DATASET}.questions as questions
            left join {DATASET}.{PENDING_QUESTIONS_TABLE} as pending
                on pending.site = questions.site and pending.question_id = questions.question_id
            where questions.site = ? and questions.deleted_at is null
                and questions.creation_date < ? and ({questions_in})
            """,
            [site, created_before, *parameters],
        ).fetchone()
    live, held, same = row if row else (0, 0, 0)
    return SiteOverlap(int(live), int(held), int(same))


def refuse_other_site(site: str, overlap: SiteOverlap, force: bool) -> None:
    """Refuse a dump that holds fewer than half the site's live questions: another site's dump.

    A newer dump of the same site holds nearly every question an older one held (deletions are
    rare); a dump of another site, or loaded under the wrong `--site`, holds almost none of them
    (post ids are per site, so the same id is another post, created at another time).

    Raises:
        LoadError: `overlap.same` is less than half of `overlap.live` and `force` is not set.
    """
    if force or overlap.live == 0 or 2 * overlap.same >= overlap.live:
        return
    raise LoadError(
        f"this dump does not look like one of {site}: it holds {overlap.same:,} of the "
        f"{overlap.live:,} live {site} questions already loaded in its windows (same id and "
        f"creation time), and loading it would mark {overlap.would_delete:,} of them deleted; "
        "nothing was changed; check the dump's site (--site, or the name of its file or "
        "folder), or pass --force if the site really lost them"
    )


def drop_id_outliers(db_path: Path, site: str, outliers: dict[str, Sequence[int]]) -> int:
    """Delete the pending questions and answers with an outlier id; return how many were pending.

    Args:
        db_path: the warehouse file.
        site: the dump's site.
        outliers: outlier ids per raw table (`questions`, `answers`).
    """
    ids = {
        PENDING_QUESTIONS_TABLE: ("question_id", list(outliers.get("questions", ()))),
        PENDING_QUESTION_TAGS_TABLE: ("question_id", list(outliers.get("questions", ()))),
        PENDING_ANSWERS_TABLE: ("answer_id", list(outliers.get("answers", ()))),
    }
    dropped = 0
    with connect(db_path) as connection:
        existing = _existing(connection)
        for table, (column, values) in ids.items():
            if not values or table not in existing:
                continue
            row = connection.execute(
                f"delete from {DATASET}.{table} where site = ? and list_contains(?, {column}) "
                "returning 1",
                [site, values],
            ).fetchall()
            if table != PENDING_QUESTION_TAGS_TABLE:
                dropped += len(row)
    return dropped


def date_pending_questions(db_path: Path, site: str, collected_at: int) -> None:
    """Set `collected_at` of the pending questions without one (the date is known at the end)."""
    with connect(db_path) as connection:
        if PENDING_QUESTIONS_TABLE in _existing(connection):
            connection.execute(
                f"update {DATASET}.{PENDING_QUESTIONS_TABLE} set collected_at = ? "
                "where site = ? and collected_at is null",
                [collected_at, site],
            )


def pending_answers(db_path: Path, site: str) -> int:
    """Answers of `site` pending now (before they are resolved against their question)."""
    with connect(db_path) as connection:
        if PENDING_ANSWERS_TABLE not in _existing(connection):
            return 0
        row = connection.execute(
            f"select count(*) from {DATASET}.{PENDING_ANSWERS_TABLE} where site = ?", [site]
        ).fetchone()
    return int(row[0]) if row else 0


def merge_pending(
    db_path: Path, site: str, windows: Sequence[Window], load_id: str
) -> dict[str, int]:
    """Merge the pending posts of `site` into the raw tables, as dlt's delete-insert would.

    `questions` and `question_tags` lose the rows whose (`site`, `question_id`) is pending (a
    question's whole tag list is replaced) and `answers` those whose (`site`, `answer_id`) is, then
    the pending rows are inserted under `load_id`, the dlt load that created the tables
    (`stackexchange_dump.source.raw_tables`), so staging's `dlt_load_id` joins `_dlt_loads`. An
    answer is merged only when its question is pending and in a window; `is_accepted` comes from
    that question's `accepted_answer_id`. One transaction: a failure leaves the raw tables as
    they were.

    Returns:
        Rows merged per raw table.
    """
    sources = {
        "questions": f"{DATASET}.{PENDING_QUESTIONS_TABLE}",
        "question_tags": f"{DATASET}.{PENDING_QUESTION_TAGS_TABLE}",
        "answers": "resolved_answers",
    }
    resolved_answers, parameters = _resolved_answers(windows)
    merged: dict[str, int] = {}
    with connect(db_path) as connection:
        if not set(PENDING_TABLES) <= _existing(connection):
            return dict.fromkeys(sources, 0)
        # Rows need no order in the raw tables; without it DuckDB inserts on every core.
        connection.execute("set preserve_insertion_order = false")
        connection.execute("begin transaction")
        connection.execute(
            f"create temp table resolved_answers as {resolved_answers}", [site, *parameters]
        )
        for table, source in sources.items():
            merged[table] = _replace_rows(connection, table, source, site, load_id)
        connection.execute("drop table resolved_answers")
        connection.execute("commit")
    return merged


def _resolved_answers(windows: Sequence[Window]) -> tuple[str, list[object]]:
    """The pending answers to merge, `is_accepted` from their question, and its parameters.

    An answer is merged only when its question is pending and in a window; the query's first
    parameter is the site, the window bounds follow.
    """
    questions_in, parameters = window_condition("questions.creation_date", windows)
    answer_columns = ", ".join(
        f"pending.{name}" for name in ANSWERS_SCHEMA.names if name != "is_accepted"
    )
    query = f"""
        select
            {answer_columns},
            coalesce(questions.accepted_answer_id = pending.answer_id, false) as is_accepted
        from {DATASET}.{PENDING_ANSWERS_TABLE} as pending
        inner join {DATASET}.{PENDING_QUESTIONS_TABLE} as questions
            on questions.site = pending.site and questions.question_id = pending.question_id
        where pending.site = ? and ({questions_in})
    """
    return query, parameters


def _replace_rows(
    connection: duckdb.DuckDBPyConnection, table: str, source: str, site: str, load_id: str
) -> int:
    """Replace the raw table's rows of `site` that `source` holds anew; return the rows inserted.

    Rows are replaced by the table's `replace_key` (a question's whole tag list at once), and the
    new rows carry `load_id` as `_dlt_load_id`.
    """
    contract = RAW_TABLES[table]
    matches = " and ".join(f"target.{key} = rows.{key}" for key in contract.replace_key)
    connection.execute(
        f"delete from {DATASET}.{table} as target using {source} as rows "
        f"where rows.site = ? and {matches}",
        [site],
    )
    row = connection.execute(
        f"insert into {DATASET}.{table} by name "
        f"select {', '.join(contract.schema.names)}, ?::varchar as _dlt_load_id "
        f"from {source} where site = ?",
        [load_id, site],
    ).fetchone()
    return int(row[0]) if row else 0


def _pending(table: str, existing: set[str], id_columns: str) -> str:
    """A pending table, or an empty relation of its key columns when no load has created it."""
    if table in existing:
        return f"{DATASET}.{table}"
    nulls = ", ".join(f"null::bigint as {name.strip()}" for name in id_columns.split(","))
    return f"(select null::varchar as site, {nulls} limit 0)"


@dataclass(frozen=True)
class Deleted:
    """Posts of the site a dump no longer holds, marked deleted by that dump.

    Attributes:
        questions: questions marked deleted.
        answers: answers marked deleted.
    """

    questions: int
    answers: int


def site_has_posts(db_path: Path, site: str) -> bool:
    """Whether the raw tables hold any question or answer of `site` (before this load's merge).

    A site's first load has nothing to mark deleted, so `mark_deleted`'s scans are skipped then.
    """
    with connect(db_path) as connection:
        existing = _existing(connection)
        return any(
            connection.execute(
                f"select exists (select 1 from {DATASET}.{table} where site = ?)", [site]
            ).fetchone()[0]
            for table in ("questions", "answers")
            if table in existing
        )


def mark_deleted(
    db_path: Path,
    site: str,
    windows: Sequence[Window],
    deleted_at: int,
    created_before: int,
) -> Deleted:
    """Mark the site's posts this complete dump does not hold as deleted at the dump's date.

    Only posts the dump could have held are judged: questions created in the load's windows before
    the dump's day ended, their tags, and the answers of questions in those windows. The pending
    tables still hold the dump's posts (after id outliers were dropped). One transaction.

    Args:
        db_path: the warehouse file.
        site: the dump's site.
        windows: the load's question windows.
        deleted_at: epoch seconds stored in `deleted_at` (the dump's date).
        created_before: epoch seconds; posts created later cannot be in the dump.
    """
    with connect(db_path) as connection:
        existing = _existing(connection)
        if not {"questions", "answers", "question_tags"} <= existing:
            return Deleted(0, 0)
        gone = _Gone(
            site=site,
            windows=windows,
            deleted_at=deleted_at,
            created_before=created_before,
            questions_pending=_pending(PENDING_QUESTIONS_TABLE, existing, "question_id"),
            answers_pending=_pending(PENDING_ANSWERS_TABLE, existing, "answer_id, question_id"),
        )
        connection.execute("begin transaction")
        questions = gone.mark_questions(connection)
        gone.mark_question_tags(connection)
        answers = gone.mark_answers(connection)
        connection.execute("commit")
    return Deleted(questions=questions, answers=answers)


@dataclass(frozen=True)
class _Gone:
    """How one complete dump judges which of its site's posts are gone (`mark_deleted`).

    Attributes:
        site: the dump's site.
        windows: the load's question windows.
        deleted_at: epoch seconds stored in `deleted_at` (the dump's date).
        created_before: epoch seconds; posts created later cannot be in the dump.
        questions_pending: the relation of the dump's questions (`_pending`).
        answers_pending: the relation of the dump's answers (`_pending`).
    """

    site: str
    windows: Sequence[Window]
    deleted_at: int
    created_before: int
    questions_pending: str
    answers_pending: str

    def mark_questions(self, connection: duckdb.DuckDBPyConnection) -> int:
        """Mark the live questions of the windows that the dump lacks; return how many."""
        questions_in, parameters = window_condition("questions.creation_date", self.windows)
        return len(
            connection.execute(
                f"""
                update {DATASET}.questions as questions set deleted_at = ?
                where questions.site = ? and questions.deleted_at is null
                    and questions.creation_date < ? and ({questions_in})
                    and not exists (
                        select 1 from {self.questions_pending} as pending
                        where pending.site = questions.site
                            and pending.question_id = questions.question_id
                    )
                returning 1
                """,
                [self.deleted_at, self.site, self.created_before, *parameters],
            ).fetchall()
        )

    def mark_question_tags(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Give the live tags of the site's deleted questions their question's `deleted_at`."""
        connection.execute(
            f"""
            update {DATASET}.question_tags as tags set deleted_at = questions.deleted_at
            from {DATASET}.questions as questions
            where tags.site = questions.site and tags.question_id = questions.question_id
                and questions.site = ? and tags.deleted_at is null
                and questions.deleted_at is not null
            """,
            [self.site],
        )

    def mark_answers(self, connection: duckdb.DuckDBPyConnection) -> int:
        """Mark the live answers to questions of the windows that the dump lacks; return how many.

        An answer counts as held only when the dump also holds its question.
        """
        questions_in, parameters = window_condition("questions.creation_date", self.windows)
        return len(
            connection.execute(
                f"""
                update {DATASET}.answers as answers set deleted_at = ?
                where answers.site = ? and answers.deleted_at is null
                    and answers.creation_date < ?
                    and exists (
                        select 1 from {DATASET}.questions as questions
                        where questions.site = answers.site
                            and questions.question_id = answers.question_id and ({questions_in})
                    )
                    and not exists (
                        select 1 from {self.answers_pending} as pending
                        inner join {self.questions_pending} as questions
                            on questions.site = pending.site
                            and questions.question_id = pending.question_id
                        where pending.site = answers.site
                            and pending.answer_id = answers.answer_id
                    )
                returning 1
                """,
                [self.deleted_at, self.site, self.created_before, *parameters],
            ).fetchall()
        )
