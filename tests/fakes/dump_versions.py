"""Three successive dumps of one site made from a real dump: posts deleted, counts and tags changed.

A real site's later dump differs from an earlier one by deleted posts (gone from the file),
changed scores, views and answer counts, retags and, rarely, a post restored. These versions apply
such changes to the real beer dump deterministically, each newer than the last (its changed posts'
`LastActivityDate` is later), so loading them in order must end where loading the last one does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

BEER_POSTS = (
    Path(__file__).resolve().parents[1] / "fixtures" / "real" / "se-dump-beer" / "Posts.xml"
)


@dataclass(frozen=True)
class _Change:
    """One version's edits, chosen by a post's position among the questions or answers."""

    drop_question_every: tuple[int, int]
    drop_answer_every: tuple[int, int]
    recount_every: tuple[int, int]
    retag_every: tuple[int, int]
    score_delta: int
    active_on: str


_CHANGES = (
    _Change((17, 3), (23, 5), (5, 0), (11, 2), 1, "2014-06-01T00:00:00.000"),
    _Change((13, 7), (19, 4), (7, 1), (9, 4), -1, "2014-07-01T00:00:00.000"),
)


def _copy(row: ET.Element) -> ET.Element:
    """A row with its own attributes, so one version's edits never reach another."""
    return ET.Element(row.tag, dict(row.attrib))


def _picked(index: int, every: tuple[int, int]) -> bool:
    return index % every[0] == every[1]


def _next_version(rows: list[ET.Element], change: _Change) -> list[ET.Element]:
    """The next dump: some posts deleted (answers with their question), counts changed, retags."""
    rows = [_copy(row) for row in rows]
    questions = [row for row in rows if row.get("PostTypeId") == "1"]
    answers = [row for row in rows if row.get("PostTypeId") == "2"]
    dropped = {
        q.get("Id") for i, q in enumerate(questions) if _picked(i, change.drop_question_every)
    }
    dropped |= {a.get("Id") for i, a in enumerate(answers) if _picked(i, change.drop_answer_every)}
    kept = [
        row for row in rows if row.get("Id") not in dropped and row.get("ParentId") not in dropped
    ]
    by_id = {row.get("Id"): row for row in kept}
    for answer in answers:
        question = by_id.get(answer.get("ParentId") or "")
        if answer.get("Id") in dropped and question is not None:
            question.set("AnswerCount", str(int(question.get("AnswerCount", "1")) - 1))
            if question.get("AcceptedAnswerId") == answer.get("Id"):
                del question.attrib["AcceptedAnswerId"]
    for i, question in enumerate(row for row in kept if row.get("PostTypeId") == "1"):
        if _picked(i, change.recount_every):
            question.set("Score", str(int(question.get("Score", "0")) + change.score_delta))
            question.set("ViewCount", str(int(question.get("ViewCount", "0")) + 100))
            question.set("LastActivityDate", change.active_on)
        if _picked(i, change.retag_every):
            question.set(
                "Tags", "<brewing>" if "<brewing>" not in question.get("Tags", "") else "<taste>"
            )
    return kept


def _write(rows: list[ET.Element], path: Path) -> Path:
    root = ET.Element("posts")
    root.text = "\n  "
    for row in rows:
        row.tail = "\n  "
        root.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def successive_dumps(folder: Path) -> list[Path]:
    """Write dumps A (the real file), B and C of beer.stackexchange.com; return their paths.

    C also restores the first question B deleted (without its answers), as a site undeletes a post.
    """
    a = list(ET.parse(BEER_POSTS).getroot())
    b = _next_version(a, _CHANGES[0])
    c = _next_version(b, _CHANGES[1])
    b_ids = {row.get("Id") for row in b}
    restored = next(row for row in a if row.get("PostTypeId") == "1" and row.get("Id") not in b_ids)
    c.append(_copy(restored))
    return [
        _write(rows, folder / name / "beer.stackexchange.com" / "Posts.xml")
        for name, rows in zip("abc", (a, b, c), strict=True)
    ]
