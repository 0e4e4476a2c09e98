"""Every topic's theme fits as one Arrow table: what the dbt model `int_theme_fits` returns.

A fit is cached by its fingerprints: when the previous table holds a topic's rows for the same
corpus and settings, they are returned as they are and nothing is refitted (docs/themes.md,
"Caching").
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .fit import LIBRARY, SELECTION_MEASURE, ThemeFit, best_fit, filter_vocabulary, fit_themes
from .settings import ThemeSettings, ThemeSettingsError
from .text import CLEANING_VERSION, question_tokens

log = logging.getLogger(__name__)

_TERM = pa.struct([("term", pa.string()), ("weight", pa.float64())])
_THEME = pa.struct(
    [("theme", pa.int64()), ("coherence_npmi", pa.float64()), ("terms", pa.list_(_TERM))]
)
_DOCUMENT = pa.struct(
    [("site", pa.string()), ("question_id", pa.int64()), ("weights", pa.list_(pa.float64()))]
)
THEME_FITS_SCHEMA = pa.schema(
    [
        ("topic", pa.string()),
        ("n_themes", pa.int64()),
        ("is_selected", pa.bool_()),
        ("fit_fingerprint", pa.string()),
        ("corpus_fingerprint", pa.string()),
        ("settings_fingerprint", pa.string()),
        ("n_themes_tried", pa.string()),
        ("seed", pa.int64()),
        ("min_df", pa.int64()),
        ("max_df_share", pa.float64()),
        ("iterations", pa.int64()),
        ("bigrams", pa.bool_()),
        ("library", pa.string()),
        ("selection_measure", pa.string()),
        ("coherence_cv", pa.float64()),
        ("coherence_npmi", pa.float64()),
        ("log_likelihood_per_word", pa.float64()),
        ("n_documents", pa.int64()),
        ("n_documents_without_terms", pa.int64()),
        ("n_vocabulary", pa.int64()),
        ("fitted_at", pa.timestamp("us", tz="UTC")),
        ("themes", pa.list_(_THEME)),
        ("document_weights", pa.list_(_DOCUMENT)),
    ]
)


def settings_of(row: Mapping[str, Any]) -> ThemeSettings:
    """A `theme_models` seed row as settings; a bad row raises naming its topic and the fix."""
    try:
        return ThemeSettings(
            n_themes=str(row["n_themes"]),
            seed=int(row["seed"]),
            min_df=int(row["min_df"]),
            max_df_share=float(row["max_df_share"]),
            iterations=int(row["iterations"]),
            bigrams=bool(row.get("bigrams") or False),
        )
    except (ThemeSettingsError, TypeError, ValueError) as exc:
        raise ThemeSettingsError(
            f"seed theme_models, topic {row.get('topic')!r}: {exc}; fix the row in "
            "dbt_project/seeds/theme_models.csv"
        ) from exc


def corpus_fingerprint(documents: Sequence[Mapping[str, Any]]) -> str:
    """A digest of the questions' keys and text (and of the cleaning's version)."""
    digest = hashlib.sha256(CLEANING_VERSION.encode())
    for document in documents:
        for value in (
            document["site"],
            document["question_id"],
            document["title"],
            document["body"],
        ):
            digest.update(b"\x1f" + str(value).encode())
    return digest.hexdigest()[:16]


def _fit_fingerprint(corpus: str, settings: str, n_themes: int) -> str:
    return hashlib.sha256(f"{corpus}/{settings}/{n_themes}".encode()).hexdigest()[:16]


def _fit_rows(
    topic: str,
    documents: Sequence[Mapping[str, Any]],
    settings: ThemeSettings,
    fingerprints: tuple[str, str],
    now: datetime,
) -> list[dict[str, Any]]:
    tokens = [question_tokens(d["title"], d["body"], bigrams=settings.bigrams) for d in documents]
    vocabulary = filter_vocabulary(tokens, settings.min_df, settings.max_df_share)
    if len(vocabulary.documents) < max(settings.theme_counts):
        log.warning(
            "topic %s: %d questions with terms, too few to fit",
            topic,
            len(vocabulary.documents),
        )
        return []
    fits = [fit_themes(vocabulary, k, settings) for k in settings.theme_counts]
    selected = best_fit(fits)
    corpus, settings_digest = fingerprints
    return [
        _row(topic, fit, fit is selected, documents, vocabulary.kept, settings, fingerprints, now)
        | {
            "fit_fingerprint": _fit_fingerprint(corpus, settings_digest, fit.n_themes),
            "n_vocabulary": vocabulary.n_terms,
        }
        for fit in fits
    ]


def _row(
    topic: str,
    fit: ThemeFit,
    is_selected: bool,
    documents: Sequence[Mapping[str, Any]],
    kept: Sequence[int],
    settings: ThemeSettings,
    fingerprints: tuple[str, str],
    now: datetime,
) -> dict[str, Any]:
    weights = None
    if is_selected:
        weights = [
            {
                "site": documents[index]["site"],
                "question_id": documents[index]["question_id"],
                "weights": row.tolist(),
            }
            for index, row in zip(kept, fit.weights, strict=True)
        ]
    return {
        "topic": topic,
        "n_themes": fit.n_themes,
        "is_selected": is_selected,
        "corpus_fingerprint": fingerprints[0],
        "settings_fingerprint": fingerprints[1],
        "n_themes_tried": settings.n_themes,
        "seed": settings.seed,
        "min_df": settings.min_df,
        "max_df_share": settings.max_df_share,
        "iterations": settings.iterations,
        "bigrams": settings.bigrams,
        "library": LIBRARY,
        "selection_measure": SELECTION_MEASURE,
        "coherence_cv": fit.coherence_cv,
        "coherence_npmi": fit.coherence_npmi,
        "log_likelihood_per_word": fit.log_likelihood_per_word,
        "n_documents": len(kept),
        "n_documents_without_terms": len(documents) - len(kept),
        "n_vocabulary": None,
        "fitted_at": now,
        "themes": [
            {
                "theme": theme.theme,
                "coherence_npmi": theme.coherence_npmi,
                "terms": [{"term": term, "weight": weight} for term, weight in theme.terms],
            }
            for theme in fit.themes
        ],
        "document_weights": weights,
    }


def _readable(previous: pa.Table | None) -> list[dict[str, Any]]:
    """The previous table's rows in today's schema; none when it has another shape.

    The warehouse gives back the table with its own names for list items and time zone, so the
    rows are cast, not compared schema by schema; a table of an older shape is simply refitted.
    """
    if previous is None or set(previous.column_names) != set(THEME_FITS_SCHEMA.names):
        return []
    try:
        return previous.select(THEME_FITS_SCHEMA.names).cast(THEME_FITS_SCHEMA).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return []


def theme_fits(
    models: Iterable[Mapping[str, Any]],
    corpus: pa.Table,
    previous: pa.Table | None = None,
    now: datetime | None = None,
) -> pa.Table:
    """Every topic's fits: reused from `previous` when corpus and settings are unchanged.

    Args:
        models: the seed `theme_models` rows (topic, n_themes, seed, min_df, max_df_share,
            iterations, bigrams).
        corpus: the topics' questions (topic, site, question_id, title, body).
        previous: the table this function returned last time, if any.
        now: when the fits are made (a test's clock; default the current time).
    """
    now = now or datetime.now(UTC)
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for document in corpus.sort_by(
        [("topic", "ascending"), ("site", "ascending"), ("question_id", "ascending")]
    ).to_pylist():
        by_topic[document["topic"]].append(document)
    cached: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _readable(previous):
        key = (row["topic"], row["corpus_fingerprint"], row["settings_fingerprint"])
        cached[key].append(row)
    rows: list[dict[str, Any]] = []
    for model in sorted(models, key=lambda row: str(row["topic"])):
        topic = str(model["topic"])
        settings = settings_of(model)
        documents = by_topic.get(topic, [])
        fingerprints = (
            corpus_fingerprint(documents),
            settings.fingerprint(CLEANING_VERSION, LIBRARY),
        )
        reused = cached.get((topic, *fingerprints))
        if reused:
            rows += reused
            continue
        log.info(
            "topic %s: fitting themes %s on %d questions", topic, settings.n_themes, len(documents)
        )
        rows += _fit_rows(topic, documents, settings, fingerprints, now)
    return pa.Table.from_pylist(rows, schema=THEME_FITS_SCHEMA)
