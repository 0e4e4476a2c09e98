"""The `tags` and `related_tags` resources: site-wide facts about the configured tags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt

from ..raw_contract import MERGE, RAW_TABLES, marked
from . import settings
from .client import ApiRun, ApiStop, encode_path_list
from .rows import as_int, tag_row


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
                r
                for r in (
                    tag_row(t, is_synthetic, run, client.site) for t in body.get("items") or []
                )
                if r
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
                            "site": client.site,
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
