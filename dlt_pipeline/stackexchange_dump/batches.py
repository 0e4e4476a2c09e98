"""The kept posts of a dump as Arrow tables in the raw tables' shape, converted column-wise.

The expat handler keeps attribute dicts; every conversion (ids, dates, titles, tags) then runs
over whole columns in Arrow, which is what keeps the parse fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..raw_contract import ANSWERS_SCHEMA, QUESTION_TAGS_SCHEMA, QUESTIONS_SCHEMA
from .filters import PostCollector
from .settings import COLLECTED_BY, DATA_SOURCE

# The dump stores plain titles; the API sends them HTML-encoded; staging decodes one format only.
_HTML_ENCODINGS = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;"))


@dataclass
class PostBatch:
    """One bounded batch of kept posts as Arrow tables in the raw tables' shape.

    Attributes:
        questions: rows of `questions` (contract columns).
        question_tags: rows of `question_tags` (question_id, tag, tag_position).
        answers: answers not yet resolved against their question (no `is_accepted`).
        bytes_read: bytes of the file read so far (compressed bytes for `.gz`).
        posts_seen: posts (rows of any type) parsed so far, kept or not.
        posts_kept: questions and answers kept so far.
        other_post_types: posts so far that are neither question nor answer (tag wikis, ...).
        fabricated: the dump's fabricated posts dropped so far (settings.FABRICATED_POSTS).
        top_ids: the largest question and answer ids so far, by PostTypeId, ascending.
        newest_date: the newest `CreationDate`/`LastActivityDate` of any post so far (ISO text,
            UTC), the dump's date when the file ends.
    """

    questions: pa.Table
    question_tags: pa.Table
    answers: pa.Table
    bytes_read: int
    posts_seen: int
    posts_kept: int
    other_post_types: int
    fabricated: int
    top_ids: dict[str, list[int]]
    newest_date: str

    @property
    def kept_posts(self) -> int:
        """Questions plus answers in this batch."""
        return self.questions.num_rows + self.answers.num_rows


@dataclass(frozen=True)
class PostContext:
    """What every row of one dump shares: its site, link prefix, observation time, bodies or not."""

    site: str
    link_prefix: str
    collected_at: int | None
    include_bodies: bool


def to_batch(collector: PostCollector, post: PostContext, bytes_read: int) -> PostBatch:
    """Convert the collected attribute dicts into the three Arrow tables."""
    attributes = _attributes(collector.questions, _QUESTION_ATTRIBUTES)
    questions = _questions_table(attributes, len(collector.questions), post)
    return PostBatch(
        questions=questions,
        question_tags=_question_tags_table(
            attributes["Tags"], questions.column("question_id"), post.site
        ),
        answers=_answers_table(collector.answers, post.site),
        bytes_read=bytes_read,
        posts_seen=collector.posts_seen,
        posts_kept=collector.posts_kept,
        other_post_types=collector.other_post_types,
        fabricated=collector.fabricated,
        top_ids={post_type: list(ids) for post_type, ids in collector.top_ids.items()},
        newest_date=collector.newest_date,
    )


_QUESTION_ATTRIBUTES = (
    "Id",
    "AcceptedAnswerId",
    "AnswerCount",
    "Title",
    "Score",
    "ViewCount",
    "CreationDate",
    "LastActivityDate",
    "OwnerUserId",
    "ClosedDate",
    "ContentLicense",
    "Tags",
    "Body",
)


_ANSWER_ATTRIBUTES = ("Id", "ParentId", "CreationDate", "LastActivityDate", "Score", "OwnerUserId")


def _attributes(rows: list[dict[str, str]], names: Sequence[str]) -> dict[str, pa.Array]:
    """The named attributes of every row as Arrow string arrays (null where a row lacks one).

    One conversion of the dicts to a struct array, in Arrow's C++, instead of a Python list per
    attribute: the per-post cost of the parse is mostly Python, and this takes a share of it out
    (benchmarks/README.md).
    """
    struct = pa.array(rows, type=pa.struct([(name, pa.string()) for name in names]))
    return {name: struct.field(name) for name in names}


def _int_column(attributes: dict[str, pa.Array], name: str) -> pa.Array:
    """An integer attribute as int64 (null where absent)."""
    return attributes[name].cast(pa.int64())


def _epoch_column(attributes: dict[str, pa.Array], name: str) -> pa.Array:
    """An ISO 8601 UTC date attribute as epoch seconds (int64, null where absent), like the API."""
    parsed = attributes[name].cast(pa.timestamp("ms"))
    return pc.cast(parsed, pa.timestamp("s"), safe=False).cast(pa.int64())


def _html_encode(titles: pa.Array) -> pa.Array:
    """Encode `&`, `<`, `>`, `"`, `'` as the API does, so staging decodes both sources alike."""
    for plain, encoded in _HTML_ENCODINGS:
        titles = pc.replace_substring(titles, plain, encoded)
    return titles


def _constant(value: Any, length: int, type_: pa.DataType) -> pa.Array:
    """A column repeating one value."""
    return pa.array([value] * length, type=type_)


def _questions_table(attributes: dict[str, pa.Array], n: int, post: PostContext) -> pa.Table:
    """Rows of `questions` in the API loader's Arrow schema (docs/contracts.md)."""
    include_bodies = post.include_bodies
    link_prefix = post.link_prefix
    question_id = _int_column(attributes, "Id")
    accepted_answer_id = _int_column(attributes, "AcceptedAnswerId")
    answer_count = pc.fill_null(_int_column(attributes, "AnswerCount"), 0)
    body = attributes["Body"] if include_bodies else _constant(None, n, pa.string())
    # The dump lacks the API's is_answered (accepted, or an answer scoring > 0); the closest the
    # question row allows is "has an accepted answer, or any answer".
    is_answered = pc.or_(pc.is_valid(accepted_answer_id), pc.greater(answer_count, 0))
    columns = {
        "site": _constant(post.site, n, pa.string()),
        "question_id": question_id,
        "title": _html_encode(attributes["Title"]),
        "link": pc.binary_join_element_wise(link_prefix, question_id.cast(pa.string()), ""),
        "body": body,
        "score": _int_column(attributes, "Score"),
        "view_count": _int_column(attributes, "ViewCount"),
        "answer_count": answer_count,
        "is_answered": is_answered,
        "accepted_answer_id": accepted_answer_id,
        "creation_date": _epoch_column(attributes, "CreationDate"),
        "last_activity_date": _epoch_column(attributes, "LastActivityDate"),
        "owner_user_id": _int_column(attributes, "OwnerUserId"),
        "closed_date": _epoch_column(attributes, "ClosedDate"),
        "content_license": attributes["ContentLicense"],
        "data_source": _constant(DATA_SOURCE, n, pa.string()),
        "collected_by": _constant(COLLECTED_BY, n, pa.string()),
        "collected_at": _constant(post.collected_at, n, pa.int64()),
        "is_synthetic": _constant(False, n, pa.bool_()),
        "deleted_at": _constant(None, n, pa.int64()),
    }
    return pa.table(columns).cast(QUESTIONS_SCHEMA)


