"""Imported labels -> dbt -> `rpt_annotation_agreement` and `rpt_taxonomy_distribution`.

Runs the real dbt project on the annotation nodes only, against a warehouse in tmp_path, through
the tests' one way of running dbt (`tests/dbt_project/dbt_helpers.py`).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from analysis_py.stats import cohen_kappa
from dlt_pipeline.annotation_runner import import_annotations
from dlt_pipeline.annotations.settings import TAXONOMY_CODES_CSV
from tests.dbt_project.dbt_helpers import DBT_PROJECT_DIR, failed_nodes, run_dbt

SELECTION = [
    "path:models/staging/annotations",
    "int_annotated_question_codes",
    "path:models/marts/annotations",
    "path:seeds/taxonomy",
    "assert_one_phase_per_annotated_question",
]
N_NON_FALSE_POSITIVE = 405
N_FALSE_POSITIVE = 25
"""The paper: 430 annotated questions, 5.81% false positives (25), shares over the other 405."""
N_PILOT = 129
"""The paper's pilot: 129 of the 430 questions coded together before the independent phase."""

TOPICS = frozenset({"ptm", "bigdata"})
OTHER_TOPIC = "bigdata"
"""A second topic labelled on the same questions (its sample holds the ptm sample's first ids)."""
N_OTHER = 40

pytestmark = pytest.mark.skipif(
    not (DBT_PROJECT_DIR / "dbt_project.yml").exists(),
    reason="dbt_project/dbt_project.yml is absent: the marts need the dbt project to build",
)


def _dbt_build(db_path: Path, work_dir: Path, *, expect_success: bool = True) -> list[str]:
    """Build the annotation nodes; asserts that the build passed (or, with
    `expect_success=False`, failed).

    Returns the unique ids of the nodes that did not pass.
    """
    result = run_dbt(["build", "--select", *SELECTION], db_path, work_dir)
    failed = failed_nodes(result)
    assert result.success is expect_success, failed or result.exception
    return [unique_id for unique_id, _ in failed]


def _query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).fetchall()


def _record_sample(db_path: Path, question_ids: list[int]) -> None:
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists analysis")
        con.execute(
            "create table analysis.annotation_samples as "
            "select 'ptm-2023-06-15' as sample_id, unnest(?) as question_id",
            [question_ids],
        )


def _write_labels(
    path: Path, labels: dict[int, str], annotator: str, pilot: set[int], topic: str = "ptm"
) -> Path:
    """One annotator's CSV of `topic`; pilot questions say so, the others leave `phase` empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "topic", "annotator", "code", "phase"])
        writer.writerows(
            (question_id, topic, annotator, code, "pilot" if question_id in pilot else "")
            for question_id, code in labels.items()
        )
    return path


def _import(db_path: Path, files: list[Path]) -> None:
    """`ptmwh annotations import FILE...` with the seeds' topics."""
    import_annotations(db_path, files, known_topics=TOPICS)


def _taxonomy() -> list[dict[str, str]]:
    with TAXONOMY_CODES_CSV.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["code"] != "False positive"]


def _paper_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Questions per sub-category and per category for 405 non-false-positive questions.

    Each published share times 405, rounded, reproduces the paper's percentage. The paper's
    sub-shares do not add up to its category shares (Model Lifecycle Management: 55.78% listed vs
    56.79%, Others: 11.11% vs 10.86%); the category totals are kept and the difference (+4 and -1
    questions) goes to the first "Other ..." sub-category, or else the first sub-category listed.
    """
    taxonomy = _taxonomy()
    category_counts = {
        row["category"]: round(float(row["paper_category_share"]) * N_NON_FALSE_POSITIVE)
        for row in taxonomy
    }
    sub_counts = {
        row["sub_category"]: round(float(row["paper_sub_category_share"]) * N_NON_FALSE_POSITIVE)
        for row in taxonomy
    }
    for category, total in category_counts.items():
        subs = list(dict.fromkeys(r["sub_category"] for r in taxonomy if r["category"] == category))
        absorber = next((sub for sub in subs if sub.startswith("Other")), subs[0])
        sub_counts[absorber] += total - sum(sub_counts[sub] for sub in subs)
    return sub_counts, category_counts


def _counted_codes() -> list[str]:
    """One counted code per question, spreading each sub-category's count over its codes."""
    taxonomy = _taxonomy()
    sub_counts, _ = _paper_counts()
    codes: list[str] = []
    for sub_category, count in sub_counts.items():
        sub_codes = [row["code"] for row in taxonomy if row["sub_category"] == sub_category]
        codes += [sub_codes[i % len(sub_codes)] for i in range(count)]
    return codes + ["False positive"] * N_FALSE_POSITIVE


