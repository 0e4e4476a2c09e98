"""`ptmwh analyze`: read the marts, run every RQ2 statistic per topic, write `analysis.*`.

The warehouse is opened read-only for reading (one short connection per topic) and read-write only
for the final write, which replaces the previous results in one transaction.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .bootstrap import DEFAULT_N_BOOTSTRAP, DEFAULT_SEED
from .comparisons import Settings, analyze_topic
from .marts import (
    GroupData,
    MartsMissingError,
    check_marts,
    connect_read_only,
    data_cutoff,
    load_groups,
    tags_in_baseline,
    topics,
)
from .store import write_results

MIN_TAG_QUESTIONS = 30


@dataclass(frozen=True)
class AnalysisResult:
    """What one `ptmwh analyze` run wrote.

    Attributes:
        run_id: Id of the run's row in `analysis.runs`.
        computed_at: Run time (UTC) on every written row.
        seed: Seed every bootstrap stream derives from.
        n_bootstrap: Bootstrap replicates per interval.
        cutoff: Censoring cut-off (latest `created_at` in `marts.fct_questions`).
        topics: Topics analysed.
        n_tests: Rows written to `analysis.stat_tests`.
        n_estimates: Rows written to `analysis.metric_estimates`.
        n_curve_points: Rows written to `analysis.survival_curves`.
        input_rows: `marts.fct_questions` rows read.
        elapsed_seconds: Wall time of the run.
    """

    run_id: str
    computed_at: datetime
    seed: int
    n_bootstrap: int
    cutoff: datetime
    topics: tuple[str, ...]
    n_tests: int
    n_estimates: int
    n_curve_points: int
    input_rows: int
    elapsed_seconds: float

    def summary_line(self) -> str:
        """One line for the terminal."""
        return (
            f"analyzed {len(self.topics)} topic(s) over {self.input_rows:,} questions: "
            f"{self.n_tests} tests, {self.n_estimates} estimates, {self.n_curve_points} survival "
            f"points written to analysis.* in {self.elapsed_seconds:.1f} s "
            f"(run {self.run_id[:8]}, seed {self.seed}, {self.n_bootstrap} bootstrap replicates)"
        )


def run_analysis(
    db_path: Path,
    *,
    seed: int = DEFAULT_SEED,
    n_bootstrap: int = DEFAULT_N_BOOTSTRAP,
    progress: Callable[[str], None] = print,
) -> AnalysisResult:
    """Run every RQ2 test for each topic in the marts and replace the results in `analysis.*`.

    Args:
        db_path: The warehouse DuckDB file.
        seed: Seed of all bootstrap resampling (recorded in `analysis.runs`).
        n_bootstrap: Replicates per bootstrap interval.
        progress: Receives one line per step.

    Raises:
        MartsMissingError: When the warehouse or `marts.fct_questions`/`marts.rpt_difficulty` do not
            exist yet, or hold no topic questions; nothing is written.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    if not db_path.exists():
        raise MartsMissingError(
            f"warehouse {db_path} not found: run `ptmwh load` and `ptmwh build` first"
        )
    with connect_read_only(db_path) as con:
        check_marts(con)
        cutoff = data_cutoff(con)
        topic_names = topics(con)
    if not topic_names:
        raise MartsMissingError("marts.fct_questions has no topic questions: run `ptmwh build`")
    computed_at = datetime.now(UTC).replace(tzinfo=None)
    settings = Settings(seed, n_bootstrap, computed_at, cutoff)
    rows: dict[str, list[dict]] = {"stat_tests": [], "metric_estimates": [], "survival_curves": []}
    input_rows = 0
    for topic in topic_names:
        with connect_read_only(db_path) as con:
            groups = load_groups(con, topic, cutoff)
            tags = _tested_tags(con, topic, groups)
        input_rows += sum(group.n_rows for group in groups.values())
        progress(_topic_line(topic, groups, tags))
        for table, table_rows in analyze_topic(topic, groups, tags, settings).items():
            rows[table] += table_rows
    run_id = uuid.uuid4().hex
    n_tests = len(rows["stat_tests"])
    runs = [{"run_id": run_id, "computed_at": computed_at, "n_tests": n_tests, "seed": seed}]
    write_results(db_path, rows | {"runs": runs})
    return AnalysisResult(
        run_id=run_id,
        computed_at=computed_at,
        seed=seed,
        n_bootstrap=n_bootstrap,
        cutoff=cutoff,
        topics=tuple(topic_names),
        n_tests=n_tests,
        n_estimates=len(rows["metric_estimates"]),
        n_curve_points=len(rows["survival_curves"]),
        input_rows=input_rows,
        elapsed_seconds=time.perf_counter() - started,
    )


def _tested_tags(
    con: duckdb.DuckDBPyConnection, topic: str, groups: dict[str, GroupData]
) -> list[str]:
    """The topic's own tags with enough questions for a test of their own, most frequent first.

    A tag is the topic's own when no baseline question carries it (the baseline excludes every
    question with a topic tag), which keeps general tags such as `python` out of the per-tag tests.
    """
    if "topic" not in groups or "baseline" not in groups:
        return []
    counts = Counter(tag for tags in groups["topic"].tags for tag in tags)
    frequent = sorted(
        (tag for tag, n in counts.items() if n >= MIN_TAG_QUESTIONS),
        key=lambda tag: (-counts[tag], tag),
    )
    shared = tags_in_baseline(con, topic, frequent)
    return [tag for tag in frequent if tag not in shared]


def _topic_line(topic: str, groups: dict[str, GroupData], tags: list[str]) -> str:
    sizes = ", ".join(f"{group.n_rows:,} {name}" for name, group in groups.items())
    line = f"analyze: topic {topic!r}: {sizes} questions, {len(tags)} tags tested on their own"
    if "baseline" not in groups:
        line += "; no baseline questions or counts, so no comparisons"
    return line
