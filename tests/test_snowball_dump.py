"""`ptmwh snowball` on a topic loaded from a dump: the dump holds the site's whole population in the
topic's window, so every candidate's questions and significance come from the loaded window.

Through the CLI and dbt on the real beer dump, with a copy of the dbt project (its seeds included);
the expected counts are read from the XML with ElementTree, not from the loader or the marts.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli, topics

ROOT = Path(__file__).resolve().parents[1]
BEER = ROOT / "tests" / "fixtures" / "real" / "se-dump-beer" / "Posts.xml"
TOPIC_TAGS = {"brewing", "taste", "history"}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _window_tag_counts() -> tuple[Counter[str], Counter[str]]:
    """Questions created in 2014 per tag, and per tag among those carrying a topic tag (XML)."""
    counts: Counter[str] = Counter()
    together: Counter[str] = Counter()
    for row in ET.parse(BEER).getroot():
        if row.get("PostTypeId") == "1" and row.get("CreationDate", "").startswith("2014-"):
            tags = {tag.lower() for tag in re.findall(r"<([^>]+)>", row.get("Tags", ""))}
            counts.update(tags)
            if tags & TOPIC_TAGS:
                together.update(tags - TOPIC_TAGS)
    return counts, together


def test_snowball_candidates_of_a_dump_topic_have_the_windows_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(topics, "SEEDS_DIR", project / "seeds")
    monkeypatch.setenv("PTMWH_DBT_PROJECT_DIR", str(project))
    monkeypatch.setenv("PTMWH_DB", str(tmp_path / "w.duckdb"))
    add = ["topic", "add", "brewing", "--tags", ",".join(sorted(TOPIC_TAGS)), "--site", "beer",
           "--from", "2014-01-01", "--to", "2014-12-31"]  # fmt: skip
    assert cli.main(add) == 0
    assert cli.main(["load-dump", str(BEER), "--site", "beer"]) == 0
    capsys.readouterr()
    assert cli.main(["snowball", "--topic", "brewing", "--limit", "1000"]) == 0
    out = capsys.readouterr().out
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select tag, n_questions, n_questions_source, n_questions_together, significance "
            "from marts.rpt_tag_selection where topic = 'brewing' and round = 1 order by tag"
        ).fetchall()
    counts, together = _window_tag_counts()
    assert rows and {row[0] for row in rows} == set(together)
    for tag, n_questions, source, n_together, significance in rows:
        assert (n_questions, source, n_together) == (counts[tag], "loaded_questions", together[tag])
        assert significance == pytest.approx(together[tag] / counts[tag])
    table = out.splitlines()[2:-2]  # the round line and header; the legend and status line
    assert len(table) == len(rows)
    assert all(line.split()[1] == str(counts[line.split()[0]]) for line in table)
    assert "?" not in "".join(line.split()[1] for line in table)
