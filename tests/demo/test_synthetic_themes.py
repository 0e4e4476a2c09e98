"""Planted themes of the synthetic sample: separable vocabularies, one theme per topic question, its
words in the body, and nothing else of the sample changed by them."""

from __future__ import annotations

import collections
import csv
import html
import re
from pathlib import Path

import numpy as np
import pytest

from demo.replay_api.dataset import ApiDataset
from demo.synthetic import build_synthetic_dataset, generator
from demo.synthetic import calibration as cal
from demo.synthetic import vocabulary as vocab
from demo.synthetic.themes import theme_vocabularies
from tests.fakes.stop_words import STOP_WORDS

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
WORD = re.compile(r"[a-z]+")


@pytest.fixture(scope="module")
def dataset() -> ApiDataset:
    return build_synthetic_dataset()


def _seed_topic_tags() -> dict[str, set[str]]:
    """topic -> tags, read from the warehouse's seed (not through the generator)."""
    with (SEEDS / "topic_tags.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    tags: dict[str, set[str]] = collections.defaultdict(set)
    for row in rows:
        tags[row["topic"]].add(row["tag"].strip().lower())
    return {**tags, "ptm": set(cal.TABLE_I_TAG_COUNTS)}


def _tokens(body: str) -> list[str]:
    """Lower-case words of a body's prose: code blocks and markup dropped, entities decoded."""
    prose = re.sub(r"<pre>.*?</pre>", " ", body, flags=re.DOTALL)
    return WORD.findall(html.unescape(re.sub(r"<[^>]+>", " ", prose)).lower())


def test_vocabularies_are_distinct_content_words() -> None:
    sentence_words = set(WORD.findall(" ".join(vocab.THEME_SENTENCES).lower()))
    assert set(vocab.PLANTED_THEMES) == {"ptm", "bigdata", "concurrency", "mobile", "security"}
    for topic, themes in vocab.PLANTED_THEMES.items():
        assert 5 <= len(themes) <= 12, topic
        seen: dict[str, str] = {}
        for theme, weight, words in themes:
            assert weight > 0
            assert 25 <= len(words) <= 40, (topic, theme)
            assert len(set(words)) == len(words), (topic, theme)
            for word in words:
                assert re.fullmatch(r"[a-z]{3,}", word), (theme, word)
                assert word not in STOP_WORDS, (theme, word)
                assert word not in sentence_words, (theme, word)
                assert word not in seen, f"{word!r} is in {seen.get(word)!r} and {theme!r}"
                seen[word] = theme
        assert set(theme_vocabularies(topic)) == {theme for theme, _, _ in themes}
    assert theme_vocabularies("no-such-topic") == {}


def test_ptm_themes_are_the_taxonomy_sub_categories_with_their_shares() -> None:
    with (SEEDS / "taxonomy" / "taxonomy_codes.csv").open(newline="", encoding="utf-8") as handle:
        shares = {
            row["sub_category"]: float(row["paper_sub_category_share"])
            for row in csv.DictReader(handle)
            if row["category"] != "False positive"
        }
    assert {theme: weight for theme, weight, _ in vocab.PLANTED_THEMES["ptm"]} == shares


def test_every_topic_question_has_one_theme_of_its_topic(dataset: ApiDataset) -> None:
    topic_tags = _seed_topic_tags()
    for question in dataset.questions:
        topics = [topic for topic, tags in topic_tags.items() if tags & set(question["tags"])]
        planted = dataset.planted_themes.get(question["question_id"])
        if not topics:
            assert planted is None
            continue
        assert len(topics) == 1
        assert planted is not None and planted[0] == topics[0]
        assert planted[1] in theme_vocabularies(topics[0])
    assert not any("theme" in key for question in dataset.questions for key in question)


def test_theme_counts_follow_the_weights_exactly(dataset: ApiDataset) -> None:
    counts = collections.Counter(dataset.planted_themes.values())
    for topic, themes in vocab.PLANTED_THEMES.items():
        n = sum(counts[(topic, theme)] for theme, _, _ in themes)
        total = sum(weight for _, weight, _ in themes)
        assert n > 100, topic
        for theme, weight, _ in themes:
            assert abs(counts[(topic, theme)] - n * weight / total) < 1, (topic, theme)


def test_bodies_carry_their_planted_themes_words(dataset: ApiDataset) -> None:
    themes_of = {topic: theme_vocabularies(topic) for topic in vocab.PLANTED_THEMES}
    shares, most = [], []
    for question in dataset.questions:
        planted = dataset.planted_themes.get(question["question_id"])
        if planted is None:
            continue
        topic, theme = planted
        tokens = _tokens(question["body"])
        hits = {
            name: sum(token in set(words) for token in tokens)
            for name, words in themes_of[topic].items()
        }
        # Two or three sentences of six distinct theme words each.
        assert hits[theme] >= 12, (theme, question["body"])
        most.append(hits[theme] > max(n for name, n in hits.items() if name != theme))
        content = [token for token in tokens if token not in STOP_WORDS and len(token) >= 3]
        shares.append(hits[theme] / len(content))
    # The generic text (titles, stock sentences) mentions other themes' words now and then.
    assert np.mean(most) > 0.99
    assert np.median(shares) > 0.3


def test_themes_change_bodies_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample without themes is the same sample, bodies less their planted paragraph."""
    themed = build_synthetic_dataset(seed=11, n_baseline=3_000)
    again = build_synthetic_dataset(seed=11, n_baseline=3_000)
    assert themed.planted_themes == again.planted_themes
    monkeypatch.setattr(generator, "plant_themes", lambda *args: {})
    plain = build_synthetic_dataset(seed=11, n_baseline=3_000)
    assert themed.answers == plain.answers
    assert (themed.tag_info, themed.related_tags) == (plain.tag_info, plain.related_tags)
    assert len(themed.planted_themes) > 1_000
    for with_theme, without in zip(themed.questions, plain.questions, strict=True):
        body = with_theme.pop("body")
        assert with_theme == {k: v for k, v in without.items() if k != "body"}
        if with_theme["question_id"] in themed.planted_themes:
            paragraphs = body.split("\n\n")
            assert paragraphs[2].startswith("<p>") and paragraphs[2].rstrip().endswith("</p>")
            body = "\n\n".join(paragraphs[:2] + paragraphs[3:])
            if len(paragraphs) == 3:
                body += "\n"
        assert body == without["body"]
