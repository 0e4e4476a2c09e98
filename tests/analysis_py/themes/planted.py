"""A corpus with planted, well-separated themes: what a theme model must recover.

The sentences come from the demo's planted-text generator (`demo.synthetic.planted_text`), the
one every planted corpus uses; the vocabularies and the markup around them are the tests' own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.synthetic.planted_text import theme_sentences

PLANTED_VOCABULARIES: tuple[tuple[str, ...], ...] = (
    (
        "tokenizer",
        "vocabulary",
        "subword",
        "padding",
        "truncation",
        "encoding",
        "wordpiece",
        "sentencepiece",
        "detokenize",
        "offsets",
        "special",
        "attention",
    ),
    (
        "gradient",
        "epoch",
        "optimizer",
        "learning",
        "scheduler",
        "warmup",
        "convergence",
        "batch",
        "backward",
        "overfitting",
        "validation",
        "checkpoint",
    ),
    (
        "cuda",
        "memory",
        "allocation",
        "device",
        "nvidia",
        "driver",
        "vram",
        "oom",
        "gigabytes",
        "kernel",
        "precision",
        "fp16",
    ),
    (
        "pip",
        "install",
        "version",
        "wheel",
        "dependency",
        "conda",
        "import",
        "module",
        "package",
        "upgrade",
        "requirements",
        "environment",
    ),
    (
        "prompt",
        "completion",
        "chat",
        "temperature",
        "endpoint",
        "quota",
        "billing",
        "ratelimit",
        "streaming",
        "assistant",
        "persona",
        "moderation",
    ),
)
"""Five themes' words: disjoint, none a stop word, each of 3+ letters."""


@dataclass(frozen=True)
class PlantedQuestion:
    question_id: int
    theme: int
    """Index into PLANTED_VOCABULARIES."""
    title: str
    body: str


def planted_questions(
    n_questions: int, n_themes: int = 5, seed: int = 1, first_id: int = 1
) -> list[PlantedQuestion]:
    """Questions whose body is four sentences of its planted theme (24 of its words), three words
    of the next theme, plus markup, code and a URL the cleaning must drop."""
    rng = np.random.default_rng(seed)
    themes = np.arange(n_questions) % n_themes
    vocabularies = PLANTED_VOCABULARIES[:n_themes]
    own = theme_sentences(rng, themes, vocabularies, sentences=(4, 4))
    other = theme_sentences(rng, (themes + 1) % n_themes, vocabularies, sentences=(1, 1))
    questions = []
    for offset, theme in enumerate(themes):
        sentences = own[offset].sentences
        body = (
            f"<p>Thanks, I am trying this: {' '.join(sentences[:2])}</p>\n"
            f"<pre><code>import zzcodeonly\nzzcodeonly.run()</code></pre>\n"
            f"<p>{' '.join(sentences[2:])} {' '.join(other[offset].words[:3])} "
            "see https://example.com/zzurlonly</p>"
        )
        words = own[offset].words
        title = f"How do I fix {words[0]} with {words[1]}?"
        questions.append(PlantedQuestion(first_id + offset, int(theme), title, body))
    return questions


def planted_theme_of(top_terms: list[str]) -> int:
    """The planted theme whose words most of a fitted theme's top terms are."""
    scores = [sum(term in vocabulary for term in top_terms) for vocabulary in PLANTED_VOCABULARIES]
    return scores.index(max(scores))
