"""`/tags/{tags}/info` and `/tags/{tag}/related` items, counted from the generated questions.

Related tags are the tags that co-occur most with a topic tag (the API's `count` on a related tag is
the number of questions carrying both), so the snowball candidates (transformer-model, langchain,
...) come out of the sample itself rather than from a hand-written list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from . import vocabulary as vocab

Item = dict[str, Any]
RELATED_PER_TAG = 20


def _tag_object(name: str, count: int) -> Item:
    return {
        "has_synonyms": name in vocab.TAGS_WITH_SYNONYMS,
        "is_moderator_only": False,
        "is_required": False,
        "count": count,
        "name": name,
    }


def related_tags(
    topic_tags: Sequence[str], question_tags: list[list[str]]
) -> dict[str, list[Item]]:
    """For each topic tag, the most co-occurring tags, most related first (ties by name)."""
    wanted = set(topic_tags)
    pairs: dict[str, Counter[str]] = {t: Counter() for t in topic_tags}
    for tags in question_tags:
        for tag in wanted.intersection(tags):
            pairs[tag].update(other for other in tags if other != tag)
    return {
        tag: [
            _tag_object(name, n)
            for name, n in sorted(pairs[tag].items(), key=lambda kv: (-kv[1], kv[0]))[
                :RELATED_PER_TAG
            ]
        ]
        for tag in topic_tags
    }


def tag_info(
    topic_tags: Sequence[str], question_tags: list[list[str]], related: dict[str, list[Item]]
) -> list[Item]:
    """Info items for the topic tags, the baseline's main tags and every related tag.

    Topic and candidate tags count the sample's questions; the baseline's main tags carry site-wide
    totals of Stack Overflow's order of magnitude (the sample holds only a slice of them)."""
    counts = Counter(tag for tags in question_tags for tag in tags)
    others = {item["name"] for items in related.values() for item in items}
    others |= {name for name in vocab.SITE_TAG_COUNTS if counts[name]}
    names = [*topic_tags, *sorted(others - set(topic_tags))]
    return [_tag_object(name, vocab.SITE_TAG_COUNTS.get(name, counts[name])) for name in names]
