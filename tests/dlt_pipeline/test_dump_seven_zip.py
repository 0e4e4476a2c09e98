"""Real `.7z` archives made by 7-Zip itself stream into the warehouse like the plain XML.

`.ci/run` installs Debian's `7zip`; without any 7-Zip program these tests are skipped, as the
browser test is without chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from dlt_pipeline.dump_runner import run_dump_load
from dlt_pipeline.results import LoadError
from study.window import Window

BEER = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "se-dump-beer"
WINDOWS = [Window(date(2014, 1, 1), date(2014, 12, 31))]
PROGRAM = next((p for p in map(shutil.which, ("7zz", "7z")) if p), None)
pytestmark = pytest.mark.skipif(PROGRAM is None, reason="no 7-Zip program (apt-get install 7zip)")


def _quiet(_line: str) -> None:
    """Progress sink for tests."""


def _archive(folder: Path, name: str, member: Path, member_name: str = "Posts.xml") -> Path:
    """Compress `member` as `member_name` into `folder/name` with the 7-Zip program itself."""
    staged = folder / "staged"
    staged.mkdir()
    shutil.copy(member, staged / member_name)
    archive = folder / name
    subprocess.run(
        [str(PROGRAM), "a", "-bd", "-bso0", str(archive), member_name], cwd=staged, check=True
    )
    return archive


def test_a_real_7z_archive_loads_the_same_rows_as_its_plain_xml(tmp_path: Path) -> None:
    archive = _archive(tmp_path, "beer.stackexchange.com.7z", BEER / "Posts.xml")
    from_7z = run_dump_load(tmp_path / "a.duckdb", archive, windows=WINDOWS, progress=_quiet)
    plain = run_dump_load(
        tmp_path / "b.duckdb", BEER / "Posts.xml", windows=WINDOWS, site="beer", progress=_quiet
    )
    rows = ET.parse(BEER / "Posts.xml").getroot()
    questions = sum(row.get("PostTypeId") == "1" for row in rows)
    answers = sum(row.get("PostTypeId") == "2" for row in rows)
    assert from_7z.row_counts == plain.row_counts
    assert (from_7z.row_counts["questions"], from_7z.row_counts["answers"]) == (questions, answers)


def test_an_archive_without_posts_xml_is_a_one_line_error(tmp_path: Path) -> None:
    archive = _archive(tmp_path, "beer.stackexchange.com.7z", BEER / "Tags.xml", "Tags.xml")
    with pytest.raises(LoadError, match=r"holds no Posts.xml") as raised:
        run_dump_load(tmp_path / "w.duckdb", archive, windows=WINDOWS, progress=_quiet)
    assert "\n" not in str(raised.value)


def test_a_corrupt_archive_is_a_one_line_error(tmp_path: Path) -> None:
    archive = tmp_path / "beer.stackexchange.com.7z"
    archive.write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 64)
    with pytest.raises(LoadError, match=r"7-Zip could not extract Posts.xml") as raised:
        run_dump_load(tmp_path / "w.duckdb", archive, windows=WINDOWS, progress=_quiet)
    assert "\n" not in str(raised.value)


def test_an_archive_parsed_in_workers_loads_what_one_process_loads(tmp_path: Path) -> None:
    archive = _archive(tmp_path, "beer.stackexchange.com.7z", BEER / "Posts.xml")
    loads = [
        run_dump_load(
            tmp_path / f"w{workers}.duckdb",
            archive,
            windows=WINDOWS,
            progress=_quiet,
            parse_workers=workers,
        )
        for workers in (1, 2)
    ]
    assert loads[0].row_counts == loads[1].row_counts
    assert loads[0].items_loaded == loads[1].items_loaded


def test_a_truncated_posts_xml_in_an_archive_fails_alike_in_workers(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes((BEER / "Posts.xml").read_bytes().rsplit(b"\n", 5)[0] + b"\n")
    archive = _archive(tmp_path, "beer.stackexchange.com.7z", truncated)
    messages = []
    for workers in (1, 2):
        with pytest.raises(LoadError) as raised:
            run_dump_load(
                tmp_path / f"w{workers}.duckdb",
                archive,
                windows=WINDOWS,
                progress=_quiet,
                parse_workers=workers,
            )
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert "corrupt or truncated at line" in messages[0]
