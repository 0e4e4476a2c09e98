"""Constants of the Stack Exchange API and of how the loader uses it (units in the names)."""

from __future__ import annotations

API_VERSION_PATH = "/2.3"
PAGE_SIZE = 100
"""The API's maximum `pagesize`; also the most ids one vectorised request takes."""
IDS_PER_REQUEST = 100
TAGS_PER_INFO_REQUEST = 100
ANONYMOUS_MAX_PAGE = 25
"""Pages above 25 need a key (the API answers 400 `access_denied`, error_id 403)."""
ANONYMOUS_QUOTA_PER_DAY = 300
KEYED_QUOTA_PER_DAY = 10_000
QUESTION_FILTER = "withbody"
"""Built-in filter: the default question fields plus `body`."""
TOTAL_FILTER = "total"
"""Built-in filter: the response is just `{"total": n}`."""

MAX_RETRIES = 5
"""Retries of one request after 5xx, connection errors, throttle violations or malformed JSON."""
RETRY_BASE_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
MAX_THROTTLE_WAIT_SECONDS = 600
"""A throttle_violation asking to wait longer than this is a spent quota: stop and say when."""
REQUEST_TIMEOUT_SECONDS = 60
MAX_BODY_CHARS = 1_000_000
"""Stack Overflow caps posts at 30,000 characters; far longer bodies are hostile: truncated."""
ROWS_PER_ARROW_BATCH = 5_000
"""Rows buffered per raw table before one pyarrow table is handed to dlt (fewer, larger files)."""

THROTTLE_ERROR_ID = 502
ACCESS_DENIED_ERROR_ID = 403
DATA_SOURCE = "api"
COLLECTED_BY_TAG_QUERY = "tag_query"
COLLECTED_BY_RANDOM_SAMPLE = "random_sample"

SAMPLE_MARGIN_OF_ERROR = 0.01
"""Half-width of the 95% interval of a rate the default baseline sample size aims for (±1 pp)."""
SAMPLE_CONFIDENCE = 0.95
"""Confidence of that interval."""
