"""`ptmwh topics` lists the topics of the seeds; `ptmwh topic add|remove` defines them."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.window import Window

from ..topics import DEFAULT_SITE, add_topic, loaded_questions, read_topics, remove_topic
from .arguments import iso_date, tag_list, window_usage_error
from .verb import Verb


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """`topics` takes none."""


def _list(db_path: Path, args: argparse.Namespace) -> str:
    topics = list(read_topics().values())
    loaded = loaded_questions(db_path, topics)
    for topic in topics:
        held = "no warehouse yet" if loaded is None else f"{loaded[topic.name]} questions loaded"
        print(
            f"{topic.name}: {topic.site} {topic.window}, "
            f"{len(topic.tags)} tags ({', '.join(topic.tags)}); {held}"
        )
    return f"{len(topics)} topics (dbt_project/seeds/topics.csv, topic_tags.csv)"


def _add_topic_arguments(parser: argparse.ArgumentParser) -> None:
    topic_verbs = parser.add_subparsers(dest="topic_verb", required=True)
    topic_add = topic_verbs.add_parser("add", help="append a topic to the dbt seeds")
    topic_add.add_argument("name")
    topic_add.add_argument("--tags", type=tag_list, required=True, help="comma-separated tags")
    topic_add.add_argument("--from", dest="from_date", type=iso_date, required=True)
    topic_add.add_argument("--to", dest="to_date", type=iso_date, required=True)
    topic_add.add_argument("--site", default=DEFAULT_SITE, help=f"domain (default {DEFAULT_SITE})")
    topic_add.add_argument("--title", help="human title (default: the name)")
    topic_remove = topic_verbs.add_parser(
        "remove", help="remove a topic's rows from topics.csv, topic_tags.csv and its decisions"
    )
    topic_remove.add_argument("name")


def _topic_usage_error(args: argparse.Namespace) -> str | None:
    return window_usage_error(args) if args.topic_verb == "add" else None


def _topic(db_path: Path, args: argparse.Namespace) -> str:
    if args.topic_verb == "remove":
        return _remove(args.name)
    topic = add_topic(
        args.name,
        tags=args.tags,
        window=Window(args.from_date, args.to_date),
        site=args.site,
        title=args.title,
    )
    return (
        f"topic {topic.name} added: {len(topic.tags)} tags on {topic.site}, "
        f"{topic.window}; load it with `ptmwh load --topic {topic.name}`"
    )


def _remove(name: str) -> str:
    from ..snowball import DECISIONS_CSV, remove_decisions

    removed = remove_topic(name)
    removed[DECISIONS_CSV] = remove_decisions(name)
    counts = ", ".join(f"{n} from {seed}" for seed, n in removed.items())
    return (
        f"topic {name} removed: {counts} (dbt_project/seeds); its loaded questions stay in the "
        "raw tables; `ptmwh build` drops it from the marts"
    )


TOPICS = Verb(
    "topics",
    "list every topic and what the warehouse holds of it",
    _no_arguments,
    _list,
    lock="read",
)
TOPIC = Verb(
    "topic",
    "define topics",
    _add_topic_arguments,
    _topic,
    lock="none",
    usage_error=_topic_usage_error,
)
