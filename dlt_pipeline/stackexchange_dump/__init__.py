"""The Stack Exchange data dump into the raw tables: parsed segments, then one merge.

A dump is a snapshot of its site, and memory must stay bounded although answers may come before
their question in file order, so loading runs in two steps:

1. `pending.write_segment` writes each segment of parsed batches as Parquet files beside the
   warehouse, so memory holds one segment at a time; once the whole file is read,
   `pending.load_pending` moves them into the pending tables (`dump_*_pending`) in one statement.
2. Once the file is checked, `source.raw_tables()` is loaded by dlt (no rows: it creates the raw
   tables and records the load), and `dump_snapshot.merge_pending` merges the pending questions
   and tags into `questions` and `question_tags` (on (`site`, `question_id`)), and the pending
   answers whose question is among them into `answers`, with `is_accepted` from the question's
   `accepted_answer_id`. The runner then marks what the dump no longer holds.

This package's `__init__` imports nothing: the parse workers import its modules, and each would
otherwise load dlt and DuckDB for nothing (README.md, "How it stays bounded and fast").
"""
