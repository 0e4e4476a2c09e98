"""Run one API load of one site: resolve settings, load the `stackexchange` source, record it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from study.defaults import STUDY_SEED
from study.names import clean_tags, site_domain

from .options import BASELINES, TagSet
from .raw_contract import DATASET, RAW_TABLES
from .results import LoadError, LoadResult
from .runs import record_run, row_counts, run_load, source_config, warehouse_pipeline
from .stackexchange import settings, stackexchange
from .stackexchange.client import (
    ApiFailure,
    ApiRun,
    Clock,
    QuotaExhausted,
    SystemClock,
    redact_url,
)

PIPELINE_NAME = "ptmwh_stackexchange"
_WITHOUT_KEY = (
    f"no API key: the anonymous quota is {settings.ANONYMOUS_QUOTA_PER_DAY} requests/day "
    f"and pages above {settings.ANONYMOUS_MAX_PAGE} need a key, so long histories are "
    "split into "
    "date windows; set SOURCES__STACKEXCHANGE__KEY for 10,000 requests/day"
)


@dataclass(frozen=True)
class _Settings:
    """One load's resolved settings: arguments first, then dlt config; the key only from secrets."""

    topics: list[TagSet]
    site: str
    base_url: str
    is_synthetic: bool
    key: str | None
    sample_size: int | None
    sample_seed: int

    @property
    def tags(self) -> list[str]:
        """Every tag of the load, each once, in the topics' order."""
        return list(dict.fromkeys(tag for topic in self.topics for tag in topic.tags))

    @property
    def start(self) -> date:
        """The first day of any topic window."""
        return min(topic.window.first_day for topic in self.topics)

    @property
    def end(self) -> date:
        """The last day of any topic window."""
        return max(topic.window.last_day for topic in self.topics)


def _clean_topics(topics: Sequence[TagSet]) -> list[TagSet]:
    """The topics with tags trimmed, lower-cased and each once; refuses an empty one."""
    if not topics:
        raise LoadError("nothing to load: pass at least one topic (ptmwh load --topic NAME)")
    cleaned = []
    for topic in topics:
        tags = clean_tags(topic.tags)
        if not tags:
            raise LoadError("a topic's tag list is empty; give it tags (ptmwh topic add --tags)")
        cleaned.append(TagSet(tags, topic.window))
    return cleaned


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


def _step_failure(key: str | None) -> Callable[[PipelineStepFailed], str]:
    """The message of a failed dlt step: its whole error on one line, the key masked."""

    def message(exc: PipelineStepFailed) -> str:
        text = " ".join(str(exc.exception).split())
        if key:
            text = text.replace(key, "***")
        return f"load step {exc.step} failed: {text[:300]}"

    return message


def run_api_load(
    db_path: Path,
    *,
    site: str,
    topics: Sequence[TagSet],
    base_url: str | None = None,
    refresh: bool = False,
    baseline: str = "both",
    is_synthetic: bool | None = None,
    progress: Callable[[str], None] = print,
    clock: Clock | None = None,
) -> LoadResult:
    """Load one site's topics' questions, answers and tags (and the baseline) from the API.

    The topics (tags and windows) and the site are arguments: the loader knows no topic names and
    no defaults. `base_url`, sampling options and `is_synthetic` left None come from dlt config
    (`.dlt/config.toml` `[sources.stackexchange]`, env `SOURCES__STACKEXCHANGE__*`); the key only
    from secrets/env. A spent quota is not an error: the
    result has status `quota_exhausted`, all data fetched so far is loaded, and re-running resumes.

    Args:
        db_path: the DuckDB warehouse file (dataset `raw_stackexchange`).
        site: the site's domain (`stackoverflow.com`; a short name such as `beer` is expanded).
        topics: each topic's tags (OR across tags) and window (inclusive days, UTC).
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
    config = _settings(topics, site, base_url, baseline, is_synthetic)
    if not config.key:
        progress(_WITHOUT_KEY)
    db_path = Path(db_path)
    pipeline = _pipeline(db_path, progress)
    run = ApiRun(clock=clock or SystemClock(), progress=progress)
    started_at = datetime.now(UTC)
    crash = _extract_and_load(pipeline, config, run, refresh=refresh, baseline=baseline)
    status, message = _outcome(crash, run)
    record_run(
        pipeline,
        _step_failure(config.key),
        command="load --refresh" if refresh else "load",
        started_at=started_at,
        status=status,
        message=message,
        **_run_columns(config, run),
    )
    if status == "failed":
        raise LoadError(message)
    _report_skipped(run, progress)
    return _result(db_path, run, status, message)


def _pipeline(db_path: Path, progress: Callable[[str], None]) -> dlt.Pipeline:
    """The API's dlt pipeline beside the warehouse file, with an interrupted run's data settled."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    pipeline = warehouse_pipeline(db_path, PIPELINE_NAME, DATASET)
    _finish_interrupted(pipeline, progress)
    return pipeline


