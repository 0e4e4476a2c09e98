"""Planted themes: each question of a topic gets one of its topic's themes and, in its body, two or
three sentences built from that theme's vocabulary (`vocabulary.PLANTED_THEMES`), so that a topic
model over the sample's text has themes to recover (this package's README, "Planted themes").

The draws come from random streams of their own, one per topic (`[seed, THEME_STREAM, crc32]` of
the topic's name), and only add a paragraph to bodies: every other field of the sample, and every
calibrated figure, is what it was without themes."""

from __future__ import annotations

import zlib
from collections.abc import Collection, Mapping

import numpy as np

from ..replay_api.dataset import Item
from . import vocabulary as vocab
from .sampling import apportion
from .text import escape_text

THEME_STREAM = 2
"""Key of the themes' random streams (the literature topics draw from `[seed, 1]`)."""
_SLOTS = 6
"""Theme words per sentence: the placeholders `{0}`..`{5}` of `vocabulary.THEME_SENTENCES`."""
_MAX_SENTENCES = 3


def theme_vocabularies(topic: str) -> dict[str, tuple[str, ...]]:
    """The planted themes of a topic and their vocabularies, in `vocabulary.PLANTED_THEMES` order.

    Args:
        topic: a seed topic (`ptm`, `bigdata`, `concurrency`, `mobile`, `security`).

    Returns:
        theme -> its words, most frequent first; empty for a topic without planted themes.
    """
    return {theme: words for theme, _, words in vocab.PLANTED_THEMES.get(topic, ())}


def plant_themes(
    seed: int, questions: list[Item], topic_tags: Mapping[str, Collection[str]]
) -> dict[int, tuple[str, str]]:
    """Give every question of each topic a theme and add the theme's sentences to its body.

    A question belongs to the first topic one of whose tags it carries. Each topic's questions get
    its themes with exact counts in proportion to the themes' weights (largest remainders), in
    random order; the body gains one paragraph, after the restated title and the first text
    paragraph, of two or three `vocabulary.THEME_SENTENCES` filled with four distinct words of the
    theme each (word k of a vocabulary drawn with weight 1 / (k + 3)).

    Args:
        seed: the sample's seed; each topic draws from `[seed, THEME_STREAM, crc32(topic)]`.
        questions: question items (changed in place: `body` only).
        topic_tags: topic -> its tags; topics without planted themes are skipped.

    Returns:
        question_id -> (topic, theme) for every question that got a theme.
    """
    tag_topic: dict[str, str] = {}
    for topic, tags in topic_tags.items():
        if topic in vocab.PLANTED_THEMES:
            for tag in tags:
                tag_topic.setdefault(tag, topic)
    members: dict[str, list[int]] = {topic: [] for topic in topic_tags}
    for position, question in enumerate(questions):
        topic = next((tag_topic[t] for t in question["tags"] if t in tag_topic), None)
        if topic is not None:
            members[topic].append(position)
    planted: dict[int, tuple[str, str]] = {}
    for topic, positions in members.items():
        if not positions:
            continue
        rng = np.random.default_rng([seed, THEME_STREAM, zlib.crc32(topic.encode())])
        themes = vocab.PLANTED_THEMES[topic]
        counts = apportion(len(positions), np.array([weight for _, weight, _ in themes]))
        assigned = rng.permutation(np.repeat(np.arange(len(themes)), counts))
        paragraphs = _paragraphs(rng, assigned, [words for _, _, words in themes])
        for position, theme, paragraph in zip(positions, assigned, paragraphs, strict=True):
            question = questions[position]
            question["body"] = _with_paragraph(question["body"], paragraph)
            planted[question["question_id"]] = (topic, themes[theme][0])
    return planted


def _paragraphs(
    rng: np.random.Generator, assigned: np.ndarray, vocabularies: list[tuple[str, ...]]
) -> list[str]:
    """One `<p>` of theme sentences per question, for questions with theme indices `assigned`."""
    n = len(assigned)
    n_sentences = rng.integers(2, _MAX_SENTENCES + 1, n)
    templates = rng.integers(0, len(vocab.THEME_SENTENCES), (n, _MAX_SENTENCES))
    picks = np.zeros((n, _MAX_SENTENCES, _SLOTS), dtype=np.int64)
    for theme, words in enumerate(vocabularies):
        members = np.flatnonzero(assigned == theme)
        log_weights = -np.log(np.arange(len(words)) + 3.0)
        # Gumbel top-k: distinct words per sentence, drawn with the weights, all at once.
        keys = log_weights + rng.gumbel(size=(len(members), _MAX_SENTENCES, len(words)))
        picks[members] = np.argsort(-keys, axis=-1, kind="stable")[..., :_SLOTS]
    result = []
    for i in range(n):
        words = vocabularies[assigned[i]]
        sentences = [
            vocab.THEME_SENTENCES[templates[i, s]].format(*(words[k] for k in picks[i, s]))
            for s in range(n_sentences[i])
        ]
        result.append(f"<p>{escape_text(' '.join(sentences))}</p>")
    return result


def _with_paragraph(body: str, paragraph: str) -> str:
    """The body with `paragraph` after its second paragraph (the restated title and the text)."""
    end = body.index("</p>", body.index("</p>") + 4) + 4
    return f"{body[:end]}\n\n{paragraph}{body[end:]}"
