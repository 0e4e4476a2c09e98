"""API items -> raw-table rows and Arrow tables, repairing what can be repaired.

The API (and hostile data) can send strings for ints, missing ids or huge bodies; each shaper
returns a row of the raw contract or None, counting why in the run's `skipped`.
"""

from __future__ import annotations

from typing import Any

from . import settings
from .client import ApiRun, Item


def as_int(value: Any) -> int | None:
    """An API integer, tolerating numeric strings (hostile data); None when absent or invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _owner_id(item: Item) -> int | None:
    owner = item.get("owner")
    return as_int(owner.get("user_id")) if isinstance(owner, dict) else None


def _required_ints(
    item: Any, post: str, run: ApiRun, missing: dict[str, str]
) -> dict[str, int] | None:
    """The integer fields a row cannot do without, or None when the item is unusable.

    The validate-or-skip ladder of every post shaper: an item that is not an object, or lacks one
    of the fields (`missing` maps each to how its absence is named), is counted by that reason in
    `run.skipped` under the post's kind (`question`, `answer`) and skipped.
    """
    if not isinstance(item, dict):
        run.skipped[f"{post} is not a JSON object"] += 1
        return None
    values: dict[str, int] = {}
    for field, absence in missing.items():
        value = as_int(item.get(field))
        if value is None:
            run.skipped[f"{post} without {absence}"] += 1
            return None
        values[field] = value
    return values


def question_rows(
    item: Any, collected_by: str, is_synthetic: bool, run: ApiRun, *, site: str, observed_at: int
) -> tuple[Item, list[Item]] | None:
    """One `questions` row and its `question_tags` rows from an API item, or None if unusable.

    `site` (the domain) keys the rows; `observed_at` (the response's `Date`, epoch seconds) is the
    row's `collected_at`, when its counts and accepted answer were true.

    Unusable (skipped, counted by reason in `run.skipped`): not an object, no integer `question_id`,
    no integer `creation_date`. Usable oddities are repaired: a string id becomes an int, a body
    longer than `MAX_BODY_CHARS` is truncated, non-string tags are dropped.
    """
    required = _required_ints(
        item,
        "question",
        run,
        {"question_id": "integer question_id", "creation_date": "creation_date"},
    )
    if required is None:
        return None
    question_id, creation_date = required["question_id"], required["creation_date"]
    body = _as_str(item.get("body"))
    if body is not None and len(body) > settings.MAX_BODY_CHARS:
        run.skipped["question body truncated (too long)"] += 1
        body = body[: settings.MAX_BODY_CHARS]
    row = {
        "site": site,
        "question_id": question_id,
        "title": _as_str(item.get("title")),
        "link": _as_str(item.get("link")),
        "body": body,
        "score": as_int(item.get("score")),
        "view_count": as_int(item.get("view_count")),
        "answer_count": as_int(item.get("answer_count")),
        "is_answered": _as_bool(item.get("is_answered")),
        "accepted_answer_id": as_int(item.get("accepted_answer_id")),
        "creation_date": creation_date,
        "last_activity_date": as_int(item.get("last_activity_date")),
        "owner_user_id": _owner_id(item),
        "closed_date": as_int(item.get("closed_date")),
        "content_license": _as_str(item.get("content_license")),
        "data_source": settings.DATA_SOURCE,
        "collected_by": collected_by,
        "collected_at": observed_at,
        "is_synthetic": is_synthetic,
    }
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    tag_rows = [
        {"site": site, "question_id": question_id, "tag": tag, "tag_position": pos}
        for pos, tag in enumerate(t for t in tags if isinstance(t, str))
    ]
    return row, tag_rows


def answer_row(item: Any, is_synthetic: bool, run: ApiRun, site: str) -> Item | None:
    """One `answers` row from an API answer item, or None (counted in `run.skipped`) if unusable."""
    required = _required_ints(item, "answer", run, {"answer_id": "integer answer_id"})
    if required is None:
        return None
    return {
        "site": site,
        "answer_id": required["answer_id"],
        "question_id": as_int(item.get("question_id")),
        "is_accepted": _as_bool(item.get("is_accepted")),
        "creation_date": as_int(item.get("creation_date")),
        "last_activity_date": as_int(item.get("last_activity_date")),
        "score": as_int(item.get("score")),
        "owner_user_id": _owner_id(item),
        "data_source": settings.DATA_SOURCE,
        "is_synthetic": is_synthetic,
    }


def tag_row(item: Any, is_synthetic: bool, run: ApiRun, site: str) -> Item | None:
    """One `tags` row from a `/tags/{tags}/info` item, or None (counted) if it has no name."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        run.skipped["tag without name"] += 1
        return None
    return {
        "site": site,
        "name": item["name"],
        "count": as_int(item.get("count")),
        "has_synonyms": _as_bool(item.get("has_synonyms")),
        "is_moderator_only": _as_bool(item.get("is_moderator_only")),
        "is_required": _as_bool(item.get("is_required")),
        "data_source": settings.DATA_SOURCE,
        "is_synthetic": is_synthetic,
    }
