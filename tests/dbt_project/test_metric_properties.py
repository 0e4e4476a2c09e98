"""Property test of the metric logic: for any small set of questions, the marts equal plain Python.

dbt is compiled once per session (a build costs seconds); each hypothesis example then writes its
raw rows into a fresh in-memory DuckDB and executes the compiled SQL of the marts' ancestors in
dependency order, so an example takes milliseconds. The expected values are computed here from
the raw rows with the metric definitions (window ends inclusive, topic = carries a topic tag,
response_minutes = accepted answer's creation - question's creation, null when the accepted answer
is missing or older than the question; answers_per_view = avg answers / avg views).
"""

from __future__ import annotations

import csv
import json
import math
import os
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .raw_fixture import COLUMNS

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
MARTS = ("fct_questions", "fct_topic_question_groups", "rpt_difficulty", "rpt_tag_frequency")
CATALOG = "warehouse"  # the compile warehouse's file stem: compiled relation names carry it
LOAD_ID = "1700000000.000001"
WINDOW_START = date(2018, 1, 1)
WINDOW_END = date(2023, 6, 15)
DAY = 86_400
START_EPOCH = int(datetime(2018, 1, 1, tzinfo=UTC).timestamp())
END_EPOCH = int(datetime(2023, 6, 16, tzinfo=UTC).timestamp())  # first second after the window
RAW_COLUMNS = {
    table: COLUMNS[table]
    for table in ("questions", "question_tags", "answers", "baseline_sample_questions")
}  # the raw contract's columns, shared with the fixture of the dbt tests
SITE = "stackoverflow.com"
OTHER_TAGS = ("python", "pytorch", "nlp", "javascript", "tag-1")


def _topic_tags() -> list[str]:
    """The seed's tags of the default topic `ptm` (the paper's 18), lower-cased as staging does."""
    with (DBT_PROJECT_DIR / "seeds" / "topic_tags.csv").open() as handle:
        return [row["tag"].lower() for row in csv.DictReader(handle) if row["topic"] == "ptm"]


TOPIC_TAGS = _topic_tags()


# ---- compiled models --------------------------------------------------------------------------


@dataclass
class CompiledProject:
    """The SQL of the marts' ancestors in dependency order, and the seeds they read."""

    models: list[tuple[str, str, str]]  # (relation_name, compiled_code, view or table)
    seeds: list[tuple[str, Path]]  # (relation_name, csv path)
    schemas: set[str] = field(default_factory=set)

    def __repr__(self) -> str:
        """Short, so a falsifying example shows the rows rather than pages of SQL."""
        return f"CompiledProject({len(self.models)} models, {len(self.seeds)} seeds)"


def _create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw_stackexchange")
    for table, columns in RAW_COLUMNS.items():
        definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(
            f"create table raw_stackexchange.{table} "
            f"({definition}, _dlt_load_id varchar, _dlt_id varchar)"
        )
    con.execute(
        "create table raw_stackexchange._dlt_loads (load_id varchar, schema_name varchar, "
        "status bigint, inserted_at timestamp with time zone, schema_version_hash varchar)"
    )


