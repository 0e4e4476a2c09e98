"""Whether a topic's popular themes are its hard ones, and how far themes recover the taxonomy.

Per topic with themes (docs/themes.md, "Analysis"): Kendall's tau-b between the themes' ranks by
a popularity measure and by a difficulty measure, with scipy's p-value and a percentile bootstrap
interval that resamples each theme's questions (so the interval reflects how well each theme's
figures are known, not only how many themes there are); and for a topic with RQ3 labels, the
normalised mutual information between dominant theme and taxonomy code.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from scipy.stats import kendalltau

from study.defaults import BOOTSTRAP_REPLICATES, STUDY_SEED

from .bootstrap import derive_rng, percentile_interval

RANK_PAIRS: tuple[tuple[str, str], ...] = (
    ("mean_view_count", "no_accepted_answer_rate"),
    ("mean_view_count", "median_response_minutes"),
    ("mean_score", "no_accepted_answer_rate"),
)
"""(popularity, difficulty) measures whose theme rankings are compared, as the field's studies
do."""

_QUESTIONS = """
    select t.topic, t.theme, q.view_count, q.score, q.has_accepted_answer, q.response_minutes
    from marts.fct_question_themes as t
    inner join marts.fct_questions as q using (site, question_id)
    where t.is_dominant_theme
    order by t.topic, t.theme, t.site, t.question_id
