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
from .planted_text import theme_sentences
from .sampling import apportion
from .text import escape_text

THEME_STREAM = 2
"""Key of the themes' random streams (the literature topics draw from `[seed, 1]`)."""


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
    paragraph, of two or three sentences of the theme (`planted_text.theme_sentences`).

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
        planted_sentences = theme_sentences(rng, assigned, [words for _, _, words in themes])
        for position, theme, text in zip(positions, assigned, planted_sentences, strict=True):
            question = questions[position]
            paragraph = f"<p>{escape_text(' '.join(text.sentences))}</p>"
            question["body"] = _with_paragraph(question["body"], paragraph)
            planted[question["question_id"]] = (topic, themes[theme][0])
    return planted


def _with_paragraph(body: str, paragraph: str) -> str:
    """The body with `paragraph` after its second paragraph (the restated title and the text)."""
    end = body.index("</p>", body.index("</p>") + 4) + 4
    return f"{body[:end]}\n\n{paragraph}{body[end:]}"
