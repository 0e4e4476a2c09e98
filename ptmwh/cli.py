"""The `ptmwh` command: parse arguments, call one part, report the outcome in one line.

Each verb delegates to one package (dlt_pipeline, dbt via ptmwh.build, analysis_py, reports);
nothing here computes or loads anything itself. Errors the user can fix arrive as exceptions whose
text is one line; they are printed as `ptmwh <verb>: error: <text>` with exit status 1 (set
PTMWH_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path

from dlt_pipeline.options import BASELINES as BASELINE_CHOICES
from study.defaults import BOOTSTRAP_REPLICATES, DEFAULT_TOPIC, STUDY_SEED
from study.window import Window, WindowError

from .locking import check_duckdb_lock, warehouse_lock
from .settings import PROJECT_ROOT, warehouse_path
from .topics import (
    ALL_TOPICS,
    DEFAULT_SITE,
    Topic,
    TopicError,
    add_topic,
    by_site,
    loaded_questions,
    read_topics,
    remove_topic,
    select_topics,
    site_windows,
)

REPORT_DIR = PROJECT_ROOT / "reports" / "site"
ANNOTATION_DIR = Path("annotation")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def _tag_list(text: str) -> list[str]:
    tags = [tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()]
    if not tags:
        raise argparse.ArgumentTypeError("the tag list is empty: give tags as --tags a,b,c")
    return tags


def _progress(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


_TOPIC_FLAGS = ("tags", "from_date", "to_date", "site")
"""`load`/`run` flags of a topic's definition: refused, so a load is always a topic's."""


def _add_load_arguments(parser: argparse.ArgumentParser) -> None:
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


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptmwh", description="Measure how popular and how hard Stack Exchange topics are."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    verbs.add_parser("topics", help="list every topic and what the warehouse holds of it")

    topic = verbs.add_parser("topic", help="define topics")
    topic_verbs = topic.add_subparsers(dest="topic_verb", required=True)
    topic_add = topic_verbs.add_parser("add", help="append a topic to the dbt seeds")
    topic_add.add_argument("name")
    topic_add.add_argument("--tags", type=_tag_list, required=True, help="comma-separated tags")
    topic_add.add_argument("--from", dest="from_date", type=_iso_date, required=True)
    topic_add.add_argument("--to", dest="to_date", type=_iso_date, required=True)
    topic_add.add_argument("--site", default=DEFAULT_SITE, help=f"domain (default {DEFAULT_SITE})")
    topic_add.add_argument("--title", help="human title (default: the name)")
    topic_remove = topic_verbs.add_parser(
        "remove", help="remove a topic's rows from topics.csv, topic_tags.csv and its decisions"
    )
    topic_remove.add_argument("name")

    load = verbs.add_parser("load", help="load topics' questions, answers and tags from the API")
    _add_load_arguments(load)

    dump = verbs.add_parser("load-dump", help="load Posts.xml(.gz/.7z) of a Stack Exchange dump")
    dump.add_argument("path", type=Path)
    dump.add_argument("--site", help="the dump's site (default: the domain in the file's name)")
    dump.add_argument("--from", dest="from_date", type=_iso_date, help="instead of topic windows")
    dump.add_argument("--to", dest="to_date", type=_iso_date, help="last day (inclusive)")
    dump.add_argument(
        "--dump-date", type=_iso_date, help="day the dump was taken (default: its newest post)"
    )
    dump.add_argument(
        "--force", action="store_true", help="load a dump older than the site's newest loaded one"
    )
    dump.add_argument(
        "--no-bodies",
        dest="include_bodies",
        action="store_false",
        help="leave questions.body empty (faster, smaller; answers' bodies are never kept)",
    )

    build = verbs.add_parser("build", help="rebuild every topic's marts with dbt (dbt build)")
    build.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="spark: build on a local SparkSession (needs `.[spark]`), then copy the marts back",
    )

    analyze = verbs.add_parser("analyze", help="run the statistical tests into analysis.*")
    analyze.add_argument("--seed", type=int, default=STUDY_SEED)
    analyze.add_argument(
        "--bootstrap", type=int, default=BOOTSTRAP_REPLICATES, help="bootstrap resamples"
    )

    report = verbs.add_parser("report", help="render reports/site/index.html and report.md")
    report.add_argument("--out", type=Path, default=REPORT_DIR)
    report.add_argument(
        "--allow-stale",
        action="store_true",
        help="render after a failed build, or over marts older than the newest load",
    )

    run = verbs.add_parser("run", help="load topics, then build, analyze and report every topic")
    _add_load_arguments(run)
    run.add_argument("--out", type=Path, default=REPORT_DIR)

    sample = verbs.add_parser("sample", help="draw the RQ3 annotation sample into annotation/")
    sample.add_argument("--topic", default=DEFAULT_TOPIC)
    sample.add_argument("--seed", type=int, default=STUDY_SEED)
    sample.add_argument("--out", type=Path, default=ANNOTATION_DIR)

    snowball = verbs.add_parser(
        "snowball", help="show a snowball round's candidate tags and record decisions (§III)"
    )
    snowball.add_argument("--topic", required=True, help="a topic of the seeds")
    snowball.add_argument("--accept", type=_tag_list, default=[], help="tags to add to the topic")
    snowball.add_argument("--reject", type=_tag_list, default=[], help="tags not on topic")
    snowball.add_argument("--reason", help="why (required with --reject)")
    snowball.add_argument("--tag-kind", default="other", help="tag_kind of accepted tags")
    snowball.add_argument("--limit", type=int, default=30, help="candidates shown")

    themes = verbs.add_parser(
        "themes", help="print a topic's themes (LDA sub-topics), their coherence, stale labels"
    )
    themes.add_argument(
        "--topic",
        default=DEFAULT_TOPIC,
        metavar="NAME",
        help=f"a topic of the seeds (default {DEFAULT_TOPIC})",
    )

    annotations = verbs.add_parser("annotations", help="annotation files")
    annotation_verbs = annotations.add_subparsers(dest="annotations_verb", required=True)
    annotation_import = annotation_verbs.add_parser("import", help="import labelled CSVs")
    annotation_import.add_argument(
        "--topic", help="topic of files without a `topic` column (one of `ptmwh topics`)"
    )
    annotation_import.add_argument("files", type=Path, nargs="+")
    return parser


def _synthetic_api(enabled: bool) -> AbstractContextManager[str | None]:
    if not enabled:
        return nullcontext(None)
    from demo.replay_api import serve
    from demo.synthetic import build_synthetic_dataset

    _progress("generating the synthetic sample and serving it on a loopback replay of the API")
    return serve(build_synthetic_dataset())


def _topics(db_path: Path, args: argparse.Namespace) -> str:
    topics = list(read_topics().values())
    loaded = loaded_questions(db_path, topics)
    for topic in topics:
        held = "no warehouse yet" if loaded is None else f"{loaded[topic.name]} questions loaded"
        print(
            f"{topic.name}: {topic.site} {topic.window}, "
            f"{len(topic.tags)} tags ({', '.join(topic.tags)}); {held}"
        )
    return f"{len(topics)} topics (dbt_project/seeds/topics.csv, topic_tags.csv)"


def _topic(db_path: Path, args: argparse.Namespace) -> str:
    if args.topic_verb == "remove":
        return _remove_topic(args.name)
    topic = add_topic(
        args.name,
        tags=args.tags,
        window=args.window,
        site=args.site,
        title=args.title,
    )
    return (
        f"topic {topic.name} added: {len(topic.tags)} tags on {topic.site}, "
        f"{topic.window}; load it with `ptmwh load --topic {topic.name}`"
    )


def _remove_topic(name: str) -> str:
    from .snowball import DECISIONS_CSV, remove_decisions

    removed = remove_topic(name)
    removed[DECISIONS_CSV] = remove_decisions(name)
    counts = ", ".join(f"{n} from {seed}" for seed, n in removed.items())
    return (
        f"topic {name} removed: {counts} (dbt_project/seeds); its loaded questions stay in the "
        "raw tables; `ptmwh build` drops it from the marts"
    )


def _topic_flag_refusal(args: argparse.Namespace) -> str | None:
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


def _load(db_path: Path, args: argparse.Namespace) -> str:
    from dlt_pipeline.api_runner import run_api_load

    from .progress import ApiProgress

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
        _progress(
            f"the synthetic sample is of {SYNTHETIC_SITE} only; skipping {', '.join(skipped)}"
        )
    return {SYNTHETIC_SITE: grouped[SYNTHETIC_SITE]} if SYNTHETIC_SITE in grouped else {}


def _load_dump(db_path: Path, args: argparse.Namespace) -> str:
    from dlt_pipeline.dump_runner import run_dump_load
    from dlt_pipeline.sites import dump_site

    from .progress import DumpProgress

    site = dump_site(args.path, args.site)
    windows = [args.window] if args.window else site_windows(site)
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
            progress=_progress,
            meter=shown.meter,
        )
    return result.summary_line()


def _load_bundled_dumps(db_path: Path, args: argparse.Namespace) -> str:
    """The demo's real data: each bundled dump whose site has a topic (demo/real_dumps/)."""
    from demo.real_dumps import bundled_dumps
    from dlt_pipeline.dump_runner import run_dump_load
    from dlt_pipeline.sites import dump_site

    lines = []
    for path in bundled_dumps():
        site = dump_site(path, None)
        windows = site_windows(site)
        if windows:
            result = run_dump_load(db_path, path, windows=windows, site=site, progress=_progress)
            lines.append(f"{result.summary_line()} (real dump, site {site})")
    return "\n".join(lines) or "no bundled dump has a topic on its site"


