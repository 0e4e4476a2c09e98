"""Building is repeatable, records its status, fails clearly without raw data, and documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunnerResult

from .conftest import BuiltWarehouse
from .dbt_helpers import run_dbt

pytestmark = pytest.mark.slow

MARTS = [
    "fct_questions",
    "fct_topic_questions",
    "fct_topic_question_groups",
    "dim_tags",
    "rpt_tag_frequency",
    "rpt_popularity_yearly",
    "rpt_popularity_tag_yearly",
    "rpt_difficulty",
    "rpt_difficulty_by_tag",
    "rpt_response_time_distribution",
    "rpt_tag_candidates",
]


def _snapshot(warehouse: BuiltWarehouse) -> dict[str, list[tuple]]:
    """Every mart's rows; doubles rounded to 1e-9, as parallel sums may differ in the last bit."""
    with duckdb.connect(str(warehouse.db_path), read_only=True) as con:
        return {
            mart: sorted(
                (
                    tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                    for row in con.execute(f"select * from marts.{mart}").fetchall()
                ),
                key=repr,
            )
            for mart in MARTS
        }


def test_second_build_changes_nothing_and_is_recorded(dump_warehouse: BuiltWarehouse) -> None:
    before = _snapshot(dump_warehouse)
    result = run_dbt(["build"], dump_warehouse.db_path, dump_warehouse.work_dir)
    assert result.success
    assert _snapshot(dump_warehouse) == before
    runs = dump_warehouse.query("select * from ops.build_runs order by started_at")
    assert [run["status"] for run in runs] == ["success", "success"]
    assert runs[-1]["n_errors"] == 0 and runs[-1]["command"] == "build"
    selective = ["build", "--select", "rpt_load_runs"]
    assert run_dbt(selective, dump_warehouse.db_path, dump_warehouse.work_dir).success
    runs = dump_warehouse.query("select * from ops.build_runs order by started_at")
    assert runs[-1]["command"] == "build --select rpt_load_runs"


def test_missing_raw_schema_is_a_clear_error(tmp_path: Path, dbt_work_dir: Path) -> None:
    db_path = tmp_path / "empty.duckdb"
    result = run_dbt(["run", "--select", "stg_stackexchange__questions"], db_path, dbt_work_dir)
    assert not result.success
    messages = " ".join(str(r.message) for r in result.result)
    assert "raw_stackexchange" in messages and "questions is missing" in messages
    assert "ptmwh load" in messages
    with duckdb.connect(str(db_path), read_only=True) as con:
        status = con.execute("select status, failed_nodes from ops.build_runs").fetchall()
    assert status[0][0] == "error" and "stg_stackexchange__questions" in status[0][1]


def test_docs_generate_succeeds(api_warehouse: BuiltWarehouse) -> None:
    result = run_dbt(["docs", "generate"], api_warehouse.db_path, api_warehouse.work_dir)
    assert result.success
    assert (api_warehouse.work_dir / "target" / "catalog.json").exists()
    comments = api_warehouse.query(
        "select comment from duckdb_columns() "
        "where schema_name = 'marts' and table_name = 'rpt_difficulty' "
        "and column_name = 'answers_per_view'"
    )
    assert "PD" in comments[0]["comment"]


def _run_on_a_changed_copy(
    warehouse: BuiltWarehouse,
    tmp_path: Path,
    dbt_args: list[str],
    change: str,
    *,
    passes_before: bool = False,
) -> dbtRunnerResult:
    """Run `dbt_args` on a copy of `warehouse` after the SQL `change`; return dbt's result.

    The copy keeps the file's name (a view names its file). With `passes_before`, the same run
    must pass on the unchanged copy first, so a failure after is the change's doing.
    """
    copy = tmp_path / warehouse.db_path.name
    shutil.copy(warehouse.db_path, copy)
    if passes_before:
        assert run_dbt(dbt_args, copy, tmp_path).success
    with duckdb.connect(str(copy)) as con:
        con.execute(change)
    return run_dbt(dbt_args, copy, tmp_path)


def test_a_repeated_composite_key_fails_its_test(
    dump_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """unique_combination groups by a hash of the key first; a real repeat must still fail it."""
    result = _run_on_a_changed_copy(
        dump_warehouse,
        tmp_path,
        ["test", "--select", "source:stackexchange.questions,test_name:unique_combination"],
        "insert into raw_stackexchange.questions select * from raw_stackexchange.questions limit 1",
        passes_before=True,
    )
    assert not result.success
    failures = [r.failures for r in result.result if r.node.name.startswith("source_unique")]
    assert failures == [1]


def test_a_null_key_fails_a_complete_unique_combination(
    dump_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """With `complete`, the key test also stands for its columns' not_null tests."""
    result = _run_on_a_changed_copy(
        dump_warehouse,
        tmp_path,
        ["test", "--select", "int_tag_selection_rounds,test_name:unique_combination"],
        "insert into intermediate.int_tag_selection_rounds by name "
        "select * replace (null as round) from intermediate.int_tag_selection_rounds limit 1",
        passes_before=True,
    )
    assert not result.success
    failed = {r.node.name: r.failures for r in result.result if r.failures}
    assert list(failed.values()) == [1]
    assert "int_tag_selection_rounds" in next(iter(failed))


@pytest.mark.parametrize(
    "repeat",
    [
        pytest.param("upper(tag) as tag, 9 as tag_position", id="same-tag-other-case"),
        pytest.param("null as tag, 3 as tag_position", id="null-tag"),
        pytest.param("tag_position as tag_position", id="same-row-twice"),
    ],
)
def test_a_repeated_or_missing_tag_fails_the_tag_lists_test(
    dump_warehouse: BuiltWarehouse, tmp_path: Path, repeat: str
) -> None:
    """The key of question_tags is tested on each question's list: one distinct tag per row."""
    result = _run_on_a_changed_copy(
        dump_warehouse,
        tmp_path,
        ["build", "--select", "stg_stackexchange__question_tag_lists"],
        "insert into raw_stackexchange.question_tags by name "
        f"select * replace ({repeat}) from raw_stackexchange.question_tags "
        "where tag_position = 0 limit 1",
    )
    assert not result.success
    failures = [
        r.failures for r in result.result if r.node.name.startswith("array_holds_each_row_once")
    ]
    assert failures == [1]
