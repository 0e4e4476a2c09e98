"""The documentation stays readable and its links stay whole.

README.md is the newcomer's page: short, with a table of contents; the reference lives in
`docs/` (docs/CONTRIBUTING.md). Prose is wrapped so it reads in a terminal and in a diff, and
every relative link points at a file (and a heading) that exists, so moving a page or renaming a
section cannot leave a dead link behind unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 150
MAX_LINE = 120
"""Longest line of prose; tables and code blocks may be wider (a table row cannot wrap)."""

_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line outside fenced code blocks."""
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            yield number, line


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    """Every heading's anchor, with GitHub's `-1`, `-2` suffixes for repeated headings."""
    anchors: set[str] = set()
    for _, line in _prose_lines(text):
        match = _HEADING.match(line)
        if match:
            slug = base = _slug(match.group(2))
            repeat = 0
            while slug in anchors:
                repeat += 1
                slug = f"{base}-{repeat}"
            anchors.add(slug)
    return anchors


def _links(text: str) -> Iterator[tuple[int, str]]:
    for number, line in _prose_lines(text):
        for match in _LINK.finditer(line):
            yield number, match.group(1)


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_readme_is_short() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md: {len(lines)} lines; move reference to docs/"


def test_readme_has_a_table_of_contents_of_its_sections() -> None:
    text = README.read_text()
    sections = [
        _slug(match.group(2))
        for _, line in _prose_lines(text)
        if (match := _HEADING.match(line)) and match.group(1) == "##"
    ]
    assert "contents" in sections, "README.md needs a `## Contents` section"
    body = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"\]\(#([^)]+)\)", body)
    assert listed, "the table of contents links to no section"
    assert [anchor for anchor in listed if anchor not in sections] == []
    unlisted = [section for section in sections if section not in listed and section != "contents"]
    assert unlisted == []


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_prose_lines_are_wrapped(page: Path) -> None:
    long_lines = [
        number
        for number, line in _prose_lines(page.read_text())
        if len(line) > MAX_LINE and not line.lstrip().startswith("|")
    ]
    assert long_lines == [], f"{_name(page)}: lines over {MAX_LINE} characters: {long_lines}"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_relative_links_point_at_files_and_headings_that_exist(page: Path) -> None:
    text = page.read_text()
    dead = []
    for number, target in _links(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # http(s), mailto: not checked offline
        path_part, _, anchor = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.exists():
            dead.append(f"line {number}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked.read_text()):
            dead.append(f"line {number}: {target} (no such heading)")
    assert dead == [], f"{_name(page)}: {dead}"