"""


@dataclass(frozen=True)
class ThemeQuestions:
    """One theme's dominant questions' figures, as arrays."""

    view_count: np.ndarray
    score: np.ndarray
    has_accepted_answer: np.ndarray
    response_minutes: np.ndarray


MEASURES = ("mean_view_count", "mean_score", "no_accepted_answer_rate", "median_response_minutes")
_CHUNK = 200
"""Bootstrap replicates drawn at once per theme (bounds the index matrix's memory)."""


def _measures(questions: ThemeQuestions, index: np.ndarray) -> dict[str, np.ndarray]:
    """Each measure, as rpt_theme_popularity_difficulty defines it, over each row of `index`
    (a sample of the theme's questions by position): one value per row."""
    minutes = questions.response_minutes[index]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a sample without any answer
        median_minutes = np.nanmedian(minutes, axis=1)
    return {
        "mean_view_count": questions.view_count[index].mean(axis=1),
        "mean_score": questions.score[index].mean(axis=1),
        "no_accepted_answer_rate": (~questions.has_accepted_answer[index]).mean(axis=1),
        "median_response_minutes": median_minutes,
    }


def theme_measure(questions: ThemeQuestions, measure: str) -> float:
    """One theme's popularity or difficulty measure over all its questions."""
    everyone = np.arange(len(questions.view_count))[np.newaxis, :]
    return float(_measures(questions, everyone)[measure][0])


def _replicate_measures(
    questions: ThemeQuestions, n_bootstrap: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Each measure of the theme over `n_bootstrap` resamples of its questions (with
    replacement, the theme's size kept), one array of replicates per measure."""
    n = len(questions.view_count)
    chunks = [
        _measures(questions, rng.integers(0, n, (min(_CHUNK, n_bootstrap - start), n)))
        for start in range(0, n_bootstrap, _CHUNK)
    ]
    return {measure: np.concatenate([chunk[measure] for chunk in chunks]) for measure in MEASURES}


def _tau(x: list[float] | np.ndarray, y: list[float] | np.ndarray) -> tuple[float, float]:
    result = kendalltau(x, y, nan_policy="omit")
    return float(result.statistic), float(result.pvalue)


def kendall_tau_b_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall's tau-b of each column pair of `x` and `y` (themes x replicates) at once:
    sum of sgn(x_i - x_j) sgn(y_i - y_j) over sqrt(sum sgn(x_i - x_j)^2 sum sgn(y_i - y_j)^2),
    pairs with a missing value left out (scipy's `nan_policy="omit"`); nan when undefined."""
    first, second = np.triu_indices(x.shape[0], k=1)
    dx, dy = x[first] - x[second], y[first] - y[second]
    present = ~(np.isnan(dx) | np.isnan(dy))
    sx, sy = np.where(present, np.sign(dx), 0.0), np.where(present, np.sign(dy), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sx * sy).sum(axis=0) / np.sqrt((sx * sx).sum(axis=0) * (sy * sy).sum(axis=0))


def rank_correlations(
    topic: str, themes: list[ThemeQuestions], seed: int, n_bootstrap: int
) -> list[dict]:
    """Kendall's tau-b per pair of RANK_PAIRS over the topic's themes, with its interval.

    Each replicate resamples every theme's questions once and ranks the themes by the measures
    of that one resample, so the pairs' intervals come from the same replicates."""
    rng = derive_rng(seed, "theme_rank_correlation", topic)
    replicates = [_replicate_measures(theme, n_bootstrap, rng) for theme in themes]
    rows = []
    for popularity, difficulty in RANK_PAIRS:
        x = [theme_measure(theme, popularity) for theme in themes]
        y = [theme_measure(theme, difficulty) for theme in themes]
        tau, p_value = _tau(x, y)
        x_star = np.array([theme[popularity] for theme in replicates])
        y_star = np.array([theme[difficulty] for theme in replicates])
        taus = kendall_tau_b_columns(x_star, y_star)
        low, high = percentile_interval(taus[~np.isnan(taus)], 0.95)
        rows.append(
            {
                "topic": topic,
                "popularity_metric": popularity,
                "difficulty_metric": difficulty,
                "n_themes": len(themes),
                "kendall_tau": tau,
                "p_value": p_value,
                "ci_low": low,
                "ci_high": high,
                "n_bootstrap": n_bootstrap,
            }
        )
    return rows


def normalized_mutual_information(counts: dict[tuple[int, str], int]) -> float:
    """NMI of a contingency table (arithmetic-mean normalisation, as scikit-learn's default):
    I(theme; code) / ((H(theme) + H(code)) / 2); 1 when themes and codes determine each other."""
    total = sum(counts.values())
    by_theme: dict[int, int] = defaultdict(int)
    by_code: dict[str, int] = defaultdict(int)
    for (theme, code), n in counts.items():
        by_theme[theme] += n
        by_code[code] += n

    def entropy(margin: dict) -> float:
        p = np.array(list(margin.values()), dtype=float) / total
        return float(-(p * np.log(p)).sum())

    mutual = sum(
        n / total * np.log(n * total / (by_theme[theme] * by_code[code]))
        for (theme, code), n in counts.items()
        if n
    )
    denominator = (entropy(by_theme) + entropy(by_code)) / 2
    return float(mutual / denominator) if denominator > 0 else 0.0


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    (n,) = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return n > 0


def analyze_themes(
    db_path: Path, seed: int = STUDY_SEED, n_bootstrap: int = BOOTSTRAP_REPLICATES
) -> str:
    """Write `analysis.theme_rank_correlations` and `analysis.theme_taxonomy_agreement`."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        if not _has_table(con, "marts", "fct_question_themes"):
            return "themes: no theme marts (built on DuckDB only); nothing to analyse"
        by_topic: dict[str, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
        for topic, theme, *figures in con.execute(_QUESTIONS).fetchall():
            by_topic[topic][theme].append(figures)
        crosstab: dict[str, dict[tuple[int, str], int]] = defaultdict(dict)
        for topic, theme, code, n in con.execute(
            "select topic, theme, code, n_questions from marts.rpt_theme_taxonomy_crosstab"
        ).fetchall():
            crosstab[topic][(theme, code)] = n
    correlations = []
    for topic, themes in sorted(by_topic.items()):
        arrays = [
            ThemeQuestions(
                np.array([row[0] for row in rows], dtype=float),
                np.array([row[1] for row in rows], dtype=float),
                np.array([bool(row[2]) for row in rows]),
                np.array([np.nan if row[3] is None else row[3] for row in rows], dtype=float),
            )
            for _, rows in sorted(themes.items())
        ]
        if len(arrays) >= 3:
            correlations += rank_correlations(topic, arrays, seed, n_bootstrap)
    agreement = [
        {
            "topic": topic,
            "n_questions": sum(counts.values()),
            "n_themes": len({theme for theme, _ in counts}),
            "n_codes": len({code for _, code in counts}),
            "normalized_mutual_information": normalized_mutual_information(counts),
        }
        for topic, counts in sorted(crosstab.items())
    ]
    _write(db_path, correlations, agreement)
    return (
        f"themes: {len(correlations)} rank correlations over {len(by_topic)} topic(s), "
        f"{len(agreement)} theme-taxonomy agreement(s) written to analysis.*"
    )


_TABLES = {
    "theme_rank_correlations": (
        "topic varchar, popularity_metric varchar, difficulty_metric varchar, n_themes bigint, "
        "kendall_tau double, p_value double, ci_low double, ci_high double, n_bootstrap bigint"
    ),
    "theme_taxonomy_agreement": (
        "topic varchar, n_questions bigint, n_themes bigint, n_codes bigint, "
        "normalized_mutual_information double"
    ),
}


def _write(db_path: Path, correlations: list[dict], agreement: list[dict]) -> None:
    """Replace both tables in one transaction, so a failure keeps the previous results."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("begin transaction")
        con.execute("create schema if not exists analysis")
        for table, rows in (
            ("theme_rank_correlations", correlations),
            ("theme_taxonomy_agreement", agreement),
        ):
            con.execute(f"create or replace table analysis.{table} ({_TABLES[table]})")
            if rows:
                columns = list(rows[0])
                con.executemany(
                    f"insert into analysis.{table} ({', '.join(columns)}) values "
                    f"({', '.join('?' for _ in columns)})",
                    [[row[column] for column in columns] for row in rows],
                )
        con.execute("commit")
