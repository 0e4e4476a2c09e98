"""The topics the warehouse studies, as the dbt seeds define them: read, appended, summarised.

A topic is data: one row of `dbt_project/seeds/topics.csv` (site, window, title, reference) and
its rows of `topic_tags.csv`. This module is the only Python that reads or writes those files
(docs/ARCHITECTURE.md, "Topics are data"); the CLI hands tags, window and site down to the
loaders as plain arguments, and dbt reads the same seeds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from dlt_pipeline.options import TagSet
from study.defaults import DEFAULT_TOPIC
from study.names import checked_tags, site_domain
from study.window import Window

from .settings import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
"""Where the two seeds live (tests point it at a copy)."""
ALL_TOPICS = "all"
"""`--topic all`: every topic of the seeds."""
DEFAULT_SITE = "stackoverflow.com"
"""The site of a topic added without `--site` (the paper's)."""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
ADDED_TAG_KIND = "other"
"""`tag_kind` of the tags of a topic added on the command line (its tags are not classified)."""


_ADDED_REFERENCE = "User-defined with `ptmwh topic add`: its tags as given, no published selection."
"""`reference` of a topic added on the command line (the seed's tests want one for every topic)."""


class TopicError(ValueError):
    """A topic named or defined is unknown or invalid; the text is one line with the fix."""


@dataclass(frozen=True)
class Topic:
    """One topic of the seeds.

    Attributes:
        name: the seed key (`ptm`).
        title: a human title.
        site: the site's domain.
        window: its days (the seed's `window_start` to `window_end`).
        tags: its tags, in seed order.
    """

    name: str
    title: str
    site: str
    window: Window
    tags: tuple[str, ...]

    @property
    def tag_set(self) -> TagSet:
        """The topic as the API loader takes it: tags over the window."""
        return TagSet(self.tags, self.window)


def read_topics(seeds_dir: Path | None = None) -> dict[str, Topic]:
    """Every topic of the seeds, by name, in seed order."""
    seeds = seeds_dir or SEEDS_DIR
    tags: dict[str, list[str]] = {}
    for row in _rows(seeds / "topic_tags.csv"):
        tags.setdefault(row["topic"], []).append(row["tag"])
    return {
        row["topic"]: Topic(
            name=row["topic"],
            title=row["title"],
            site=row["site"],
            window=Window(
                date.fromisoformat(row["window_start"]), date.fromisoformat(row["window_end"])
            ),
            tags=tuple(tags.get(row["topic"], ())),
        )
        for row in _rows(seeds / "topics.csv")
    }


def select_topics(names: list[str] | None, seeds_dir: Path | None = None) -> list[Topic]:
    """The topics `--topic` names (default the paper's; `all` = every one), each once.

    Raises:
        TopicError: a name is not in the seeds.
    """
    topics = read_topics(seeds_dir)
    wanted = names or [DEFAULT_TOPIC]
    if ALL_TOPICS in wanted:
        return list(topics.values())
    unknown = [name for name in wanted if name not in topics]
    if unknown:
        raise TopicError(
            f"unknown topic {unknown[0]!r}; known: {', '.join(topics)} "
            "(list them with `ptmwh topics`, define one with `ptmwh topic add`)"
        )
    return [topics[name] for name in dict.fromkeys(wanted)]


def by_site(topics: list[Topic]) -> dict[str, list[Topic]]:
    """Topics grouped by site, in order: one API load serves every topic of a site."""
    grouped: dict[str, list[Topic]] = {}
    for topic in topics:
        grouped.setdefault(topic.site, []).append(topic)
    return grouped


def site_windows(site: str, seeds_dir: Path | None = None) -> list[Window]:
    """The windows of every topic on `site` (a dump of the site keeps their union)."""
    return [topic.window for topic in read_topics(seeds_dir).values() if topic.site == site]


def add_topic(
    name: str,
    *,
    tags: list[str],
    window: Window,
    site: str = DEFAULT_SITE,
    title: str | None = None,
    seeds_dir: Path | None = None,
) -> Topic:
    """Append a topic to both seeds (dbt builds it on the next `ptmwh build`).

    Raises:
        TopicError: the name is taken or malformed, the tag list is empty, or the title is empty
            or spans lines.
        TagError: a tag is malformed.
        SiteError: the site is neither a Stack Exchange domain nor a short name.
    """
    seeds = seeds_dir or SEEDS_DIR
    if not _NAME.fullmatch(name):
        raise TopicError(
            f"bad topic name {name!r}: use lower-case letters, digits and _ (e.g. ml_ops)"
        )
    if name == ALL_TOPICS or name in read_topics(seeds):
        raise TopicError(f"topic {name!r} exists already; choose another name")
    clean = checked_tags(tags)
    if not clean:
        raise TopicError("the tag list is empty: give tags as --tags a,b,c")
    if title is not None and (not title.strip() or any(not c.isprintable() for c in title)):
        raise TopicError(
            f"bad title {title!r}: give it on one line, without tabs or control characters"
        )
    topic = Topic(name, title or name, site_domain(site), window, clean)
    append_rows(
        seeds / "topics.csv",
        [
            [
                topic.name,
                topic.title,
                topic.site,
                window.first_day.isoformat(),
                window.last_day.isoformat(),
                f"Added with `ptmwh topic add`: questions tagged {', '.join(clean)}.",
                _ADDED_REFERENCE,
            ]
        ],
    )
    append_rows(seeds / "topic_tags.csv", [[name, tag, ADDED_TAG_KIND, "true"] for tag in clean])
    return topic


THEME_SEEDS = ("theme_models.csv", "theme_labels.csv")
"""Seeds keyed by topic that define its themes (docs/themes.md): a removed topic leaves none."""


def remove_topic(name: str, seeds_dir: Path | None = None) -> dict[str, int]:
    """Remove a topic's rows from `topics.csv`, `topic_tags.csv` and the theme seeds (other rows
    stay byte for byte).

    Returns:
        Rows removed per seed file name.

    Raises:
        TopicError: the topic is not in the seeds.
    """
    seeds = seeds_dir or SEEDS_DIR
    topics = read_topics(seeds)
    if name not in topics:
        raise TopicError(
            f"unknown topic {name!r}; known: {', '.join(topics)} (list them with `ptmwh topics`)"
        )
    return {
        seed: remove_rows(seeds / seed, "topic", name)
        for seed in ("topics.csv", "topic_tags.csv", *THEME_SEEDS)
        if (seeds / seed).exists()
    }


def remove_rows(path: Path, column: str, value: str) -> int:
    """Delete the CSV records whose `column` equals `value`; return how many there were.

    Every other record keeps its exact text (its quoting, a field spanning lines), so a removal
    shows in `git diff` as the removed lines only.
    """
    text = path.read_bytes().decode("utf-8")
    raw: list[str] = []

    def lines() -> Iterator[str]:
        for line in re.split(r"(?<=\n)", text):
            if line:
                raw.append(line)
                yield line

    kept: list[str] = []
    removed = 0
    reader = csv.reader(lines())
    header = next(reader)
    kept.extend(raw)
    raw.clear()
    index = header.index(column)
    for record in reader:
        if len(record) > index and record[index] == value:
            removed += 1
        else:
            kept.extend(raw)
        raw.clear()
    if removed:
        path.write_bytes("".join(kept).encode("utf-8"))
    return removed


def loaded_questions(db_path: Path, topics: list[Topic]) -> dict[str, int] | None:
    """Questions in the raw tables per topic (its site, any of its tags, inside its window).

    Read-only; None when the warehouse or its raw questions do not exist yet.
    """
    if not db_path.is_file():
        return None
    with duckdb.connect(str(db_path), read_only=True) as connection:
        found = connection.execute(
            "select count(*) from information_schema.tables where table_schema = "
            "'raw_stackexchange' and table_name in ('questions', 'question_tags')"
        ).fetchone()
        if not found or found[0] < 2:
            return None
        counts = {}
        for topic in topics:
            row = connection.execute(
                "select count(distinct q.question_id) from raw_stackexchange.questions as q "
                "inner join raw_stackexchange.question_tags as t "
                "on t.site = q.site and t.question_id = q.question_id "
                "where q.site = ? and list_contains(?, t.tag) "
                "and q.creation_date >= ? and q.creation_date < ?",
                [topic.site, list(topic.tags), topic.window.start_epoch, topic.window.end_epoch],
            ).fetchone()
            counts[topic.name] = int(row[0]) if row else 0
        return counts


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def append_rows(path: Path, rows: list[list[object]]) -> None:
    """Append CSV rows to a seed, first ending the file's last line if it lacks a newline."""
    if not rows:
        return
    text = path.read_text(encoding="utf-8")
    with path.open("a", newline="", encoding="utf-8") as handle:
        if text and not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerows(rows)


def add_topic_tags(
    name: str, tags: list[str], *, tag_kind: str = ADDED_TAG_KIND, seeds_dir: Path | None = None
) -> list[str]:
    """Append tags a snowball round accepted to an existing topic's `topic_tags` rows.

    They are not in the initial set (in_initial_set false), so the marts can tell the paper's 10
    initial tags from the 8 it added (§III). Tags the topic has already are skipped.

    Returns:
        The tags appended, lower case, in the order given.

    Raises:
        TopicError: the topic is unknown.
        TagError: a tag is malformed.
    """
    seeds = seeds_dir or SEEDS_DIR
    topics = read_topics(seeds)
    if name not in topics:
        raise TopicError(f"unknown topic {name!r}: `ptmwh topics` lists them")
    added = [tag for tag in checked_tags(tags) if tag not in topics[name].tags]
    append_rows(seeds / "topic_tags.csv", [[name, tag, tag_kind, "false"] for tag in added])
    return added
