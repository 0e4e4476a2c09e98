"""The `stackexchange` dlt source: one site's topics' questions, answers and tags, and its baseline.

Resources (each page becomes pyarrow tables, dispatched to the raw tables of docs/contracts.md):
- `questions`: per tag one `/questions?tagged=TAG` chain over its window (sort=creation,
  incremental on `creation_date`; `refresh` uses sort=activity from the last seen activity),
  deduplicated by `question_id`, with the answers of answered questions via
  `/questions/{ids}/answers`.
- `tags`: `/tags/{tags}/info` of the tags, `/tags/{tag}/related` of each, then `/tags/{tags}/info`
  of the related tags (their site-wide counts), into `tags` and `related_tags`.
- `baseline_totals`: exact counts per topic window and year via `/search/advanced?filter=total`.
- `baseline_sample`: a seeded uniform random sample of the site's questions by random post ids,
  its members in `baseline_sample_questions`.
"""

from __future__ import annotations

from typing import Any

import dlt
from dlt.extract.resource import DltResource

from study.defaults import STUDY_SEED

from ..raw_contract import FROZEN_CONTRACT
from .baseline import SampleFrame, baseline_sample, baseline_totals
from .client import ApiRun, StackExchangeClient
from .questions import questions
from .tags import site_tags
from .windows import window_epochs


@dlt.source(name="stackexchange", max_table_nesting=0, schema_contract=FROZEN_CONTRACT)
def stackexchange(
    topics: Any,
    site: str,
    base_url: str = dlt.config.value,
    key: str | None = dlt.secrets.value,
    refresh: bool = False,
    baseline: str = "both",
    sample_size: int | None = None,
    sample_seed: int = STUDY_SEED,
    is_synthetic: bool = False,
    run: Any = None,
) -> list[DltResource]:
    """Stack Exchange API data of one site: its topics' tags over their windows, and the baseline.

    Args:
        topics: `TagSet`s (tags and window) of the topics on this site; each tag is one request
            chain over the union of the windows of the topics that carry it.
        site: the site's domain, the API's `site` parameter (`stackoverflow.com`).
        base_url: API root including the version, e.g. `https://api.stackexchange.com/2.3`.
        key: Stack Apps key (10,000 requests/day instead of 300); never logged or stored.
        refresh: re-read known questions active since the last load (sort=activity).
        baseline: `none`, `totals` (exact counts per topic window) , `sample` (one random sample
            over the topics' windows) or `both`.
        sample_size: baseline sample size; None = Cochran's ±1 pp at 95% with finite-population
            correction.
        sample_seed: seed of the random post ids (recorded in `baseline_sample_runs`).
        is_synthetic: mark rows as generated data.
        run: an `ApiRun` collecting counters (a fresh one when None).
    """
    api_run = run if run is not None else ApiRun()
    client = StackExchangeClient(base_url, site, key, api_run)
    windows = [(tuple(t.tags), window_epochs(t.window)) for t in topics]
    tag_windows = _tag_windows(windows)
    tags = list(tag_windows)
    resources = [
        questions(client, tag_windows, refresh, is_synthetic),
        site_tags(client, tags, is_synthetic),
    ]
    if baseline in ("totals", "both"):
        resources.append(baseline_totals(client, windows, refresh, is_synthetic))
    if baseline in ("sample", "both"):
        frame = SampleFrame(tuple(dict.fromkeys(w for _, w in windows)), tag_windows)
        resources.append(baseline_sample(client, frame, sample_size, sample_seed, is_synthetic))
    return resources


def _tag_windows(
    windows: list[tuple[tuple[str, ...], tuple[int, int]]],
) -> dict[str, tuple[int, int]]:
    """Each tag's chain window: from the earliest to the latest window of the topics carrying it."""
    out: dict[str, tuple[int, int]] = {}
    for tags, (lo, hi) in windows:
        for tag in tags:
            known = out.get(tag)
            out[tag] = (lo, hi) if known is None else (min(known[0], lo), max(known[1], hi))
    return out
