"""Time every step of ptm-warehouse at 10^5, 10^6 (and 10^7) questions: the entry of `make bench`.

Each step runs in its own subprocess, so its wall time and peak RSS (`os.wait4`'s `ru_maxrss`, the
process and the children it waited for) are its own:
- `load`: 10^5 from the loopback API replay (a synthetic `ApiDataset` of that size, loaded with
  `run_api_load`, every tag of the dataset queried); 10^6 and 10^7 from a synthetic `Posts.xml`
  (`benchmarks.dump_posts_xml`, cached in the work dir; about 10^6 questions, and 10^7 posts) with
  `ptmwh load-dump`;
- `generate`: raw tables of exactly N questions written by `benchmarks.generate_raw` (not a goal,
  the set-up of the next three);
- `build` (`ptmwh build`), `analyze` (`ptmwh analyze`) and `report` (`ptmwh report`) on that
  warehouse;
- `run-sample`: `ptmwh run --synthetic-sample` on a fresh warehouse, once.

Prints a table and writes `benchmarks/results/<timestamp>.json` and `latest.json` with the machine
(cores, RAM, load average, versions). Usage:

    python -m benchmarks.run [--sizes 1e5,1e6] [--with-1e7] [--steps build,analyze] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
DEFAULT_WORK_DIR = RESULTS_DIR / "tmp"
DEFAULT_SIZES = (100_000, 1_000_000)
STEPS = (
    "load", "generate", "build", "spark-build", "analyze", "report", "run-sample",
    "theme-fit", "theme-fit-gensim", "theme-sweep",
)  # fmt: skip
LOAD_KIND = {100_000: "api", 1_000_000: "dump", 10_000_000: "dump"}
QUESTION_SHARE_OF_POSTS = 0.42  # benchmarks.dump_posts_xml writes about 42% questions
# Posts of the dump loaded at each size: about 10^6 questions at 10^6; at 10^7 the 10^7 posts
# (13.8 GB) at which the dump loader's goal is set.
DUMP_POSTS = {1_000_000: round(1_000_000 / QUESTION_SHARE_OF_POSTS), 10_000_000: 10_000_000}
SYNTHETIC_TOPIC_QUESTIONS = 5_896  # build_synthetic_dataset always adds Table I's topic questions
GIB = 1024**3
# step -> (applies at this size only, or None for every size; max seconds; max peak RSS in bytes)
GOALS: dict[str, tuple[int | None, float, float | None]] = {
    # 10^7 posts at >= 80,000 posts/s from plain XML, <= 1.5 GB (the parse workers included).
    "load": (10_000_000, 10_000_000 / 80_000, 1.5e9),
    # With the five seed topics in one build (the paper's and the four literature topics).
    "build": (10_000_000, 90.0, 4 * GIB),
    "analyze": (10_000_000, 40.0, None),
    "report": (None, 10.0, None),
    # `make demo` after the install, themes of ptm and of the bundled real dump included.
    "run-sample": (None, 90.0, None),
    # One K = 20 fit of a 10^5-question topic; a K = 5..40 sweep of a 5,896-question topic.
    "theme-fit": (None, 120.0, 2 * GIB),
    "theme-sweep": (None, 90.0, None),
}
VERSIONED_PACKAGES = (
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "dbt-spark",
    "pyspark",
    "dlt",
    "numpy",
    "scipy",
    "pyarrow",
)


@dataclass
class StepResult:
    """One timed step.

    Attributes:
        step: one of STEPS.
        size: questions in the warehouse (None for `run-sample`).
        seconds: wall time of the subprocess (for `load` from the API: of the load alone).
        peak_rss_bytes: the subprocess's peak resident set size.
        ok: the subprocess exited with status 0.
        detail: `api`/`dump` for loads, the last output line, or the error.
        load_average: the 1-minute load average when the step ended (other work on the machine).
        goal: the issue's goal for this step at this size, or None.
        goal_met: whether the goal was met (None without a goal).
    """

    step: str
    size: int | None
    seconds: float
    peak_rss_bytes: int
    ok: bool
    detail: str
    load_average: float
    goal: str | None = None
    goal_met: bool | None = None


def _parse_sizes(text: str) -> list[int]:
    try:
        return [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of sizes such as 1e5,1e6"
        ) from None


def _parse_steps(text: str) -> list[str]:
    steps = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown steps {unknown}: choose from {', '.join(STEPS)}")
    return steps


def measure(
    command: list[str], *, db_path: Path, log_path: Path, timeout: float | None = None
) -> tuple[float, int, int]:
    """Run `command` with PTMWH_DB=`db_path`, output to `log_path`.

    Returns:
        (wall seconds, peak RSS in bytes, exit status). The peak is the larger of the process's
        `ru_maxrss` (with its waited-for children) and the largest sum of RSS over the process and
        all its descendants seen while polling: a Spark build's JVM is a child Python never waits.
    """
    env = os.environ | {"PTMWH_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = None if timeout is None else started + timeout
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_rss(process.pid))
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, max(usage.ru_maxrss * 1024, tree_peak), process.returncode


def _tree_rss(pid: int) -> int:
    """RSS in bytes of process `pid` and all its descendants now (0 once it has exited)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for member in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_info().rss
    return total


