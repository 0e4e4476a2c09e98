"""What every test process shares: `make test` runs the suite in two pytest-xdist workers.

The suite is mostly dbt builds, whose time is dbt's single-threaded Python (parse, compile, one
small DuckDB query per node), and the Spark equality test, whose JVM plans one small job after
another: two processes keep both cores busy (docs/CONTRIBUTING.md, "Test and lint").
"""

from __future__ import annotations

import os
import tempfile

import pytest

SLOWEST_FIRST = (
    "tests/spark/",
    "tests/test_dump_snapshots_marts.py",
    "tests/test_end_to_end.py",
    "tests/test_new_topic.py",
    "tests/dbt_project/test_multi_topic.py",
)
"""Modules that take minutes on their own, slowest first: started before the rest, so the many short
modules fill both workers at the end instead of one long module finishing alone."""


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker its own dbt target and log folders.

    dbt writes its manifest, partial-parse cache, compiled SQL and `run_results.json` under the
    project's `target/`; two workers building at once would overwrite each other's files there.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    root = tempfile.mkdtemp(prefix=f"ptmwh-dbt-{worker}-")
    os.environ["DBT_TARGET_PATH"] = os.path.join(root, "target")
    os.environ["DBT_LOG_PATH"] = os.path.join(root, "logs")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slowest modules first (xdist hands modules out in collection order)."""

    def rank(item: pytest.Item) -> int:
        starts = [i for i, prefix in enumerate(SLOWEST_FIRST) if item.nodeid.startswith(prefix)]
        return starts[0] if starts else len(SLOWEST_FIRST)

    items.sort(key=rank)
