"""Time `ptmwh load-dump` (`run_dump_load`) on generated dumps: posts/s, CPU, peak RSS per size.

Each load runs in a fresh child process, so its peak RSS is its own. Results are printed as a table
and written to `benchmarks/results/dump_throughput.json` with machine info. Usage:

    python -m benchmarks.dump_throughput [--rows 2000000 1000000] [--workdir /tmp/ptmwh-bench]
        [--seven-zip] [--without-bodies]

Loads keep each question's body, as `ptmwh load-dump` does; `--without-bodies` also loads each
plain file as `load-dump --no-bodies` does, to show what the bodies cost. With `--seven-zip` each
size is also packed once into a `.7z` (7-Zip's fastest LZMA2 level, one member `Posts.xml`, as the
site archives hold it), and the load from it is reported next to `7zz t` on the same archive: the
decoder's own rate, the ceiling of any load streamed from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from .dump_posts_xml import WINDOW_END, WINDOW_START, write_posts_xml

RESULTS = Path(__file__).resolve().parent / "results" / "dump_throughput.json"


_PSS_EVERY = 10
"""Read the tree's PSS at every tenth memory sample (each second); RSS at every one."""


class _TreeMemory:
    """Samples the memory of this process plus its children (the parse workers, 7-Zip).

    `ru_maxrss` covers one process only, and the parser's workers are separate processes, so the
    peak that matters (what the machine must hold) is the largest sum seen across the tree. Two
    sums are kept: resident sets (RSS), which count a page shared by several processes (the
    libraries every worker maps, the `.7z` stream's shared buffer) once per process, and
    proportional sets (PSS), which split a shared page among the processes that map it, so their
    sum counts each page once.
    """

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak_bytes = 0
        self.peak_proportional_bytes = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        samples = 0
        while not self._stop.wait(self._interval):
            # PSS costs milliseconds per process to read (the kernel walks the page tables), so it
            # is read every `_PSS_EVERY`-th sample only, not to slow the load being measured.
            proportional = samples % _PSS_EVERY == 0
            samples += 1
            resident = shared_split = 0
            for process in [self._process, *self._process.children(recursive=True)]:
                try:
                    resident += process.memory_info().rss
                    if proportional:
                        shared_split += process.memory_full_info().pss
                except psutil.NoSuchProcess:
                    continue
            self.peak_bytes = max(self.peak_bytes, resident)
            self.peak_proportional_bytes = max(self.peak_proportional_bytes, shared_split)

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its finished children (the workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_load(dump: Path, db_path: Path, *, include_bodies: bool = True) -> dict[str, float]:
    """Load `dump` into a new warehouse at `db_path` in this process and return its measurements.

    Returns:
        posts parsed, wall seconds, CPU seconds (user + system, workers included), peak RSS in
        MB (this process plus its workers, sampled), rows loaded.
    """
    from dlt_pipeline.dump_runner import run_dump_load
    from study.window import Window

    window = Window(WINDOW_START.date(), WINDOW_END.date())  # the generated posts' window
    started_wall, started_cpu = time.perf_counter(), _cpu_seconds()
    with _TreeMemory() as memory:
        result = run_dump_load(
            db_path,
            dump,
            windows=[window],
            site="stackoverflow.com",
            progress=lambda _line: None,
            include_bodies=include_bodies,
        )
    wall, cpu = time.perf_counter() - started_wall, _cpu_seconds() - started_cpu
    posts = int(result.message.split(" posts", 1)[0].removeprefix("parsed ").replace(",", ""))
    return {
        "posts": posts,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "posts_per_second": round(posts / wall),
        "posts_per_cpu_second": round(posts / cpu),
        "peak_rss_mb": round(memory.peak_bytes / 1e6),
        "peak_pss_mb": round(memory.peak_proportional_bytes / 1e6),
        "peak_rss_main_process_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
        **{f"rows_{table}": n for table, n in result.row_counts.items()},
    }


def seven_zip_archive(dump: Path) -> Path:
    """`dump` packed as `<stem>.7z` with one member `Posts.xml`, made once beside it."""
    archive = dump.with_suffix(".7z")
    if archive.exists():
        return archive
    staging = dump.with_name(f"{dump.stem}-7z")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    os.link(dump, staging / "Posts.xml")  # the member's name, without a copy
    partial = archive.with_name(f"{archive.stem}-partial.7z")
    partial.unlink(missing_ok=True)
    subprocess.run(
        [_seven_zip(), "a", "-t7z", "-mx1", "-bd", str(partial), "Posts.xml"],
        cwd=staging,
        check=True,
        capture_output=True,
    )
    partial.rename(archive)
    shutil.rmtree(staging)
    return archive


def measure_seven_zip_test(archive: Path, posts: int) -> dict[str, float]:
    """Time `7zz t` on `archive`: 7-Zip decoding (and checking) the member alone, no parsing."""
    started_wall, started_cpu = time.perf_counter(), _cpu_seconds()
    subprocess.run([_seven_zip(), "t", "-bd", str(archive)], check=True, capture_output=True)
    wall, cpu = time.perf_counter() - started_wall, _cpu_seconds() - started_cpu
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "posts_per_second": round(posts / wall),
    }


