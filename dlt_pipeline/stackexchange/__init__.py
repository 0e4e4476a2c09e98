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

from datetime import date
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from ..raw_contract import FROZEN_CONTRACT
from . import settings
from .baseline import baseline_sample, baseline_totals
from .client import ApiRun, StackExchangeClient
from .questions import questions
from .tags import related_tags, tags_info
from .windows import window_epochs


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
