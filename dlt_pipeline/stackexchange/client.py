"""HTTP side of the Stack Exchange source: the API's rules (backoff, retries, quota) and paging.

Everything that talks to the network is here, so the resources only see page bodies and the run's
counters, and tests can drive it against a loopback fake with a fake clock.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import requests
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator

from . import settings

Item = dict[str, Any]


class Clock(Protocol):
    """Time source of the loader; tests inject a fake one so that backoff never really sleeps."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (a fake clock just advances `now`)."""


class SystemClock:
    """The real clock: `time.monotonic` and `time.sleep`."""

    def now(self) -> float:
        """Seconds since an arbitrary start (monotonic)."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Block for `seconds`."""
        time.sleep(seconds)


class ApiStop(Exception):
    """Stops every resource of the run; what was extracted so far is still loaded."""

    status = "failed"


class QuotaExhausted(ApiStop):
    """The daily quota (or an IP throttle lasting longer than a short wait) is spent."""

    status = "quota_exhausted"


class ApiFailure(ApiStop):
    """An error retries cannot fix (bad parameter, malformed JSON, server keeps failing)."""


@dataclass
class ApiRun:
    """Shared record of one load: counters for `load_runs`, the clock and the progress sink.

    Attributes:
        clock: time source for backoff and retries.
        progress: receives one human line per page or step.
        requests_made: HTTP requests sent, retries included.
        quota_remaining: the API's last `quota_remaining`.
        quota_max: the API's last `quota_max`.
        items: rows handed to dlt per raw table.
        skipped: items dropped per reason (`missing question_id`, `body truncated`, ...).
        stop: the exception that stopped the run early, if any.
        utc_now: wall-clock epoch seconds, the observation time of a response without a usable
            HTTP `Date` header (tests inject a fixed one).
    """

    clock: Clock = field(default_factory=SystemClock)
    progress: Callable[[str], None] = print
    requests_made: int = 0
    quota_remaining: int | None = None
    quota_max: int | None = None
    items: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    stop: ApiStop | None = None
    utc_now: Callable[[], float] = time.time

    @property
    def stopped(self) -> bool:
        """True once quota ran out or a fatal error happened."""
        return self.stop is not None

    def halt(self, exc: ApiStop) -> None:
        """Record the first reason to stop and tell the user."""
        if self.stop is None:
            self.stop = exc
            self.progress(f"stopping: {exc}")


