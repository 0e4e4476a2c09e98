"""The synthetic Posts.xml has the dump's layout and the intended question/answer structure."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from benchmarks.dump_posts_xml import generate_rows, write_posts_xml

ROWS = 20_000


def _parse(path: Path) -> list[dict[str, str]]:
    return [row.attrib for row in ElementTree.parse(path).getroot()]


def test_posts_structure(tmp_path: Path) -> None:
    """Ids ascend; ~42% questions, ~45% of them accepted; answers point at earlier questions."""
    posts = _parse(write_posts_xml(tmp_path / "Posts.xml", ROWS, seed=3))
    assert [int(post["Id"]) for post in posts] == list(range(1, ROWS + 1))
    dates = [post["CreationDate"] for post in posts]
    assert dates == sorted(dates)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", dates[-1])
    questions = {int(post["Id"]): post for post in posts if post["PostTypeId"] == "1"}
    answers = {int(post["Id"]): post for post in posts if post["PostTypeId"] == "2"}
    assert len(questions) + len(answers) == ROWS
    assert 0.40 < len(questions) / ROWS < 0.44
    accepted = {
        qid: int(q["AcceptedAnswerId"]) for qid, q in questions.items() if "AcceptedAnswerId" in q
    }
    assert 0.42 < len(accepted) / len(questions) < 0.48
    for question_id, answer_id in accepted.items():
        assert answer_id > question_id
        assert int(answers[answer_id]["ParentId"]) == question_id
    for answer_id, answer in answers.items():
        parent = int(answer["ParentId"])
        assert parent < answer_id and parent in questions
    assert all(post["Body"].startswith("<p>") for post in posts)
    assert all(re.fullmatch(r"(<[^<>]+>){1,5}", q["Tags"]) for q in questions.values())


def test_same_seed_same_rows() -> None:
    """The file is a pure function of the seed."""
    assert list(generate_rows(500, seed=9)) == list(generate_rows(500, seed=9))
    assert list(generate_rows(500, seed=9)) != list(generate_rows(500, seed=10))
