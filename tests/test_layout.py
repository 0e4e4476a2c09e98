"""The repository's layout holds: what ships, and who may import whom (docs/ARCHITECTURE.md).

The import rules are read from the table in docs/ARCHITECTURE.md, so the document and the code
cannot drift apart silently: a rule added there is checked here.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from setuptools import find_namespace_packages, find_packages

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
INSTALLED = {"study", "dlt_pipeline", "analysis_py", "reports", "demo", "ptmwh"}
"""The top-level packages a wheel carries; tests and benchmarks never ship."""


def _installed_packages() -> list[str]:
    """The packages setuptools puts in the wheel, found as `pyproject.toml` tells it to."""
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    options = find["find"]
    finder = find_namespace_packages if options.get("namespaces", True) else find_packages
    return finder(
        where=str(ROOT / options.get("where", ["."])[0]),
        include=options.get("include", ["*"]),
        exclude=options.get("exclude", []),
    )


def test_the_wheel_carries_the_parts_and_no_test_code() -> None:
    packages = _installed_packages()
    assert {name.split(".")[0] for name in packages} == INSTALLED
    assert not [name for name in packages if name.split(".")[0] in ("tests", "benchmarks")]
    assert "demo.replay_api" in packages and "demo.synthetic" in packages


def test_the_loader_package_holds_loaders_only() -> None:
    names = {
        path.stem for path in (ROOT / "dlt_pipeline").rglob("*") if "__pycache__" not in path.parts
    }
    assert not names & {"fake_api", "synthetic", "small_dataset", "faults", "clock"}


def _import_rules() -> dict[str, set[str]]:
    """package -> the packages it must not import, from the table of docs/ARCHITECTURE.md."""
    rules: dict[str, set[str]] = {}
    for line in ARCHITECTURE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\w+`", cells[0]):
            rules[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[2]))
    return rules


def _imported_top_levels(path: Path) -> set[str]:
    """Top-level names of every absolute import in a module, wherever it sits in the code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_architecture_lists_a_rule_for_every_package() -> None:
    assert set(_import_rules()) == INSTALLED | {"benchmarks", "tests"}


@pytest.mark.parametrize("package", sorted(INSTALLED | {"benchmarks"}))
def test_a_package_imports_nothing_the_architecture_forbids(package: str) -> None:
    forbidden = _import_rules()[package]
    assert forbidden, f"docs/ARCHITECTURE.md forbids {package} nothing"
    offences = {
        str(path.relative_to(ROOT)): sorted(_imported_top_levels(path) & forbidden)
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {module: names for module, names in offences.items() if names} == {}
