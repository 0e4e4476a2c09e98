"""Read-only access to the warehouse tables the report formats (marts, `analysis.*`, seeds, ops).

The report never writes and never keeps the file open longer than one render, so other steps can run
right after it. Every query here only selects, filters, orders or rolls up counts: statistics come
ready-made from the marts and `analysis_py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

Row = dict[str, Any]

# Tables the report cannot do without, with the step that creates them.
REQUIRED_TABLES: dict[tuple[str, str], str] = {
    ("marts", "fct_questions"): "ptmwh build",
    ("marts", "fct_topic_question_groups"): "ptmwh build",
    ("marts", "rpt_tag_frequency"): "ptmwh build",
    ("marts", "rpt_popularity_yearly"): "ptmwh build",
    ("marts", "rpt_popularity_tag_yearly"): "ptmwh build",
    ("marts", "rpt_difficulty"): "ptmwh build",
    ("marts", "rpt_difficulty_by_tag"): "ptmwh build",
    ("marts", "rpt_response_time_distribution"): "ptmwh build",
    ("analysis", "stat_tests"): "ptmwh analyze",
    ("analysis", "metric_estimates"): "ptmwh analyze",
    ("analysis", "survival_curves"): "ptmwh analyze",
}


class ReportDataError(RuntimeError):
    """The warehouse lacks something the report needs; the message names it and the fix."""


class StaleBuildError(ReportDataError):
    """The newest dbt build failed, or a load is newer than the marts: they may be stale."""


@contextmanager
def read_only_connection(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse read-only and close it when the block ends.

    Raises:
        ReportDataError: the file does not exist (DuckDB would otherwise create an empty one).
    """
    if not db_path.is_file():
        raise ReportDataError(f"warehouse {db_path} not found: run `ptmwh run` (or load and build)")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


