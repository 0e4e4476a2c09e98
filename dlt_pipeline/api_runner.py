"""Run one `ptmwh load`: resolve settings, load the `stackexchange` source, record the run."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from .results import LoadError, LoadResult
from .stackexchange import load_run_row, load_runs, settings, stackexchange
from .stackexchange.client import (
    ApiFailure,
    ApiRun,
    Clock,
    QuotaExhausted,
    SystemClock,
    redact_url,
)
from .warehouse import warehouse_pipeline

DATASET = "raw_stackexchange"
PIPELINE_NAME = "ptmwh_stackexchange"
RAW_TABLES = (
    "questions",
    "question_tags",
    "answers",
    "tags",
    "related_tags",
    "baseline_totals",
    "baseline_sample_runs",
    "load_runs",
)
BASELINES = ("none", "totals", "sample", "both")


def _config(name: str, value: Any, expected: type) -> Any:
    if value is not None:
        return value
    return dlt.config.get(f"sources.stackexchange.{name}", expected)


def _as_date(name: str, value: date | str | None) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LoadError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None


def _clean_tags(tags: Any) -> list[str]:
    if isinstance(tags, str):
        tags = json.loads(tags) if tags.strip().startswith("[") else tags.split(",")
    cleaned = list(dict.fromkeys(t.strip() for t in tags or [] if isinstance(t, str) and t.strip()))
    if not cleaned:
        raise LoadError("the tag list is empty; pass --tags or set tags in .dlt/config.toml")
    return cleaned


def _pipeline(db_path: Path) -> dlt.Pipeline:
    """The pipeline of this DuckDB file; its state lives beside the file, shared with no other."""
    return warehouse_pipeline(db_path, PIPELINE_NAME, DATASET)


def _finish_interrupted(pipeline: dlt.Pipeline, progress: Callable[[str], None]) -> None:
    """Load what a killed run had extracted (its data and state travel together), or drop it."""
    if not pipeline.has_pending_data:
        return
    progress("finishing the data an interrupted load had already fetched")
    try:
        pipeline.normalize()
        pipeline.load()
    except PipelineStepFailed:
        pipeline.drop_pending_packages()


def _row_counts(pipeline: dlt.Pipeline) -> dict[str, int]:
    counts = {}
    with pipeline.sql_client() as client:
        for table in RAW_TABLES:
            if client.has_dataset():
                try:
                    rows = client.execute_sql(
                        f"select count(*) from {client.make_qualified_table_name(table)}"
                    )
                except Exception:  # noqa: BLE001 (a table this load never created)
                    continue
                counts[table] = int(rows[0][0])
    return counts


def _failure_line(exc: Exception, key: str | None) -> str:
    text = " ".join(str(exc).split())
    if key:
        text = text.replace(key, "***")
    return text[:300]


def run_api_load(
    db_path: Path,
    *,
    tags: list[str] | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    site: str | None = None,
    base_url: str | None = None,
    refresh: bool = False,
    baseline: str = "both",
    is_synthetic: bool | None = None,
    progress: Callable[[str], None] = print,
    clock: Clock | None = None,
) -> LoadResult:
    """Load a topic's questions, answers and tags (and the baseline) from the API into `db_path`.

    Arguments left None come from dlt config (`.dlt/config.toml` `[sources.stackexchange]`, env
    `SOURCES__STACKEXCHANGE__*`); the key only from secrets/env. A spent quota is not an error: the
    result has status `quota_exhausted`, all data fetched so far is loaded, and re-running resumes.

    Args:
        db_path: the DuckDB warehouse file (dataset `raw_stackexchange`).
        tags: topic tags; OR across tags.
        from_date: first day, inclusive (UTC).
        to_date: last day, inclusive (UTC).
        site: API site, e.g. `stackoverflow`.
        base_url: API root, e.g. `https://api.stackexchange.com/2.3` or a loopback fake.
        refresh: also re-read known questions whose activity changed (sort=activity).
        baseline: `none`, `totals`, `sample` or `both`.
        is_synthetic: mark rows as synthetic (the bundled sample).
        progress: receives progress lines (pages, items, quota left per tag).
        clock: time source for backoff waits (tests inject a fake; default real time).

    Returns:
        Status, requests, items per table of this run, row counts per raw table, quota left.

    Raises:
        LoadError: bad input, or an API failure retries could not fix (data so far is kept).
    """
    tags = _clean_tags(_config("tags", tags, list))
    start = _as_date("from_date", _config("from_date", from_date, str))
    end = _as_date("to_date", _config("to_date", to_date, str))
    if start > end:
        raise LoadError(f"from date {start} is after to date {end}; swap them")
    if baseline not in BASELINES:
        raise LoadError(f"baseline {baseline!r} is not one of {', '.join(BASELINES)}")
    site = _config("site", site, str)
    base_url = _config("base_url", base_url, str)
    synthetic = bool(_config("is_synthetic", is_synthetic, bool) or False)
    key = dlt.secrets.get("sources.stackexchange.key", str) or None
    sample_size = dlt.config.get("sources.stackexchange.sample_size", int)
    sample_seed = dlt.config.get("sources.stackexchange.sample_seed", int)
    sample_seed = settings.DEFAULT_SAMPLE_SEED if sample_seed is None else sample_seed
    if not key:
        progress(
            f"no API key: the anonymous quota is {settings.ANONYMOUS_QUOTA_PER_DAY} requests/day "
            f"and pages above {settings.ANONYMOUS_MAX_PAGE} need a key, so long histories are "
            "split into "
            "date windows; set SOURCES__STACKEXCHANGE__KEY for 10,000 requests/day"
        )

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    pipeline = _pipeline(db_path)
    _finish_interrupted(pipeline, progress)
    run = ApiRun(clock=clock or SystemClock(), progress=progress)
    started_at = datetime.now(UTC)
    source = stackexchange(
        tags=tags,
        from_date=start.isoformat(),
        to_date=end.isoformat(),
        site=site,
        base_url=base_url,
        key=key,
        refresh=refresh,
        baseline=baseline,
        sample_size=sample_size,
        sample_seed=sample_seed,
        is_synthetic=synthetic,
        run=run,
    )
    crash: str | None = None
    try:
        pipeline.run(source)
    except PipelineStepFailed as exc:
        crash = f"load step {exc.step} failed: {_failure_line(exc.exception, key)}"

    if crash is not None:
        status, message = "failed", crash
    elif isinstance(run.stop, QuotaExhausted):
        status, message = "quota_exhausted", str(run.stop)
    elif isinstance(run.stop, ApiFailure):
        status, message = "failed", str(run.stop)
    else:
        status, message = "completed", ""
    row = load_run_row(
        run_id=uuid.uuid4().hex,
        command="load --refresh" if refresh else "load",
        started_at=started_at,
        finished_at=datetime.now(UTC),
        status=status,
        site=site,
        base_url=redact_url(base_url),
        tags=";".join(tags),
        from_date=start,
        to_date=end,
        requests_made=run.requests_made,
        items_loaded=dict(run.items),
        items_skipped=sum(run.skipped.values()),
        skipped_reasons=dict(run.skipped),
        quota_remaining=run.quota_remaining,
        quota_max=run.quota_max,
        message=message,
    )
    pipeline.run(load_runs(row))
    if status == "failed":
        raise LoadError(message)
    skipped = sum(run.skipped.values())
    if skipped:
        progress(f"skipped {skipped} items: {json.dumps(dict(run.skipped), sort_keys=True)}")
    return LoadResult(
        status=status,
        requests_made=run.requests_made,
        items_loaded=dict(run.items),
        row_counts=_row_counts(pipeline),
        quota_remaining=run.quota_remaining,
        message=message,
    )
