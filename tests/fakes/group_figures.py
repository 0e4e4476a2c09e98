"""Give a hand-made `marts.fct_topic_question_groups` the figure columns dbt's view carries.

The view repeats each question's figures from `marts.fct_questions` (docs/contracts.md); fixtures
that write only the group keys call `fill_group_figures` so readers see what dbt would give them.
"""

from __future__ import annotations

import duckdb

FIGURE_COLUMNS = {
    "created_at": "timestamp",
    "has_accepted_answer": "boolean",
    "response_minutes": "double",
    "answer_count": "bigint",
    "view_count": "bigint",
    "collected_at": "timestamp",
    "data_source": "varchar",
    "is_synthetic": "boolean",
}


def fill_group_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Add any missing figure column to the groups table and copy each row's from fct_questions."""
    for column, data_type in FIGURE_COLUMNS.items():
        con.execute(
            "alter table marts.fct_topic_question_groups"
            f" add column if not exists {column} {data_type}"
        )
    assignments = ", ".join(f"{column} = questions.{column}" for column in FIGURE_COLUMNS)
    con.execute(
        f"update marts.fct_topic_question_groups as groups set {assignments}"
        " from marts.fct_questions as questions"
        " where groups.site = questions.site and groups.question_id = questions.question_id"
    )