def redact_url(url: str) -> str:
    """Return `url` without its `key` and `access_token` parameters, for messages and logs."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("key", "access_token")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def method_of(url: str) -> str:
    """The API method a URL calls, with vectorised ids/tags replaced (`/questions/{ids}/answers`).

    The API's `backoff` applies per method, so this is the key of the backoff table.
    """
    path = urlsplit(url).path
    path = path.split(settings.API_VERSION_PATH, 1)[-1]
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] in ("questions", "answers"):
        parts[1] = "{ids}"
    if len(parts) >= 2 and parts[0] == "tags":
        parts[1] = "{tags}"
    return "/" + "/".join(parts)


def encode_path_list(values: list[str] | list[int]) -> str:
    """`;`-join values for a vectorised path, each percent-encoded (`c#` -> `c%23`)."""
    return ";".join(quote(str(v), safe="") for v in values)


_SECONDS_RE = re.compile(r"available in (\d+) seconds")


def _retry_delay(attempt: int) -> float:
    """Bounded exponential backoff: 1, 2, 4, ... seconds, at most `RETRY_MAX_SECONDS`."""
    return min(settings.RETRY_BASE_SECONDS * 2 ** (attempt - 1), settings.RETRY_MAX_SECONDS)


def _seconds_to_utc_midnight() -> int:
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    return int((midnight - now).total_seconds())


def _quota_message(reason: str, wait_seconds: int | None = None) -> str:
    wait = _seconds_to_utc_midnight() if wait_seconds is None else wait_seconds
    resume_at = (datetime.now(UTC) + timedelta(seconds=wait)).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{reason}; everything loaded so far is kept; run the same command again after "
        f"{resume_at} (the daily quota resets at 00:00 UTC) and it resumes where it stopped"
    )


class ApiBody(dict[str, Any]):
    """A response's JSON body, plus when the server says it produced it.

    Attributes:
        observed_at: epoch seconds of the response's HTTP `Date` header (the run's wall clock
            when the header is missing or unreadable): when the items' counts were true.
    """

    observed_at: int = 0


def _observed_at(response: requests.Response, run: ApiRun) -> int:
    """Epoch seconds of the response's `Date` header, else of the run's wall clock."""
    try:
        return int(parsedate_to_datetime(response.headers["Date"]).timestamp())
    except (KeyError, TypeError, ValueError, IndexError):
        return int(run.utc_now())


def _parsed(body: Item) -> Callable[..., Item]:
    """A `Response.json` returning the body parsed once (dlt's paginator reads it twice)."""
    return lambda **_: body


class ApiSession(requests.Session):
    """A requests session that follows the Stack Exchange API's rules on every request.

    It waits out each method's `backoff`, retries 5xx/connection errors/throttle violations with
    bounded exponential backoff, parses the JSON once (clear error when it is malformed), tracks the
    quota and raises `QuotaExhausted` instead of spending a request the API would refuse. Every URL
    in a message has the key removed.
    """

    def __init__(self, run: ApiRun) -> None:
        super().__init__()
        self.run = run
        self.not_before: dict[str, float] = {}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send `request` under the API's rules; return a response whose `.json()` is pre-parsed."""
        url = redact_url(request.url or "")
        method = method_of(request.url or "")
        kwargs.setdefault("timeout", settings.REQUEST_TIMEOUT_SECONDS)
        attempt = 0
        while True:
            if self.run.quota_remaining == 0:
                raise QuotaExhausted(_quota_message("API quota exhausted (quota_remaining = 0)"))
            wait = self.not_before.get(method, 0.0) - self.run.clock.now()
            if wait > 0:
                self.run.progress(f"backoff: waiting {wait:.0f} s before the next {method}")
                self.run.clock.sleep(wait)
            attempt += 1
            self.run.requests_made += 1
            try:
                response = super().send(request, **kwargs)
            except requests.RequestException as exc:
                reason = f"{type(exc).__name__} on {url}"
                self._retry_or_fail(attempt, reason, "check base_url or retry later")
                continue
            if response.status_code >= 500:
                reason = f"HTTP {response.status_code} from {url}"
                self._retry_or_fail(attempt, reason, "the API is unavailable; retry later")
                continue
            try:
                body = json.loads(response.content)
                if not isinstance(body, dict):
                    raise ValueError(f"expected a JSON object, got {type(body).__name__}")
            except ValueError as exc:
                detail = str(exc)[:120]
                reason = f"malformed JSON from {url}: {detail}"
                self._retry_or_fail(attempt, reason, "retry later or report")
                continue
            if (response.status_code >= 400 or "error_id" in body) and self._handle_error(
                body, url, attempt
            ):
                continue
            self._record_wrapper(body, method)
            page = ApiBody(body)
            page.observed_at = _observed_at(response, self.run)
            response.json = _parsed(page)  # type: ignore[method-assign]
            return response

    def _retry_or_fail(self, attempt: int, reason: str, fix: str) -> None:
        if attempt > settings.MAX_RETRIES:
            raise ApiFailure(f"{reason} (after {settings.MAX_RETRIES} retries); {fix}")
        delay = _retry_delay(attempt)
        self.run.progress(f"retry {attempt}/{settings.MAX_RETRIES} in {delay:.0f} s: {reason}")
        self.run.clock.sleep(delay)

    def _handle_error(self, body: Item, url: str, attempt: int) -> bool:
        """Wait and return True for a retryable throttle; raise for anything else."""
        error_id = body.get("error_id")
        name = body.get("error_name", "error")
        message = str(body.get("error_message", ""))
        if error_id == settings.THROTTLE_ERROR_ID:
            match = _SECONDS_RE.search(message)
            seconds = int(match.group(1)) if match else None
            if seconds is not None and seconds > settings.MAX_THROTTLE_WAIT_SECONDS:
                raise QuotaExhausted(_quota_message(f"API throttle: {message}", seconds))
            if attempt > settings.MAX_RETRIES:
                raise QuotaExhausted(_quota_message(f"API keeps throttling: {message}"))
            delay = float(seconds) if seconds is not None else _retry_delay(attempt)
            self.run.progress(f"throttled ({message}); waiting {delay:.0f} s")
            self.run.clock.sleep(delay)
            return True
        fix = "fix the setting named in the message"
        if error_id == settings.ACCESS_DENIED_ERROR_ID:
            fix = "set a key (SOURCES__STACKEXCHANGE__KEY) or load a shorter date window"
        raise ApiFailure(f"API error {name} (error_id {error_id}) from {url}: {message}; {fix}")

    def _record_wrapper(self, body: Item, method: str) -> None:
        if isinstance(body.get("quota_remaining"), int):
            self.run.quota_remaining = body["quota_remaining"]
        if isinstance(body.get("quota_max"), int):
            self.run.quota_max = body["quota_max"]
        backoff = body.get("backoff")
        if isinstance(backoff, int | float) and backoff > 0:
            self.not_before[method] = self.run.clock.now() + float(backoff)


class StackExchangeClient:
    """dlt's REST client set up for the Stack Exchange API (page-number paging on `has_more`)."""

    def __init__(self, base_url: str, site: str, key: str | None, run: ApiRun) -> None:
        self.site = site
        self.key = key or None
        self.run = run
        self.rest = RESTClient(
            base_url=base_url.rstrip("/"),
            session=ApiSession(run),
            data_selector="items",
        )

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        full = {"site": self.site, **params}
        if self.key:
            full["key"] = self.key
        return full

    def pages(
        self, path: str, params: dict[str, Any], max_pages: int | None = None
    ) -> Iterator[ApiBody]:
        """Yield each page's JSON body of a paged call, from page 1 while `has_more`.

        Args:
            path: API path after the version, e.g. `/questions`.
            params: query parameters (site and key are added).
            max_pages: stop after this many pages even if `has_more` (anonymous page cap).
        """
        paginator = PageNumberPaginator(
            base_page=1, page_param="page", total_path=None, has_more_path="has_more"
        )
        # An empty response hook list replaces dlt's raise-for-status hook: ApiSession judges.
        chain = self.rest.paginate(
            path, params=self._params(params), paginator=paginator, hooks={"response": []}
        )
        for n, page in enumerate(chain, start=1):
            yield page.response.json()
            if max_pages is not None and n >= max_pages:
                return

    def get(self, path: str, params: dict[str, Any]) -> ApiBody:
        """One request; return its JSON body."""
        return self.rest.get(path, params=self._params(params)).json()

    @property
    def max_pages(self) -> int | None:
        """Pages one request chain may use: unlimited with a key, 25 without."""
        return None if self.key else settings.ANONYMOUS_MAX_PAGE
