"""A corpus with planted, well-separated themes: what a theme model must recover."""

from __future__ import annotations

import random
from dataclasses import dataclass

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
    """Questions whose body is mostly its planted theme's words, a few from another theme, plus
    markup, code and a URL the cleaning must drop."""
    rng = random.Random(seed)
    questions = []
    for offset in range(n_questions):
        theme = offset % n_themes
        own = PLANTED_VOCABULARIES[theme]
        other = PLANTED_VOCABULARIES[(theme + 1) % n_themes]
        words = [rng.choice(own) for _ in range(24)] + [rng.choice(other) for _ in range(3)]
        rng.shuffle(words)
        body = (
            f"<p>Thanks, I am trying this: {' '.join(words[:14])}.</p>\n"
            f"<pre><code>import zzcodeonly\nzzcodeonly.run()</code></pre>\n"
            f"<p>{' '.join(words[14:])} see https://example.com/zzurlonly</p>"
        )
        title = f"How do I fix {rng.choice(own)} with {rng.choice(own)}?"
        questions.append(PlantedQuestion(first_id + offset, theme, title, body))
    return questions


def planted_theme_of(top_terms: list[str]) -> int:
    """The planted theme whose words most of a fitted theme's top terms are."""
    scores = [sum(term in vocabulary for term in top_terms) for vocabulary in PLANTED_VOCABULARIES]
    return scores.index(max(scores))
