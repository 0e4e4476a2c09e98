"""The baseline resources: the site's exact yearly totals and a uniform random sample."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import dlt

from ..raw_contract import MERGE, marked
from . import settings
from .buffers import Buffers
from .client import ApiRun, ApiStop, encode_path_list
from .rows import answer_row, as_int, question_rows
from .sampling import cochran_sample_size, random_id_batches
from .windows import year_windows


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
    buffers = Buffers(run)
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
    buffers: Buffers,
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
    client: Any, pending: list[int], is_synthetic: bool, buffers: Buffers
) -> Iterator[Any]:
    batch = pending[: settings.IDS_PER_REQUEST]
    body = client.get(f"/answers/{encode_path_list(batch)}", {"pagesize": settings.PAGE_SIZE})
    rows = [
        r for r in (answer_row(i, is_synthetic, client.run) for i in body.get("items") or []) if r
    ]
    yield from buffers.add("answers", rows)
    del pending[: len(batch)]
