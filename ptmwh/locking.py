"""One writer at a time: a lock beside the warehouse file that names who holds it.

DuckDB itself allows one writing process per file, but its error names only a PID and arrives
after work has started. Taking this lock first lets a second `ptmwh` command fail at once, naming
the command that holds the warehouse, before it writes anything.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WarehouseBusyError(Exception):
    """Another process holds the warehouse for writing."""


def lock_path(db_path: Path) -> Path:
    """The lock file used for `db_path` (beside it, so every process finds the same one)."""
    return db_path.with_name(db_path.name + ".ptmwh-lock")


def _holder_description(path: Path) -> str:
    try:
        holder = json.loads(path.read_text())
    except (OSError, ValueError):
        return "another ptmwh command"
    since = time.strftime("%H:%M:%S", time.localtime(holder.get("started_at", 0)))
    return f"`{holder.get('command', 'ptmwh')}` (pid {holder.get('pid', '?')}, since {since})"


def _holder_of_duckdb_lock(text: str) -> str:
    """Who holds DuckDB's lock, from its error text: the process id and its command line."""
    match = re.search(r"held in (\S+) \(PID (\d+)\)", text)
    if match is None:
        return "another process"
    program, pid = match.groups()
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        command = " ".join(arg.decode(errors="replace") for arg in arguments if arg)
    except OSError:
        command = program
    if len(command) > 80:
        command = command[:77] + "..."
    return f"process {pid} (`{command}`)"


def check_duckdb_lock(db_path: Path, *, read_only: bool = False) -> None:
    """Fail early, naming the process, when another process holds DuckDB's lock on `db_path`.

    A writer (a `dbt run`, a duckdb session opened without `-readonly`) blocks every other
    process; a read-only session blocks writers only. Nothing is created when the file is absent.

    Raises:
        WarehouseBusyError: the file is locked against this kind of access (one line).
    """
    if not db_path.exists():
        return
    try:
        duckdb.connect(str(db_path), read_only=read_only).close()
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" not in text.lower():
            raise
        raise WarehouseBusyError(
            f"warehouse {db_path} is locked by {_holder_of_duckdb_lock(text)}, a dbt run or "
            "duckdb session? close it or wait for it to finish, then retry (open ad-hoc "
            "sessions with `duckdb -readonly`)"
        ) from None


@contextmanager
def warehouse_lock(db_path: Path, command: str) -> Iterator[None]:
    """Hold the warehouse for writing during the `with` block, or fail at once naming the holder.

    Args:
        db_path: the DuckDB file.
        command: what is running (e.g. `ptmwh load`), shown to whoever is refused.

    Raises:
        WarehouseBusyError: another command holds the lock (nothing has been written).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db_path)
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusyError(
                f"warehouse {db_path} is in use by {_holder_description(path)}: "
                "wait for it to finish (or stop it), then retry"
            ) from None
        check_duckdb_lock(db_path)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps({"pid": os.getpid(), "command": command, "started_at": time.time()})
        )
        handle.flush()
        yield
    finally:
        handle.close()