@pytest.fixture(scope="module")
def annotated_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict, list]:
    """Two annotators and a `resolved` consensus whose counted labels follow the paper's shares.

    The marts are built once before the import (their row counts are returned) and once after.

    The first 129 questions are the pilot: alice and bob always disagree there and `resolved`
    gives the counted code, so pilot labels would pull kappa down if they were counted. On the
    others: 75% both annotators agree on the counted code; 10% they disagree and `resolved` gives
    the counted code; 15% they disagree without resolution and alice (alphabetically first) has
    the counted code, so the tie rule must pick alice's code. Returned: alice's and bob's labels
    of the independent phase.
    """
    work_dir = tmp_path_factory.mktemp("annotated")
    db_path = work_dir / "warehouse.duckdb"
    rng = np.random.default_rng(20230615)
    counted = _counted_codes()
    all_codes = sorted({row["code"] for row in _taxonomy()} | {"False positive"})
    alice, bob, resolved = {}, {}, {}
    pilot = set(range(5000, 5000 + N_PILOT))
    for question_id, code in enumerate(counted, start=5000):
        others = [other for other in all_codes if other != code]
        case = rng.choice(["agree", "resolved", "tie"], p=[0.75, 0.10, 0.15])
        if question_id in pilot:
            alice[question_id], bob[question_id] = code, rng.choice(others)
            resolved[question_id] = code
        elif case == "agree":
            alice[question_id] = bob[question_id] = code
        elif case == "resolved":
            alice[question_id], bob[question_id] = rng.choice(others, size=2, replace=False)
            resolved[question_id] = code
        else:
            alice[question_id], bob[question_id] = code, rng.choice(others)
    _dbt_build(db_path, work_dir)
    counts_before_import = [
        _query(db_path, f"select count(*) from {relation}")[0][0]
        for relation in (
            "staging.stg_annotations__labels",
            "marts.rpt_annotation_agreement",
            "marts.rpt_taxonomy_distribution",
        )
    ]
    _record_sample(db_path, list(range(5000, 5000 + len(counted))))
    files = [
        _write_labels(work_dir / "alice.csv", alice, "alice", pilot),
        _write_labels(work_dir / "bob.csv", bob, "bob", pilot),
        _write_labels(work_dir / "resolved.csv", resolved, "resolved", pilot),
    ]
    _import(db_path, files)
    _import(db_path, _other_topic_files(work_dir, sorted(all_codes)))
    _dbt_build(db_path, work_dir)
    independent = sorted(set(alice) - pilot)
    return (
        db_path,
        {question_id: alice[question_id] for question_id in independent},
        {question_id: bob[question_id] for question_id in independent},
        counts_before_import,
    )


