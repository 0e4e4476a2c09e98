"""Real Stack Exchange data dumps bundled for `make demo` (SOURCE.txt: origin and licence).

`ptmwh run --synthetic-sample` loads each one whose site has a topic in the seeds, beside the
synthetic sample, so the demo shows figures and themes of real questions, flagged real.
"""

from __future__ import annotations

from pathlib import Path

DUMPS_DIR = Path(__file__).resolve().parent


def bundled_dumps() -> list[Path]:
    """The bundled dumps, each named `<site domain>-Posts.xml.gz`."""
    return sorted(DUMPS_DIR.glob("*-Posts.xml.gz"))
