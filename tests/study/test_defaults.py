"""The study's defaults where another language restates them: dbt cannot import Python."""

from __future__ import annotations

from pathlib import Path

import yaml

from study.defaults import TAG_KINDS

SEEDS_YML = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "_seeds.yml"


def test_the_seed_test_accepts_exactly_the_tag_kinds() -> None:
    seeds = {seed["name"]: seed for seed in yaml.safe_load(SEEDS_YML.read_text())["seeds"]}
    column = next(c for c in seeds["topic_tags"]["columns"] if c["name"] == "tag_kind")
    tests = [test for test in column["data_tests"] if isinstance(test, dict)]
    (accepted,) = [test["accepted_values"] for test in tests if "accepted_values" in test]
    assert tuple(accepted["arguments"]["values"]) == TAG_KINDS