def _other_topic_labels(codes: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    """alice's and bob's independent labels of the other topic on the first 40 ptm questions.

    Unlike ptm's, every question is independent and unresolved, and bob departs from alice on every
    third question, so a mart mixing the topics would change both topics' kappa and counts.
    """
    question_ids = range(5000, 5000 + N_OTHER)
    alice = {question_id: codes[question_id % 7] for question_id in question_ids}
    bob = {
        question_id: codes[(question_id % 7) + 1] if question_id % 3 == 0 else code
        for question_id, code in alice.items()
    }
    return alice, bob


def _other_topic_files(work_dir: Path, codes: list[str]) -> list[Path]:
    alice, bob = _other_topic_labels(codes)
    return [
        _write_labels(work_dir / f"{OTHER_TOPIC}-alice.csv", alice, "alice", set(), OTHER_TOPIC),
        _write_labels(work_dir / f"{OTHER_TOPIC}-bob.csv", bob, "bob", set(), OTHER_TOPIC),
    ]


def test_kappa_matches_statsmodels(annotated_warehouse):
    db_path, alice, bob, _ = annotated_warehouse
    codes = sorted(set(alice.values()) | set(bob.values()))
    index = {code: i for i, code in enumerate(codes)}
    table = np.zeros((len(codes), len(codes)))
    for question_id, code in alice.items():
        table[index[code], index[bob[question_id]]] += 1

    rows = _query(
        db_path,
        "select annotator_a, annotator_b, n_questions, n_agreed, observed_agreement_rate, "
        "cohens_kappa from marts.rpt_annotation_agreement where topic = 'ptm'",
    )

    assert len(rows) == 1, "the `resolved` consensus must not be paired as a rater"
    annotator_a, annotator_b, n_questions, n_agreed, observed, kappa = rows[0]
    assert (annotator_a, annotator_b, n_questions) == ("alice", "bob", 430 - N_PILOT)
    assert n_agreed == int(np.trace(table))
    assert observed == pytest.approx(np.trace(table) / len(alice))
    assert kappa == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)


def test_kappa_interval_equals_analysis_py_over_the_independent_phase(annotated_warehouse):
    db_path, alice, bob, _ = annotated_warehouse
    question_ids = sorted(alice)
    expected = cohen_kappa([alice[q] for q in question_ids], [bob[q] for q in question_ids])
    ((kappa, standard_error, low, high, is_synthetic),) = _query(
        db_path,
        "select cohens_kappa, kappa_standard_error, kappa_ci_low, kappa_ci_high, is_synthetic "
        "from marts.rpt_annotation_agreement where topic = 'ptm'",
    )
    assert kappa == pytest.approx(expected.kappa, abs=1e-12)
    assert standard_error == pytest.approx(expected.standard_error, abs=1e-12)
    assert (low, high) == pytest.approx((expected.ci_low, expected.ci_high), abs=1e-12)
    assert is_synthetic is False
    # the pilot's disagreeing labels are in the warehouse, and would have lowered kappa
    ((n_pilot_labels,),) = _query(
        db_path,
        "select count(*) from staging.stg_annotations__labels "
        "where topic = 'ptm' and phase = 'pilot' and not is_resolution",
    )
    assert n_pilot_labels == 2 * N_PILOT


def test_taxonomy_reports_questions_per_phase(annotated_warehouse):
    db_path, _, _, _ = annotated_warehouse
    rows = _query(
        db_path,
        "select distinct n_annotated_questions, n_pilot_questions, n_independent_questions "
        "from marts.rpt_taxonomy_distribution where topic = 'ptm'",
    )
    assert rows == [(430, N_PILOT, 430 - N_PILOT)]


def test_taxonomy_shares_match_the_papers_percentages(annotated_warehouse):
    db_path, _, _, _ = annotated_warehouse
    sub_counts, category_counts = _paper_counts()
    rows = _query(
        db_path,
        "select taxonomy_level, coalesce(sub_category, category), n_questions, share, paper_share, "
        "n_annotated_questions, false_positive_rate from marts.rpt_taxonomy_distribution "
        "where topic = 'ptm' and taxonomy_level != 'code'",
    )
    by_name = {name: (level, n, share, paper) for level, name, n, share, paper, _, _ in rows}

    assert {row[5] for row in rows} == {430}
    assert {round(row[6] * 100, 2) for row in rows} == {5.81}
    for category, n in category_counts.items():
        level, n_questions, share, paper = by_name[category]
        assert (level, n_questions) == ("category", n)
        assert round(share * 100, 2) == round(paper * 100, 2), category
    for sub_category, n in sub_counts.items():
        _, n_questions, share, paper = by_name[sub_category]
        assert n_questions == n
        paper_n = paper * N_NON_FALSE_POSITIVE
        gap = {"Other Challenges related to Model Lifecycle Management": 4, "New Requirement": -1}
        assert abs(share * N_NON_FALSE_POSITIVE - paper_n - gap.get(sub_category, 0)) < 0.5


