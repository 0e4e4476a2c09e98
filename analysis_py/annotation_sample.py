"""Draw the RQ3 annotation sample (paper section VI-B); record it in `analysis.annotation_samples`.

The paper keeps the topic's high-quality questions (score >= 1), draws a simple random sample of
Cochran's size from them (95% confidence, 5% margin) and adds every question with score >= 9; the
union is annotated (339 + 116 - 25 = 430 in the paper). The sample is written as a CSV for the
annotators, with the sampled topic (so the import keeps topics apart) and empty `annotator` and
`code` columns to fill in.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import numpy as np

from study.defaults import DEFAULT_TOPIC, STUDY_SEED
from study.sample_size import cochran_sample_size

HIGH_SCORE_MIN_SCORE = 9
EXCERPT_CHARS = 300
CSV_COLUMNS = (
    "id",
    "link",
    "title",
    "tags",
    "score",
    "body_excerpt",
    "drawn_by",
    "topic",
    "annotator",
    "code",
)

_POPULATION_SQL = """
    select
        questions.question_id,
        questions.link,
        questions.title,
        questions.tags,
        questions.score,
        bodies.body
    from marts.fct_topic_question_groups as groups
    inner join marts.fct_questions as questions
        on groups.site = questions.site and groups.question_id = questions.question_id
    left join staging.stg_stackexchange__questions as bodies
        on questions.site = bodies.site and questions.question_id = bodies.question_id
    where groups.topic = ?
        and groups.question_group = 'topic'
        and questions.is_high_quality
    order by questions.question_id
"""

_CREATE_SAMPLES_SQL = """
    create table if not exists analysis.annotation_samples (
        sample_id varchar not null,
        question_id bigint not null,
        drawn_by varchar not null,
        seed bigint not null,
        population_size integer not null,
        random_size integer not null,
        drawn_at timestamp not null,
        topic varchar not null,
        primary key (sample_id, question_id)
    )
"""


class SampleError(Exception):
    """The sample cannot be drawn for a reason the user can fix; the message says which and how."""


@dataclass(frozen=True)
class SampleResult:
    """What one `ptmwh sample` drew.

    Attributes:
        csv_path: The CSV written for the annotators.
        population_size: High-quality topic questions (score >= 1) sampled from.
        n_random: Size of the simple random sample (Cochran, 95%/5%, finite-population corrected).
        n_high_score: Questions with score >= 9, all included.
        n_overlap: Questions drawn by both strategies.
        n_total: Questions in the sample (n_random + n_high_score - n_overlap).
        seed: Seed of the random draw; the same seed on the same warehouse draws the same sample.
        sample_id: Key of the sample in `analysis.annotation_samples` (`<topic>-<date>`).
    """

    csv_path: Path
    population_size: int
    n_random: int
    n_high_score: int
    n_overlap: int
    n_total: int
    seed: int
    sample_id: str = ""

    def summary_line(self) -> str:
        """One line for the terminal in the paper's terms: random + high-score - overlap = total."""
        return (
            f"sampled {self.n_total} of {self.population_size} high-quality questions "
            f"({self.n_random} random + {self.n_high_score} with score >= {HIGH_SCORE_MIN_SCORE} "
            f"- {self.n_overlap} in both), seed {self.seed}: {self.csv_path}"
        )


def draw_annotation_sample(
    db_path: Path,
    out_dir: Path,
    *,
    topic: str = DEFAULT_TOPIC,
    seed: int = STUDY_SEED,
    sample_date: date | None = None,
) -> SampleResult:
    """Draw the annotation sample as the paper does, write `out_dir/sample-<date>.csv`, record it.

    The population is read in question-id order and the random draw uses numpy's PCG64 generator
    seeded with `seed`, so the same warehouse and seed always give the same sample. A sample with
    the same id (`<topic>-<date>`) is replaced in one transaction; the CSV is replaced only after
    the warehouse has recorded the sample.

    Args:
        db_path: The warehouse file; `ptmwh build` must have built `marts.fct_questions`.
        out_dir: Folder for the CSV (created if missing).
        topic: The topic to sample (its `topic` group of `marts.fct_topic_question_groups`).
        seed: Seed of the random draw, recorded with the sample.
        sample_date: Date in the file name and sample id; today (UTC) by default.

    Raises:
        SampleError: The marts are missing or hold no high-quality questions of the topic.
    """
    sample_date = sample_date or datetime.now(UTC).date()
    sample_id = f"{topic}-{sample_date.isoformat()}"
    if not db_path.exists():
        raise SampleError(f"no warehouse at {db_path}: run `ptmwh load` and `ptmwh build` first")
    csv_path = out_dir / f"sample-{sample_date.isoformat()}.csv"
    with duckdb.connect(str(db_path)) as con:
        population = _read_population(con, db_path, topic)
        is_random, is_high_score = _draw(np.array([row[4] for row in population]), seed)
        random_size = int(np.sum(is_random))
        drawn_by = np.where(
            is_random & is_high_score, "both", np.where(is_random, "random", "high_score")
        )
        chosen = np.flatnonzero(is_random | is_high_score)
        staged_csv = _stage_and_record(
            con,
            csv_path,
            topic,
            [(*population[i], str(drawn_by[i])) for i in chosen],
            sample_id=sample_id,
            seed=seed,
            population_size=len(population),
            random_size=random_size,
        )
    os.replace(staged_csv, csv_path)
    n_overlap = int(np.sum(is_random & is_high_score))
    return SampleResult(
        csv_path=csv_path,
        population_size=len(population),
        n_random=random_size,
        n_high_score=int(np.sum(is_high_score)),
        n_overlap=n_overlap,
        n_total=len(chosen),
        seed=seed,
        sample_id=sample_id,
    )