def _dependency_order(nodes: dict, targets: list[str]) -> list[str]:
    """Unique ids of `targets` and their ancestors, parents before children."""
    ordered: list[str] = []

    def visit(unique_id: str) -> None:
        if unique_id in ordered or unique_id not in nodes:
            return
        for parent in nodes[unique_id]["depends_on"].get("nodes", []):
            visit(parent)
        ordered.append(unique_id)

    for target in targets:
        visit(target)
    return ordered


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> CompiledProject:
    """Run `dbt compile` once against an empty contract-shaped warehouse and read the manifest."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    work = tmp_path_factory.mktemp("metric_properties")
    db_path = work / f"{CATALOG}.duckdb"
    with duckdb.connect(str(db_path)) as con:
        _create_raw_tables(con)
    previous = os.environ.get("PTMWH_DB")
    os.environ["PTMWH_DB"] = str(db_path)
    try:
        result = dbtRunner().invoke(
            [
                "compile",
                "--project-dir", str(DBT_PROJECT_DIR),
                "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(work / "target"),
                "--log-path", str(work / "logs"),
                "--select", *(f"+{mart}" for mart in MARTS),
                "--quiet",
            ]
        )  # fmt: skip
    finally:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
            DuckDBConnectionManager._ENV = None
        if previous is None:
            os.environ.pop("PTMWH_DB", None)
        else:
            os.environ["PTMWH_DB"] = previous
    assert result.success, result.exception
    nodes = json.loads((work / "target" / "manifest.json").read_text())["nodes"]
    targets = [f"model.ptm_warehouse.{mart}" for mart in MARTS]
    project = CompiledProject(models=[], seeds=[])
    for unique_id in _dependency_order(nodes, targets):
        node = nodes[unique_id]
        project.schemas.add(node["schema"])
        if node["resource_type"] == "seed":
            project.seeds.append(
                (node["relation_name"], DBT_PROJECT_DIR / node["original_file_path"])
            )
        elif node["resource_type"] == "model":
            materialized = "view" if node["config"]["materialized"] == "view" else "table"
            project.models.append((node["relation_name"], node["compiled_code"], materialized))
    return project


@pytest.fixture(scope="session")
def seeded_template(compiled: CompiledProject) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory database with schemas and seeds; each example replaces its raw tables."""
    con = duckdb.connect()
    con.execute(f"attach ':memory:' as {CATALOG}")
    con.execute(f"use {CATALOG}")
    for schema in compiled.schemas:
        con.execute(f"create schema if not exists {schema}")
    for relation, path in compiled.seeds:
        con.execute(f"create table {relation} as select * from read_csv('{path}', header = true)")
    yield con
    con.close()


# ---- generated raw rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One generated question and what happens to its accepted answer."""

    question_id: int
    creation_date: int
    tags: tuple[str, ...]
    accepted: str  # none | present | missing (not in answers) | older (created before the question)
    response_seconds: int
    answer_count: int
    view_count: int
    collected_by: str
    n_other_answers: int


def _near(epoch: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=-2, max_value=2).map(lambda offset: epoch + offset)


creation_dates = st.one_of(
    _near(START_EPOCH),
    _near(END_EPOCH),
    _near(END_EPOCH - DAY),
    st.integers(min_value=START_EPOCH - 3 * DAY, max_value=END_EPOCH + 3 * DAY),
)


@st.composite
def tag_lists(draw: st.DrawFn) -> tuple[str, ...]:
    """0-3 topic tags and 0-3 other tags in any order, some in upper case (staging lower-cases)."""
    topic = draw(st.lists(st.sampled_from(TOPIC_TAGS), max_size=3, unique=True))
    other = draw(st.lists(st.sampled_from(OTHER_TAGS), max_size=3, unique=True))
    tags = draw(st.permutations(topic + other))
    return tuple(draw(st.sampled_from([tag, tag.upper()])) for tag in tags)


@st.composite
def question_sets(draw: st.DrawFn) -> list[Question]:
    n = draw(st.integers(min_value=1, max_value=12))
    questions = []
    for index in range(n):
        questions.append(
            Question(
                question_id=1000 + index * 10,
                creation_date=draw(creation_dates),
                tags=draw(tag_lists()),
                accepted=draw(st.sampled_from(["none", "present", "missing", "older"])),
                response_seconds=draw(st.one_of(st.integers(0, 120), st.integers(0, 400 * DAY))),
                answer_count=draw(st.integers(0, 30)),
                view_count=draw(st.integers(0, 5000)),
                collected_by=draw(st.sampled_from(["tag_query", "random_sample", "dump"])),
                n_other_answers=draw(st.integers(0, 2)),
            )
        )
    return questions


