"""Constants of the data dump loader: batch sizes, table names, and the dump's attribute names."""

from __future__ import annotations

PIPELINE_NAME = "stackexchange_dump"

# Kept posts per Arrow batch. A parse worker holds one batch as attribute dicts, then as Arrow,
# then pickled for the parent, so with question bodies this bounds each worker's memory
# (benchmarks/README.md).
BATCH_ROWS = 10_000
# Kept posts per segment file (`pending.py`). The loader holds two segments (one being written
# while the next is parsed), each with its bodies.
SEGMENT_POSTS = 100_000
# Bytes read from the decompressed stream per parser feed (completed to the end of the line).
READ_CHUNK_BYTES = 4 * 1024 * 1024
# A plain Posts.xml at least this large is parsed in worker processes, one per CPU up to the
# maximum (each costs about a second to start; dlt_pipeline/stackexchange_dump/README.md).
PARALLEL_MIN_BYTES = 64 * 1024 * 1024
MAX_PARSE_WORKERS = 4
# The same for a `.7z`, whose decoded Posts.xml is 4-7 times the archive (real site archives ~4.4).
SEVEN_ZIP_PARALLEL_MIN_BYTES = 16 * 1024 * 1024

QUESTION_POST_TYPE = "1"
ANSWER_POST_TYPE = "2"

# A dump's posts are loaded here first, segment by segment; only once the whole file is read (its
# date known, bad rows found) are they merged into `questions`, `question_tags` and `answers`
# (answers resolved against their question: is_accepted, window). Emptied before and after a load.
PENDING_QUESTIONS_TABLE = "dump_questions_pending"
PENDING_QUESTION_TAGS_TABLE = "dump_question_tags_pending"
PENDING_ANSWERS_TABLE = "dump_answers_pending"
PENDING_TABLES = (PENDING_QUESTIONS_TABLE, PENDING_QUESTION_TAGS_TABLE, PENDING_ANSWERS_TABLE)
# The raw tables a dump merges into.
SNAPSHOT_TABLES = ("questions", "question_tags", "answers")

# Posts every Posts.xml carries since 2024 that are not real (absent from SEDE), owned by the
# Community user; consumers are advised to drop them (dlt_pipeline/stackexchange_dump/README.md).
FABRICATED_POSTS = frozenset({(QUESTION_POST_TYPE, "1000000001"), (ANSWER_POST_TYPE, "1000000010")})
FABRICATED_OWNER = "-1"
# A post whose id is more than this many times the next-largest id of its type is not a real post.
ID_OUTLIER_FACTOR = 10
# How many of the largest ids per post type are tracked to find such outliers.
TOP_IDS_TRACKED = 4

DATA_SOURCE = "dump"
COLLECTED_BY = "dump"
