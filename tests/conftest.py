"""What every test process shares: `make test` runs the suite in two pytest-xdist workers.

The suite is mostly dbt builds, whose time is dbt's single-threaded Python (parse, compile, one
small DuckDB query per node), and the Spark equality test, whose JVM plans one small job after
another: two processes keep both cores busy (docs/CONTRIBUTING.md, "Test and lint").
"""

from __future__ import annotations

import os
import tempfile

import pytest

SLOWEST_FIRST = ("tests/spark/",)
"""Modules that take minutes on their own: started first, so the other worker runs everything else
beside them instead of one of them being the last to finish."""


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
    items.sort(key=lambda item: not item.nodeid.startswith(SLOWEST_FIRST))
