"""The one-line summary every loader's result prints."""

from dlt_pipeline.results import LoadResult


def test_api_load_summary_names_requests_items_and_quota():
    result = LoadResult(
        status="quota_exhausted",
        requests_made=540,
        items_loaded={"questions": 14003, "answers": 8938},
        quota_remaining=0,
        message="resume after 00:00 UTC.",
    )
    assert result.summary_line() == (
        "quota_exhausted: 540 requests, loaded answers=8938, questions=14003, quota left 0. "
        "resume after 00:00 UTC"
    )


def test_file_load_summary_leaves_out_requests():
    assert LoadResult(items_loaded={}).summary_line() == "completed: loaded nothing"
