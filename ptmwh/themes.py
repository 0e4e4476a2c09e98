"""`ptmwh themes`: print a topic's themes from the theme marts, for a researcher to name them.

A theme is a sub-topic LDA found in a topic's question text (`marts.dim_themes`). For each theme
this prints its label, top terms, size and three example titles (the questions whose dominant
theme it is, highest weight first), then the coherence of every number of themes tried
(`marts.rpt_theme_model_selection`) and the labels of `dbt_project/seeds/theme_labels.csv` that
name no theme of the current fit (`marts.rpt_stale_theme_labels`). It only reads the warehouse,
so it takes no lock; the marts come from `ptmwh build` on DuckDB (themes are not built on Spark).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from study.defaults import DEFAULT_TOPIC, STUDY_SEED

from . import topics as topic_seeds

THEME_MODELS_CSV = "theme_models.csv"
"""The seed of theme models, next to `topics.csv` in `ptmwh.topics.SEEDS_DIR`."""
THEME_LABELS_PATH = "dbt_project/seeds/theme_labels.csv"
"""Where a researcher writes theme labels (topic, fingerprint, theme, label, note)."""
N_EXAMPLES = 3
"""Example titles printed per theme."""
THEME_MARTS = (
    "dim_themes",
    "fct_question_themes",
    "rpt_theme_popularity_difficulty",
    "rpt_theme_model_selection",
    "rpt_stale_theme_labels",
)
"""The marts `ptmwh themes` reads, all in the `marts` schema."""


class ThemesError(ValueError):
    """The topic has no themes to show; the text is one line with the fix."""


@dataclass(frozen=True)
class ThemeView:
    """One theme of a topic's selected fit, as `ptmwh themes` prints it."""

    theme: int
    label: str
    label_source: str
    top_terms: list[str]
    n_questions: int
    question_share: float | None
    example_titles: list[str]


@dataclass(frozen=True)
class FitView:
    """One number of themes tried for the topic (`marts.rpt_theme_model_selection`)."""

    n_themes: int
    is_selected: bool
    coherence_npmi: float | None
    coherence_cv: float | None
    n_documents: int | None


@dataclass(frozen=True)
class StaleLabel:
    """A `theme_labels.csv` row naming no theme of the current fit."""

    fingerprint: str | None
    theme: int | None
    label: str | None


@dataclass(frozen=True)
class TopicThemes:
    """Everything `ptmwh themes` prints for one topic."""

    topic: str
    fit_fingerprint: str
    themes: list[ThemeView]
    fits: list[FitView]
    stale_labels: list[StaleLabel]


def run_themes(
    db_path: Path,
    topic: str | None = None,
    *,
    seeds_dir: Path | None = None,
    echo: Callable[[str], None] = print,
) -> str:
    """Print the topic's themes, the coherence per number of themes, and stale labels.

    Args:
        db_path: the warehouse, opened read-only.
        topic: a topic of the seeds (default `study.defaults.DEFAULT_TOPIC`).
        seeds_dir: the seeds folder (tests use a copy).
        echo: where the listing goes.

    Returns:
        The one-line outcome: how many themes, and how to label them.

    Raises:
        TopicError: the topic is not in the seeds.
        ThemesError: the warehouse, its theme marts or the topic's themes are missing (the text
            says which seed row to add or which command to run).
    """
    name = topic_seeds.select_topics([topic or DEFAULT_TOPIC], seeds_dir)[0].name
    view = read_topic_themes(db_path, name, seeds_dir=seeds_dir)
    echo(format_topic_themes(view))
    labelled = sum(theme.label_source == "researcher" for theme in view.themes)
    return (
        f"{name}: {len(view.themes)} themes ({labelled} labelled by a researcher); "
        f"name one with a row `{name},{view.fit_fingerprint},THEME,LABEL,NOTE` in "
        f"{THEME_LABELS_PATH}, then `ptmwh build`"
    )


