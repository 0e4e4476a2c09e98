"""`ptmwh snowball`: decisions recorded in the seeds idempotently, bad requests refused in one line.

The dbt build, the mart and the current round (int_tag_selection_rounds) are stubbed (the models
are tested against a plain-Python snowball in tests/dbt_project/test_tag_selection.py); what is
tested here is what the verb writes and says.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ptmwh import cli, snowball
from ptmwh.snowball import Candidate, RoundView

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "dbt_project" / "seeds"


@pytest.fixture
def decision_seeds(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The topic seeds' copy plus the decisions seed; no dbt build, a fixed set of candidates."""
    shutil.copy(SEEDS / "topic_tag_decisions.csv", seeds / "topic_tag_decisions.csv")
    builds: list[Path] = []
    monkeypatch.setattr(snowball, "_build_selection", builds.append)

    def fake_round(db_path: Path, topic: str, round_number: int) -> RoundView:
        candidates = [
            Candidate("apache-beam", 120, "site_tag_count", 30, 0.25, 0.1, 1, None, None),
            Candidate("java", 9000, "site_tag_count", 80, 0.01, 0.3, 2, None, None),
        ]
        return RoundView(round_number, candidates, 12, 300)

    def fake_current_round(db_path: Path, topic: str) -> int:
        """int_tag_selection_rounds' rule on the seed copy (the model is tested in dbt_project)."""
        decisions = [d for d in snowball.read_decisions(seeds) if d.topic == topic]
        if not decisions:
            return 1
        last = max(d.round for d in decisions)
        return last + any(d.decision == "accept" for d in decisions if d.round == last)

    monkeypatch.setattr(snowball, "read_round", fake_round)
    monkeypatch.setattr(snowball, "read_current_round", fake_current_round)
    return seeds


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _decisions(seeds: Path, topic: str) -> list[tuple[str, str, str, str]]:
    return [
        (row["round"], row["tag"], row["decision"], row["reason"])
        for row in _rows(seeds / "topic_tag_decisions.csv")
        if row["topic"] == topic
    ]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["snowball", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_round_without_decisions_prints_the_candidates(decision_seeds, capsys):
    status, out, _ = _run(capsys, "--topic", "bigdata")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "bigdata round 1 (12 tags, 300 questions)"
    assert lines[1].split() == [
        "tag", "questions", "together", "significance", "relevance", "related", "decided"
    ]  # fmt: skip
    assert lines[2].split() == ["apache-beam", "120*", "30", "0.250", "0.100", "1"]
    assert lines[-1].startswith("bigdata round 1: 2 candidates, 2 undecided; decide with")


def test_two_rounds_end_with_selection_complete(decision_seeds, capsys):
    status, out, _ = _run(capsys, "--topic", "bigdata", "--accept", "apache-beam")
    assert status == 0
    assert out.splitlines()[-1] == (
        "bigdata round 1: accepted apache-beam. Next: `ptmwh load --topic bigdata` fetches the "
        "new tags' questions and related tags, then `ptmwh snowball --topic bigdata` shows round 2"
    )
    tags = [r for r in _rows(decision_seeds / "topic_tags.csv") if r["topic"] == "bigdata"]
    assert tags[-1] == {
        "topic": "bigdata", "tag": "apache-beam", "tag_kind": "other", "in_initial_set": "false"
    }  # fmt: skip

    status, out, _ = _run(
        capsys, "--topic", "bigdata", "--reject", "java", "--reason", "a general language"
    )
    assert status == 0
    assert out.splitlines()[0].startswith("bigdata round 2 (")
    assert out.splitlines()[-1] == (
        "bigdata round 2: rejected java; no tag accepted in round 2: the selection is complete "
        "(13 tags)"
    )
    assert _decisions(decision_seeds, "bigdata") == [
        ("1", "apache-beam", "accept", ""),
        ("2", "java", "reject", "a general language"),
    ]
    status, out, _ = _run(capsys, "--topic", "bigdata")
    assert out.splitlines()[-1] == "bigdata: the selection is complete: round 2 accepted no tag"


def test_recording_is_idempotent(decision_seeds, capsys):
    args = ("--topic", "bigdata", "--accept", "apache-beam", "--tag-kind", "framework")
    assert _run(capsys, *args)[0] == 0
    before_tags = (decision_seeds / "topic_tags.csv").read_text()
    before_decisions = (decision_seeds / "topic_tag_decisions.csv").read_text()
    status, out, _ = _run(capsys, *args)
    assert status == 0
    assert out.splitlines()[-1] == (
        "bigdata round 2: nothing new to record; "
        "already recorded: apache-beam (accepted in round 1)"
    )
    assert (decision_seeds / "topic_tags.csv").read_text() == before_tags
    assert (decision_seeds / "topic_tag_decisions.csv").read_text() == before_decisions
    reject = ("--topic", "bigdata", "--reject", "java", "--reason", "general")
    assert _run(capsys, *reject)[0] == 0
    assert _run(capsys, *reject)[0] == 0
    assert _decisions(decision_seeds, "bigdata").count(("2", "java", "reject", "general")) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "nope"], "unknown topic 'nope': `ptmwh topics` lists them"),
        (
            ["--topic", "bigdata", "--accept", "hadoop"],
            "hadoop is already a tag of bigdata; candidates are tags outside its tag set",
        ),
        (
            ["--topic", "bigdata", "--accept", "big data"],
            "bad tag 'big data': Stack Exchange tags are lower-case, e.g. apache-spark",
        ),
        (
            ["--topic", "bigdata", "--reject", "java"],
            "--reject needs --reason TEXT saying why the tags are not on topic",
        ),
        (
            ["--topic", "bigdata", "--accept", "java", "--reject", "java", "--reason", "x"],
            "java both accepted and rejected: decide each tag once",
        ),
    ],
)
def test_bad_requests_are_refused_in_one_line_before_anything_runs(
    decision_seeds, capsys, args, message
):
    before = (decision_seeds / "topic_tag_decisions.csv").read_text()
    status, out, err = _run(capsys, *args)
    assert status == 1
    assert out == ""
    assert err == f"ptmwh snowball: error: {message}\n"
    assert (decision_seeds / "topic_tag_decisions.csv").read_text() == before


def test_the_ptm_decisions_accept_exactly_the_non_initial_seed_tags():
    """§III: the 8 tags added to the 10 initial ones are the accepted ones, per topic."""
    non_initial = {
        (row["topic"], row["tag"])
        for row in _rows(SEEDS / "topic_tags.csv")
        if row["in_initial_set"] == "false"
    }
    accepted = [
        (row["topic"], row["tag"])
        for row in _rows(SEEDS / "topic_tag_decisions.csv")
        if row["decision"] == "accept"
    ]
    assert len(accepted) == len(set(accepted))
    assert set(accepted) == non_initial
    assert len([tag for topic, tag in accepted if topic == "ptm"]) == 8
    ptm = [row for row in _rows(SEEDS / "topic_tag_decisions.csv") if row["topic"] == "ptm"]
    last_round = max(int(row["round"]) for row in ptm)
    assert last_round >= 2
    assert all(row["decision"] == "reject" for row in ptm if int(row["round"]) == last_round)
    assert all(row["reason"] for row in ptm if row["decision"] == "reject")