def test_code_rows_count_the_resolved_label(annotated_warehouse):
    db_path, _, _, _ = annotated_warehouse
    expected = Counter(code for code in _counted_codes() if code != "False positive")
    rows = _query(
        db_path,
        "select code, n_questions, is_dl_challenge from marts.rpt_taxonomy_distribution "
        "where topic = 'ptm' and taxonomy_level = 'code'",
    )
    assert {code: n for code, n, _ in rows if n} == dict(expected)
    assert len(rows) == 42
    assert {code: dl for code, _, dl in rows}["Fine-tuning"] is False


def test_a_question_labelled_for_two_topics_is_two_labels(annotated_warehouse):
    db_path, _, _, _ = annotated_warehouse
    rows = _query(
        db_path,
        "select topic, annotator from staging.stg_annotations__labels "
        "where question_id = 5000 and not is_resolution order by 1, 2",
    )
    assert rows == [("bigdata", "alice"), ("bigdata", "bob"), ("ptm", "alice"), ("ptm", "bob")]


def test_each_topic_has_its_own_kappa_and_taxonomy(annotated_warehouse):
    db_path, _, _, _ = annotated_warehouse
    codes = sorted({row["code"] for row in _taxonomy()} | {"False positive"})
    alice, bob = _other_topic_labels(codes)
    question_ids = sorted(alice)
    expected = cohen_kappa([alice[q] for q in question_ids], [bob[q] for q in question_ids])

    agreement = _query(
        db_path,
        "select topic, n_questions, cohens_kappa, kappa_standard_error "
        "from marts.rpt_annotation_agreement order by 1",
    )
    taxonomy = _query(
        db_path,
        "select code, n_questions, n_annotated_questions, n_pilot_questions, n_false_positive "
        f"from marts.rpt_taxonomy_distribution where topic = '{OTHER_TOPIC}' "
        "and taxonomy_level = 'code'",
    )

    assert [row[:2] for row in agreement] == [(OTHER_TOPIC, N_OTHER), ("ptm", 430 - N_PILOT)]
    assert agreement[0][2] == pytest.approx(expected.kappa, abs=1e-12)
    assert agreement[0][3] == pytest.approx(expected.standard_error, abs=1e-12)
    counted = Counter(alice[q] for q in question_ids if alice[q] != "False positive")
    assert {code: n for code, n, *_ in taxonomy if n} == dict(counted)
    n_false_positive = N_OTHER - sum(counted.values())
    assert {row[2:] for row in taxonomy} == {(N_OTHER, 0, n_false_positive)}


def test_marts_build_empty_before_any_import(annotated_warehouse):
    _, _, _, counts_before_import = annotated_warehouse
    assert counts_before_import == [0, 0, 0]


def test_a_question_labelled_in_two_phases_fails_the_build(tmp_path: Path):
    db_path = tmp_path / "warehouse.duckdb"
    _record_sample(db_path, [7001])
    _import(
        db_path,
        [
            _write_labels(tmp_path / "alice.csv", {7001: "Tokenizer"}, "alice", {7001}),
            _write_labels(tmp_path / "bob.csv", {7001: "Tokenizer"}, "bob", set()),
        ],
    )
    failed = _dbt_build(db_path, tmp_path, expect_success=False)
    assert any("assert_one_phase_per_annotated_question" in node for node in failed)
