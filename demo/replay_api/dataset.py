"""The data the loopback replay of the Stack Exchange API serves: API-shaped items in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Item = dict[str, Any]


@dataclass
class ApiDataset:
    """Everything the replayed API can answer from.

    Questions and answers share one post-id space, as on Stack Overflow, so a random id in the
    window's range can hit a question, an answer or nothing (deleted), which is what keeps
    random-id sampling uniform.

    Attributes:
        questions: question items exactly as `/questions?filter=withbody` returns them (tags,
            owner, body, title HTML-encoded, epoch-second dates, optional fields absent, not null).
        answers: answer items as `/questions/{ids}/answers` returns them (answer_id, question_id,
            is_accepted, creation_date, last_activity_date, score, owner).
        tag_info: items of `/tags/{tags}/info` (name, count, has_synonyms, is_moderator_only,
            is_required). A tag carried by a question but without an item is served as a plain
            tag counted over `questions`.
        related_tags: tag -> items of `/tags/{tag}/related`, most related first.
        site: the `site` parameter this data belongs to (the site's domain, as the loader asks).
        is_synthetic: True for generated data (reaches the warehouse and the report).
        collected_at: epoch seconds the data notionally was crawled; when set, every response's
            HTTP `Date` says so (the loader takes it as the rows' observation time), else the
            server's clock does.
        planted_themes: generated data only: question_id -> (topic, theme) of the theme the
            generator planted in the question's body (`demo/synthetic/themes.py`), the truth a
            theme model is tested against. Never served: the replay answers from the items.
    """

    questions: list[Item] = field(default_factory=list)
    answers: list[Item] = field(default_factory=list)
    tag_info: list[Item] = field(default_factory=list)
    related_tags: dict[str, list[Item]] = field(default_factory=dict)
    site: str = "stackoverflow.com"
    is_synthetic: bool = False
    collected_at: int | None = None
    planted_themes: dict[int, tuple[str, str]] = field(default_factory=dict)
