"""`ptmwh load`: load topics' questions, answers and tags from the API (or the synthetic sample)."""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from dlt_pipeline.options import BASELINES as BASELINE_CHOICES
from study.defaults import DEFAULT_TOPIC

from ..topics import ALL_TOPICS, Topic, TopicError, by_site, select_topics
from .verb import Verb, progress

_TOPIC_FLAGS = ("tags", "from_date", "to_date", "site")
"""`load`/`run` flags of a topic's definition: refused, so a load is always a topic's."""


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a load (`run` takes them too)."""
    parser.add_argument(
        "--topic",
        dest="topics",
        action="append",
        metavar="NAME",
        help=f"topic to load, repeatable; `{ALL_TOPICS}` = every topic (default {DEFAULT_TOPIC})",
    )
    # Accepted only to be refused with the fix: a topic's tags, window and site live in the seeds.
    parser.add_argument("--tags", help=argparse.SUPPRESS)
    parser.add_argument("--from", dest="from_date", help=argparse.SUPPRESS)
    parser.add_argument("--to", dest="to_date", help=argparse.SUPPRESS)
    parser.add_argument("--site", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help="API base URL (default: config)")
    parser.add_argument("--refresh", action="store_true", help="refresh counts of known questions")
    parser.add_argument(
        "--baseline", choices=BASELINE_CHOICES, default="both", help="baseline to load from the API"
    )
    parser.add_argument(
        "--synthetic-sample",
        action="store_true",
        help="load the bundled synthetic sample through a loopback replay of the API (offline); "
        "`run` then also plays a synthetic RQ3 annotation round",
    )


def topic_flag_refusal(args: argparse.Namespace) -> str | None:
    """Why `--tags/--from/--to/--site` cannot be used here, with the fix; None when unused."""
    used = [f"--{name.removesuffix('_date')}" for name in _TOPIC_FLAGS if getattr(args, name)]
    if not used:
        return None
    if args.topics:
        return (
            f"{'/'.join(used)} cannot be combined with --topic: a topic's tags, window and site "
            "are its seed rows; drop them, or define another topic with `ptmwh topic add`"
        )
    return (
        f"{'/'.join(used)} without a topic: define it first: ptmwh topic add NAME --tags a,b "
        "--from YYYY-MM-DD --to YYYY-MM-DD [--site S], then ptmwh load --topic NAME"
    )


def _synthetic_api(enabled: bool) -> AbstractContextManager[str | None]:
    if not enabled:
        return nullcontext(None)
    from demo.replay_api import serve
    from demo.synthetic import build_synthetic_dataset

    progress("generating the synthetic sample and serving it on a loopback replay of the API")
    return serve(build_synthetic_dataset())


def load(db_path: Path, args: argparse.Namespace) -> str:
    """Load the named topics (every one for the synthetic sample), one API load per site."""
    from dlt_pipeline.api_runner import run_api_load

    from ..progress import ApiProgress

    names = args.topics or ([ALL_TOPICS] if args.synthetic_sample else None)
    topics = select_topics(names)
    grouped = by_site(topics)
    if args.synthetic_sample:
        grouped = _synthetic_sites(grouped)
    with _synthetic_api(args.synthetic_sample) as sample_url:
        lines = []
        shown = ApiProgress()
        try:
            for site, site_topics in grouped.items():
                shown(f"{site}: topics {', '.join(t.name for t in site_topics)}")
                result = run_api_load(
                    db_path,
                    site=site,
                    topics=[topic.tag_set for topic in site_topics],
                    base_url=sample_url or args.base_url,
                    refresh=args.refresh,
                    baseline=args.baseline,
                    is_synthetic=True if args.synthetic_sample else None,
                    progress=shown,
                )
                lines.append(f"{result.summary_line()} (site {site})")
                if result.status != "completed":
                    break
        finally:
            shown.close()
    counts = ", ".join(f"{table}={n}" for table, n in sorted(result.row_counts.items()))
    print(f"raw_stackexchange rows: {counts}")
    return "\n".join(lines)


def _synthetic_sites(grouped: dict[str, list[Topic]]) -> dict[str, list[Topic]]:
    """The topics the synthetic sample can serve: those on its site (Stack Overflow).

    Raises:
        TopicError: none of the topics is on that site (nothing is generated or loaded).
    """
    from demo.synthetic import SYNTHETIC_SITE

    skipped = [t.name for site, ts in grouped.items() if site != SYNTHETIC_SITE for t in ts]
    if SYNTHETIC_SITE not in grouped:
        sites = ", ".join(f"{t.name} is on {site}" for site, ts in grouped.items() for t in ts)
        raise TopicError(
            f"the synthetic sample is of {SYNTHETIC_SITE} only and {sites}: pick a topic on "
            f"{SYNTHETIC_SITE} (see `ptmwh topics`), or load this one from its site's dump "
            "(`ptmwh load-dump`) or the API (`ptmwh load --topic NAME`)"
        )
    if skipped:
        progress(f"the synthetic sample is of {SYNTHETIC_SITE} only; skipping {', '.join(skipped)}")
    return {SYNTHETIC_SITE: grouped[SYNTHETIC_SITE]} if SYNTHETIC_SITE in grouped else {}


LOAD = Verb(
    "load",
    "load topics' questions, answers and tags from the API",
    add_load_arguments,
    load,
    usage_error=topic_flag_refusal,
)
