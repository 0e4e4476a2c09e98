"""A loopback fake of the Stack Exchange API: real HTTP on 127.0.0.1, gzip, the API's wrapper.

`serve(dataset)` runs a threaded server in a background thread and yields its base URL (`.../2.3`).
The URL is a `str` that also carries `.requests` (every request served, for request-economy tests)
and `.backoff_violations`. A `FaultPlan` injects what the real API does on a bad day: `backoff`,
throttle
violations, 503s, malformed JSON, a spent quota, duplicates across pages and hostile items.
"""

from __future__ import annotations

import copy
import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .dataset import ApiDataset, Item
from .routes import ApiError, DatasetIndex, page_of, route

API_PREFIX = "/2.3"
KEYED_QUOTA = 10_000
ANONYMOUS_MAX_PAGE = 25
QUOTA_RESET_SECONDS = 43_200
"""What the fake says is left until the quota resets (the real API counts to UTC midnight)."""


@dataclass
class FaultPlan:
    """Faults to inject, keyed by the 1-based number of the request the server receives.

    Attributes:
        backoff: request number -> `backoff` seconds added to that response's wrapper; the server
            then refuses (throttle_violation) requests to the same method until the backoff passed.
        throttle: request number -> seconds in a 400 `throttle_violation` (error_id 502) answer.
        unavailable: request numbers answered with HTTP 503.
        malformed: request numbers answered with a truncated JSON body.
        quota_after: this request's response reports `quota_remaining` 0; later ones are refused.
        duplicate_across_pages: each page repeats the previous page's last item (shifting data).
        hostile: serve hostile question items: missing optional fields, nulls, a string id,
            HTML/script in titles and tags, and items with no usable id.
        huge_body_chars: when > 0, the first question served gets a body this long.
        delay_seconds: real sleep before each answer (lets a test kill a load mid-run).
        anonymous_quota: requests a day without a key. The real API allows 300; the default is as
            generous as a key so the offline demo (which has no key) is not cut short.
    """

    backoff: dict[int, int] = field(default_factory=dict)
    throttle: dict[int, int] = field(default_factory=dict)
    unavailable: set[int] = field(default_factory=set)
    malformed: set[int] = field(default_factory=set)
    quota_after: int | None = None
    duplicate_across_pages: bool = False
    hostile: bool = False
    huge_body_chars: int = 0
    delay_seconds: float = 0.0
    anonymous_quota: int = KEYED_QUOTA


@dataclass
class ServedRequest:
    """One request the fake received (the key is reduced to whether it was present)."""

    number: int
    path: str
    params: dict[str, str]
    status: int


class FakeApiUrl(str):
    """The base URL, plus the request log and the count of backoff violations seen."""

    requests: list[ServedRequest]
    state: _ServerState

    @property
    def backoff_violations(self) -> int:
        """Requests that arrived before a `backoff` the server had announced had passed."""
        return self.state.backoff_violations


class _SystemClock:
    def now(self) -> float:
        return time.monotonic()


@dataclass
class ManualClock:
    """A clock that moves only when someone sleeps on it: share it between the fake and the loader
    so that tests of `backoff` and throttling take no real time.

    Attributes:
        t: current time in seconds.
        slept: every sleep requested, in seconds, in order.
    """

    t: float = 0.0
    slept: list[float] = field(default_factory=list)

    def now(self) -> float:
        """Current fake time (seconds)."""
        return self.t

    def sleep(self, seconds: float) -> None:
        """Advance the fake time by `seconds` at once."""
        self.slept.append(seconds)
        self.t += seconds


