"""Planted-theme text: the one generator of the sentences a theme model is asked to recover.

The demo's sample (`themes.py`), the tests' theme corpora and the theme benchmark
(`benchmarks/theme_fit.py`) draw their planted sentences here, and the benchmarks' vocabularies of
made-up words are made here too (`benchmarks/generate_raw.py` writes its 10^7-row sample in SQL
from them), so a planted theme means the same thing everywhere (README "Planted themes").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import vocabulary as vocab

SLOTS = 6
"""Theme words per sentence: the placeholders `{0}`..`{5}` of `vocabulary.THEME_SENTENCES`."""
SYLLABLES = tuple(c + v for c in "bgklmnprtvz" for v in "aeiou")
"""The made-up words' syllables: consonant-vowel pairs that cannot spell an English stop word of
scikit-learn's or NLTK's lists (with `f`, "before")."""


@dataclass(frozen=True)
class ThemeSentences:
    """One question's planted sentences and the theme words they hold, in order."""

    sentences: tuple[str, ...]
    words: tuple[str, ...]


def theme_sentences(
    rng: np.random.Generator,
    assigned: np.ndarray,
    vocabularies: Sequence[Sequence[str]],
    *,
    sentences: tuple[int, int] = (2, 3),
) -> list[ThemeSentences]:
    """Sentences of each question's theme, filled with distinct words of its vocabulary.

    Each question gets between `sentences[0]` and `sentences[1]` sentences (uniform), each one of
    `vocabulary.THEME_SENTENCES` filled with `SLOTS` distinct words of its theme, word k of a
    vocabulary drawn with weight 1 / (k + 3) (so a vocabulary lists its most frequent word first).

    Args:
        rng: the stream to draw from; the draws are made for all questions at once.
        assigned: each question's theme, an index into `vocabularies`.
        vocabularies: each theme's words (at least `SLOTS` each), most frequent first.
        sentences: the fewest and the most sentences of a question.

    Returns:
        One `ThemeSentences` per question, in the order of `assigned`.
    """
    fewest, most = sentences
    n = len(assigned)
    n_sentences = rng.integers(fewest, most + 1, n)
    templates = rng.integers(0, len(vocab.THEME_SENTENCES), (n, most))
    picks = np.zeros((n, most, SLOTS), dtype=np.int64)
    for theme, words in enumerate(vocabularies):
        members = np.flatnonzero(assigned == theme)
        log_weights = -np.log(np.arange(len(words)) + 3.0)
        # Gumbel top-k: distinct words per sentence, drawn with the weights, all at once.
        keys = log_weights + rng.gumbel(size=(len(members), most, len(words)))
        picks[members] = np.argsort(-keys, axis=-1, kind="stable")[..., :SLOTS]
    result = []
    for i in range(n):
        words = vocabularies[assigned[i]]
        chosen = [[words[k] for k in picks[i, s]] for s in range(n_sentences[i])]
        result.append(
            ThemeSentences(
                sentences=tuple(
                    vocab.THEME_SENTENCES[templates[i, s]].format(*slot_words)
                    for s, slot_words in enumerate(chosen)
                ),
                words=tuple(word for slot_words in chosen for word in slot_words),
            )
        )
    return result


def made_up_vocabularies(
    n_themes: int, words_per_theme: int, *, first_word: int = 0
) -> list[tuple[str, ...]]:
    """Vocabularies of made-up words, disjoint across themes, none an English stop word.

    Word j of theme t is the three `SYLLABLES` spelling `first_word + t * words_per_theme + j` in
    base 55 (least significant first): six letters, the same word for the same number whatever
    the number of themes asked for.

    Args:
        n_themes: number of vocabularies.
        words_per_theme: words in each.
        first_word: the number of the first theme's first word, to draw further words (a
            background vocabulary) disjoint from earlier ones.

    Returns:
        One tuple of `words_per_theme` words per theme.

    Raises:
        ValueError: more words than three syllables can spell (166,375).
    """
    base = len(SYLLABLES)
    if first_word + n_themes * words_per_theme > base**3:
        raise ValueError(
            f"at most {(base**3 - first_word) // words_per_theme} themes of {words_per_theme} "
            f"words, got {n_themes}"
        )
    return [
        tuple(
            "".join(SYLLABLES[n // base**k % base] for k in (0, 1, 2))
            for n in range(first_word + t * words_per_theme, first_word + (t + 1) * words_per_theme)
        )
        for t in range(n_themes)
    ]