def _last_line(log_path: Path) -> str:
    lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:300] if lines else ""


def _ptmwh(*args: str) -> list[str]:
    return [sys.executable, "-m", "ptmwh.cli", *args]


def _step_command(step: str, size: int | None, work: Path) -> tuple[list[str], Path, str]:
    """The command of a step, the warehouse it uses, and a detail label."""
    db_path = work / f"warehouse-{size}.duckdb"
    if step == "generate":
        module = "benchmarks.generate_raw"
        return [sys.executable, "-m", module, str(db_path), "--questions", str(size)], db_path, ""
    if step == "build":
        return _ptmwh("build"), db_path, ""
    if step == "spark-build":
        return _ptmwh("build", "--engine", "spark"), db_path, "spark"
    if step == "analyze":
        return _ptmwh("analyze"), db_path, ""
    if step == "report":
        return _ptmwh("report", "--out", str(work / f"report-{size}")), db_path, ""
    if step.startswith("theme-"):
        mode = ["sweep"] if step == "theme-sweep" else ["fit", "--library"]
        library = (
            [] if step == "theme-sweep" else ["gensim" if step.endswith("gensim") else "tomotopy"]
        )
        return [sys.executable, "-m", "benchmarks.theme_fit", *mode, *library], work / "none", ""
    if step == "run-sample":
        sample_db = work / "warehouse-sample.duckdb"
        return (
            _ptmwh("run", "--synthetic-sample", "--out", str(work / "report-sample")),
            sample_db,
            "",
        )
    kind = LOAD_KIND[size]
    load_db = work / f"load-{kind}-{size}.duckdb"
    if kind == "api":
        command = [sys.executable, "-m", "benchmarks.run", "--internal-api-load", str(size)]
        return command, load_db, "api"
    return (
        _ptmwh("load-dump", str(_dump_file(size, work)), "--site", "stackoverflow.com"),
        load_db,
        "dump",
    )


def _dump_file(size: int, work: Path) -> Path:
    """The synthetic Posts.xml loaded at `size` (`DUMP_POSTS`), written once into the work dir."""
    rows = DUMP_POSTS[size]
    path = work / "cache" / f"posts-{rows}.xml"
    if not path.exists():
        print(f"  writing {path.name} ({rows:,} posts) for the dump load, once", flush=True)
        partial = path.with_name(path.name + ".partial")
        partial.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "benchmarks.dump_posts_xml", str(partial), "--rows", str(rows)],
            cwd=PROJECT_ROOT,
            check=True,
        )
        partial.rename(path)
    return path


def _remove_warehouse(db_path: Path) -> None:
    for leftover in db_path.parent.glob(db_path.name + "*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def _judge(result: StepResult) -> StepResult:
    """Attach the issue's goal for this step and size, and whether it was met."""
    if result.step not in GOALS:
        return result
    size, max_seconds, max_rss = GOALS[result.step]
    if size is not None and result.size != size:
        return result
    result.goal = f"<= {max_seconds:g} s" + (f", <= {max_rss / GIB:g} GiB" if max_rss else "")
    result.goal_met = (
        result.ok
        and result.seconds <= max_seconds
        and (max_rss is None or result.peak_rss_bytes <= max_rss)
    )
    return result


def run_step(step: str, size: int | None, work: Path) -> StepResult:
    """Run one step in a subprocess and measure it; fresh warehouses for loads and the sample."""
    command, db_path, detail = _step_command(step, size, work)
    if step in ("load", "generate", "run-sample"):
        _remove_warehouse(db_path)
    label = f"{step} @ {size:,}" if size else step
    print(f"- {label}: {' '.join(command[1:])}", flush=True)
    log_path = work / f"{step}-{size or 'sample'}.log"
    seconds, peak_rss, status = measure(command, db_path=db_path, log_path=log_path)
    last = _last_line(log_path)
    if detail == "api" and status == 0:
        seconds = json.loads(last)["load_seconds"]
    if detail == "dump" and status == 0:
        detail = f"dump, {DUMP_POSTS[size] / seconds:,.0f} posts/s ({DUMP_POSTS[size]:,} posts)"
    result = StepResult(
        step=step,
        size=size,
        seconds=round(seconds, 2),
        peak_rss_bytes=peak_rss,
        ok=status == 0,
        detail=(detail or last) if status == 0 else f"exit {status}: {last}",
        load_average=round(os.getloadavg()[0], 2),
    )
    print(f"  {result.seconds:.1f} s, peak RSS {peak_rss / 2**20:,.0f} MiB, {result.detail}")
    return _judge(result)


def machine_info() -> dict:
    """Cores, RAM, platform, load and package versions, so results can be compared across runs."""
    versions = {}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cores": os.cpu_count(),
        "ram_bytes": psutil.virtual_memory().total,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "versions": versions,
    }


