"""The API client's rules over loopback HTTP: paging, backoff, throttle, 503, quota, errors."""

from __future__ import annotations

import pytest

from dlt_pipeline.stackexchange.client import (
    ApiFailure,
    ApiRun,
    QuotaExhausted,
    StackExchangeClient,
    encode_path_list,
    method_of,
    redact_url,
)
from dlt_pipeline.stackexchange.sampling import baseline_sample_size
from tests.fakes import FaultPlan, ManualClock, make_dataset, serve

DATASET = make_dataset({"c#": 250, "c++": 40, ".net": 15}, shared=5)


def _client(
    url: str, clock: ManualClock, key: str | None = "k3y"
) -> tuple[StackExchangeClient, ApiRun]:
    run = ApiRun(clock=clock, progress=lambda line: None)
    return StackExchangeClient(url, "stackoverflow.com", key, run), run


def _ids(client: StackExchangeClient, tag: str) -> list[int]:
    params = {"tagged": tag, "sort": "creation", "order": "asc", "pagesize": 100}
    return [i["question_id"] for body in client.pages("/questions", params) for i in body["items"]]


def test_pages_follow_has_more_and_encode_special_tags():
    clock = ManualClock()
    with serve(DATASET, clock=clock) as url:
        client, run = _client(url, clock)
        ids = _ids(client, "c#")
        tagged = [r.params["tagged"] for r in url.requests]
    assert len(ids) == len(set(ids)) == 255
    assert run.requests_made == 3
    assert tagged == ["c#"] * 3
    assert encode_path_list(["c#", "c++", ".net"]) == "c%23;c%2B%2B;.net"


def test_backoff_is_honoured_with_an_injected_clock():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(backoff={1: 7}), clock=clock) as url:
        client, _ = _client(url, clock)
        ids = _ids(client, "c#")
        violations = url.backoff_violations
    assert len(ids) == 255
    assert violations == 0
    assert clock.slept == [7.0]


def test_throttle_violation_waits_the_seconds_it_names_then_succeeds():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(throttle={2: 30}), clock=clock) as url:
        client, run = _client(url, clock)
        ids = _ids(client, "c#")
        statuses = [r.status for r in url.requests]
    assert len(ids) == 255
    assert clock.slept == [30.0]
    assert statuses == [200, 400, 200, 200]
    assert run.requests_made == 4


def test_503_is_retried_with_backoff_then_succeeds():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(unavailable={1, 2}), clock=clock) as url:
        client, _ = _client(url, clock)
        ids = _ids(client, "c++")
    assert len(ids) == 45
    assert clock.slept == [1.0, 2.0]


def test_malformed_json_is_a_clear_error_without_the_key():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(malformed=set(range(1, 20))), clock=clock) as url:
        client, _ = _client(url, clock, key="SECRET-KEY-123")
        with pytest.raises(ApiFailure) as info:
            _ids(client, "c#")
    message = str(info.value)
    assert message.startswith("malformed JSON from http://127.0.0.1:")
    assert "/2.3/questions?" in message and "retry later or report" in message
    assert "SECRET-KEY-123" not in message


def test_spent_quota_stops_before_a_refused_request():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(quota_after=2), clock=clock) as url:
        client, run = _client(url, clock)
        with pytest.raises(QuotaExhausted) as info:
            _ids(client, "c#")
    assert run.requests_made == 2
    assert run.quota_remaining == 0
    assert "00:00 UTC" in str(info.value)


def test_long_throttle_means_quota_exhausted():
    clock = ManualClock()
    with serve(DATASET, faults=FaultPlan(throttle={1: 76366}), clock=clock) as url:
        client, _ = _client(url, clock)
        with pytest.raises(QuotaExhausted, match="76366 seconds"):
            _ids(client, "c#")
    assert clock.slept == []


def test_anonymous_page_above_25_is_access_denied():
    dataset = make_dataset({"python": 2_700}, max_answers=0)
    clock = ManualClock()
    with serve(dataset, clock=clock) as url:
        client, _ = _client(url, clock, key=None)
        params = {"tagged": "python", "pagesize": 100, "page": 26}
        with pytest.raises(ApiFailure, match="access_denied .*page above 25.*set a key"):
            client.get("/questions", params)


def test_url_helpers():
    assert (
        redact_url("http://h/2.3/questions?site=so&key=abc&page=2")
        == "http://h/2.3/questions?site=so&page=2"
    )
    assert method_of("http://h/2.3/questions/1;2;3/answers?key=x") == "/questions/{ids}/answers"
    assert method_of("http://h/2.3/tags/c%23/info") == "/tags/{tags}/info"


def test_baseline_sample_size_is_cochrans_for_one_point_at_95_percent():
    assert baseline_sample_size(0) == 9604  # a window without questions: the infinite size
    assert baseline_sample_size(50_000) == 8057
    assert baseline_sample_size(100) == 99
