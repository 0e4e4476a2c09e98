"""dbt's profile finds the repository's warehouse wherever dbt is started, without `ptmwh`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository's layout: the real profiles (and the root's link to them), a tiny dbt project,
    and `data/warehouse.duckdb` holding one marker row."""
    project = tmp_path / "dbt_project"
    project.mkdir()
    shutil.copy(ROOT / "dbt_project" / "profiles.yml", project / "profiles.yml")
    (project / "dbt_project.yml").write_text(
        "name: ptm_warehouse\nversion: '1.0'\nconfig-version: 2\nprofile: ptm_warehouse\n"
    )
    root_link = ROOT / "profiles.yml"
    assert root_link.is_symlink(), "the root's profiles.yml links to dbt_project/profiles.yml"
    (tmp_path / "profiles.yml").symlink_to(os.readlink(root_link))
    (tmp_path / "data").mkdir()
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb")) as connection:
        connection.execute("create table marker as select 'repo-data' as found")
    return tmp_path


def _show(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PTMWH_DB"}
    env.pop("DBT_PROFILES_DIR", None)
    command = [str(DBT), "show", "--inline", "select found from marker", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("folder", "args"),
    [
        (".", ("--project-dir", "dbt_project")),
        ("dbt_project", ()),
        ("..", ("--project-dir", "{repo}/dbt_project", "--profiles-dir", "{repo}/dbt_project")),
    ],
    ids=["repository-root", "project-folder", "elsewhere"],
)
def test_the_profile_finds_the_warehouse_from_any_folder(
    repository: Path, folder: str, args: tuple[str, ...]
) -> None:
    arguments = [arg.format(repo=repository) for arg in args]
    result = _show(repository / folder, *arguments)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "repo-data" in result.stdout
    assert sorted(path.name for path in (repository / "data").iterdir()) == ["warehouse.duckdb"]
