"""`ptmwh load-dump`: load a Stack Exchange data dump's Posts.xml as its site's full population."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..topics import TopicError, site_windows
from .arguments import given_window, iso_date, window_usage_error
from .verb import Verb, progress


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path)
    parser.add_argument("--site", help="the dump's site (default: the domain in the file's name)")
    parser.add_argument("--from", dest="from_date", type=iso_date, help="instead of topic windows")
    parser.add_argument("--to", dest="to_date", type=iso_date, help="last day (inclusive)")
    parser.add_argument(
        "--dump-date", type=iso_date, help="day the dump was taken (default: its newest post)"
    )
    parser.add_argument(
        "--force", action="store_true", help="load a dump older than the site's newest loaded one"
    )
    parser.add_argument(
        "--no-bodies",
        dest="include_bodies",
        action="store_false",
        help="leave questions.body empty (faster, smaller; answers' bodies are never kept)",
    )


def _usage_error(args: argparse.Namespace) -> str | None:
    if bool(args.from_date) != bool(args.to_date):
        return "--from and --to go together: give both, or neither for the topic windows"
    return window_usage_error(args)


def _load_dump(db_path: Path, args: argparse.Namespace) -> str:
    from dlt_pipeline.dump_runner import run_dump_load
    from dlt_pipeline.sites import dump_site

    from ..progress import DumpProgress

    site = dump_site(args.path, args.site)
    window = given_window(args)
    windows = [window] if window else site_windows(site)
    if not windows:
        raise TopicError(
            f"no topic on {site}: define one (ptmwh topic add NAME --site {site} ...) "
            "or pass --from and --to"
        )
    with DumpProgress() as shown:
        result = run_dump_load(
            db_path,
            args.path,
            windows=windows,
            site=site,
            dump_date=args.dump_date,
            force=args.force,
            include_bodies=args.include_bodies,
            progress=progress,
            meter=shown.meter,
        )
    return result.summary_line()


def load_bundled_dumps(db_path: Path) -> str:
    """The demo's real data: each bundled dump whose site has a topic (demo/real_dumps/)."""
    from demo.real_dumps import bundled_dumps
    from dlt_pipeline.dump_runner import run_dump_load
    from dlt_pipeline.sites import dump_site

    lines = []
    for path in bundled_dumps():
        site = dump_site(path, None)
        windows = site_windows(site)
        if windows:
            result = run_dump_load(db_path, path, windows=windows, site=site, progress=progress)
            lines.append(f"{result.summary_line()} (real dump, site {site})")
    return "\n".join(lines) or "no bundled dump has a topic on its site"


LOAD_DUMP = Verb(
    "load-dump",
    "load Posts.xml(.gz/.7z) of a Stack Exchange dump",
    _add_arguments,
    _load_dump,
    usage_error=_usage_error,
)