class MartsReader:
    """Typed queries over one open read-only connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._tables = {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }

    def has(self, schema: str, table: str) -> bool:
        """Whether `schema.table` exists."""
        return (schema, table) in self._tables

    def schema_of(self, table: str) -> str | None:
        """The schema holding `table` (seeds live where dbt puts them); first by name if several."""
        schemas = sorted(schema for schema, name in self._tables if name == table)
        return schemas[0] if schemas else None

    def check_required(self) -> None:
        """Raise one clear error for the first missing required table.

        Raises:
            ReportDataError: naming the table and the command that creates it.
        """
        for (schema, table), command in REQUIRED_TABLES.items():
            if not self.has(schema, table):
                raise ReportDataError(f"{schema}.{table} missing: run `{command}`")

    def check_build(self, allow_stale: bool) -> Row | None:
        """Return the newest dbt build record; refuse a failed one unless `allow_stale`.

        Raises:
            StaleBuildError: the newest `ops.build_runs` row has status `error`.
        """
        if not self.has("ops", "build_runs"):
            return None
        rows = self.rows(
            "select * from ops.build_runs order by started_at desc nulls last, invocation_id desc "
            "limit 1"
        )
        if not rows:
            return None
        build = rows[0]
        if build["status"] == "error" and not allow_stale:
            failed = build.get("failed_nodes") or "unknown nodes"
            raise StaleBuildError(
                f"the last `ptmwh build` failed ({failed}): fix it and rebuild, "
                "or pass --allow-stale to render the previous marts"
            )
        return build

    def check_loads_built(self, allow_stale: bool) -> list[str]:
        """The loads the marts do not include; refuse to render over them unless `allow_stale`.

        A load is included when it finished before the newest successful full build started (a
        selective build, `build --select ...` as `ptmwh snowball` runs, rebuilds only part of the
        marts, so it does not count).

        Returns:
            One phrase per load left out, oldest first (empty when the marts are current).

        Raises:
            StaleBuildError: a load finished after that build and `allow_stale` is not set.
        """
        if not self.has("raw_stackexchange", "load_runs") or not self.has("ops", "build_runs"):
            return []
        builds = self.rows("select * from ops.build_runs where status = 'success'")
        full = [b["started_at"] for b in builds if b.get("command") in (None, "build", "run")]
        built = max((at for at in full if at is not None), default=datetime.min)
        loads = self.rows(
            "select run_id, command, site, status, timezone('UTC', finished_at) as finished_at "
            "from raw_stackexchange.load_runs where timezone('UTC', finished_at) > ? "
            "order by finished_at, run_id",
            [built],
        )
        missing = [
            f"{load['command']} of {load['site']} ({load['status']}, finished "
            f"{load['finished_at']:%Y-%m-%d %H:%M} UTC, run {str(load['run_id'])[:8]})"
            for load in loads
        ]
        if missing and not allow_stale:
            shown = "; ".join(missing[:3]) + (
                f"; and {len(missing) - 3} more" if len(missing) > 3 else ""
            )
            raise StaleBuildError(
                f"the marts do not include {len(missing)} load(s) newer than the last `ptmwh "
                f"build`: {shown}; run `ptmwh build` first, or pass --allow-stale to render the "
                "marts without them"
            )
        return missing

    def rows(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """Run a select and return its rows as dicts keyed by column name."""
        cursor = self._con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def table(self, schema: str, table: str, where: str = "", order_by: str = "") -> list[Row]:
        """Rows of `schema.table` (empty when it is absent), optionally filtered and ordered."""
        if not self.has(schema, table):
            return []
        sql = f'select * from "{schema}"."{table}"'
        if where:
            sql += f" where {where}"
        if order_by:
            sql += f" order by {order_by}"
        return self.rows(sql)

    def topic_table(self, schema: str, table: str, topic: str, order_by: str) -> list[Row]:
        """Rows of `schema.table` for one topic, ordered."""
        return self.rows(
            f'select * from "{schema}"."{table}" where topic = ? order by {order_by}', [topic]
        )

    def optional_topic_table(
        self, schema: str, table: str, topic: str, order_by: str
    ) -> list[Row] | None:
        """Rows of `schema.table` for one topic, ordered; None when the table does not exist."""
        if not self.has(schema, table):
            return None
        return self.topic_table(schema, table, topic, order_by)

    def seed(self, table: str, topic: str | None = None, order_by: str = "1") -> list[Row]:
        """Rows of a dbt seed found by table name, optionally for one topic."""
        schema = self.schema_of(table)
        if schema is None:
            return []
        if topic is None:
            return self.table(schema, table, order_by=order_by)
        return self.topic_table(schema, table, topic, order_by)

    def topics(self) -> list[str]:
        """Topics present in `marts.rpt_difficulty`, sorted."""
        return [
            row["topic"]
            for row in self.rows("select distinct topic from marts.rpt_difficulty order by 1")
        ]

    def question_overview(self) -> list[Row]:
        """Question counts by topic, group, data source and synthetic flag, with date range.

        The groups are the marts' one definition (`fct_topic_question_groups`), so a question of
        two topics is counted in each.
        """
        return self.rows(
            """
            select
                topic, question_group, data_source, is_synthetic,
                count(*) as n_questions,
                min(created_at) as first_created_at,
                max(created_at) as last_created_at
            from marts.fct_topic_question_groups
            group by all
            order by all
            """
        )

    def collection_times(self) -> dict[str, Row]:
        """Per topic, the first and last `collected_at` of its questions (the censoring times)."""
        rows = self.rows(
            """
            select
                topic,
                min(collected_at) as first_collected_at,
                max(collected_at) as last_collected_at
            from marts.fct_topic_question_groups
            group by 1
            """
        )
        return {row["topic"]: row for row in rows}

    def question_window(self) -> Row:
        """First and last question creation times in `marts.fct_questions`."""
        return self.rows(
            "select min(created_at) as first_created_at, max(created_at) as last_created_at "
            "from marts.fct_questions"
        )[0]

    def has_synthetic_difficulty(self) -> bool:
        """Whether any `rpt_difficulty` row (e.g. an exact baseline count) is synthetic."""
        return bool(
            self.rows(
                "select coalesce(bool_or(is_synthetic), false) as flag from marts.rpt_difficulty"
            )[0]["flag"]
        )

    def row_counts(self) -> list[tuple[str, int]]:
        """Row count of every required table, in a fixed order."""
        return [
            (
                f"{schema}.{table}",
                self.rows(f'select count(*) as n from "{schema}"."{table}"')[0]["n"],
            )
            for schema, table in REQUIRED_TABLES
        ]

    def annotated_topics(self) -> list[str]:
        """Topics with labels in `marts.rpt_taxonomy_distribution`, sorted (none before a build)."""
        if not self.has("marts", "rpt_taxonomy_distribution"):
            return []
        return [
            row["topic"]
            for row in self.rows(
                "select distinct topic from marts.rpt_taxonomy_distribution order by 1"
            )
        ]

    def agreement(self, topic: str) -> list[Row]:
        """The topic's agreement per annotator pair: n, cohen_kappa with SE and 95% interval."""
        if not self.has("marts", "rpt_annotation_agreement"):
            return []
        return self.rows(
            """
            select
                annotator_a, annotator_b,
                n_questions as n,
                cohens_kappa as cohen_kappa,
                observed_agreement_rate as observed_agreement,
                kappa_standard_error,
                kappa_ci_low,
                kappa_ci_high,
                is_synthetic
            from marts.rpt_annotation_agreement
            where topic = ?
            order by annotator_a, annotator_b
            """,
            [topic],
        )

    def taxonomy_rollup(self, topic: str) -> list[Row]:
        """The topic's taxonomy rows, category and sub-category subtotals first, `n` and `share`.

        `rolled_up` is 2 for a category subtotal, 1 for a sub-category subtotal and 0 for a leaf
        code, so the template can nest them; the mart holds the subtotals (`taxonomy_level`).
        """
        if not self.has("marts", "rpt_taxonomy_distribution"):
            return []
        return self.rows(
            """
            select
                category, sub_category, code,
                case taxonomy_level when 'category' then 2 when 'sub_category' then 1 else 0
                end as rolled_up,
                n_questions as n, share, is_dl_challenge, paper_share
            from marts.rpt_taxonomy_distribution
            where topic = ? and category is not null
            order by category, rolled_up desc, sub_category, code
            """,
            [topic],
        )

    def false_positive_rates(self, topic: str) -> list[float]:
        """Distinct false-positive rates of the topic in the taxonomy mart (one is expected)."""
        if not self.has("marts", "rpt_taxonomy_distribution"):
            return []
        return [
            row["false_positive_rate"]
            for row in self.rows(
                "select distinct false_positive_rate from marts.rpt_taxonomy_distribution "
                "where topic = ? and false_positive_rate is not null order by 1",
                [topic],
            )
        ]