def format_table(results: list[StepResult]) -> str:
    """Steps down, sizes across: `seconds s / peak MiB`, `!` where a goal was missed."""
    sizes = sorted({r.size for r in results if r.size is not None})
    columns = [f"{size:,.0f}" for size in sizes] + (
        ["sample"] if any(r.size is None for r in results) else []
    )
    cells: dict[tuple[str, str], str] = {}
    for r in results:
        column = f"{r.size:,.0f}" if r.size is not None else "sample"
        text = f"{r.seconds:.1f} s / {r.peak_rss_bytes / 2**20:,.0f} MiB" if r.ok else "FAILED"
        if r.goal_met is False:
            text += " !"
        cells[(r.step, column)] = text
    header = ["step", *columns]
    rows = [
        [step, *(cells.get((step, column), "") for column in columns)]
        for step in STEPS
        if any(key[0] == step for key in cells)
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    goals = [
        f"{r.step} @ {r.size or 'sample'}: {r.goal} -> {'met' if r.goal_met else 'MISSED'}"
        for r in results
        if r.goal
    ]
    return "\n".join(lines + ([""] + goals if goals else []))


def write_results(results: list[StepResult], machine: dict, started_at: datetime) -> Path:
    """Write `results/<timestamp>.json` and `results/latest.json`; return the first."""
    payload = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "results": [asdict(result) for result in results],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{started_at.strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(payload, indent=2) + "\n"
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


def _day(epoch: int) -> date:
    """The UTC day of an epoch second (the calibration's window bounds as dates)."""
    return datetime.fromtimestamp(epoch, UTC).date()


def _internal_api_load(size: int) -> None:
    """Subprocess body of the API `load` step: serve a synthetic dataset of `size` questions
    on the loopback replay and load it with `run_api_load`, querying every tag it uses.

    Prints one JSON line with the load's own seconds (the dataset is built before the clock starts).
    """
    from demo.replay_api import serve
    from demo.synthetic import SYNTHETIC_SITE, build_synthetic_dataset
    from demo.synthetic import calibration as cal
    from dlt_pipeline.api_runner import run_api_load
    from dlt_pipeline.options import TagSet
    from ptmwh.settings import warehouse_path
    from study.window import Window

    dataset = build_synthetic_dataset(n_baseline=max(size - SYNTHETIC_TOPIC_QUESTIONS, 0))
    counts: dict[str, int] = {}
    for question in dataset.questions:
        for tag in question["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    tags = sorted(counts, key=lambda tag: (-counts[tag], tag))
    # No daily quota: the benchmark times throughput, not the quota's resume path.
    with serve(dataset, anonymous_quota=10**9) as url:
        started = time.perf_counter()
        result = run_api_load(
            warehouse_path(),
            site=SYNTHETIC_SITE,
            topics=[TagSet(tuple(tags), Window(_day(cal.WINDOW_START), _day(cal.WINDOW_END)))],
            base_url=url,
            baseline="none",
            is_synthetic=True,
            progress=lambda line: None,
        )
        seconds = time.perf_counter() - started
    print(result.summary_line())
    if result.status != "completed":
        raise SystemExit(f"the API load ended {result.status}: {result.message}")
    print(
        json.dumps(
            {
                "load_seconds": seconds,
                "questions_served": len(dataset.questions),
                "rows": result.row_counts,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 1 when a step failed, else 0 (missed goals are reported only)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_parse_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--with-1e7", action="store_true", help="also run at 10^7 questions")
    parser.add_argument("--steps", type=_parse_steps, default=list(STEPS))
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the warehouses afterwards")
    parser.add_argument("--internal-api-load", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.internal_api_load:
        _internal_api_load(args.internal_api_load)
        return 0
    sizes = sorted(set(args.sizes) | ({10_000_000} if args.with_1e7 else set()))
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(UTC)
    machine = machine_info()
    print(
        f"benchmark of sizes {sizes} in {work} ({machine['cores']} cores, "
        f"{machine['ram_bytes'] / GIB:.0f} GiB, load {machine['load_average_at_start']})"
    )
    results: list[StepResult] = []
    for size in sizes:
        for step in ("load", "generate", "build", "spark-build", "analyze", "report"):
            if step not in args.steps or (step == "load" and size not in LOAD_KIND):
                continue
            result = run_step(step, size, work)
            results.append(result)
            if step == "load" and not args.keep:
                _remove_warehouse(_step_command(step, size, work)[1])
            if not result.ok and step in ("generate", "build"):
                break
        if not args.keep:
            _remove_warehouse(work / f"warehouse-{size}.duckdb")
    if "run-sample" in args.steps:
        results.append(run_step("run-sample", None, work))
    # The theme fits of a 10^5-question topic (tomotopy, the warehouse's code, beside gensim) and
    # a K sweep over a topic of the paper's size: the last output line holds the figures.
    for step in ("theme-fit", "theme-fit-gensim", "theme-sweep"):
        if step in args.steps:
            results.append(run_step(step, None, work))
    path = write_results(results, machine, started_at)
    print()
    print(format_table(results))
    print(f"\nresults: {path.relative_to(PROJECT_ROOT)} (and latest.json)")
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
