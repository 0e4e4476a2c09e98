"""Drive headless Chromium over the DevTools protocol on a pipe, with no Python dependency.

`--remote-debugging-pipe` makes Chromium read NUL-terminated JSON commands on fd 3 and write replies
and events on fd 4, so the standard library is enough to open a page, watch its console and network,
and take a full-page screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """Path of a Chromium executable: env `CHROMIUM`, then the usual names on PATH."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return shutil.which(configured)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    """What a page did while it loaded."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot_png: bytes = b""
    title: str = ""


class _Pipe:
    """Send commands to and read messages from a Chromium started with --remote-debugging-pipe."""

    def __init__(self, chromium: str, user_data_dir: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def put_pipes_on_fds_3_and_4() -> None:
            # Copy above 10 first so that moving one end onto 3 or 4 cannot clobber the other.
            read_copy = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            write_copy = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(read_copy, 3)
            os.dup2(write_copy, 4)

        # close_fds=False keeps fds 3 and 4; Python's own fds are non-inheritable (PEP 446).
        self._process = subprocess.Popen(
            [chromium, *_FLAGS, f"--user-data-dir={user_data_dir}"],
            preexec_fn=put_pipes_on_fds_3_and_4,  # safe: the tests start no threads
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and wait for its reply (events seen meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(deadline=time.monotonic() + 30)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> None:
        """Read events until `method` arrives."""
        deadline = time.monotonic() + timeout
        while not any(event.get("method") == method for event in self.events):
            self.events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        """Ask the browser to quit, then make sure the process we started is gone."""
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def inspect_page(chromium: str, url: str, user_data_dir: Path, width: int = 1000) -> PageReport:
    """Load `url` in headless Chromium; return console errors, requested URLs and a screenshot.

    Args:
        chromium: the browser executable.
        url: the page, usually a `file://` URL.
        user_data_dir: a fresh profile directory (tmp), so no state leaks between runs.
        width: viewport width in CSS pixels; the screenshot covers the full page height.
    """
    pipe = _Pipe(chromium, user_data_dir)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})
        session = pipe.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        pipe.events.clear()
        pipe.send("Page.navigate", {"url": url}, session=session)
        pipe.wait_for("Page.loadEventFired", timeout=30)
        title = pipe.send(
            "Runtime.evaluate", {"expression": "document.title", "returnByValue": True}, session
        )["result"]["value"]
        size = pipe.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
        shot = pipe.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1},
            },
            session=session,
        )
        report = PageReport(screenshot_png=base64.b64decode(shot["data"]), title=title)
        _collect(pipe.events, report)
        return report
    finally:
        pipe.close()


def _collect(events: list[dict[str, Any]], report: PageReport) -> None:
    """Sort DevTools events into console errors and requested URLs."""
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            texts = [str(arg.get("value", arg.get("description", ""))) for arg in params["args"]]
            report.console_errors.append("console: " + " ".join(texts))
        elif method == "Runtime.exceptionThrown":
            report.console_errors.append("exception: " + params["exceptionDetails"]["text"])
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            report.console_errors.append(f"log: {params['entry']['text']}")
        elif method == "Network.requestWillBeSent":
            report.requests.append(params["request"]["url"])
