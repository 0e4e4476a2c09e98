"""A loopback replay of the Stack Exchange API: real HTTP on 127.0.0.1, gzip, the API's wrapper.

`serve(dataset)` runs a threaded server in a background thread and yields its base URL (`.../2.3`).
The URL is a `str` that also carries `.requests` (every request served, for request-economy tests)
and `.backoff_violations`. The replay keeps the rules the real API enforces on every caller: the
daily quota, pages above 25 only with a key, and `backoff` once announced. `ReplayHooks` is where
a caller changes what is served (the tests' fault injection builds on it); `make demo` uses none.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from .dataset import ApiDataset, Item
from .routes import ApiError, DatasetIndex, page_of, route

API_PREFIX = "/2.3"
KEYED_QUOTA = 10_000
ANONYMOUS_MAX_PAGE = 25
QUOTA_RESET_SECONDS = 43_200
"""What the replay says is left until the quota resets (the real API counts to UTC midnight)."""


class Clock(Protocol):
    """What polices `backoff`: anything with `now()` in seconds (tests share a manual clock)."""

    def now(self) -> float:
        """Current time in seconds."""
        ...


@dataclass(frozen=True)
class Call:
    """One request as `ReplayHooks` see it.

    Attributes:
        number: 1-based number of the request the server received.
        path: the API method's path, without the `/2.3` prefix.
        params: the query parameters (the key included).
        quota_max: the daily quota that applies to this caller (keyed or not).
    """

    number: int
    path: str
    params: dict[str, str]
    quota_max: int


class ReplayHooks:
    """Extension points of the replay; these defaults serve the dataset as the real API would.

    Subclasses override what they change, so the server keeps one copy of the API's rules.
    """

    def before(self, call: Call) -> tuple[int, bytes] | None:
        """A raw (HTTP status, body) that replaces the normal answer, or None to answer normally.

        May raise `ApiError` to answer with an API error body instead.
        """
        return None

    def page_overlap(self) -> int:
        """Items each page repeats from the end of the previous one (0: pages are disjoint)."""
        return 0

    def served_items(self, page: list[Item]) -> list[Item]:
        """The items of one page as they go out."""
        return page

    def quota_remaining(self, call: Call, remaining: int) -> int:
        """The `quota_remaining` this answer reports, given what the quota leaves."""
        return remaining

    def backoff(self, call: Call) -> int | None:
        """Seconds of `backoff` to announce in this answer's wrapper (then policed), or None."""
        return None


def throttle_violation(seconds: int) -> ApiError:
    """The error the API answers to a caller it refuses for `seconds` (a spent quota or a burst)."""
    return ApiError(
        502,
        "throttle_violation",
        f"too many requests from this IP, more requests available in {seconds} seconds",
    )


@dataclass
class ServedRequest:
    """One request the replay received (the key is reduced to whether it was present)."""

    number: int
    path: str
    params: dict[str, str]
    status: int


class ReplayUrl(str):
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
class _ServerState:
    index: DatasetIndex
    hooks: ReplayHooks
    clock: Clock
    anonymous_quota: int
    requests: list[ServedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    not_before: dict[str, float] = field(default_factory=dict)
    backoff_violations: int = 0


def _method(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] in ("questions", "answers", "tags"):
        parts[1] = "{ids}"
    return "/" + "/".join(parts)


def _answer(
    state: _ServerState, path: str, params: dict[str, str], number: int
) -> tuple[int, bytes]:
    hooks = state.hooks
    keyed = bool(params.get("key"))
    call = Call(number, path, params, KEYED_QUOTA if keyed else state.anonymous_quota)
    replaced = hooks.before(call)
    if replaced is not None:
        return replaced
    if number > call.quota_max:
        raise throttle_violation(QUOTA_RESET_SECONDS)
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
    page, has_more = page_of(items, params, hooks.page_overlap())
    body: Item = {
        "items": hooks.served_items(page),
        "has_more": has_more,
        "quota_max": call.quota_max,
        "quota_remaining": hooks.quota_remaining(call, max(call.quota_max - number, 0)),
    }
    backoff = hooks.backoff(call)
    if backoff is not None:
        body["backoff"] = backoff
        with state.lock:
            state.not_before[method] = state.clock.now() + backoff
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

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The `Date` header: the dataset's crawl time when it has one, as a crawl would see."""
            crawled = state.index.dataset.collected_at
            if crawled is None:
                return super().date_time_string(timestamp)
            return formatdate(crawled, usegmt=True)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Silence per-request logging (URLs carry the key)."""

    return Handler


@contextmanager
def serve(
    dataset: ApiDataset,
    *,
    hooks: ReplayHooks | None = None,
    clock: Clock | None = None,
    anonymous_quota: int = KEYED_QUOTA,
) -> Iterator[ReplayUrl]:
    """Serve `dataset` as the Stack Exchange API on 127.0.0.1 until the block ends.

    Args:
        dataset: what the API knows.
        hooks: changes to what is served (none by default).
        clock: what polices `backoff`; share the loader's fake clock in tests so that a honoured
            backoff needs no real waiting.
        anonymous_quota: requests a day without a key. The real API allows 300; the default is as
            generous as a key so the offline demo (which has no key) is not cut short.

    Yields:
        The base URL, e.g. `http://127.0.0.1:PORT/2.3` (a `ReplayUrl` with the request log).
    """
    state = _ServerState(
        DatasetIndex(dataset), hooks or ReplayHooks(), clock or _SystemClock(), anonymous_quota
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="stackexchange-api-replay", daemon=True
    )
    thread.start()
    url = ReplayUrl(f"http://127.0.0.1:{server.server_address[1]}{API_PREFIX}")
    url.requests = state.requests
    url.state = state
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


__all__ = [
    "ApiDataset",
    "ApiError",
    "Call",
    "Clock",
    "ReplayHooks",
    "ReplayUrl",
    "ServedRequest",
    "serve",
    "throttle_violation",
]
