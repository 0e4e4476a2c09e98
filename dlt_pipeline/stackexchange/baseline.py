"""The baseline resources: the site's exact yearly totals per topic window and one uniform
random sample of the site's questions in its topic windows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dlt

from ..hints import marked
from ..raw_contract import MERGE
from . import settings
from .buffers import Buffers
from .client import ApiBody, ApiRun, ApiStop, encode_path_list
from .rows import answer_row, as_int, question_rows
from .sampling import baseline_sample_size, random_id_batches
from .windows import year_windows


def _total(client: Any, lo: int, hi: int, **params: Any) -> int:
    body = client.get(
        "/search/advanced",
        {"fromdate": lo, "todate": hi, "filter": settings.TOTAL_FILTER, **params},
    )
    return int(body.get("total") or 0)


def _total_rows(
    client: Any, tags: tuple[str, ...], window: tuple[int, int], is_synthetic: bool
) -> list[dict[str, Any]]:
    """Per calendar year of `window`, clipped to it: all questions and, when `tags` is not empty,
    questions with any of the tags, each with and without an accepted answer."""
    run: ApiRun = client.run
    topic = ";".join(tags)
    populations = (
        [("all_questions", "", {})] if not tags else [("topic_questions", topic, {"tagged": topic})]
    )
    rows = []
    for year, y_lo, y_hi in year_windows(*window):
        for population, topic_tags, tagged in populations:
            for accepted_filter, accepted in (
                ("any", {}),
                ("no_accepted_answer", {"accepted": "false"}),
            ):
                if run.stopped:
                    raise run.stop  # type: ignore[misc]
                rows.append(
                    {
                        "site": client.site,
                        "year": year,
                        "population": population,
                        "accepted_filter": accepted_filter,
                        "total": _total(client, y_lo, y_hi, **tagged, **accepted),
                        "from_date": y_lo,
                        "to_date": y_hi,
                        "topic_tags": topic_tags,
                        "is_synthetic": is_synthetic,
                    }
                )
        run.progress(
            f"baseline_totals[{topic or 'all'} {year}]: 2 counts, quota left {run.quota_remaining}"
        )
    return rows


@dlt.resource(name="baseline_totals", write_disposition=MERGE)
def baseline_totals(
    client: Any,
    topics: list[tuple[tuple[str, ...], tuple[int, int]]],
    refresh: bool,
    is_synthetic: bool,
) -> Iterator[Any]:
    """Exact yearly counts per topic window: all questions of the window and the topic's questions
    (`tagged` = any of its tags), each with and without an accepted answer: two `filter=total`
    requests a year each, and each (site, window, tags) counted once unless `refresh`."""
    run: ApiRun = client.run
    done: dict[str, bool] = dlt.current.resource_state().setdefault("done", {})
    wanted: dict[tuple[tuple[str, ...], tuple[int, int]], None] = {}
    for tags, window in topics:
        wanted.setdefault(((), window), None)
        wanted.setdefault((tags, window), None)
    rows = []
    try:
        for tags, window in wanted:
            done_key = hashlib.sha1(f"{client.site}|{window}|{';'.join(tags)}".encode()).hexdigest()
            if done.get(done_key) and not refresh:
                continue
            rows += _total_rows(client, tags, window, is_synthetic)
            done[done_key] = True
    except ApiStop as exc:
        run.halt(exc)
    run.items["baseline_totals"] += len(rows)
    if rows:
        yield marked("baseline_totals", rows)


def _window_end_question_id(client: Any, lo: int, hi: int, order: str) -> int | None:
    body = client.get(
        "/questions",
        {"fromdate": lo, "todate": hi, "sort": "creation", "order": order, "pagesize": 1},
    )
    items = body.get("items") or []
    return as_int(items[0].get("question_id")) if items and isinstance(items[0], dict) else None


@dataclass(frozen=True)
class SampleFrame:
    """What one site's random sample covers and which questions its tag chains fetch anyway.

    Attributes:
        windows: (first, last) epoch seconds of each topic window on the site; the sample draws
            from the id range of their span and keeps the questions inside any of them.
        tag_windows: tag -> the window its `/questions` chain covers (its row comes from there).
    """

    windows: tuple[tuple[int, int], ...]
    tag_windows: dict[str, tuple[int, int]]

    @property
    def span(self) -> tuple[int, int]:
        """The first and last second of any window."""
        return min(lo for lo, _ in self.windows), max(hi for _, hi in self.windows)

    def in_window(self, created: int) -> bool:
        """Whether a question created at `created` lies in some topic window of the site."""
        return any(lo <= created <= hi for lo, hi in self.windows)

    def fetched_by_tag(self, created: int, tags: list[str]) -> bool:
        """Whether a tag chain of this load fetches the question (then that row is the one kept)."""
        spans = (self.tag_windows.get(tag) for tag in tags)
        return any(span is not None and span[0] <= created <= span[1] for span in spans)


@dlt.resource(name="baseline_sample", write_disposition=MERGE)
def baseline_sample(
    client: Any, frame: SampleFrame, sample_size: int | None, seed: int, is_synthetic: bool
) -> Iterator[Any]:
    """A uniform random sample of the site's questions in its topic windows, by random post ids.

    Ids are drawn uniformly from the id range of the span's first and last question and requested
    100 at a time with `/questions/{ids}`; ids of answers or deleted posts come back missing, which
    keeps the sample uniform over existing questions. Questions outside every window are dropped;
    topic-tagged ones are kept (one topic's questions are another's baseline), and every member is
    recorded in `baseline_sample_questions`. A member a tag chain fetches keeps that chain's row
    (`collected_by` is the first way it arrived). Accepted answers follow via `/answers/{ids}`.
    Progress is kept in resource state per sample run, so a run stopped by the quota resumes with
    the same ids.
    """
    run: ApiRun = client.run
    sample_run_id = _sample_run_id(client.site, frame, seed, sample_size)
    samples = dlt.current.resource_state().setdefault("samples", {})
    entry = samples.get(sample_run_id)
    if entry is not None and entry["done"]:
        return
    buffers = Buffers(run)
    try:
        if entry is None:
            entry = samples[sample_run_id] = _new_entry(client, frame, sample_size, seed)
        if entry["id_min"] is None or entry["id_max"] is None:
            entry["done"] = True
        else:
            sample = _Sample(client, sample_run_id, frame, is_synthetic, buffers)
            yield from sample.draw(entry, seed)
    except ApiStop as exc:
        run.halt(exc)
    yield from buffers.drain()
    if entry is not None:
        run.items["baseline_sample_runs"] += 1
        yield marked("baseline_sample_runs", [_run_row(client.site, sample_run_id, seed, entry)])


def _sample_run_id(site: str, frame: SampleFrame, seed: int, sample_size: int | None) -> str:
    """The id of one sample run: the same site, windows, seed and size resume the same run."""
    size_label = "auto" if sample_size is None else str(sample_size)
    run_key = f"{site}|{sorted(frame.windows)}|{seed}|{size_label}"
    return hashlib.sha1(run_key.encode()).hexdigest()[:16]


def _new_entry(
    client: Any, frame: SampleFrame, sample_size: int | None, seed: int
) -> dict[str, Any]:
    """A new sample run's resource state: its target size and the id range it draws from.

    Without `sample_size` the target is Cochran's size for the windows' exact total
    (`sampling.baseline_sample_size`); the id range runs from the span's first question to its
    last.
    """
    lo, hi = frame.span
    target = sample_size
    if target is None:
        target = baseline_sample_size(sum(_total(client, a, b) for a, b in frame.windows))
    id_min = _window_end_question_id(client, lo, hi, "asc")
    id_max = _window_end_question_id(client, lo, hi, "desc")
    client.run.progress(
        f"baseline_sample: target {target} questions, seed {seed}, ids {id_min}..{id_max}"
    )
    return {
        "target_size": target,
        "id_min": id_min,
        "id_max": id_max,
        "batches_done": 0,
        "ids_requested": 0,
        "found": 0,
        "accepted_pending": [],
        "done": False,
    }


def _run_row(site: str, sample_run_id: str, seed: int, entry: dict[str, Any]) -> dict[str, Any]:
    """The sample run's `baseline_sample_runs` row: what it drew so far and when."""
    return {
        "site": site,
        "sample_run_id": sample_run_id,
        "seed": seed,
        "target_size": entry["target_size"],
        "id_min": entry["id_min"],
        "id_max": entry["id_max"],
        "ids_requested": entry["ids_requested"],
        "questions_found": entry["found"],
        "sampled_at": datetime.now(UTC),
    }