def _raw_rows(questions: list[Question]) -> dict[str, list[tuple]]:
    """The raw tables' rows (columns in RAW_COLUMNS order, then _dlt_load_id, _dlt_id)."""
    rows: dict[str, list[tuple]] = {table: [] for table in RAW_COLUMNS}
    for q in questions:
        accepted_id = None if q.accepted == "none" else q.question_id + 1
        source = "dump" if q.collected_by == "dump" else "api"
        rows["questions"].append((
            SITE, q.question_id, f"question {q.question_id}", f"https://so/q/{q.question_id}",
            None, 1, q.view_count, q.answer_count, q.answer_count > 0, accepted_id,
            q.creation_date, q.creation_date, None, None, None, source, q.collected_by,
            END_EPOCH + 14 * DAY, True, LOAD_ID, f"q{q.question_id}",
        ))  # fmt: skip
        if q.collected_by == "random_sample":
            rows["baseline_sample_questions"].append(
                (SITE, "sample-1", q.question_id, LOAD_ID, f"s{q.question_id}")
            )
        for position, tag in enumerate(q.tags):
            rows["question_tags"].append(
                (SITE, q.question_id, tag, position, LOAD_ID, f"t{q.question_id}{position}")
            )
        answers = []
        if q.accepted == "present":
            answers.append((q.question_id + 1, True, q.creation_date + q.response_seconds))
        elif q.accepted == "older":
            answers.append((q.question_id + 1, True, q.creation_date - 1 - q.response_seconds))
        for k in range(q.n_other_answers):
            answers.append((q.question_id + 2 + k, False, q.creation_date + 60 * (k + 1)))
        for answer_id, is_accepted, created in answers:
            rows["answers"].append((
                SITE, answer_id, q.question_id, is_accepted, created, created, 0, None, source,
                True, LOAD_ID, f"a{answer_id}",
            ))  # fmt: skip
    return rows


def _run_models(
    template: duckdb.DuckDBPyConnection, compiled: CompiledProject, questions: list[Question]
) -> duckdb.DuckDBPyConnection:
    con = template.cursor()
    con.execute(f"use {CATALOG}")
    con.execute("drop schema if exists raw_stackexchange cascade")
    _create_raw_tables(con)
    for table, table_rows in _raw_rows(questions).items():
        if table_rows:
            marks = ", ".join("?" * len(table_rows[0]))
            con.executemany(f"insert into raw_stackexchange.{table} values ({marks})", table_rows)
    for relation, sql, materialized in compiled.models:
        con.execute(f"create or replace {materialized} {relation} as {sql}")
    return con


# ---- the independent computation --------------------------------------------------------------


def _in_window(q: Question) -> bool:
    day = datetime.fromtimestamp(q.creation_date, UTC).date()
    return WINDOW_START <= day <= WINDOW_END


def _is_topic(q: Question) -> bool:
    return any(tag.lower() in TOPIC_TAGS for tag in q.tags)


def _response_minutes(q: Question) -> float | None:
    return q.response_seconds / 60.0 if q.accepted == "present" else None


def _sampling_method(q: Question, has_dump_baseline: bool) -> str | None:
    """Which per-question population a question belongs to (the most complete source wins);
    `random_sample` questions are the members of `baseline_sample_questions`."""
    if _is_topic(q):
        return "full_population"
    if has_dump_baseline:
        return "full_population" if q.collected_by == "dump" else None
    return "random_sample" if q.collected_by == "random_sample" else None


