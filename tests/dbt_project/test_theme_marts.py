"""The theme marts over a warehouse whose topic questions carry planted themes.

`dbt build` fits the topic's themes (int_theme_fits) and builds the marts: the planted themes
are recovered, every figure of rpt_theme_popularity_difficulty and rpt_theme_trends equals plain
Python over fct_question_themes and fct_questions, a rebuild reuses the fit, a theme_labels row
renames its theme, and new settings refit and leave the old label stale.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import statistics
from collections import defaultdict
from pathlib import Path

import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from tests.analysis_py.themes.planted import planted_questions, planted_theme_of
from tests.fakes.raw_rows import make_rows

from .conftest import BuiltWarehouse
from .dbt_helpers import DBT_PROJECT_DIR, run_dbt
from .raw_fixture import write_raw_tables

pytestmark = pytest.mark.slow

N_THEMES = 5
Z = norm.ppf(0.975)
MODEL_ROW = "ptm,{n},{seed},2,0.9,150,false,{cap}\n"
MAX_QUESTIONS = 400
"""Fewer than the topic's questions: the model reads a sample of this many."""
THEME_MARTS_AND_UPSTREAM = (
    "+rpt_theme_popularity_difficulty",
    "+rpt_theme_trends",
    "+rpt_stale_theme_labels",
    "+rpt_theme_model_selection",
    "+rpt_theme_taxonomy_crosstab",
    "+fct_topic_questions",
)
"""The theme marts and every node they read (the rest of the project is other tests' business)."""


def _write_theme_models(project: Path, seed: int) -> None:
    (project / "seeds" / "theme_models.csv").write_text(
        "topic,n_themes,seed,min_df,max_df_share,iterations,bigrams,max_questions\n"
        + MODEL_ROW.format(n=N_THEMES, seed=seed, cap=MAX_QUESTIONS)
    )


def _build(project: Path, db_path: Path, work: Path, *select: str) -> None:
    """`dbt build` of the copied project (only the nodes of `select`, when given)."""
    select_args = ["--select", *select, "--indirect-selection", "cautious"] if select else []
    result = run_dbt(["build", *select_args], db_path, work, project)
    assert result.success, result.exception


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltWarehouse, Path]:
    work = tmp_path_factory.mktemp("themes")
    project = work / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    _write_theme_models(project, seed=5)
    rows = make_rows(n_questions=900, seed=3)
    planted = planted_questions(len(rows.questions), N_THEMES)
    for question, text in zip(rows.questions, planted, strict=True):
        question["body"] = text.body
        question["title"] = text.title
    db_path = work / "warehouse.duckdb"
    write_raw_tables(db_path, **rows.tables())
    _build(project, db_path, work, *THEME_MARTS_AND_UPSTREAM)
    return BuiltWarehouse(db_path=db_path, work_dir=work, rows=rows), project


def test_the_planted_themes_are_recovered(themed) -> None:
    warehouse, _ = themed
    themes = warehouse.query("select theme, top_terms from marts.dim_themes where topic = 'ptm'")
    mapping = {row["theme"]: planted_theme_of(row["top_terms"]) for row in themes}
    assert sorted(mapping.values()) == list(range(N_THEMES))
    planted = {q.question_id: q.theme for q in planted_questions(900, N_THEMES)}
    dominant = warehouse.query(
        "select question_id, theme from marts.fct_question_themes "
        "where topic = 'ptm' and is_dominant_theme"
    )
    members = warehouse.query(
        "select site, question_id from marts.fct_topic_questions where topic = 'ptm'"
    )
    assert len(members) > MAX_QUESTIONS
    sample = sorted(
        members,
        key=lambda row: hashlib.md5(f"{row['site']}:{row['question_id']}".encode()).hexdigest(),
    )[:MAX_QUESTIONS]
    assert {row["question_id"] for row in dominant} == {row["question_id"] for row in sample}
    hits = sum(mapping[row["theme"]] == planted[row["question_id"]] for row in dominant)
    assert hits / len(dominant) >= 0.9


def test_each_question_has_one_dominant_theme_of_largest_weight(themed) -> None:
    warehouse, _ = themed
    weights: dict[int, dict[int, float]] = defaultdict(dict)
    dominant = {}
    for row in warehouse.query("select * from marts.fct_question_themes where topic = 'ptm'"):
        weights[row["question_id"]][row["theme"]] = row["weight"]
        if row["is_dominant_theme"]:
            assert row["question_id"] not in dominant
            dominant[row["question_id"]] = row["theme"]
    for question_id, by_theme in weights.items():
        assert math.isclose(sum(by_theme.values()), 1.0, rel_tol=1e-5)
        best = max(by_theme.values())
        assert dominant[question_id] == min(t for t, w in by_theme.items() if w == best)


def _wilson(k: int, n: int) -> tuple[float, float]:
    return proportion_confint(k, n, alpha=0.05, method="wilson")


def _mean_interval(values: list[float], non_negative: bool) -> tuple[float, float, float]:
    mean = statistics.fmean(values)
    half = Z * statistics.stdev(values) / math.sqrt(len(values))
    return mean, max(0.0, mean - half) if non_negative else mean - half, mean + half


def _median_interval(values: list[float]) -> tuple[float, float, float]:
    ordered, n = sorted(values), len(values)
    low = max(1, math.floor(n / 2 - Z * math.sqrt(n) / 2))
    high = min(n, math.ceil(1 + n / 2 + Z * math.sqrt(n) / 2))
    return statistics.median(ordered), ordered[low - 1], ordered[high - 1]


