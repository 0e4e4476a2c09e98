"""`ptmwh snowball`: one round of the snowball tag selection of §III, shown and recorded as data.

The paper grew its 10 initial tags to 18 by deciding, round after round, which of the tags Stack
Overflow relates to the tag set were about pre-trained models, until a round accepted none. Here a
round's candidates and their co-occurrence measures come from `marts.rpt_tag_selection` (built
first, so they reflect the seeds and the last load), and each decision is a row of the seed
`topic_tag_decisions.csv`; an accepted tag also becomes a `topic_tags` row (through
`ptmwh.topics`, the one writer of the topic seeds), so the next `ptmwh load --topic` fetches its
questions and related tags, and the next round's candidates grow from it.

Which round is current is decided in SQL only, by `intermediate.int_tag_selection_rounds` (its
description in `dbt_project/models/intermediate/selection/_selection__models.yml` states the
rule), read here after the build, so the verb and the mart cannot disagree.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from study.defaults import TAG_KINDS
from study.names import TagError, checked_tags

from . import topics as topic_seeds

DECISIONS_CSV = "topic_tag_decisions.csv"
"""The decisions seed, next to `topic_tags.csv` in `ptmwh.topics.SEEDS_DIR`."""
SELECTION_SELECTOR = "+path:models/marts/selection"
"""What `ptmwh snowball` builds: the selection marts and everything upstream of them."""
DEFAULT_LIMIT = 30
"""Candidates printed per round (most co-occurring first); the mart holds all of them."""


class SnowballError(ValueError):
    """A snowball request the user can fix; the text is one line with the fix."""


@dataclass(frozen=True)
class Decision:
    """One row of the decisions seed."""

    topic: str
    round: int
    tag: str
    decision: str
    reason: str


@dataclass(frozen=True)
class Candidate:
    """One candidate of a round as `marts.rpt_tag_selection` holds it."""

    tag: str
    n_questions: int | None
    n_questions_source: str | None
    n_questions_together: int
    significance: float | None
    relevance: float | None
    related_rank: int | None
    decision: str | None
    decided_round: int | None


@dataclass(frozen=True)
class RoundView:
    """A round's candidates and its tag set's size, for the table `ptmwh snowball` prints."""

    round: int
    candidates: list[Candidate]
    n_round_tags: int | None
    n_topic_questions: int | None


def read_decisions(seeds_dir: Path | None = None) -> list[Decision]:
    """Every recorded decision, in file order."""
    path = (seeds_dir or topic_seeds.SEEDS_DIR) / DECISIONS_CSV
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Decision(
                row["topic"],
                int(row["round"]),
                row["tag"].lower(),
                row["decision"],
                row["reason"] or "",
            )
            for row in csv.DictReader(handle)
        ]


def remove_decisions(topic: str, seeds_dir: Path | None = None) -> int:
    """Remove a topic's decisions (`ptmwh topic remove`); return how many rows there were."""
    return topic_seeds.remove_rows(
        (seeds_dir or topic_seeds.SEEDS_DIR) / DECISIONS_CSV, "topic", topic
    )


def run_snowball(
    db_path: Path,
    topic: str,
    *,
    accept: list[str] | None = None,
    reject: list[str] | None = None,
    reason: str | None = None,
    tag_kind: str = topic_seeds.ADDED_TAG_KIND,
    limit: int = DEFAULT_LIMIT,
    build: Callable[[Path], None] | None = None,
    seeds_dir: Path | None = None,
    echo: Callable[[str], None] = print,
) -> str:
    """Build the selection mart, print the current round's candidates, record the decisions given.

    Checks come first, so a refused request neither builds nor writes: the topic must exist, a tag
    must not already be in the topic (unless this very decision was recorded before, which makes
    a rerun a no-op), rejects need a reason, and no tag may be both accepted and rejected.

    Args:
        db_path: the warehouse; the build writes it, the candidates are read from it read-only.
        topic: a topic of the seeds.
        accept: tags to accept in the current round (appended to `topic_tags`).
        reject: tags to reject in the current round.
        reason: why, required when rejecting; recorded with every decision of this call.
        tag_kind: `topic_tags.tag_kind` of the accepted tags.
        limit: candidates printed (most co-occurring first).
        build: builds the selection marts (default: `dbt build --select` SELECTION_SELECTOR).
        seeds_dir: the seeds folder (tests use a copy).
        echo: where the candidates table goes.

    Returns:
        The one-line outcome: what was recorded and what to run next, or that the selection is
        complete.

    Raises:
        SnowballError: a request the user can fix (unknown topic, tag in the topic, no reason...).
    """
    seeds = seeds_dir or topic_seeds.SEEDS_DIR
    request = _checked_request(seeds, topic, accept or [], reject or [], reason, tag_kind)
    (build or _build_selection)(db_path)
    round_number = read_current_round(db_path, topic)
    view = read_round(db_path, topic, round_number)
    echo(format_round(topic, view, limit=limit))
    if not request.accepts and not request.rejects:
        return _status_line(topic, view, request.decisions)
    new = _new_decisions(request, round_number)
    _append_decisions(seeds / DECISIONS_CSV, new.rows)
    if new.accepts:
        topic_seeds.add_topic_tags(topic, new.accepts, tag_kind=tag_kind, seeds_dir=seeds)
    return _recorded_line(request, round_number, new)


