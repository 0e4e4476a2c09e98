"""Theme fits recover planted themes, choose the planted number, are cached, deterministic."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pytest

from analysis_py.themes.fits_table import theme_fits
from analysis_py.themes.settings import ThemeSettingsError, parse_theme_counts

from .planted import planted_questions, planted_theme_of

CLOCK = datetime(2026, 1, 1, tzinfo=UTC)


def _corpus(n_questions: int = 500, n_themes: int = 5) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "topic": "t",
                "site": "s",
                "question_id": q.question_id,
                "title": q.title,
                "body": q.body,
            }
            for q in planted_questions(n_questions, n_themes)
        ]
    )


def _model(n_themes: str = "5", seed: int = 3, iterations: int = 100) -> dict:
    return {
        "topic": "t",
        "n_themes": n_themes,
        "seed": seed,
        "min_df": 2,
        "max_df_share": 0.9,
        "iterations": iterations,
        "bigrams": False,
    }


@pytest.fixture(scope="module")
def fitted() -> pa.Table:
    return theme_fits([_model()], _corpus(), now=CLOCK)


def test_planted_themes_are_recovered(fitted: pa.Table) -> None:
    (row,) = fitted.to_pylist()
    mapping = {
        theme["theme"]: planted_theme_of([term["term"] for term in theme["terms"]])
        for theme in row["themes"]
    }
    assert sorted(mapping.values()) == [0, 1, 2, 3, 4], "each planted theme is one fitted theme"
    planted = {q.question_id: q.theme for q in planted_questions(500)}
    hits = [
        mapping[int(np.argmax(document["weights"])) + 1] == planted[document["question_id"]]
        for document in row["document_weights"]
    ]
    assert len(hits) == 500
    assert sum(hits) / len(hits) >= 0.9


def test_code_urls_and_boilerplate_never_become_terms(fitted: pa.Table) -> None:
    terms = {term["term"] for theme in fitted.to_pylist()[0]["themes"] for term in theme["terms"]}
    assert not terms & {"zzcodeonly", "zzurlonly", "thanks", "trying", "example", "https"}


def test_a_range_keeps_the_planted_number_by_coherence() -> None:
    rows = theme_fits([_model("3-7:2")], _corpus(), now=CLOCK).to_pylist()
    assert [row["n_themes"] for row in rows] == [3, 5, 7]
    assert [row["is_selected"] for row in rows] == [False, True, False]
    best = max(rows, key=lambda row: row["coherence_npmi"])
    assert best["n_themes"] == 5
    assert all(row["document_weights"] is None for row in rows if not row["is_selected"])


def test_same_seed_same_corpus_gives_the_same_themes(fitted: pa.Table) -> None:
    again = theme_fits([_model()], _corpus(), now=datetime(2027, 1, 1, tzinfo=UTC))
    assert again.drop(["fitted_at"]).equals(fitted.drop(["fitted_at"]))


def test_an_unchanged_corpus_and_settings_reuse_the_cached_fit(fitted: pa.Table) -> None:
    later = datetime(2027, 1, 1, tzinfo=UTC)
    reused = theme_fits([_model()], _corpus(), previous=fitted, now=later)
    assert reused.equals(fitted)  # fitted_at is the first fit's: nothing was refitted


@pytest.mark.parametrize(("model", "corpus_size"), [(_model(seed=4), 500), (_model(), 499)])
def test_new_settings_or_new_questions_refit(fitted: pa.Table, model: dict, corpus_size: int):
    later = datetime(2027, 1, 1, tzinfo=UTC)
    refit = theme_fits([model], _corpus(corpus_size), previous=fitted, now=later).to_pylist()
    assert refit[0]["fitted_at"] == later
    assert refit[0]["fit_fingerprint"] != fitted.to_pylist()[0]["fit_fingerprint"]


@pytest.mark.parametrize(
    ("spec", "expected"), [("20", (20,)), ("5-40:5", (5, 10, 15, 20, 25, 30, 35, 40))]
)
def test_theme_counts_parse(spec: str, expected: tuple[int, ...]) -> None:
    assert parse_theme_counts(spec) == expected


@pytest.mark.parametrize("spec", ["1", "40-5:5", "5-40", "x", "5-10:0"])
def test_bad_theme_counts_name_the_row_and_the_fix(spec: str) -> None:
    with pytest.raises(ThemeSettingsError, match="topic 't'.*theme_models.csv"):
        theme_fits([_model(spec)], _corpus(20), now=CLOCK)
