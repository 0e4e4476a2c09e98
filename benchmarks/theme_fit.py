"""Time a theme fit (tomotopy, the warehouse's code) beside gensim's LdaMulticore, and a K sweep.

`python -m benchmarks.theme_fit fit --library tomotopy|gensim [--questions N] [--themes K]` fits
one model to a generated corpus of N questions with K planted themes and prints one JSON line:
the fit's seconds and both coherences (C_v and NPMI over each theme's top ten terms, computed the
same way for both libraries: the warehouse's `theme_coherences` over the same corpus).
`python -m benchmarks.theme_fit sweep [--questions N]` runs the warehouse's `theme_fits` with
`n_themes = 5-40:5` (every fit and its coherence) and prints its seconds. `benchmarks.run` runs
both as the steps `theme-fit`, `theme-fit-gensim` and `theme-sweep`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import pyarrow as pa

from analysis_py.themes.fit import TOP_TERMS, filter_vocabulary, fit_themes, theme_coherences
from analysis_py.themes.fits_table import theme_fits
from analysis_py.themes.settings import ThemeSettings
from analysis_py.themes.text import question_tokens
from demo.synthetic.planted_text import made_up_vocabularies, theme_sentences
from study.defaults import STUDY_SEED

ITERATIONS = 100
"""As the seed topics' theme_models rows: on these corpora 100 sweeps reach the coherence of 200."""
BACKGROUND_WORDS = 3_000
THEME_WORDS = 60
OWN_SENTENCES = (7, 8)
"""Sentences of a question's own theme: ~45 of its words."""
SECOND_SENTENCES = (1, 2)
"""Sentences of a second theme: ~10 of its words."""
NOISE_WORDS = 25
"""Background words per question (Zipf-like). The sentences' generic words are in most questions,
so the vocabulary filter drops them: ~80 terms per question reach the fit."""


def planted_texts(n_questions: int, n_themes: int, seed: int = STUDY_SEED) -> list[tuple[str, str]]:
    """(title, HTML body) pairs of the demo's planted-text generator over made-up vocabularies:
    ~45 words of a planted theme, ~10 of a second theme, each in the generator's sentences, and
    `NOISE_WORDS` background words, wrapped in markup and a code block the cleaning drops."""
    rng = np.random.default_rng(seed)
    themes = made_up_vocabularies(n_themes, THEME_WORDS)
    (background,) = made_up_vocabularies(1, BACKGROUND_WORDS, first_word=n_themes * THEME_WORDS)
    background_p = 1 / np.arange(3, BACKGROUND_WORDS + 3)
    background_p /= background_p.sum()
    main = rng.integers(0, n_themes, n_questions)
    second = rng.integers(0, n_themes, n_questions)
    own = theme_sentences(rng, main, themes, sentences=OWN_SENTENCES)
    other = theme_sentences(rng, second, themes, sentences=SECOND_SENTENCES)
    noise = rng.choice(background, (n_questions, NOISE_WORDS), p=background_p)
    return [
        (
            f"Question about {own[i].words[0]} and {own[i].words[1]}",
            f"<p>{' '.join(own[i].sentences + other[i].sentences)} {' '.join(noise[i])}</p>"
            "<pre><code>x = 1</code></pre>",
        )
        for i in range(n_questions)
    ]


def _tokens(n_questions: int, n_themes: int) -> list[list[str]]:
    texts = planted_texts(n_questions, n_themes)
    return filter_vocabulary([question_tokens(t, b) for t, b in texts], 5, 0.5).documents


def fit_once(
    library: str, n_questions: int, n_themes: int, iterations: int = ITERATIONS, passes: int = 2
) -> dict[str, object]:
    """One fit of `library` on the generated corpus: seconds and both coherences."""
    documents = [list(d) for d in _tokens(n_questions, n_themes)]
    started = time.perf_counter()
    if library == "tomotopy":
        settings = ThemeSettings(str(n_themes), STUDY_SEED, 5, 0.5, iterations)
        vocabulary = filter_vocabulary(documents, 5, 0.5)
        fit = fit_themes(vocabulary, n_themes, settings)
        seconds = time.perf_counter() - started
        top = [[term for term, _ in theme.terms] for theme in fit.themes]
    else:
        from gensim.corpora import Dictionary
        from gensim.models import LdaMulticore

        dictionary = Dictionary(documents)
        bows = [dictionary.doc2bow(document) for document in documents]
        # Two processes on two cores (one worker beside the master); 2 passes over 10^5 questions
        # (100 online updates) approach the Gibbs sampler's coherence (benchmarks/README.md).
        model = LdaMulticore(
            bows, num_topics=n_themes, id2word=dictionary, workers=1, passes=passes,
            iterations=50, random_state=STUDY_SEED, chunksize=2000,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        top = [[word for word, _ in model.show_topic(k, TOP_TERMS)] for k in range(n_themes)]
    return {
        "library": library,
        "questions": n_questions,
        "themes": n_themes,
        "iterations" if library == "tomotopy" else "passes": (
            iterations if library == "tomotopy" else passes
        ),
        "fit_seconds": round(seconds, 2),
        **{
            name: round(float(np.mean(values)), 4)
            for name, values in zip(
                ("c_v", "c_npmi"), theme_coherences(documents, top), strict=True
            )
        },
    }


def sweep(n_questions: int) -> dict[str, object]:
    """The warehouse's fits of 5, 10, ..., 40 themes, coherence of each included."""
    texts = planted_texts(n_questions, 12)
    corpus = pa.Table.from_pylist(
        [
            {"topic": "bench", "site": "s", "question_id": i, "title": t, "body": b}
            for i, (t, b) in enumerate(texts)
        ]
    )
    model = {"topic": "bench", "n_themes": "5-40:5", "seed": STUDY_SEED, "min_df": 5,
             "max_df_share": 0.5, "iterations": ITERATIONS, "bigrams": False}  # fmt: skip
    started = time.perf_counter()
    rows = theme_fits([model], corpus).to_pylist()
    seconds = time.perf_counter() - started
    chosen = next(row["n_themes"] for row in rows if row["is_selected"])
    return {"questions": n_questions, "fits": len(rows), "chosen": chosen,
            "sweep_seconds": round(seconds, 2)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    fit = sub.add_parser("fit")
    fit.add_argument("--library", choices=("tomotopy", "gensim"), default="tomotopy")
    fit.add_argument("--questions", type=lambda s: int(float(s)), default=100_000)
    fit.add_argument("--themes", type=int, default=20)
    fit.add_argument("--iterations", type=int, default=ITERATIONS, help="tomotopy's sweeps")
    fit.add_argument("--passes", type=int, default=2, help="gensim's passes")
    swept = sub.add_parser("sweep")
    swept.add_argument("--questions", type=int, default=5_896)
    args = parser.parse_args(argv)
    if args.mode == "fit":
        result = fit_once(args.library, args.questions, args.themes, args.iterations, args.passes)
    else:
        result = sweep(args.questions)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
