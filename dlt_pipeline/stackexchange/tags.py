"""The `tags` resource: site-wide facts about the load's tags and about the tags related to them.

One resource writes both `tags` and `related_tags` because the requests depend on each other: the
related tags are known only once `/tags/{tag}/related` answered, and their own `/tags/{tags}/info`
comes after. Their site-wide counts are the snowball candidates' question counts until the
candidates' questions are loaded (`marts.rpt_tag_selection`, docs/contracts.md).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import dlt

from ..hints import marked
from ..raw_contract import MERGE, RAW_TABLES
from . import settings
from .client import ApiRun, ApiStop, encode_path_list
from .rows import as_int, tag_row


@dlt.resource(name="tags", write_disposition=MERGE, **RAW_TABLES["tags"].keys)
def site_tags(client: Any, tags: list[str], is_synthetic: bool) -> Iterator[Any]:
    """Info of the load's tags, each tag's related tags, then the info of the new related tags.

    The load's own tags go first, so a quota stop still leaves their counts. A related tag that is
    one of the load's tags, or related to several of them, is asked for once: the related tags
    cost ⌈new related tags / 100⌉ info requests on top of ⌈tags / 100⌉ and one per tag.
    """
    run: ApiRun = client.run
    try:
        yield from _info(client, tags, is_synthetic, "tags")
        related = yield from _related(client, tags)
        known = set(tags)
        new = [tag for tag in dict.fromkeys(related) if tag not in known]
        yield from _info(client, new, is_synthetic, "related tags' info")
    except ApiStop as exc:
        run.halt(exc)


def _info(client: Any, tags: list[str], is_synthetic: bool, label: str) -> Iterator[Any]:
    """`/tags/{tags}/info`, up to 100 tags a request, into `tags`."""
    run: ApiRun = client.run
    for i in range(0, len(tags), settings.TAGS_PER_INFO_REQUEST):
        if run.stopped:
            return
        chunk = tags[i : i + settings.TAGS_PER_INFO_REQUEST]
        body = client.get(f"/tags/{encode_path_list(chunk)}/info", {"pagesize": settings.PAGE_SIZE})
        rows = [
            r
            for r in (tag_row(t, is_synthetic, run, client.site) for t in body.get("items") or [])
            if r
        ]
        run.items["tags"] += len(rows)
        run.progress(
            f"{label}: {len(rows)} of {len(chunk)} found, quota left {run.quota_remaining}"
        )
        if rows:
            yield marked("tags", rows)


def _related(client: Any, tags: list[str]) -> Generator[Any, None, list[str]]:
    """`/tags/{tag}/related` for each tag (one request each), ranked 1 = most related.

    Returns:
        The related tags' names in the order received (with repeats across tags).
    """
    run: ApiRun = client.run
    names: list[str] = []
    for tag in tags:
        if run.stopped:
            break
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
        names += [row["related_tag"] for row in rows]
        run.items["related_tags"] += len(rows)
        run.progress(f"related_tags[{tag}]: {len(rows)} items, quota left {run.quota_remaining}")
        if rows:
            yield marked("related_tags", rows)
    return names