def _seven_zip() -> str:
    program = shutil.which("7zz") or shutil.which("7z")
    if program is None:
        sys.exit("--seven-zip needs 7-Zip: apt-get install 7zip")
    return program


def _run_child(dump: Path, db_path: Path, *, include_bodies: bool) -> dict[str, float]:
    """Measure one load in a child process (clean peak RSS)."""
    bodies = [] if include_bodies else ["--without-bodies"]
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.dump_throughput", "--child", str(dump), str(db_path)]
        + bodies,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine_info() -> dict[str, object]:
    """Cores, RAM, load, versions: what a reader needs to compare numbers across machines."""
    import psutil

    versions = {name: metadata.version(name) for name in ("dlt", "duckdb", "pyarrow")}
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": platform.processor() or platform.machine(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_1m": os.getloadavg()[0],
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def _measure_source(
    source: Path, rows: int, workdir: Path, *, include_bodies: bool = True
) -> dict[str, object]:
    """Load `source` (Posts.xml or .7z) into a fresh warehouse in a child process; print a line."""
    db_path = workdir / f"dump-{rows}.duckdb"
    for stale in workdir.glob(f"dump-{rows}.duckdb*"):
        stale.unlink()  # the loader itself forgets dlt's state of the deleted warehouse
    load_before = os.getloadavg()[0]
    measured = _run_child(source, db_path, include_bodies=include_bodies)
    run: dict[str, object] = {
        "rows": rows,
        "format": source.suffix.lstrip("."),
        "question_bodies": include_bodies,
        "file_mb": round(source.stat().st_size / 1e6),
        "load_average_before": load_before,
        **measured,
    }
    bodies = "bodies" if include_bodies else "no bodies"
    line = (
        f"{rows:>10,} posts {run['format']:>4} {bodies:>9}  {measured['wall_seconds']:>7.1f} s  "
        f"{measured['posts_per_second']:>9,} posts/s  "
        f"{measured['posts_per_cpu_second']:>9,} posts/CPU-s  "
        f"peak RSS {measured['peak_rss_mb']:,} MB, PSS {measured['peak_pss_mb']:,} MB"
    )
    if source.suffix == ".7z":
        run["seven_zip_test"] = measure_seven_zip_test(source, rows)
        line += f"  (7zz t: {run['seven_zip_test']['posts_per_second']:,} posts/s)"
    print(line, flush=True)
    return run


def main() -> None:
    """Generate the dumps (cached in the work dir), time each load, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000_000, 1_000_000])
    parser.add_argument("--body-chars", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ptmwh-bench")
    parser.add_argument("--seven-zip", action="store_true", help="also load each size from .7z")
    parser.add_argument(
        "--without-bodies", action="store_true", help="also load each plain file without bodies"
    )
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_load(*args.child, include_bodies=not args.without_bodies)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs = []
    for rows in args.rows:
        dump = args.workdir / f"Posts-{rows}-{args.body_chars}.xml"
        if not dump.exists():
            write_posts_xml(dump, rows, body_chars=args.body_chars)
        sources = [dump] + ([seven_zip_archive(dump)] if args.seven_zip else [])
        if args.without_bodies:
            runs.append(_measure_source(dump, rows, args.workdir, include_bodies=False))
        for source in sources:
            runs.append(_measure_source(source, rows, args.workdir))

    report = {
        "benchmark": "dump_throughput",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "body_chars": args.body_chars,
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
