"""Constants of the data dump loader: batch sizes, table names, and the dump's attribute names."""

from __future__ import annotations

PIPELINE_NAME = "stackexchange_dump"

# Rows per Arrow batch handed to dlt (dlt normalises Arrow at >100k rows/s, dicts at ~1.7k/s).
BATCH_ROWS = 50_000
# Kept posts per dlt load (one commit): a crash or corrupt file loses at most this many posts.
SEGMENT_POSTS = 500_000
# Bytes read from the decompressed stream per parser feed (completed to the end of the line).
READ_CHUNK_BYTES = 4 * 1024 * 1024
# At most one progress line per this many seconds.
PROGRESS_INTERVAL_SECONDS = 1.0

QUESTION_POST_TYPE = "1"
ANSWER_POST_TYPE = "2"

# Answers are loaded here first, then resolved against their question (is_accepted, window) into
# `answers`; the table is emptied after each load and replaced at the start of the next.
PENDING_ANSWERS_TABLE = "dump_answers_pending"

DATA_SOURCE = "dump"
COLLECTED_BY = "dump"
