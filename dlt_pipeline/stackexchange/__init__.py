"""The `stackexchange` dlt source: a topic's questions, answers and tags, and the site's baseline.

Resources (each page becomes pyarrow tables, dispatched to the raw tables of docs/contracts.md):
- `questions`: per configured tag one `/questions?tagged=TAG` chain (sort=creation, incremental on
  `creation_date`; `refresh` uses sort=activity from the last seen activity), deduplicated by
  `question_id`, with the answers of answered questions via `/questions/{ids}/answers`.
- `tags`, `related_tags`: `/tags/{tags}/info` and `/tags/{tag}/related`.
- `baseline_totals`: exact counts per year via `/search/advanced?filter=total`.
- `baseline_sample`: a seeded uniform random sample of non-topic questions by random post ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ..raw_contract import FROZEN_CONTRACT, MERGE, RAW_TABLES, marked
from . import settings
from .client import ApiRun, ApiStop, Item, StackExchangeClient, encode_path_list
from .rows import answer_row, as_int, question_rows, tag_row
from .sampling import cochran_sample_size, random_id_batches
from .windows import window_epochs, year_windows


class _Buffers:
    """Rows per raw table, handed to dlt in batches of `ROWS_PER_ARROW_BATCH` (fewer files)."""

    def __init__(self, run: ApiRun) -> None:
        self.run = run
        self.rows: dict[str, list[Item]] = {}

    def add(self, table: str, rows: list[Item]) -> Iterator[Any]:
        """Buffer `rows`; yield a marked table when the buffer is full."""
        buffered = self.rows.setdefault(table, [])
        buffered.extend(rows)
        self.run.items[table] += len(rows)
        if len(buffered) >= settings.ROWS_PER_ARROW_BATCH:
            yield marked(table, buffered)
            self.rows[table] = []

    def drain(self) -> Iterator[Any]:
        """Yield everything still buffered."""
        for table, rows in self.rows.items():
            if rows:
                yield marked(table, rows)
        self.rows = {}


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

    def fetch(self, buffers: _Buffers, force: bool = False) -> Iterator[Any]:
        """Fetch full batches (all batches when `force`), yielding answer tables as they fill."""
        run = self.client.run
        for batch in self._batches(force):
            rows = []
            path = f"/questions/{encode_path_list(batch)}/answers"
            params = {"pagesize": settings.PAGE_SIZE, "sort": "creation", "order": "asc"}
            for body in self.client.pages(path, params):
                for item in body.get("items") or []:
                    row = answer_row(item, self.is_synthetic, run)
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


@dlt.resource(name="questions", write_disposition=MERGE, **RAW_TABLES["questions"].keys)
def questions(
    client: Any, tags: list[str], window: tuple[int, int], refresh: bool, is_synthetic: bool
) -> Iterator[Any]:
    """Questions of each tag in the window, one row per question, with tags and answers.

    Incremental per tag: resource state keeps, per tag, the window start and the highest
    `creation_date` seen (`fromdate` is inclusive, so the boundary second is re-read and merged,
    never skipped), and the highest `last_activity_date` for `refresh`.
    """
    run: ApiRun = client.run
    state = dlt.current.resource_state()
    creation = state.setdefault("creation_cursor", {})
    activity = state.setdefault("activity_cursor", {})
    answers = _AnswerFetcher(client, state.setdefault("answers_pending", {}), is_synthetic)
    buffers = _Buffers(run)
    seen: set[int] = set()
    lo, hi = window
    try:
        yield from answers.fetch(buffers, force=True)
        for tag in tags:
            if run.stopped:
                break
            by_activity = refresh and tag in activity
            if by_activity:
                start, sort, bound = int(activity[tag]), "activity", "min"
            else:
                known = creation.get(tag)
                resume = known is not None and known["from"] <= lo
                start = max(lo, int(known["cursor"])) if resume else lo
                creation[tag] = {"from": known["from"] if resume else lo, "cursor": start}
                sort, bound = "creation", "fromdate"
            if start > hi and not by_activity:
                continue
            params = {
                "tagged": tag,
                "fromdate": lo,
                "todate": hi,
                "sort": sort,
                "order": "asc",
                "pagesize": settings.PAGE_SIZE,
                "filter": settings.QUESTION_FILTER,
            }
            chain_seen: set[int] = set()
            while True:
                params[bound] = start
                pages, has_more, last = 0, False, start
                for body in client.pages("/questions", params, max_pages=client.max_pages):
                    pages += 1
                    has_more = bool(body.get("has_more"))
                    n_new = 0
                    for item in body.get("items") or []:
                        parsed = question_rows(
                            item, settings.COLLECTED_BY_TAG_QUERY, is_synthetic, run
                        )
                        if parsed is None:
                            continue
                        row, tag_rows = parsed
                        last = max(
                            last, row["last_activity_date" if by_activity else "creation_date"] or 0
                        )
                        activity[tag] = max(activity.get(tag, 0), row["last_activity_date"] or 0)
                        if row["question_id"] in chain_seen:
                            run.skipped["duplicate item across pages"] += 1
                        chain_seen.add(row["question_id"])
                        if row["question_id"] in seen:  # another tag's chain had it: one row
                            continue
                        seen.add(row["question_id"])
                        n_new += 1
                        yield from buffers.add("questions", [row])
                        yield from buffers.add("question_tags", tag_rows)
                        if (row["answer_count"] or 0) > 0:
                            answers.pending[str(row["question_id"])] = row["answer_count"]
                    if not by_activity:
                        creation[tag]["cursor"] = last
                    run.progress(
                        f"questions[{tag}]: page {pages}, {n_new} new items, "
                        f"quota left {run.quota_remaining}"
                    )
                    yield from answers.fetch(buffers)
                if not (has_more and client.max_pages and pages >= client.max_pages):
                    break
                start = last  # anonymous page cap: continue in a new window from the last value
        yield from answers.fetch(buffers, force=True)
    except ApiStop as exc:
        run.halt(exc)
    yield from buffers.drain()


@dlt.resource(name="tags", write_disposition=MERGE, **RAW_TABLES["tags"].keys)
def tags_info(client: Any, tags: list[str], is_synthetic: bool) -> Iterator[Any]:
    """`/tags/{tags}/info` for the configured tags, up to 100 tags a request."""
    run: ApiRun = client.run
    try:
        for i in range(0, len(tags), settings.TAGS_PER_INFO_REQUEST):
            if run.stopped:
                return
            chunk = tags[i : i + settings.TAGS_PER_INFO_REQUEST]
            body = client.get(
                f"/tags/{encode_path_list(chunk)}/info", {"pagesize": settings.PAGE_SIZE}
            )
            rows = [
                r for r in (tag_row(t, is_synthetic, run) for t in body.get("items") or []) if r
            ]
            run.items["tags"] += len(rows)
            run.progress(
                f"tags: {len(rows)} of {len(chunk)} found, quota left {run.quota_remaining}"
            )
            if rows:
                yield marked("tags", rows)
    except ApiStop as exc:
        run.halt(exc)


@dlt.resource(name="related_tags", write_disposition=MERGE, **RAW_TABLES["related_tags"].keys)
def related_tags(client: Any, tags: list[str]) -> Iterator[Any]:
    """`/tags/{tag}/related` for each configured tag (one request each), ranked 1 = most related."""
    run: ApiRun = client.run
    try:
        for tag in tags:
            if run.stopped:
                return
            body = client.get(
                f"/tags/{encode_path_list([tag])}/related", {"pagesize": settings.PAGE_SIZE}
            )
            rows = []
            for rank, item in enumerate(body.get("items") or [], start=1):
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    rows.append(
                        {
                            "tag": tag,
                            "related_tag": item["name"],
                            "count": as_int(item.get("count")),
                            "related_rank": rank,
                        }
                    )
                else:
                    run.skipped["related tag without name"] += 1
            run.items["related_tags"] += len(rows)
            run.progress(
                f"related_tags[{tag}]: {len(rows)} items, quota left {run.quota_remaining}"
            )
            if rows:
                yield marked("related_tags", rows)
    except ApiStop as exc:
        run.halt(exc)


def _total(client: Any, lo: int, hi: int, **params: Any) -> int:
    body = client.get(
        "/search/advanced",
        {"fromdate": lo, "todate": hi, "filter": settings.TOTAL_FILTER, **params},
    )
    return int(body.get("total") or 0)


@dlt.resource(name="baseline_totals", write_disposition=MERGE)
def baseline_totals(
    client: Any, tags: list[str], window: tuple[int, int], refresh: bool, is_synthetic: bool
) -> Iterator[Any]:
    """Exact yearly counts: all questions and topic questions (`tagged` = any of the tags), each
    with and without an accepted answer: four `filter=total` requests a year, skipped on re-runs
    of the same window and tags unless `refresh`."""
    run: ApiRun = client.run
    state = dlt.current.resource_state()
    lo, hi = window
    topic = ";".join(tags)
    done_key = hashlib.sha1(f"{client.site}|{lo}|{hi}|{topic}".encode()).hexdigest()
    if state.get("done") == done_key and not refresh:
        return
    rows = []
    try:
        for year, y_lo, y_hi in year_windows(lo, hi):
            for population, tagged in (
                ("all_questions", {}),
                ("topic_questions", {"tagged": topic}),
            ):
                for accepted_filter, accepted in (
                    ("any", {}),
                    ("no_accepted_answer", {"accepted": "false"}),
                ):
                    if run.stopped:
                        raise run.stop  # type: ignore[misc]
                    total = _total(client, y_lo, y_hi, **tagged, **accepted)
                    rows.append(
                        {
                            "site": client.site,
                            "year": year,
                            "population": population,
                            "accepted_filter": accepted_filter,
                            "total": total,
                            "from_date": y_lo,
                            "to_date": y_hi,
                            "topic_tags": topic,
                            "is_synthetic": is_synthetic,
                        }
                    )
            run.progress(f"baseline_totals[{year}]: 4 counts, quota left {run.quota_remaining}")
        state["done"] = done_key
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


@dlt.resource(name="baseline_sample", write_disposition=MERGE)
def baseline_sample(
    client: Any,
    tags: list[str],
    window: tuple[int, int],
    sample_size: int | None,
    seed: int,
    is_synthetic: bool,
) -> Iterator[Any]:
    """A uniform random sample of the window's non-topic questions, by random post ids.

    Ids are drawn uniformly from the id range of the window's first and last question and requested
    100 at a time with `/questions/{ids}`; ids of answers or deleted posts come back missing, which
    keeps the sample uniform over existing questions. Questions outside the window or carrying a
    topic tag are dropped. Accepted answers follow via `/answers/{ids}`. Progress is kept in
    resource state per sample run, so a run stopped by the quota resumes with the same ids.
    """
    run: ApiRun = client.run
    lo, hi = window
    topic = set(tags)
    size_label = "auto" if sample_size is None else str(sample_size)
    run_key = f"{client.site}|{lo}|{hi}|{seed}|{size_label}|{';'.join(sorted(topic))}"
    sample_run_id = hashlib.sha1(run_key.encode()).hexdigest()[:16]
    samples = dlt.current.resource_state().setdefault("samples", {})
    entry = samples.get(sample_run_id)
    if entry is not None and entry["done"]:
        return
    buffers = _Buffers(run)
    try:
        if entry is None:
            target = sample_size
            if target is None:
                population = _total(client, lo, hi) - _total(client, lo, hi, tagged=";".join(tags))
                target = cochran_sample_size(population)
            id_min = _window_end_question_id(client, lo, hi, "asc")
            id_max = _window_end_question_id(client, lo, hi, "desc")
            entry = samples[sample_run_id] = {
                "target_size": target,
                "id_min": id_min,
                "id_max": id_max,
                "batches_done": 0,
                "ids_requested": 0,
                "found": 0,
                "dropped": 0,
                "accepted_pending": [],
                "done": False,
            }
            run.progress(
                f"baseline_sample: target {target} questions, seed {seed}, ids {id_min}..{id_max}"
            )
        if entry["id_min"] is None or entry["id_max"] is None:
            entry["done"] = True
        else:
            yield from _sample_batches(client, entry, seed, lo, hi, topic, is_synthetic, buffers)
    except ApiStop as exc:
        run.halt(exc)
    yield from buffers.drain()
    if entry is not None:
        row = {
            "sample_run_id": sample_run_id,
            "seed": seed,
            "target_size": entry["target_size"],
            "id_min": entry["id_min"],
            "id_max": entry["id_max"],
            "ids_requested": entry["ids_requested"],
            "questions_found": entry["found"],
            "topic_questions_dropped": entry["dropped"],
            "sampled_at": datetime.now(UTC),
        }
        run.items["baseline_sample_runs"] += 1
        yield marked("baseline_sample_runs", [row])


def _sample_batches(
    client: Any,
    entry: dict[str, Any],
    seed: int,
    lo: int,
    hi: int,
    topic: set[str],
    is_synthetic: bool,
    buffers: _Buffers,
) -> Iterator[Any]:
    run: ApiRun = client.run
    pending: list[int] = entry["accepted_pending"]
    for n, ids in enumerate(random_id_batches(seed, entry["id_min"], entry["id_max"])):
        if entry["found"] >= entry["target_size"]:
            break
        if n < entry["batches_done"]:
            continue
        body = client.get(f"/questions/{encode_path_list(ids)}", {"pagesize": settings.PAGE_SIZE})
        order = {qid: i for i, qid in enumerate(ids)}
        parsed = [
            question_rows(i, settings.COLLECTED_BY_RANDOM_SAMPLE, is_synthetic, run)
            for i in body.get("items") or []
        ]
        hits = sorted((p for p in parsed if p), key=lambda p: order.get(p[0]["question_id"], 0))
        for row, tag_rows in hits:
            if entry["found"] >= entry["target_size"] or not lo <= row["creation_date"] <= hi:
                continue
            if topic.intersection(t["tag"] for t in tag_rows):
                entry["dropped"] += 1
                continue
            entry["found"] += 1
            yield from buffers.add("questions", [row])
            yield from buffers.add("question_tags", tag_rows)
            if row["accepted_answer_id"] is not None:
                pending.append(row["accepted_answer_id"])
        entry["batches_done"] = n + 1
        entry["ids_requested"] += len(ids)
        if (n + 1) % 20 == 0:
            run.progress(
                f"baseline_sample: {entry['found']}/{entry['target_size']} questions from "
                f"{entry['ids_requested']} ids, quota left {run.quota_remaining}"
            )
        while len(pending) >= settings.IDS_PER_REQUEST:
            yield from _accepted_answers(client, pending, is_synthetic, buffers)
    while pending:
        yield from _accepted_answers(client, pending, is_synthetic, buffers)
    entry["done"] = True
    run.progress(
        f"baseline_sample: done, {entry['found']} questions from {entry['ids_requested']} ids, "
        f"{entry['dropped']} topic questions dropped, quota left {run.quota_remaining}"
    )


def _accepted_answers(
    client: Any, pending: list[int], is_synthetic: bool, buffers: _Buffers
) -> Iterator[Any]:
    batch = pending[: settings.IDS_PER_REQUEST]
    body = client.get(f"/answers/{encode_path_list(batch)}", {"pagesize": settings.PAGE_SIZE})
    rows = [
        r for r in (answer_row(i, is_synthetic, client.run) for i in body.get("items") or []) if r
    ]
    yield from buffers.add("answers", rows)
    del pending[: len(batch)]


@dlt.source(name="stackexchange", max_table_nesting=0, schema_contract=FROZEN_CONTRACT)
def stackexchange(
    tags: list[str] = dlt.config.value,
    from_date: str = dlt.config.value,
    to_date: str = dlt.config.value,
    site: str = dlt.config.value,
    base_url: str = dlt.config.value,
    key: str | None = dlt.secrets.value,
    refresh: bool = False,
    baseline: str = "both",
    sample_size: int | None = None,
    sample_seed: int = settings.DEFAULT_SAMPLE_SEED,
    is_synthetic: bool = False,
    run: Any = None,
) -> list[DltResource]:
    """Stack Exchange API data of a topic (tags) and of the site's baseline, for one date window.

    Args:
        tags: the topic's tags; OR across tags is one request chain per tag.
        from_date: first day (ISO, UTC, inclusive).
        to_date: last day (ISO, UTC, inclusive).
        site: API `site` parameter, e.g. `stackoverflow`.
        base_url: API root including the version, e.g. `https://api.stackexchange.com/2.3`.
        key: Stack Apps key (10,000 requests/day instead of 300); never logged or stored.
        refresh: re-read known questions active since the last load (sort=activity).
        baseline: `none`, `totals`, `sample` or `both`.
        sample_size: baseline sample size; None = Cochran's ±1 pp at 95% with finite-population
            correction.
        sample_seed: seed of the random post ids (recorded in `baseline_sample_runs`).
        is_synthetic: mark rows as generated data.
        run: an `ApiRun` collecting counters (a fresh one when None).
    """
    api_run = run if run is not None else ApiRun()
    client = StackExchangeClient(base_url, site, key, api_run)
    window = window_epochs(date.fromisoformat(str(from_date)), date.fromisoformat(str(to_date)))
    tags = list(tags)
    resources = [
        questions(client, tags, window, refresh, is_synthetic),
        tags_info(client, tags, is_synthetic),
        related_tags(client, tags),
    ]
    if baseline in ("totals", "both"):
        resources.append(baseline_totals(client, tags, window, refresh, is_synthetic))
    if baseline in ("sample", "both"):
        resources.append(
            baseline_sample(client, tags, window, sample_size, sample_seed, is_synthetic)
        )
    return resources