def _build(db_path: Path, args: argparse.Namespace) -> str:
    if not db_path.exists():
        raise FileNotFoundError(
            f"no warehouse at {db_path}: nothing to build yet; load data first "
            "(`ptmwh load --topic NAME`, `ptmwh load-dump PATH`, or `ptmwh run "
            "--synthetic-sample` for the offline demo), or set PTMWH_DB to your warehouse"
        )
    if getattr(args, "engine", "duckdb") == "spark":
        from .spark_build import run_spark_build

        nodes = run_spark_build(db_path)
        return f"dbt build on Spark passed ({len(nodes)} models, seeds and tests); marts copied"
    from .build import run_dbt

    nodes = run_dbt(db_path, "build")
    return f"dbt build passed ({len(nodes)} models, seeds and tests)"


def _analyze(db_path: Path, args: argparse.Namespace) -> str:
    from analysis_py.runner import run_analysis
    from analysis_py.theme_statistics import analyze_themes

    seed = getattr(args, "seed", STUDY_SEED)
    n_bootstrap = getattr(args, "bootstrap", BOOTSTRAP_REPLICATES)
    summary = run_analysis(
        db_path, seed=seed, n_bootstrap=n_bootstrap, progress=_progress
    ).summary_line()
    return f"{summary}; {analyze_themes(db_path, seed=seed, n_bootstrap=n_bootstrap)}"