def _expected_difficulty(questions: list[Question]) -> dict[str, dict]:
    in_window = [q for q in questions if _in_window(q)]
    has_dump = any(q.collected_by == "dump" for q in in_window if not _is_topic(q))
    expected = {}
    for group in ("topic", "baseline"):
        members = [
            q
            for q in in_window
            if ("topic" if _is_topic(q) else "baseline") == group
            and _sampling_method(q, has_dump) is not None
        ]
        if not members:
            continue
        minutes = [m for m in map(_response_minutes, members) if m is not None]
        avg_views = statistics.fmean(q.view_count for q in members)
        avg_answers = statistics.fmean(q.answer_count for q in members)
        expected[group] = {
            "question_count_method": _sampling_method(members[0], has_dump),
            "n_questions": len(members),
            "n_no_accepted_answer": sum(q.accepted == "none" for q in members),
            "no_accepted_answer_rate": sum(q.accepted == "none" for q in members) / len(members),
            "n_with_response_time": len(minutes),
            "mean_response_minutes": statistics.fmean(minutes) if minutes else None,
            "median_response_minutes": statistics.median(minutes) if minutes else None,
            "answers_per_view": avg_answers / avg_views if avg_views else None,
        }
    return expected


def _expected_tag_frequency(questions: list[Question]) -> dict[str, tuple[int, int, float | None]]:
    topic_questions = [q for q in questions if _in_window(q) and _is_topic(q)]
    counts = {
        tag: sum(tag in {t.lower() for t in q.tags} for q in topic_questions) for tag in TOPIC_TAGS
    }
    n_topic = len(topic_questions)
    return {
        tag: (
            n,
            1 + sum(other > n for other in counts.values()),
            n / n_topic if n_topic else None,
        )
        for tag, n in counts.items()
    }


def _close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


# ---- the property -----------------------------------------------------------------------------


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(questions=question_sets())
def test_marts_equal_an_independent_computation(
    compiled: CompiledProject,
    seeded_template: duckdb.DuckDBPyConnection,
    questions: list[Question],
) -> None:
    con = _run_models(seeded_template, compiled, questions)
    try:
        facts = {
            row[0]: row[1:]
            for row in con.execute(
                "select questions.question_id, coalesce(groups.question_group, 'neither'), "
                "questions.has_accepted_answer, questions.response_minutes, questions.tags "
                "from marts.fct_questions as questions "
                "left join marts.fct_topic_question_groups as groups "
                "on questions.site = groups.site and questions.question_id = groups.question_id "
                "and groups.topic = 'ptm'"
            ).fetchall()
        }
        has_dump = any(
            q.collected_by == "dump" for q in questions if _in_window(q) and not _is_topic(q)
        )
        assert set(facts) == {q.question_id for q in questions if _in_window(q)}
        for q in questions:
            if not _in_window(q):
                continue
            group, has_accepted, minutes, tags = facts[q.question_id]
            if _sampling_method(q, has_dump) is None:
                assert group == "neither"
            else:
                assert group == ("topic" if _is_topic(q) else "baseline")
            assert has_accepted == (q.accepted != "none")
            assert _close(minutes, _response_minutes(q))
            assert list(tags) == [tag.lower() for tag in q.tags]

        cursor = con.execute(
            "select question_group, question_count_method, n_questions, n_no_accepted_answer, "
            "no_accepted_answer_rate, n_with_response_time, mean_response_minutes, "
            "median_response_minutes, answers_per_view from marts.rpt_difficulty "
            "where topic = 'ptm'"
        )
        names = [column[0] for column in cursor.description]
        actual = {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}
        expected = _expected_difficulty(questions)
        assert set(actual) == set(expected)
        for group, metrics in expected.items():
            for name, value in metrics.items():
                assert (
                    _close(actual[group][name], value)
                    if isinstance(value, float) or (value is None)
                    else actual[group][name] == value
                ), (group, name, actual[group][name], value)

        frequency = {
            tag: (n, rank, share)
            for tag, n, rank, share in con.execute(
                "select tag, n_questions, rank, share_of_topic_questions "
                "from marts.rpt_tag_frequency where topic = 'ptm'"
            ).fetchall()
        }
        expected_frequency = _expected_tag_frequency(questions)
        assert set(frequency) == set(expected_frequency)
        for tag, (n, rank, share) in expected_frequency.items():
            assert frequency[tag][:2] == (n, rank), tag
            assert _close(frequency[tag][2], share), tag
    finally:
        con.close()
