"""The report opens from disk in headless Chromium: no console error, no request leaving it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from devtools_pipe import find_chromium, inspect_page

from reports.renderer import render_report

pytestmark = pytest.mark.browser

# the latest screenshot, to look at after `make test` (git-ignored; README shows the demo's)
_LATEST_SCREENSHOT = Path(__file__).resolve().parents[2] / "reports" / "site" / "screenshot.png"


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "!!! CHROMIUM NOT FOUND: the browser test of the report did NOT run. Install Debian's "
            "`chromium` (apt-get install chromium) or set CHROMIUM=/path/to/chromium !!!"
        )
    return found


def test_the_checker_sees_console_errors_and_outside_requests(chromium: str, tmp_path: Path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><body><script>console.error("boom")</script>'
        '<img src="http://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    report = inspect_page(chromium, page.as_uri(), tmp_path / "profile")
    assert "console: boom" in report.console_errors
    assert "http://example.invalid/x.png" in report.requests


def test_report_loads_cleanly_in_chromium(chromium: str, fixture_db: Path, tmp_path: Path):
    result = render_report(
        fixture_db, tmp_path / "site", generated_at=datetime(2024, 2, 3, tzinfo=UTC)
    )
    url = result.html_path.as_uri()
    report = inspect_page(chromium, url, tmp_path / "profile")
    assert report.console_errors == []
    assert report.requests == [url]
    assert report.title == "ptm-warehouse report: concurrency, ptm"
    assert report.screenshot_png.startswith(b"\x89PNG")
    own_copy = tmp_path / "screenshot.png"
    own_copy.write_bytes(report.screenshot_png)
    _LATEST_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(own_copy, _LATEST_SCREENSHOT)
