"""Fit a topic's theme models (LDA, tomotopy) and choose the number of themes by coherence.

Why tomotopy: its collapsed Gibbs sampler in C++ fits a 10^5-question corpus in well under the
time gensim's variational `LdaMulticore` takes at equal coherence (benchmarks/README.md), it
computes C_v and NPMI coherence itself, and with one worker and a seed it is deterministic
(docs/themes.md, "Fitting").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import tomotopy as tp
from tomotopy.coherence import Coherence

from .settings import ThemeSettings

TOP_TERMS = 10
"""Terms kept per theme, and the terms each theme's coherence is computed over."""

LIBRARY = f"tomotopy {tp.__version__} LDAModel"
SELECTION_MEASURE = "c_npmi"
"""The coherence that chooses the number of themes: on planted corpora C_v keeps rising past the
planted number (split themes stay coherent), NPMI peaks at it (docs/themes.md, "Choosing K")."""


@dataclass(frozen=True)
class ThemeTerms:
    """One theme of a fit: its number (1-based), NPMI coherence and top terms with weights."""

    theme: int
    coherence_npmi: float
    terms: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ThemeFit:
    """One fitted number of themes: its coherence, themes, and each kept document's weights."""

    n_themes: int
    coherence_cv: float
    coherence_npmi: float
    log_likelihood_per_word: float
    themes: tuple[ThemeTerms, ...]
    weights: np.ndarray
    """Rows are the kept documents (`Vocabulary.kept`), columns themes 1..n_themes."""


@dataclass(frozen=True)
class Vocabulary:
    """The corpus after the document-frequency filter: which documents keep any term."""

    kept: tuple[int, ...]
    documents: tuple[tuple[str, ...], ...]
    n_terms: int


def filter_vocabulary(
    documents: Sequence[Sequence[str]], min_df: int, max_df_share: float
) -> Vocabulary:
    """Drop terms in fewer than `min_df` documents or in more than `max_df_share` of them.

    A document left without terms gets no theme (it is counted, not fitted), so an empty
    question never takes a theme by the prior alone.
    """
    document_frequency = Counter(term for document in documents for term in set(document))
    most = max_df_share * len(documents)
    vocabulary = {term for term, count in document_frequency.items() if min_df <= count <= most}
    kept, filtered = [], []
    for index, document in enumerate(documents):
        terms = tuple(term for term in document if term in vocabulary)
        if terms:
            kept.append(index)
            filtered.append(terms)
    return Vocabulary(kept=tuple(kept), documents=tuple(filtered), n_terms=len(vocabulary))


COHERENCE_DOCUMENTS = 20_000
"""At most this many of the corpus's documents, evenly spaced, are the reference corpus of the
coherence measures: their cost grows with the corpus while their estimate settles long before
10^5 questions (docs/themes.md, "Choosing K")."""


def theme_coherences(
    documents: Sequence[Sequence[str]], top_terms: Sequence[Sequence[str]]
) -> tuple[list[float], list[float]]:
    """Each theme's C_v and NPMI coherence (tomotopy.coherence) over its top terms, against the
    corpus (or an evenly spaced sample of COHERENCE_DOCUMENTS of its documents)."""
    step = max(1, -(-len(documents) // COHERENCE_DOCUMENTS))
    corpus = tp.utils.Corpus()
    for document in documents[::step]:
        corpus.add_doc(list(document))
    targets = sorted({term for terms in top_terms for term in terms})
    scores = []
    for measure in ("c_v", "c_npmi"):
        coherence = Coherence(corpus, coherence=measure, top_n=TOP_TERMS, targets=targets)
        scores.append([float(coherence.get_score(words=list(terms))) for terms in top_terms])
    return scores[0], scores[1]


def fit_themes(vocabulary: Vocabulary, n_themes: int, settings: ThemeSettings) -> ThemeFit:
    """One LDA fit of `n_themes` themes, deterministic for `settings.seed` (one worker)."""
    model = tp.LDAModel(k=n_themes, seed=settings.seed)
    for document in vocabulary.documents:
        model.add_doc(list(document))
    model.train(settings.iterations, workers=1, parallel=tp.ParallelScheme.NONE)
    words = [model.get_topic_words(k, top_n=TOP_TERMS) for k in range(n_themes)]
    cv, npmi = theme_coherences(
        vocabulary.documents, [[term for term, _ in theme] for theme in words]
    )
    themes = tuple(
        ThemeTerms(
            theme=k + 1,
            coherence_npmi=npmi[k],
            terms=tuple((term, float(weight)) for term, weight in words[k]),
        )
        for k in range(n_themes)
    )
    weights = np.array([document.get_topic_dist() for document in model.docs], dtype=np.float64)
    return ThemeFit(
        n_themes=n_themes,
        coherence_cv=float(np.mean(cv)),
        coherence_npmi=float(np.mean(npmi)),
        log_likelihood_per_word=float(model.ll_per_word),
        themes=themes,
        weights=weights.reshape(len(vocabulary.documents), n_themes),
    )


def best_fit(fits: Sequence[ThemeFit]) -> ThemeFit:
    """The fit of highest NPMI coherence; between equal scores, the fewer themes."""
    return max(fits, key=lambda fit: (round(fit.coherence_npmi, 12), -fit.n_themes))
