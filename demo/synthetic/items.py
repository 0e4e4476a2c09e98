"""Question and answer items in the exact shape of the API's pages (optional fields absent, not
null)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .text import encode_title, slugify

Item = dict[str, Any]

_LICENSE_4_SINCE = int(dt.datetime(2018, 5, 2, tzinfo=dt.UTC).timestamp())
"""Posts last changed before this date are licensed CC BY-SA 3.0, later ones 4.0."""


def content_license(created: int, last_edit: int | None) -> str:
    """The licence the API reports for a post, from its creation or last edit date."""
    latest = created if last_edit is None or last_edit < created else last_edit
    return "CC BY-SA 4.0" if latest >= _LICENSE_4_SINCE else "CC BY-SA 3.0"


def question_item(
    *,
    question_id: int,
    tags: list[str],
    owner: Item,
    raw_title: str,
    body: str,
    view_count: int,
    answer_count: int,
    score: int,
    is_answered: bool,
    creation_date: int,
    last_activity_date: int,
    last_edit_date: int | None,
    accepted_answer_id: int | None,
    closed: tuple[int, str] | None,
) -> Item:
    """One `/questions?filter=withbody` item; closed questions carry no `content_license`."""
    item: Item = {
        "tags": tags,
        "owner": owner,
        "is_answered": is_answered,
        "view_count": view_count,
    }
    if closed is not None:
        item["closed_date"] = closed[0]
    if accepted_answer_id is not None:
        item["accepted_answer_id"] = accepted_answer_id
    item["answer_count"] = answer_count
    item["score"] = score
    item["last_activity_date"] = last_activity_date
    item["creation_date"] = creation_date
    if last_edit_date is not None:
        item["last_edit_date"] = last_edit_date
    item["question_id"] = question_id
    if closed is None:
        item["content_license"] = content_license(creation_date, last_edit_date)
    item["link"] = f"https://stackoverflow.com/questions/{question_id}/{slugify(raw_title)}"
    if closed is not None:
        item["closed_reason"] = closed[1]
    item["title"] = encode_title(raw_title)
    item["body"] = body
    return item


def answer_item(
    *,
    answer_id: int,
    question_id: int,
    owner: Item,
    is_accepted: bool,
    score: int,
    creation_date: int,
    last_activity_date: int,
) -> Item:
    """One `/questions/{ids}/answers` item (default filter)."""
    return {
        "owner": owner,
        "is_accepted": is_accepted,
        "score": score,
        "last_activity_date": last_activity_date,
        "creation_date": creation_date,
        "answer_id": answer_id,
        "question_id": question_id,
        "content_license": content_license(creation_date, last_activity_date),
    }