def _draw(scores: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return boolean masks over the population: drawn at random, and score >= 9.

    The random part is a simple random sample without replacement of Cochran's size (95%
    confidence, 5% margin, finite-population corrected), as in the paper.
    """
    is_random = np.zeros(len(scores), dtype=bool)
    rng = np.random.default_rng(seed)
    is_random[rng.choice(len(scores), size=cochran_sample_size(len(scores)), replace=False)] = True
    return is_random, scores >= HIGH_SCORE_MIN_SCORE


def _read_population(con: duckdb.DuckDBPyConnection, db_path: Path, topic: str) -> list[tuple]:
    """Return the topic's high-quality questions as (id, link, title, tags, score, body) rows."""
    try:
        population = con.execute(_POPULATION_SQL, [topic]).fetchall()
    except duckdb.CatalogException as exc:
        raise SampleError(
            f"{db_path} has no built marts (marts.fct_questions, fct_topic_question_groups or "
            "the staging of questions is missing): "
            "run `ptmwh build` first"
        ) from exc
    if not population:
        raise SampleError(
            f"no {topic!r} questions with score >= 1 (is_high_quality) in marts.fct_questions "
            f"of {db_path}: load and build data for this topic first (`ptmwh load`, `ptmwh build`)"
        )
    return population


def _stage_and_record(
    con: duckdb.DuckDBPyConnection,
    csv_path: Path,
    topic: str,
    rows: list[tuple],
    *,
    sample_id: str,
    seed: int,
    population_size: int,
    random_size: int,
) -> Path:
    """Write the sample's CSV beside `csv_path`, record the sample, return the staged CSV.

    The caller moves the staged CSV into place after the warehouse has recorded the sample, so
    the annotators' CSV never names a sample the warehouse does not know; a failed record removes
    the staged file.

    Args:
        rows: The sampled questions as (id, link, title, tags, score, body, drawn_by).
    """
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    staged_csv = csv_path.with_name(f".{csv_path.name}.tmp")
    _write_csv(staged_csv, topic, rows)
    try:
        _record_sample(
            con,
            sample_id=sample_id,
            rows=[(row[0], row[-1]) for row in rows],
            seed=seed,
            population_size=population_size,
            random_size=random_size,
            topic=topic,
        )
    except BaseException:
        staged_csv.unlink(missing_ok=True)
        raise
    return staged_csv


def _write_csv(path: Path, topic: str, rows: list[tuple]) -> None:
    """Write the annotators' CSV: a row per question of `topic`, `annotator` and `code` empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for question_id, link, title, tags, score, body, drawn_by in rows:
            tag_text = ";".join(tags or [])
            writer.writerow(
                [
                    question_id,
                    link,
                    title,
                    tag_text,
                    score,
                    plain_text_excerpt(body),
                    drawn_by,
                    topic,
                    "",
                    "",
                ]
            )


def _record_sample(
    con: duckdb.DuckDBPyConnection,
    *,
    sample_id: str,
    rows: list[tuple[int, str]],
    seed: int,
    population_size: int,
    random_size: int,
    topic: str,
) -> None:
    """Replace the sample `sample_id` in `analysis.annotation_samples` in one transaction."""
    drawn_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute("create schema if not exists analysis")
    con.execute(_CREATE_SAMPLES_SQL)
    con.execute("begin transaction")
    try:
        con.execute("delete from analysis.annotation_samples where sample_id = ?", [sample_id])
        con.executemany(
            "insert into analysis.annotation_samples values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sample_id,
                    question_id,
                    drawn_by,
                    seed,
                    population_size,
                    random_size,
                    drawn_at,
                    topic,
                )
                for question_id, drawn_by in rows
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "pre", "li", "ul", "ol", "blockquote", "tr", "td", "hr"}
    | {f"h{level}" for level in range(1, 7)}
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, dropping tags and decoding entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text_excerpt(html: str | None, max_chars: int = EXCERPT_CHARS) -> str:
    """Return the first `max_chars` characters of an HTML body as one line of plain text.

    Tags are dropped, entities decoded and whitespace collapsed, so the excerpt fits a CSV cell; a
    cut excerpt ends at a word boundary with an ellipsis.
    """
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = re.sub(r"\s+", " ", "".join(extractor.parts)).strip()
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0] or text[: max_chars - 1]
    return cut.rstrip() + "…"
