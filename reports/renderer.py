"""Render the static report (`index.html` and its `report.md` twin) from the warehouse alone."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from . import formatting
from .content import gather
from .marts_reader import MartsReader, read_only_connection

_MD_TAG_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
_LINE_BREAK = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_MD_SPECIAL = str.maketrans({"|": "\\|", "`": "\\`"})


@dataclass(frozen=True)
class ReportResult:
    """Where the report was written and what it covered."""

    html_path: Path
    md_path: Path
    topics: tuple[str, ...]
    is_synthetic: bool
    is_stale: bool

    def summary_line(self) -> str:
        """One line for the CLI: the topics, both paths, and any synthetic/stale warning."""
        notes = [
            note
            for flag, note in (
                (self.is_synthetic, "synthetic data"),
                (self.is_stale, "stale marts"),
            )
            if flag
        ]
        suffix = f" ({', '.join(notes)})" if notes else ""
        topics = ", ".join(self.topics) or "no topic"
        return f"report for {topics} written to {self.html_path} and {self.md_path}{suffix}"


def render_report(
    db_path: Path,
    out_dir: Path,
    *,
    allow_stale: bool = False,
    generated_at: datetime | None = None,
) -> ReportResult:
    """Render `out_dir/index.html` and `out_dir/report.md` from the marts and `analysis.*`.

    The warehouse is opened read-only and closed before anything is written. The HTML is
    self-contained (inline CSS and SVG, no scripts) and the same warehouse gives byte-identical
    files except for the generated-at line.

    Args:
        db_path: the DuckDB warehouse file.
        out_dir: directory to write into (created if missing).
        allow_stale: render even when the newest dbt build failed or a load is newer than the
            last full build (the report then says so).
        generated_at: the time printed in the report (default: now, UTC).

    Raises:
        ReportDataError: the warehouse, a mart or an analysis table is missing, or (unless
            `allow_stale`) the newest dbt build failed or a load finished after the last full
            build (the marts do not include it); the message names the fix.
    """
    with read_only_connection(Path(db_path)) as con:
        warehouse = MartsReader(con)
        build = warehouse.check_build(allow_stale)
        stale_loads = warehouse.check_loads_built(allow_stale)
        warehouse.check_required()
        context = gather(warehouse, build)
    stamp = (generated_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    context["generated_at"] = stamp
    context["is_failed_build"] = bool(build and build["status"] == "error")
    context["stale_loads"] = stale_loads
    context["is_stale"] = context["is_failed_build"] or bool(stale_loads)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "index.html"
    md_path = out_dir / "report.md"
    _write(html_path, _environment(markdown=False).get_template("index.html.j2").render(context))
    _write(md_path, _environment(markdown=True).get_template("report.md.j2").render(context))
    return ReportResult(
        html_path=html_path,
        md_path=md_path,
        topics=tuple(topic["topic"] for topic in context["topics"]),
        is_synthetic=context["is_synthetic"],
        is_stale=context["is_stale"],
    )


def _write(path: Path, text: str) -> None:
    """Replace `path` atomically so a reader never sees half a report."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _markdown_text(value: object) -> object:
    """Escape strings for Markdown: table pipes, code spans, anything that could open a tag, and
    line breaks (a value is one table cell or one line: a break would end the row)."""
    if not isinstance(value, str):
        return value
    one_line = _LINE_BREAK.sub(" ", value)
    return _MD_TAG_OPENING.sub("&lt;", one_line.translate(_MD_SPECIAL))


def _environment(*, markdown: bool) -> jinja2.Environment:
    """A jinja2 environment: HTML autoescaped; Markdown with its own escaping of every value."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_markdown_text if markdown else None,
    )
    env.filters.update(
        count=formatting.fmt_count,
        number=formatting.fmt_number,
        rate=formatting.fmt_rate,
        minutes=formatting.fmt_minutes,
        days=formatting.fmt_days,
        metric=lambda value, metric: formatting.fmt_metric(metric, value),
        interval=lambda row, metric: formatting.fmt_interval(metric, row["ci_low"], row["ci_high"]),
        p=formatting.fmt_p,
        points=formatting.fmt_points,
        test_words=formatting.describe_test,
        metric_name=formatting.metric_name,
        sentence=lambda text: text[:1].upper() + text[1:],
        item_counts=_item_counts,
        day=lambda value: "–" if value is None else value.strftime("%Y-%m-%d"),
        moment=lambda value: "–" if value is None else value.strftime("%Y-%m-%d %H:%M"),
    )
    return env


def _item_counts(value: str | None) -> str:
    """`load_runs.items_loaded` (JSON per resource) as "answers 8,938 · questions 14,003"."""
    if not value:
        return "–"
    try:
        counts = json.loads(value)
    except ValueError:
        return str(value)
    return " · ".join(f"{name} {count:,}" for name, count in sorted(counts.items()))
