"""The `questions` resource: per tag one `/questions` chain, with the answers of what it finds.

The cursors are hand-kept in resource state (per site: tags and ids are per site) rather than
`dlt.sources.incremental`, because the behaviour the tests pin needs more than one incremental
cursor per resource can give:

- one cursor per tag in one resource, each tag over its own window (the union of the windows of
  the topics carrying it): the tags' chains share the set of questions already seen (a question in
  two tags is one row, counted once) and one queue of answers still owed;
- a cursor remembers the window start it belongs to, so a window moved earlier starts again;
- the boundary second is re-read (`fromdate` is inclusive) and merged on `question_id`, where
  incremental would drop those rows as duplicates of the last value;
- `--refresh` switches the chain to `sort=activity` with `min=` the highest `last_activity_date`,
  a second cursor on another column;
- the cursor advances after every page, so a quota stop or a SIGKILL mid-chain resumes at that
  page, and the anonymous 25-page cap restarts the chain from it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import dlt

from ..raw_contract import MERGE, RAW_TABLES
from . import settings
from .buffers import Buffers
from .client import ApiBody, ApiRun, ApiStop, StackExchangeClient, encode_path_list
from .rows import answer_row, question_rows


class _AnswerFetcher:
    """Fetches answers of questions queued by id, packing up to 100 ids and ~100 answers a request.

    The queue lives in resource state, so questions whose answers were not fetched before a quota
    stop or a crash get them on the next run.
    """

    def __init__(self, client: StackExchangeClient, pending: dict[str, int], is_synthetic: bool):
        self.client = client
        self.pending = pending
        self.is_synthetic = is_synthetic
        self.seen: set[int] = set()

    def _batches(self, force: bool) -> list[list[str]]:
        batches, batch, answers = [], [], 0
        for question_id, n_answers in self.pending.items():
            full = (
                len(batch) == settings.IDS_PER_REQUEST or answers + n_answers > settings.PAGE_SIZE
            )
            if batch and full:
                batches.append(batch)
                batch, answers = [], 0
            batch.append(question_id)
            answers += n_answers
        if batch and force:
            batches.append(batch)
        return batches

    def fetch(self, buffers: Buffers, force: bool = False) -> Iterator[Any]:
        """Fetch full batches (all batches when `force`), yielding answer tables as they fill."""
        run = self.client.run
        for batch in self._batches(force):
            rows = []
            path = f"/questions/{encode_path_list(batch)}/answers"
            params = {"pagesize": settings.PAGE_SIZE, "sort": "creation", "order": "asc"}
            for body in self.client.pages(path, params):
                for item in body.get("items") or []:
                    row = answer_row(item, self.is_synthetic, run, self.client.site)
                    if row is not None and row["answer_id"] not in self.seen:
                        self.seen.add(row["answer_id"])
                        rows.append(row)
            yield from buffers.add("answers", rows)
            for question_id in batch:
                del self.pending[question_id]
            run.progress(
                f"answers: {len(batch)} questions -> {len(rows)} answers, "
                f"{len(self.pending)} questions queued, quota left {run.quota_remaining}"
            )


@dataclass(frozen=True)
class _Chain:
    """One tag's request chain: by creation (the incremental load) or by activity (`refresh`).

    Attributes:
        tag: the tag asked for (`tagged=`).
        window: the tag's (first, last) epoch second, both inclusive.
        by_activity: True for `sort=activity&min=`, False for `sort=creation&fromdate=`.
        start: the first value of the chain's bound parameter.
    """

    tag: str
    window: tuple[int, int]
    by_activity: bool
    start: int

    @property
    def sort(self) -> str:
        """The API's `sort` of the chain."""
        return "activity" if self.by_activity else "creation"

    @property
    def bound(self) -> str:
        """The parameter the cursor is sent in."""
        return "min" if self.by_activity else "fromdate"

    @property
    def cursor_column(self) -> str:
        """The row column the cursor follows."""
        return "last_activity_date" if self.by_activity else "creation_date"


