"""dbt's sources yml and docs/contracts.md describe exactly the raw contract's columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dlt_pipeline.raw_contract import RAW_TABLES

ROOT = Path(__file__).resolve().parents[2]
SOURCES_YML = ROOT / "dbt_project/models/staging/stackexchange/_stackexchange__sources.yml"
CONTRACTS_MD = ROOT / "docs/contracts.md"


def _yml_tables() -> dict[str, list[str]]:
    (source,) = yaml.safe_load(SOURCES_YML.read_text())["sources"]
    return {t["name"]: [c["name"] for c in t.get("columns", [])] for t in source["tables"]}


def test_sources_yml_lists_every_raw_table():
    assert set(_yml_tables()) - {"_dlt_loads"} == set(RAW_TABLES)


@pytest.mark.parametrize("table", list(RAW_TABLES))
def test_sources_yml_lists_exactly_the_contract_columns(table: str):
    assert _yml_tables()[table] == RAW_TABLES[table].schema.names


@pytest.mark.parametrize("table", list(RAW_TABLES))
def test_contracts_md_lists_exactly_the_contract_columns_and_key(table: str):
    row = re.search(rf"^\| `{table}` \| (.+?) \| (.+?) \|$", CONTRACTS_MD.read_text(), re.M)
    assert row is not None, f"docs/contracts.md has no row for {table}"
    key, columns = row.groups()
    # Each entry starts with the column's name; notes in parentheses and after a period are not.
    entries = re.sub(r"\([^)]*\)", "", columns).split(".")[0].split(",")
    names = [entry.strip() for entry in entries]
    assert names == RAW_TABLES[table].schema.names
    primary = RAW_TABLES[table].primary_key
    assert re.findall(r"`(\w+)`", key) == ([primary] if isinstance(primary, str) else primary)