@dataclass
class _ServerState:
    index: DatasetIndex
    faults: FaultPlan
    clock: Any
    requests: list[ServedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    not_before: dict[str, float] = field(default_factory=dict)
    backoff_violations: int = 0
    huge_body_served: bool = False


def _method(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] in ("questions", "answers", "tags"):
        parts[1] = "{ids}"
    return "/" + "/".join(parts)


def _hostile(item: Item, state: _ServerState) -> Item:
    """A deterministic hostile variant of a question item, chosen by its id."""
    if "question_id" not in item or "answer_id" in item:
        return item
    item = copy.deepcopy(item)
    kind = item["question_id"] % 8
    if kind == 0:
        for optional in ("owner", "content_license", "last_edit_date", "view_count", "body"):
            item.pop(optional, None)
    elif kind == 1:
        item.update({"owner": None, "accepted_answer_id": None, "closed_date": None, "title": None})
    elif kind == 2:
        item["question_id"] = str(item["question_id"])
    elif kind == 3:
        item["title"] = '<script>alert("x")</script> &amp; ' + str(item.get("title"))
        item["tags"] = [*item.get("tags", []), "<b>bold</b>"]
    elif kind == 4:
        item["question_id"] = "not-a-number"
    if state.faults.huge_body_chars and not state.huge_body_served:
        state.huge_body_served = True
        item["body"] = "<p>" + "x" * state.faults.huge_body_chars + "</p>"
    return item


def _answer(
    state: _ServerState, path: str, params: dict[str, str], number: int
) -> tuple[int, bytes]:
    faults = state.faults
    keyed = bool(params.get("key"))
    quota_max = KEYED_QUOTA if keyed else faults.anonymous_quota
    if faults.delay_seconds:
        time.sleep(faults.delay_seconds)
    if number in faults.unavailable:
        return 503, b"<html><body>Service Unavailable</body></html>"
    if number in faults.malformed:
        return 200, b'{"items": [{"question_id": 1, "title": "trunc'
    refused = faults.quota_after is not None and number > faults.quota_after
    if refused or number > quota_max:
        raise ApiError(
            502,
            "throttle_violation",
            "too many requests from this IP, more requests available in "
            f"{QUOTA_RESET_SECONDS} seconds",
        )
    if number in faults.throttle:
        seconds = faults.throttle[number]
        raise ApiError(
            502,
            "throttle_violation",
            f"too many requests from this IP, more requests available in {seconds} seconds",
        )
    method = _method(path)
    with state.lock:
        if state.clock.now() < state.not_before.get(method, float("-inf")):
            state.backoff_violations += 1
            raise ApiError(502, "throttle_violation", "Violation of backoff parameter")
    if not keyed and (int(params.get("page") or 1)) > ANONYMOUS_MAX_PAGE:
        raise ApiError(403, "access_denied", "page above 25 requires access token or app key")
    items, extra = route(state.index, path, params)
    if items is None:
        return 200, json.dumps(extra).encode()
    overlap = 1 if faults.duplicate_across_pages else 0
    page, has_more = page_of(items, params, overlap)
    if faults.hostile:
        page = [_hostile(i, state) for i in page]
    remaining = 0 if number == faults.quota_after else max(quota_max - number, 0)
    body: Item = {
        "items": page,
        "has_more": has_more,
        "quota_max": quota_max,
        "quota_remaining": remaining,
    }
    if number in faults.backoff:
        body["backoff"] = faults.backoff[number]
        with state.lock:
            state.not_before[method] = state.clock.now() + faults.backoff[number]
    return 200, json.dumps(body).encode()


def _handler(state: _ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = (
            True  # headers and body go out at once: no 40 ms delayed-ACK stall
        )

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            path = parts.path.removeprefix(API_PREFIX)
            with state.lock:
                number = len(state.requests) + 1
                record = ServedRequest(number, path, params, 0)
                state.requests.append(record)
            try:
                status, payload = _answer(state, path, params, number)
            except ApiError as exc:
                status, payload = exc.status, json.dumps(exc.body).encode()
            record.status = status
            record.params = {k: ("***" if k == "key" else v) for k, v in params.items()}
            data = gzip.compress(payload, compresslevel=1)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Silence per-request logging (URLs carry the key)."""

    return Handler


@contextmanager
def serve(
    dataset: ApiDataset, *, faults: FaultPlan | None = None, clock: Any = None
) -> Iterator[str]:
    """Serve `dataset` as the Stack Exchange API on 127.0.0.1 until the block ends.

    Args:
        dataset: what the API knows.
        faults: faults to inject (none by default).
        clock: object with `now()` (seconds) used to police `backoff`; share the loader's fake
            clock in tests so that a honoured backoff needs no real waiting.

    Yields:
        The base URL, e.g. `http://127.0.0.1:PORT/2.3` (a `FakeApiUrl` with the request log).
    """
    state = _ServerState(DatasetIndex(dataset), faults or FaultPlan(), clock or _SystemClock())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="fake-stackexchange-api", daemon=True
    )
    thread.start()
    url = FakeApiUrl(f"http://127.0.0.1:{server.server_address[1]}{API_PREFIX}")
    url.requests = state.requests
    url.state = state
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


__all__ = ["ApiDataset", "FakeApiUrl", "FaultPlan", "ManualClock", "ServedRequest", "serve"]
