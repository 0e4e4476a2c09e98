"""`ptmwh analyze`: read the marts, run every RQ2 statistic per topic, write `analysis.*`.

The warehouse is opened read-only for reading (one short connection per unit of topics) and
read-write only for the final write, which replaces the previous results in one transaction. Topics
whose baseline is the dump of one site and window are one unit, reading and sorting that baseline
once (marts.py): at 10^7 questions that read is most of the run (benchmarks/README.md). Units are
independent (each bootstrap stream derives from the seed and the topic), so several units are
analysed in parallel worker processes, one per core.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from study.defaults import BOOTSTRAP_REPLICATES, STUDY_SEED

from .comparisons import Settings, analyze_topic
from .marts import (
    MartsMissingError,
    TopicData,
    baseline_units,
    check_marts,
    connect_read_only,
    load_unit,
    topics,
)
from .rows import TopicRows
from .store import write_results

MAX_WORKERS = 2  # the machines this runs on have 2 cores; more workers only add memory


@dataclass(frozen=True)
class AnalysisResult:
    """What one `ptmwh analyze` run wrote.

    Attributes:
        run_id: Id of the run's row in `analysis.runs`.
        computed_at: Run time (UTC) on every written row.
        seed: Seed every bootstrap stream derives from.
        n_bootstrap: Bootstrap replicates per interval.
        topics: Topics analysed (those of `marts.rpt_difficulty`).
        n_tests: Rows written to `analysis.stat_tests`.
        n_estimates: Rows written to `analysis.metric_estimates`.
        n_curve_points: Rows written to `analysis.survival_curves`.
        input_rows: Question rows read, summed over topics (a question of two topics counts twice).
        elapsed_seconds: Wall time of the run.
    """

    run_id: str
    computed_at: datetime
    seed: int
    n_bootstrap: int
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
    seed: int = STUDY_SEED,
    n_bootstrap: int = BOOTSTRAP_REPLICATES,
    progress: Callable[[str], None] = print,
) -> AnalysisResult:
    """Run every RQ2 test for each topic of `marts.rpt_difficulty`; replace `analysis.*`.

    Args:
        db_path: The warehouse DuckDB file.
        seed: Seed of all bootstrap resampling (recorded in `analysis.runs`).
        n_bootstrap: Replicates per bootstrap interval.
        progress: Receives one line per step.

    Raises:
        MartsMissingError: When the warehouse or a mart the analysis reads does not exist yet, or
            `marts.rpt_difficulty` holds no topic; nothing is written.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    if not db_path.exists():
        raise MartsMissingError(
            f"warehouse {db_path} not found: run `ptmwh load` and `ptmwh build` first"
        )
    with connect_read_only(db_path) as con:
        check_marts(con)
        topic_names = topics(con)
        units = baseline_units(con, topic_names)
    if not topic_names:
        raise MartsMissingError("marts.rpt_difficulty has no topic: run `ptmwh build`")
    computed_at = datetime.now(UTC).replace(tzinfo=None)
    settings = Settings(seed, n_bootstrap, computed_at)
    rows = TopicRows()
    input_rows = 0
    for line, n_rows, topic_rows in _analyze_units(db_path, units, settings):
        input_rows += n_rows
        progress(line)
        rows.extend(topic_rows)
    run_id = uuid.uuid4().hex
    n_tests = len(rows.stat_tests)
    runs = [{"run_id": run_id, "computed_at": computed_at, "n_tests": n_tests, "seed": seed}]
    write_results(db_path, rows.tables() | {"runs": runs})
    return AnalysisResult(
        run_id=run_id,
        computed_at=computed_at,
        seed=seed,
        n_bootstrap=n_bootstrap,
        topics=tuple(topic_names),
        n_tests=n_tests,
        n_estimates=len(rows.metric_estimates),
        n_curve_points=len(rows.survival_curves),
        input_rows=input_rows,
        elapsed_seconds=time.perf_counter() - started,
    )


def _analyze_units(
    db_path: Path, units: list[list[str]], settings: Settings
) -> Iterator[tuple[str, int, TopicRows]]:
    """Each topic's progress line, rows read and result rows, unit by unit.

    One unit runs in this process; several run in worker processes (spawned, so no DuckDB or
    thread state is inherited), each opening the file read-only, which DuckDB allows concurrently.
    """
    workers = min(len(units), MAX_WORKERS, os.cpu_count() or 1)
    if workers == 1:
        for unit in units:
            yield from _analyze_unit(db_path, unit, settings)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for results in pool.map(
            _analyze_unit, [db_path] * len(units), units, [settings] * len(units)
        ):
            yield from results


def _analyze_unit(
    db_path: Path, unit: list[str], settings: Settings
) -> list[tuple[str, int, TopicRows]]:
    with connect_read_only(db_path) as con:
        return [
            (_topic_line(data), data.n_rows, analyze_topic(data, settings))
            for data in load_unit(con, unit)
        ]


def _topic_line(data: TopicData) -> str:
    sizes = ", ".join(f"{group.n_rows:,} {name}" for name, group in data.groups.items())
    line = (
        f"analyze: topic {data.topic!r}: {sizes} questions, "
        f"{len(data.seed_tags)} seed tags tested on their own"
    )
    if "topic" not in data.groups:
        line += "; no question carries its tags, so no comparisons"
    elif "baseline" not in data.groups:
        line += "; no baseline questions or counts, so no comparisons"
    return line