@dataclass(frozen=True)
class _Request:
    """A checked snowball request and what the seeds already record for its topic."""

    topic: str
    accepts: list[str]
    rejects: list[str]
    reason: str
    topic_tags: frozenset[str]
    decisions: list[Decision]
    recorded: frozenset[tuple[int, str, str]]
    accepted_before: dict[str, int]


@dataclass(frozen=True)
class _NewDecisions:
    """The decisions a request adds to the current round, and those recorded before."""

    rows: list[Decision]
    accepts: list[str]
    rejects: list[str]
    already: list[str]


def _checked_request(
    seeds: Path,
    topic: str,
    accept: list[str],
    reject: list[str],
    reason: str | None,
    tag_kind: str,
) -> _Request:
    """The request, refused before anything is built or written when the user can fix it."""
    try:
        accepts = checked_tags(accept)
        rejects = checked_tags(reject)
    except TagError as exc:
        raise SnowballError(str(exc)) from None
    known = topic_seeds.read_topics(seeds)
    if topic not in known:
        raise SnowballError(f"unknown topic {topic!r}: `ptmwh topics` lists them")
    both = sorted(set(accepts) & set(rejects))
    if both:
        raise SnowballError(f"{', '.join(both)} both accepted and rejected: decide each tag once")
    if rejects and not (reason and reason.strip()):
        raise SnowballError("--reject needs --reason TEXT saying why the tags are not on topic")
    if tag_kind not in TAG_KINDS:
        raise SnowballError(f"unknown --tag-kind {tag_kind!r}: use one of {', '.join(TAG_KINDS)}")
    decisions = read_decisions(seeds)
    accepted_before = {
        d.tag: d.round for d in decisions if d.topic == topic and d.decision == "accept"
    }
    topic_tags = frozenset(known[topic].tags)
    for tag in [*accepts, *rejects]:
        if tag in topic_tags and not (tag in accepted_before and tag in accepts):
            raise SnowballError(
                f"{tag} is already a tag of {topic}; candidates are tags outside its tag set"
            )
    return _Request(
        topic=topic,
        accepts=accepts,
        rejects=rejects,
        reason=(reason or "").strip(),
        topic_tags=topic_tags,
        decisions=decisions,
        recorded=frozenset((d.round, d.tag, d.decision) for d in decisions if d.topic == topic),
        accepted_before=accepted_before,
    )


def _new_decisions(request: _Request, round_number: int) -> _NewDecisions:
    """What the request adds in `round_number`; a decision recorded before is not repeated."""
    already: list[str] = []
    for tag in [*request.accepts, *request.rejects]:
        if tag in request.accepted_before and tag in request.accepts:
            already.append(f"{tag} (accepted in round {request.accepted_before[tag]})")
        elif (round_number, tag, "reject") in request.recorded and tag in request.rejects:
            already.append(f"{tag} (rejected in round {round_number})")
    accepts = [tag for tag in request.accepts if tag not in request.accepted_before]
    rejects = [t for t in request.rejects if (round_number, t, "reject") not in request.recorded]
    rows = [Decision(request.topic, round_number, t, "accept", request.reason) for t in accepts]
    rows += [Decision(request.topic, round_number, t, "reject", request.reason) for t in rejects]
    return _NewDecisions(rows, accepts, rejects, already)