class _TagQuestions:
    """The per-tag chains of one run and what they share: cursors, seen ids, answers, buffers."""

    def __init__(self, client: StackExchangeClient, is_synthetic: bool):
        self.client = client
        self.run: ApiRun = client.run
        self.is_synthetic = is_synthetic
        state = dlt.current.resource_state().setdefault("sites", {}).setdefault(client.site, {})
        self.creation: dict[str, dict[str, int]] = state.setdefault("creation_cursor", {})
        self.activity: dict[str, int] = state.setdefault("activity_cursor", {})
        self.answers = _AnswerFetcher(client, state.setdefault("answers_pending", {}), is_synthetic)
        self.buffers = Buffers(self.run)
        self.seen: set[int] = set()

    def chain(self, tag: str, window: tuple[int, int], refresh: bool) -> _Chain | None:
        """Where `tag`'s chain starts; None when its creation cursor is already past the window.

        A creation cursor is reused only for a window starting at or after the one it was kept
        for; a window moved earlier starts again from its first day.
        """
        lo, hi = window
        if refresh and tag in self.activity:
            return _Chain(tag, window, by_activity=True, start=int(self.activity[tag]))
        known = self.creation.get(tag)
        resume = known is not None and known["from"] <= lo
        start = max(lo, int(known["cursor"])) if resume else lo
        self.creation[tag] = {"from": known["from"] if resume else lo, "cursor": start}
        return None if start > hi else _Chain(tag, window, by_activity=False, start=start)

    def read(self, chain: _Chain) -> Iterator[Any]:
        """Every page of the chain; past the anonymous page cap, a new chain from the last value."""
        params: dict[str, Any] = {
            "tagged": chain.tag,
            "fromdate": chain.window[0],
            "todate": chain.window[1],
            "sort": chain.sort,
            "order": "asc",
            "pagesize": settings.PAGE_SIZE,
            "filter": settings.QUESTION_FILTER,
        }
        chain_seen: set[int] = set()
        start = chain.start
        max_pages = self.client.max_pages
        while True:
            params[chain.bound] = start
            pages, has_more, last = 0, False, start
            for body in self.client.pages("/questions", params, max_pages=max_pages):
                pages += 1
                has_more = bool(body.get("has_more"))
                last, n_new = yield from self._page(chain, body, chain_seen, last)
                self.run.progress(
                    f"questions[{chain.tag}]: page {pages}, {n_new} new items, "
                    f"quota left {self.run.quota_remaining}"
                )
                yield from self.answers.fetch(self.buffers)
            if not (has_more and max_pages and pages >= max_pages):
                break
            start = last

    def _page(
        self, chain: _Chain, body: ApiBody, chain_seen: set[int], last: int
    ) -> Generator[Any, None, tuple[int, int]]:
        """Buffer a page's new questions and queue their answers; return the cursor and how many."""
        n_new = 0
        for item in body.get("items") or []:
            parsed = question_rows(
                item,
                settings.COLLECTED_BY_TAG_QUERY,
                self.is_synthetic,
                self.run,
                site=self.client.site,
                observed_at=body.observed_at,
            )
            if parsed is None:
                continue
            row, tag_rows = parsed
            question_id = row["question_id"]
            last = max(last, row[chain.cursor_column] or 0)
            self.activity[chain.tag] = max(
                self.activity.get(chain.tag, 0), row["last_activity_date"] or 0
            )
            if question_id in chain_seen:
                self.run.skipped["duplicate item across pages"] += 1
            chain_seen.add(question_id)
            if question_id in self.seen:  # another tag's chain had it: one row
                continue
            self.seen.add(question_id)
            n_new += 1
            yield from self.buffers.add("questions", [row])
            yield from self.buffers.add("question_tags", tag_rows)
            if (row["answer_count"] or 0) > 0:
                self.answers.pending[str(question_id)] = row["answer_count"]
        if not chain.by_activity:
            self.creation[chain.tag]["cursor"] = last
        return last, n_new


@dlt.resource(name="questions", write_disposition=MERGE, **RAW_TABLES["questions"].keys)
def questions(
    client: Any, windows: dict[str, tuple[int, int]], refresh: bool, is_synthetic: bool
) -> Iterator[Any]:
    """Questions of each tag in its window (epoch seconds), one row per question, with tags and
    answers.

    Incremental per tag: resource state keeps, per tag, the window start and the highest
    `creation_date` seen (`fromdate` is inclusive, so the boundary second is re-read and merged,
    never skipped), and the highest `last_activity_date` for `refresh`. Answers still owed from
    an earlier run are fetched first.
    """
    chains = _TagQuestions(client, is_synthetic)
    run = chains.run
    try:
        yield from chains.answers.fetch(chains.buffers, force=True)
        for tag, window in windows.items():
            if run.stopped:
                break
            chain = chains.chain(tag, window, refresh)
            if chain is not None:
                yield from chains.read(chain)
        yield from chains.answers.fetch(chains.buffers, force=True)
    except ApiStop as exc:
        run.halt(exc)
    yield from chains.buffers.drain()
