"""Which posts of a dump are kept: the expat handler's filters, and the id outliers at the end.

A row outside every window is dropped by comparing its ISO `CreationDate` text before anything is
converted; the dump's fabricated posts are dropped; the largest ids of each type are tracked, so
that a post whose id is far beyond the rest can be dropped once the whole file has been seen
(dlt_pipeline/stackexchange_dump/README.md).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from study.window import Window

from ..results import LoadError
from .settings import (
    ANSWER_POST_TYPE,
    FABRICATED_OWNER,
    FABRICATED_POSTS,
    ID_OUTLIER_FACTOR,
    QUESTION_POST_TYPE,
    TOP_IDS_TRACKED,
)


class NotAPostsFileError(LoadError):
    """The file's rows lack `PostTypeId` or `CreationDate`: not a Posts.xml; nothing is loaded."""


class PostCollector:
    """expat handler that keeps the attribute dicts of in-window posts until a batch is full.

    It also drops the dump's fabricated posts and tracks the largest ids of each post type, so the
    runner can drop id outliers once the whole file has been seen.
    """

    def __init__(self, windows: Sequence[Window]) -> None:
        self.questions: list[dict[str, str]] = []
        self.answers: list[dict[str, str]] = []
        self.posts_seen = 0
        self.posts_kept = 0
        self.other_post_types = 0
        self.fabricated = 0
        self.newest_date = ""
        # Ascending; the smallest tracked id first, so a larger one replaces it.
        self.top_ids: dict[str, list[int]] = {
            QUESTION_POST_TYPE: [0] * TOP_IDS_TRACKED,
            ANSWER_POST_TYPE: [0] * TOP_IDS_TRACKED,
        }
        # Dump dates are ISO 8601 without zone, in UTC: a day's ISO text bounds its rows' dates.
        self._spans = [(w.first_day.isoformat(), w.end_day.isoformat()) for w in windows]
        self._first_iso = min(start for start, _ in self._spans)

    def start_element(self, name: str, attributes: dict[str, str]) -> None:
        if name != "row":
            return
        post_type = attributes.get("PostTypeId")
        created = attributes.get("CreationDate")
        if post_type is None or created is None:
            missing = "PostTypeId" if post_type is None else "CreationDate"
            raise NotAPostsFileError(
                f"row {self.posts_seen + 1} has no {missing}: this is not a Stack Exchange "
                "Posts.xml (another table of the dump, or another tool's export); nothing was "
                "loaded; pass the dump's Posts.xml or its .7z archive"
            )
        self.posts_seen += 1
        newest = max(created, attributes.get("LastActivityDate", ""))
        if newest > self.newest_date:
            self.newest_date = newest
        if post_type != QUESTION_POST_TYPE and post_type != ANSWER_POST_TYPE:
            self.other_post_types += 1
            return
        post_id = attributes.get("Id", "0")
        if (post_type, post_id) in FABRICATED_POSTS and (
            attributes.get("OwnerUserId") == FABRICATED_OWNER
        ):
            self.fabricated += 1
            return
        top = self.top_ids[post_type]
        number = int(post_id)
        if number > top[0]:
            bisect.insort(top, number)
            del top[0]
        if post_type == QUESTION_POST_TYPE:
            if any(lo <= created < end for lo, end in self._spans):
                self.questions.append(attributes)
                self.posts_kept += 1
        # An answer is never older than its question, so one before every window cannot belong
        # to it; later ones wait for their question (which may come later in the file).
        elif created >= self._first_iso:
            self.answers.append(attributes)
            self.posts_kept += 1

    @property
    def size(self) -> int:
        return len(self.questions) + len(self.answers)


def id_outliers(top_ids: Sequence[int]) -> list[int]:
    """The ids among a type's largest that exceed `ID_OUTLIER_FACTOR` times the next-largest id.

    Args:
        top_ids: the largest ids seen of one post type, ascending (zeros where fewer were seen).
    """
    return [
        post_id
        for below, post_id in itertools.pairwise(top_ids)
        if below > 0 and post_id > ID_OUTLIER_FACTOR * below
    ]
