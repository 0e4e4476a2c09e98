"""Fixtures of the CLI tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ptmwh import topics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeds(tmp_path, monkeypatch) -> Path:
    """A copy of the topic seeds the CLI reads and writes (the repository's stay unchanged),
    and a warehouse path of the test's own."""
    copy = tmp_path / "seeds"
    copy.mkdir()
    for name in ("topics.csv", "topic_tags.csv", "topic_tag_decisions.csv"):
        shutil.copy(ROOT / "dbt_project" / "seeds" / name, copy / name)
    monkeypatch.setattr(topics, "SEEDS_DIR", copy)
    monkeypatch.setenv("PTMWH_DB", str(tmp_path / "w.duckdb"))
    return copy