def _question_tags_table(tags: pa.Array, question_id: pa.Array, site: str) -> pa.Table:
    """One row per (question, tag) from `<a><b>` or `|a|b|` tag strings, keeping the tags' order."""
    raw = pc.fill_null(tags, "")
    tag_lists = pc.split_pattern(pc.replace_substring(pc.utf8_trim(raw, "<>|"), "><", "|"), "|")
    tags = pc.list_flatten(tag_lists)
    parents = pc.list_parent_indices(tag_lists).to_numpy()
    offsets = tag_lists.offsets.to_numpy()
    positions = np.arange(len(tags), dtype=np.int64) - offsets[parents]
    table = pa.table(
        {
            "site": _constant(site, len(tags), pa.string()),
            "question_id": pc.take(question_id, pa.array(parents)),
            "tag": tags,
            "tag_position": pa.array(positions, type=pa.int64()),
            "deleted_at": _constant(None, len(tags), pa.int64()),
        }
    )
    return table.filter(pc.not_equal(table.column("tag"), "")).cast(QUESTION_TAGS_SCHEMA)


def _answers_table(rows: list[dict[str, str]], site: str) -> pa.Table:
    """Answers as parsed, with their parent `question_id`; `is_accepted` is set on resolution."""
    n = len(rows)
    attributes = _attributes(rows, _ANSWER_ATTRIBUTES)
    return pa.table(
        {
            "site": _constant(site, n, pa.string()),
            "answer_id": _int_column(attributes, "Id"),
            "question_id": _int_column(attributes, "ParentId"),
            "is_accepted": _constant(None, n, pa.bool_()),
            "creation_date": _epoch_column(attributes, "CreationDate"),
            "last_activity_date": _epoch_column(attributes, "LastActivityDate"),
            "score": _int_column(attributes, "Score"),
            "owner_user_id": _int_column(attributes, "OwnerUserId"),
            "data_source": _constant(DATA_SOURCE, n, pa.string()),
            "is_synthetic": _constant(False, n, pa.bool_()),
            "deleted_at": _constant(None, n, pa.int64()),
        }
    ).cast(ANSWERS_SCHEMA)