def _result(db_path: Path, run: ApiRun, status: str, message: str) -> LoadResult:
    """What the run did (requests, items per table, quota left) and the raw tables' rows now."""
    return LoadResult(
        status=status,
        requests_made=run.requests_made,
        items_loaded=dict(run.items),
        row_counts=row_counts(db_path, DATASET, RAW_TABLES),
        quota_remaining=run.quota_remaining,
        message=message,
    )


def _report_skipped(run: ApiRun, progress: Callable[[str], None]) -> None:
    """Say how many items the run skipped as unusable, by reason (`rows.py`), if any."""
    skipped = sum(run.skipped.values())
    if skipped:
        progress(f"skipped {skipped} items: {json.dumps(dict(run.skipped), sort_keys=True)}")


def _settings(
    topics: Sequence[TagSet],
    site: str,
    base_url: str | None,
    baseline: str,
    is_synthetic: bool | None,
) -> _Settings:
    """Resolve and check the load's settings before anything is requested (bad input fails fast)."""
    clean_topics = _clean_topics(topics)
    if not site or not site.strip():
        raise LoadError("no site: pass the site's domain, e.g. stackoverflow.com")
    if baseline not in BASELINES:
        raise LoadError(f"baseline {baseline!r} is not one of {', '.join(BASELINES)}")
    sample_seed = source_config("sample_seed", expected=int)
    return _Settings(
        topics=clean_topics,
        site=site_domain(site),
        base_url=source_config("base_url", base_url, str),
        is_synthetic=bool(source_config("is_synthetic", is_synthetic, bool) or False),
        key=dlt.secrets.get("sources.stackexchange.key", str) or None,
        sample_size=source_config("sample_size", expected=int),
        sample_seed=STUDY_SEED if sample_seed is None else sample_seed,
    )


def _extract_and_load(
    pipeline: dlt.Pipeline, config: _Settings, run: ApiRun, *, refresh: bool, baseline: str
) -> str | None:
    """Load the source; return the failed step's message, if any (the run is recorded anyway).

    A quota stop or API failure is not an exception here: the resources stop, what they extracted
    is loaded, and `run.stop` says why.
    """
    source = stackexchange(
        topics=config.topics,
        site=config.site,
        base_url=config.base_url,
        key=config.key,
        refresh=refresh,
        baseline=baseline,
        sample_size=config.sample_size,
        sample_seed=config.sample_seed,
        is_synthetic=config.is_synthetic,
        run=run,
    )
    try:
        run_load(pipeline, source, _step_failure(config.key))
    except LoadError as exc:
        return str(exc)
    return None


def _run_columns(config: _Settings, run: ApiRun) -> dict[str, Any]:
    """The `load_runs` columns of what was asked and what it cost (never the key)."""
    return {
        "site": config.site,
        "base_url": redact_url(config.base_url),
        "tags": ";".join(config.tags),
        "from_date": config.start,
        "to_date": config.end,
        "dump_date": None,
        "requests_made": run.requests_made,
        "items_loaded": dict(run.items),
        "items_skipped": sum(run.skipped.values()),
        "skipped_reasons": dict(run.skipped),
        "quota_remaining": run.quota_remaining,
        "quota_max": run.quota_max,
    }


def _outcome(crash: str | None, run: ApiRun) -> tuple[str, str]:
    """`load_runs.status` and message: a failed step, a spent quota, an API failure, or done."""
    if crash is not None:
        return "failed", crash
    if isinstance(run.stop, QuotaExhausted):
        return "quota_exhausted", str(run.stop)
    if isinstance(run.stop, ApiFailure):
        return "failed", str(run.stop)
    return "completed", ""