@dataclass(frozen=True)
class _Sample:
    """One sample run's draw: where rows go and which questions are members."""

    client: Any
    sample_run_id: str
    frame: SampleFrame
    is_synthetic: bool
    buffers: Buffers

    def draw(self, entry: dict[str, Any], seed: int) -> Iterator[Any]:
        """Request the seeded id batches not yet done until the target is met, then answers."""
        client, run = self.client, self.client.run
        pending: list[int] = entry["accepted_pending"]
        for n, ids in enumerate(random_id_batches(seed, entry["id_min"], entry["id_max"])):
            if entry["found"] >= entry["target_size"]:
                break
            if n < entry["batches_done"]:
                continue
            body = client.get(
                f"/questions/{encode_path_list(ids)}", {"pagesize": settings.PAGE_SIZE}
            )
            yield from self._members(entry, body, ids)
            entry["batches_done"] = n + 1
            entry["ids_requested"] += len(ids)
            if (n + 1) % 20 == 0:
                run.progress(
                    f"baseline_sample: {entry['found']}/{entry['target_size']} questions from "
                    f"{entry['ids_requested']} ids, quota left {run.quota_remaining}"
                )
            while len(pending) >= settings.IDS_PER_REQUEST:
                yield from _accepted_answers(client, pending, self.is_synthetic, self.buffers)
        while pending:
            yield from _accepted_answers(client, pending, self.is_synthetic, self.buffers)
        entry["done"] = True
        run.progress(
            f"baseline_sample: done, {entry['found']} questions from {entry['ids_requested']} "
            f"ids, quota left {run.quota_remaining}"
        )

    def _members(self, entry: dict[str, Any], body: ApiBody, ids: list[int]) -> Iterator[Any]:
        """Buffer the in-window questions of one id batch, in drawn order, as sample members."""
        client = self.client
        order = {qid: i for i, qid in enumerate(ids)}
        parsed = [
            question_rows(
                item,
                settings.COLLECTED_BY_RANDOM_SAMPLE,
                self.is_synthetic,
                client.run,
                site=client.site,
                observed_at=body.observed_at,
            )
            for item in body.get("items") or []
        ]
        hits = sorted((p for p in parsed if p), key=lambda p: order.get(p[0]["question_id"], 0))
        for row, tag_rows in hits:
            created = row["creation_date"]
            if entry["found"] >= entry["target_size"] or not self.frame.in_window(created):
                continue
            entry["found"] += 1
            member = {
                "site": client.site,
                "sample_run_id": self.sample_run_id,
                "question_id": row["question_id"],
            }
            yield from self.buffers.add("baseline_sample_questions", [member])
            if self.frame.fetched_by_tag(created, [t["tag"] for t in tag_rows]):
                continue
            yield from self.buffers.add("questions", [row])
            yield from self.buffers.add("question_tags", tag_rows)
            if row["accepted_answer_id"] is not None:
                entry["accepted_pending"].append(row["accepted_answer_id"])


def _accepted_answers(
    client: Any, pending: list[int], is_synthetic: bool, buffers: Buffers
) -> Iterator[Any]:
    batch = pending[: settings.IDS_PER_REQUEST]
    body = client.get(f"/answers/{encode_path_list(batch)}", {"pagesize": settings.PAGE_SIZE})
    rows = [
        r
        for r in (
            answer_row(i, is_synthetic, client.run, client.site) for i in body.get("items") or []
        )
        if r
    ]
    yield from buffers.add("answers", rows)
    del pending[: len(batch)]
