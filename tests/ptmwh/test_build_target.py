"""Each warehouse keeps its own dbt target directory, so its parse cache survives other builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptmwh import build
from ptmwh.settings import dbt_project_dir


def test_one_target_directory_per_warehouse_file(tmp_path: Path) -> None:
    first = build.warehouse_target_path(tmp_path / "a" / "warehouse.duckdb")
    again = build.warehouse_target_path(tmp_path / "a" / ".." / "a" / "warehouse.duckdb")
    other = build.warehouse_target_path(tmp_path / "b" / "warehouse.duckdb")
    assert first == again
    assert first != other
    assert first.parent == dbt_project_dir() / "target" / "warehouses"
    assert first.name.startswith("warehouse-")


class _Result:
    success = True
    result = None
    exception = None


@pytest.fixture
def dbt_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The argument lists `run_dbt` hands to dbt (which is not run)."""
    calls: list[list[str]] = []

    def fake_invoke(args: list[str], db_path: Path) -> _Result:
        calls.append(list(args))
        return _Result()

    monkeypatch.setattr(build, "invoke_dbt", fake_invoke)
    return calls


def test_run_dbt_passes_the_warehouse_target_path(
    tmp_path: Path, dbt_calls: list[list[str]]
) -> None:
    db_path = tmp_path / "w.duckdb"
    build.run_dbt(db_path, "build")
    args = dbt_calls[0]
    assert args[args.index("--target-path") + 1] == str(build.warehouse_target_path(db_path))
