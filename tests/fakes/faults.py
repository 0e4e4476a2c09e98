"""What the real API does on a bad day, injected into the loopback replay for the loader's tests.

`serve(dataset, faults=FaultPlan(...))` is `demo.replay_api.serve` with a `FaultPlan` applied:
`backoff`, throttle violations, 503s, malformed JSON, a spent quota, duplicates across pages,
hostile items, a huge body and slow answers. The demo never injects faults, so they live here.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from demo.replay_api import (
    QUOTA_RESET_SECONDS,
    ApiDataset,
    Call,
    Clock,
    ReplayHooks,
    ReplayUrl,
    throttle_violation,
)
from demo.replay_api import serve as serve_replay
from demo.replay_api.dataset import Item


@dataclass
class FaultPlan:
    """Faults to inject, keyed by the 1-based number of the request the server receives.

    Attributes:
        backoff: request number -> `backoff` seconds added to that response's wrapper; the server
            then refuses (throttle_violation) requests to the same method until the backoff passed.
        throttle: request number -> seconds in a 400 `throttle_violation` (error_id 502) answer.
        unavailable: request numbers answered with HTTP 503.
        malformed: request numbers answered with a truncated JSON body.
        quota_after: this request's response reports `quota_remaining` 0; later ones are refused.
        duplicate_across_pages: each page repeats the previous page's last item (shifting data).
        hostile: serve hostile question items: missing optional fields, nulls, a string id,
            HTML/script in titles and tags, and items with no usable id.
        huge_body_chars: when > 0, the first question served gets a body this long.
        delay_seconds: real sleep before each answer (lets a test kill a load mid-run).
    """

    backoff: dict[int, int] = field(default_factory=dict)
    throttle: dict[int, int] = field(default_factory=dict)
    unavailable: set[int] = field(default_factory=set)
    malformed: set[int] = field(default_factory=set)
    quota_after: int | None = None
    duplicate_across_pages: bool = False
    hostile: bool = False
    huge_body_chars: int = 0
    delay_seconds: float = 0.0


class _FaultHooks(ReplayHooks):
    """One server's application of a `FaultPlan` (it remembers whether the huge body went out)."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.huge_body_served = False

    def before(self, call: Call) -> tuple[int, bytes] | None:
        plan = self.plan
        if plan.delay_seconds:
            time.sleep(plan.delay_seconds)
        if call.number in plan.unavailable:
            return 503, b"<html><body>Service Unavailable</body></html>"
        if call.number in plan.malformed:
            return 200, b'{"items": [{"question_id": 1, "title": "trunc'
        if plan.quota_after is not None and call.number > plan.quota_after:
            raise throttle_violation(QUOTA_RESET_SECONDS)
        if call.number in plan.throttle:
            raise throttle_violation(plan.throttle[call.number])
        return None

    def page_overlap(self) -> int:
        return 1 if self.plan.duplicate_across_pages else 0

    def served_items(self, page: list[Item]) -> list[Item]:
        return [self._hostile(item) for item in page] if self.plan.hostile else page

    def quota_remaining(self, call: Call, remaining: int) -> int:
        return 0 if call.number == self.plan.quota_after else remaining

    def backoff(self, call: Call) -> int | None:
        return self.plan.backoff.get(call.number)

    def _hostile(self, item: Item) -> Item:
        """A deterministic hostile variant of a question item, chosen by its id."""
        if "question_id" not in item or "answer_id" in item:
            return item
        item = copy.deepcopy(item)
        kind = item["question_id"] % 8
        if kind == 0:
            for optional in ("owner", "content_license", "last_edit_date", "view_count", "body"):
                item.pop(optional, None)
        elif kind == 1:
            item.update(
                {"owner": None, "accepted_answer_id": None, "closed_date": None, "title": None}
            )
        elif kind == 2:
            item["question_id"] = str(item["question_id"])
        elif kind == 3:
            item["title"] = '<script>alert("x")</script> &amp; ' + str(item.get("title"))
            item["tags"] = [*item.get("tags", []), "<b>bold</b>"]
        elif kind == 4:
            item["question_id"] = "not-a-number"
        if self.plan.huge_body_chars and not self.huge_body_served:
            self.huge_body_served = True
            item["body"] = "<p>" + "x" * self.plan.huge_body_chars + "</p>"
        return item


@contextmanager
def serve(
    dataset: ApiDataset, *, faults: FaultPlan | None = None, clock: Clock | None = None
) -> Iterator[ReplayUrl]:
    """Serve `dataset` on the loopback replay with `faults` injected until the block ends.

    Args:
        dataset: what the API knows.
        faults: faults to inject (none by default).
        clock: what polices `backoff`; pass the loader's `ManualClock` so that a honoured backoff
            needs no real waiting.

    Yields:
        The replay's base URL with its request log.
    """
    with serve_replay(dataset, hooks=_FaultHooks(faults or FaultPlan()), clock=clock) as url:
        yield url