def _report(db_path: Path, args: argparse.Namespace) -> str:
    from reports.renderer import render_report

    result = render_report(db_path, args.out, allow_stale=getattr(args, "allow_stale", False))
    return f"report written: {result.html_path} and {result.md_path}"


def _synthetic_annotations(db_path: Path, args: argparse.Namespace) -> str:
    from .synthetic_annotations import run_synthetic_annotation_round

    return run_synthetic_annotation_round(db_path)


def _run(db_path: Path, args: argparse.Namespace) -> str:
    steps: list[tuple[str, Callable[[Path, argparse.Namespace], str]]] = [
        ("load", _load),
        *([("load-dump", _load_bundled_dumps)] if args.synthetic_sample else []),
        ("build", _build),
        *([("annotate", _synthetic_annotations)] if args.synthetic_sample else []),
        ("analyze", _analyze),
        ("report", _report),
    ]
    for name, step in steps:
        started = time.monotonic()
        print(f"[{name}] {step(db_path, args)} ({time.monotonic() - started:.1f} s)", flush=True)
    return f"warehouse: {db_path}\nreport: {args.out / 'index.html'} (and report.md)"


def _sample(db_path: Path, args: argparse.Namespace) -> str:
    from analysis_py.annotation_sample import draw_annotation_sample

    result = draw_annotation_sample(db_path, args.out, topic=args.topic, seed=args.seed)
    return result.summary_line()


def _snowball(db_path: Path, args: argparse.Namespace) -> str:
    from .snowball import run_snowball

    return run_snowball(
        db_path,
        args.topic,
        accept=args.accept,
        reject=args.reject,
        reason=args.reason,
        tag_kind=args.tag_kind,
        limit=args.limit,
    )


def _themes(db_path: Path, args: argparse.Namespace) -> str:
    from .themes import run_themes

    return run_themes(db_path, args.topic)


def _annotations(db_path: Path, args: argparse.Namespace) -> str:
    from dlt_pipeline.annotation_runner import import_annotations

    return import_annotations(
        db_path, args.files, known_topics=set(read_topics()), topic=args.topic
    ).summary_line()


_VERBS: dict[str, Callable[[Path, argparse.Namespace], str]] = {
    "topics": _topics,
    "topic": _topic,
    "load": _load,
    "load-dump": _load_dump,
    "build": _build,
    "analyze": _analyze,
    "report": _report,
    "run": _run,
    "sample": _sample,
    "snowball": _snowball,
    "themes": _themes,
    "annotations": _annotations,
}
_READ_ONLY_VERBS = {"report", "topics", "topic", "themes"}
"""Verbs that never write the warehouse, so they take no lock (`topic` writes only the seeds)."""


def _without_lock(db_path: Path, verb: str) -> AbstractContextManager[None]:
    """For a verb that only reads: refuse at once, naming it, if a writer holds the file."""
    if verb != "topic":
        check_duckdb_lock(db_path, read_only=True)
    return nullcontext()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ptmwh` console script; returns the process exit status."""
    os.environ.setdefault("DLT_PROJECT_DIR", str(PROJECT_ROOT))  # .dlt/config.toml from any cwd
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.verb in ("load", "run"):
        refusal = _topic_flag_refusal(args)
        if refusal is not None:
            parser.error(refusal)
    from_date, to_date = getattr(args, "from_date", None), getattr(args, "to_date", None)
    if args.verb == "load-dump" and bool(from_date) != bool(to_date):
        parser.error("--from and --to go together: give both, or neither for the topic windows")
    if args.verb in ("load-dump", "topic"):
        try:
            args.window = Window(from_date, to_date) if from_date and to_date else None
        except WindowError as exc:
            parser.error(str(exc))
    db_path = warehouse_path()
    command = f"ptmwh {args.verb}"
    try:
        lock = (
            _without_lock(db_path, args.verb)
            if args.verb in _READ_ONLY_VERBS
            else warehouse_lock(db_path, command)
        )
        with lock:
            print(_VERBS[args.verb](db_path, args), flush=True)
    except KeyboardInterrupt:
        print(f"{command}: interrupted; rerun to resume (loads are idempotent)", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for the user; PTMWH_DEBUG=1 shows the trace
        if os.environ.get("PTMWH_DEBUG"):
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"{command}: error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