def read_topic_themes(db_path: Path, topic: str, *, seeds_dir: Path | None = None) -> TopicThemes:
    """The topic's themes, fits and stale labels from the theme marts (read-only).

    Raises:
        ThemesError: the warehouse, its theme marts or the topic's themes are missing.
    """
    if not db_path.is_file():
        raise ThemesError(f"warehouse {db_path} not found: run `ptmwh run` (or load and build)")
    with duckdb.connect(str(db_path), read_only=True) as connection:
        present = {
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        if not set(THEME_MARTS) <= present:
            raise ThemesError(
                "the warehouse has no theme marts (themes are built on DuckDB only, not with "
                "`ptmwh build --engine spark`): add a row for the topic to "
                f"dbt_project/seeds/{THEME_MODELS_CSV} and run `ptmwh build`"
            )
        themes = _read_themes(connection, topic)
        if not themes:
            raise ThemesError(_no_themes_fix(topic, seeds_dir))
        fingerprint = themes[0][1]
        fits = [
            FitView(*row)
            for row in connection.execute(
                "select n_themes, is_selected, coherence_npmi, coherence_cv, n_documents "
                "from marts.rpt_theme_model_selection where topic = ? order by n_themes",
                [topic],
            ).fetchall()
        ]
        stale = [
            StaleLabel(*row)
            for row in connection.execute(
                "select fingerprint, theme, label from marts.rpt_stale_theme_labels "
                "where topic = ? order by fingerprint, theme, label",
                [topic],
            ).fetchall()
        ]
        examples = _read_examples(connection, topic)
    return TopicThemes(
        topic=topic,
        fit_fingerprint=fingerprint,
        themes=[
            ThemeView(
                theme=row[0],
                label=row[2],
                label_source=row[3],
                top_terms=list(row[4] or []),
                n_questions=row[5],
                question_share=row[6],
                example_titles=examples.get(row[0], []),
            )
            for row in themes
        ],
        fits=fits,
        stale_labels=stale,
    )


def format_topic_themes(view: TopicThemes) -> str:
    """The listing: one block per theme (largest first), the fits tried, the stale labels."""
    total = sum(theme.n_questions for theme in view.themes)
    lines = [
        f"{view.topic}: {len(view.themes)} themes over {total:,} questions "
        f"(fit {view.fit_fingerprint}; marts.dim_themes)"
    ]
    for theme in view.themes:
        source = "researcher's label" if theme.label_source == "researcher" else "top terms"
        lines.append("")
        lines.append(f"theme {theme.theme}: {_one_line(theme.label)} ({source})")
        lines.append(f"  size: {theme.n_questions:,} questions ({_percent(theme.question_share)})")
        lines.append(f"  terms: {', '.join(theme.top_terms)}")
        for title in theme.example_titles:
            lines.append(f"  e.g. {_one_line(title)}")
    lines.append("")
    lines.append("coherence per number of themes tried (marts.rpt_theme_model_selection):")
    lines.append("  themes  NPMI     C_v     questions")
    for fit in view.fits:
        mark = "  <- selected" if fit.is_selected else ""
        lines.append(
            f"  {fit.n_themes:>6}  {_coherence(fit.coherence_npmi):>7}  "
            f"{_coherence(fit.coherence_cv):>6}  {_count(fit.n_documents):>9}{mark}"
        )
    lines.append("")
    if not view.stale_labels:
        lines.append("stale labels (marts.rpt_stale_theme_labels): none")
    else:
        n_stale = len(view.stale_labels)
        lines.append(
            f"stale labels (marts.rpt_stale_theme_labels): {n_stale} "
            f"{'row' if n_stale == 1 else 'rows'} of {THEME_LABELS_PATH} name no theme of the "
            "current fit, so they are not applied:"
        )
        for label in view.stale_labels:
            lines.append(
                f"  theme {label.theme} “{_one_line(label.label or '')}” "
                f"(written for fit {label.fingerprint})"
            )
        lines.append(
            f"  fix: check each against the themes above and rewrite its row with fingerprint "
            f"{view.fit_fingerprint} and the theme's number (or delete it), then `ptmwh build`"
        )
    return "\n".join(lines)


def _read_themes(connection: duckdb.DuckDBPyConnection, topic: str) -> list[tuple]:
    """dim_themes rows of the topic with the share of rpt_theme_popularity_difficulty."""
    return connection.execute(
        "select themes.theme, themes.fit_fingerprint, themes.theme_label, themes.label_source, "
        "themes.top_terms, themes.n_questions, popularity.question_share "
        "from marts.dim_themes as themes "
        "left join marts.rpt_theme_popularity_difficulty as popularity "
        "on themes.topic = popularity.topic and themes.theme = popularity.theme "
        "where themes.topic = ? "
        "order by themes.n_questions desc, themes.theme",
        [topic],
    ).fetchall()


def _read_examples(connection: duckdb.DuckDBPyConnection, topic: str) -> dict[int, list[str]]:
    """Per theme, the titles of its N_EXAMPLES questions of highest weight (ties by site, id)."""
    rows = connection.execute(
        "with ranked as ("
        " select question_themes.theme, questions.title,"
        " row_number() over ("
        "  partition by question_themes.theme"
        "  order by question_themes.weight desc, question_themes.site, question_themes.question_id"
        " ) as position"
        " from marts.fct_question_themes as question_themes"
        " inner join marts.fct_questions as questions"
        " on question_themes.site = questions.site"
        " and question_themes.question_id = questions.question_id"
        " where question_themes.topic = ? and question_themes.is_dominant_theme"
        ") select theme, title from ranked where position <= ? order by theme, position",
        [topic, N_EXAMPLES],
    ).fetchall()
    examples: dict[int, list[str]] = {}
    for theme, title in rows:
        examples.setdefault(theme, []).append(title or "(no title)")
    return examples


def _no_themes_fix(topic: str, seeds_dir: Path | None) -> str:
    """Why the topic has no themes in the warehouse, and the fix."""
    path = (seeds_dir or topic_seeds.SEEDS_DIR) / THEME_MODELS_CSV
    with path.open(newline="", encoding="utf-8") as handle:
        modelled = {row["topic"] for row in csv.DictReader(handle)}
    if topic in modelled:
        return (
            f"topic {topic} has a row in dbt_project/seeds/{THEME_MODELS_CSV} but no themes in "
            "the warehouse: run `ptmwh build` (on DuckDB; a topic without questions has none)"
        )
    return (
        f"topic {topic} has no theme model: add a row to dbt_project/seeds/{THEME_MODELS_CSV} "
        f"(e.g. `{topic},5-40:5,{STUDY_SEED},5,0.5,200,false`) and run `ptmwh build`"
    )


def _one_line(text: str) -> str:
    """Text on one line (a label or title may hold newlines)."""
    return " ".join(text.split())


def _percent(share: float | None) -> str:
    return "share not built" if share is None else f"{100 * share:.1f}% of those with a theme"


def _coherence(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"