def _dominant_questions(warehouse: BuiltWarehouse) -> dict[int, list[dict]]:
    by_theme: dict[int, list[dict]] = defaultdict(list)
    for row in warehouse.query(
        "select t.theme, q.* from marts.fct_question_themes t join marts.fct_questions q "
        "using (site, question_id) where t.topic = 'ptm' and t.is_dominant_theme"
    ):
        by_theme[row["theme"]].append(row)
    return by_theme


def test_popularity_and_difficulty_equal_plain_python(themed) -> None:
    warehouse, _ = themed
    by_theme = _dominant_questions(warehouse)
    total = sum(len(rows) for rows in by_theme.values())
    marts = warehouse.query("select * from marts.rpt_theme_popularity_difficulty")
    assert {row["theme"] for row in marts} == set(by_theme)
    for mart in marts:
        rows = by_theme[mart["theme"]]
        n = len(rows)
        unanswered = sum(row["answer_count"] == 0 for row in rows)
        no_accepted = sum(not row["has_accepted_answer"] for row in rows)
        minutes = [row["response_minutes"] for row in rows if row["response_minutes"] is not None]
        expected = {
            "n_questions": n,
            "question_share": n / total,
            ("question_share_ci_low", "question_share_ci_high"): _wilson(n, total),
            (
                "mean_view_count",
                "mean_view_count_ci_low",
                "mean_view_count_ci_high",
            ): _mean_interval([row["view_count"] for row in rows], True),
            ("mean_score", "mean_score_ci_low", "mean_score_ci_high"): _mean_interval(
                [row["score"] for row in rows], False
            ),
            "unanswered_rate": unanswered / n,
            ("unanswered_rate_ci_low", "unanswered_rate_ci_high"): _wilson(unanswered, n),
            "no_accepted_answer_rate": no_accepted / n,
            ("no_accepted_answer_rate_ci_low", "no_accepted_answer_rate_ci_high"): _wilson(
                no_accepted, n
            ),
            (
                "median_response_minutes",
                "median_response_minutes_ci_low",
                "median_response_minutes_ci_high",
            ): _median_interval(minutes),
        }
        for names, values in expected.items():
            names = names if isinstance(names, tuple) else (names,)
            values = values if isinstance(values, tuple) else (values,)
            for name, value in zip(names, values, strict=True):
                assert mart[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


def test_trends_equal_plain_python(themed) -> None:
    warehouse, _ = themed
    weights = warehouse.query(
        "select t.theme, t.weight, t.is_dominant_theme, q.created_at "
        "from marts.fct_question_themes t join marts.fct_questions q using (site, question_id) "
        "where t.topic = 'ptm'"
    )
    expected: dict[tuple, dict[str, float]] = defaultdict(lambda: {"n": 0, "impact": 0.0})
    period_sizes: dict[tuple, int] = defaultdict(int)
    for row in weights:
        created = row["created_at"]
        for grain, start in (
            ("year", (created.year, 1)),
            ("quarter", (created.year, 3 * ((created.month - 1) // 3) + 1)),
        ):
            key = (row["theme"], grain, start)
            expected[key]["impact"] += row["weight"]
            if row["is_dominant_theme"]:
                expected[key]["n"] += 1
                period_sizes[(grain, start)] += 1
    marts = warehouse.query("select * from marts.rpt_theme_trends where topic = 'ptm'")
    assert len(marts) == len(expected)
    for mart in marts:
        start = (mart["period_start"].year, mart["period_start"].month)
        want = expected[(mart["theme"], mart["period_grain"], start)]
        size = period_sizes[(mart["period_grain"], start)]
        assert mart["n_questions"] == want["n"]
        assert mart["n_period_questions"] == size
        assert mart["question_share"] == pytest.approx(want["n"] / size)
        assert mart["absolute_impact"] == pytest.approx(want["impact"], rel=1e-9)
        assert mart["relative_impact"] == pytest.approx(want["impact"] / size, rel=1e-9)


THEME_NODES = ("theme_models+", "theme_labels+")
"""A rebuild of the theme nodes alone (what a new label or new settings change)."""


def _selected_fit(warehouse: BuiltWarehouse) -> dict:
    (fit,) = warehouse.query(
        "select fit_fingerprint, fitted_at from marts.rpt_theme_model_selection where is_selected"
    )
    return fit


def test_labels_follow_the_fit_and_new_settings_refit(themed) -> None:
    warehouse, project = themed
    fit = _selected_fit(warehouse)
    (project / "seeds" / "theme_labels.csv").write_text(
        "topic,fingerprint,theme,label,note\n"
        f'ptm,{fit["fit_fingerprint"]},2,"Tokenizers, padding",named by a test\n'
    )
    _build(project, warehouse.db_path, warehouse.work_dir, *THEME_NODES)
    assert _selected_fit(warehouse) == fit, "no new questions or settings: the fit is reused"
    (labelled,) = warehouse.query("select * from marts.dim_themes where theme = 2")
    assert (labelled["theme_label"], labelled["label_source"]) == (
        "Tokenizers, padding",
        "researcher",
    )
    assert warehouse.query("select * from marts.rpt_stale_theme_labels") == []

    _write_theme_models(project, seed=6)
    _build(project, warehouse.db_path, warehouse.work_dir, *THEME_NODES)
    refit = _selected_fit(warehouse)
    assert refit["fit_fingerprint"] != fit["fit_fingerprint"]
    assert refit["fitted_at"] > fit["fitted_at"]
    (relabelled,) = warehouse.query("select * from marts.dim_themes where theme = 2")
    assert relabelled["label_source"] == "top_terms"
    assert relabelled["theme_label"] == ", ".join(relabelled["top_terms"][:3])
    (stale,) = warehouse.query("select * from marts.rpt_stale_theme_labels")
    assert (stale["fingerprint"], stale["current_fit_fingerprint"]) == (
        fit["fit_fingerprint"],
        refit["fit_fingerprint"],
    )