def _recorded_line(request: _Request, round_number: int, new: _NewDecisions) -> str:
    """The outcome: what was recorded and what to run next, or that the selection is complete."""
    topic = request.topic
    skipped = f"; already recorded: {', '.join(new.already)}" if new.already else ""
    if not new.rows:
        return f"{topic} round {round_number}: nothing new to record{skipped}"
    done = [f"accepted {', '.join(new.accepts)}"] if new.accepts else []
    done += [f"rejected {', '.join(new.rejects)}"] if new.rejects else []
    head = f"{topic} round {round_number}: {'; '.join(done)}{skipped}"
    if new.accepts:
        return (
            f"{head}. Next: `ptmwh load --topic {topic}` fetches the new tags' questions and "
            f"related tags, then `ptmwh snowball --topic {topic}` shows round {round_number + 1}"
        )
    return (
        f"{head}; no tag accepted in round {round_number}: the selection is complete "
        f"({len(request.topic_tags)} tags)"
    )


def read_current_round(db_path: Path, topic: str) -> int:
    """The round `ptmwh snowball` shows and records into, from `int_tag_selection_rounds`.

    Read from the rounds, not from the mart's `is_current_round`: the mart has a row per
    candidate, and a current round may have none yet (its new tags not loaded).
    """
    with duckdb.connect(str(db_path), read_only=True) as connection:
        row = connection.execute(
            "select round from intermediate.int_tag_selection_rounds "
            "where topic = ? and is_current_round",
            [topic],
        ).fetchone()
    if row is None:
        raise SnowballError(f"no rounds of {topic} in the warehouse: run `ptmwh build` first")
    return int(row[0])


def read_round(db_path: Path, topic: str, round_number: int) -> RoundView:
    """The candidates of one round from `marts.rpt_tag_selection`, most co-occurring first."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rows = connection.execute(
            "select tag, n_questions, n_questions_source, n_questions_together, significance, "
            "relevance, related_rank, decision, decided_round, n_round_tags, "
            "n_topic_questions_before from marts.rpt_tag_selection "
            "where topic = ? and round = ? "
            "order by n_questions_together desc, related_rank asc nulls last, tag",
            [topic, round_number],
        ).fetchall()
    candidates = [Candidate(*row[:9]) for row in rows]
    n_tags, n_questions = (rows[0][9], rows[0][10]) if rows else (None, None)
    return RoundView(round_number, candidates, n_tags, n_questions)


def format_round(topic: str, view: RoundView, *, limit: int = DEFAULT_LIMIT) -> str:
    """The round's candidates as a fixed-width table (site-wide counts marked `*`)."""
    size = (
        f"{view.n_round_tags} tags, {view.n_topic_questions} questions"
        if view.n_round_tags is not None
        else "no candidates: load the topic first (`ptmwh load --topic " + topic + "`)"
    )
    lines = [f"{topic} round {view.round} ({size})"]
    if not view.candidates:
        return "\n".join(lines)
    header = ("tag", "questions", "together", "significance", "relevance", "related", "decided")
    body = [
        (
            c.tag,
            _count(c.n_questions, c.n_questions_source),
            str(c.n_questions_together),
            _share(c.significance),
            _share(c.relevance),
            "" if c.related_rank is None else str(c.related_rank),
            "" if c.decision is None else f"{c.decision} r{c.decided_round}",
        )
        for c in view.candidates[:limit]
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, *body]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    hidden = len(view.candidates) - len(body)
    if hidden > 0:
        lines.append(f"... {hidden} more in marts.rpt_tag_selection")
    lines.append("questions: the tag's own (* = site-wide count, its questions not loaded)")
    return "\n".join(lines)


def _status_line(topic: str, view: RoundView, decisions: list[Decision]) -> str:
    decided = [d for d in decisions if d.topic == topic and d.round == view.round]
    if decided and not any(d.decision == "accept" for d in decided):
        return f"{topic}: the selection is complete: round {view.round} accepted no tag"
    undecided = sum(1 for c in view.candidates if c.decision is None)
    return (
        f"{topic} round {view.round}: {len(view.candidates)} candidates, {undecided} undecided; "
        f"decide with `ptmwh snowball --topic {topic} --accept a,b --reject c,d --reason TEXT`"
    )


def _build_selection(db_path: Path) -> None:
    from .build import run_dbt

    # cautious: only the tests of selected nodes, not those that also read marts left unbuilt
    run_dbt(
        db_path,
        "build",
        extra_args=["--select", SELECTION_SELECTOR, "--indirect-selection", "cautious"],
        quiet=True,
    )


def _append_decisions(path: Path, rows: list[Decision]) -> None:
    topic_seeds.append_rows(
        path, [[row.topic, row.round, row.tag, row.decision, row.reason] for row in rows]
    )


def _count(n: int | None, source: str | None) -> str:
    if n is None:
        return "?"
    return f"{n}*" if source == "site_tag_count" else str(n)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
