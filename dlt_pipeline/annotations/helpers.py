"""Reading and validating labelled annotation CSVs: a whole file is accepted or rejected."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..results import LoadError
from . import settings

Label = dict[str, object]


class AnnotationFileError(LoadError):
    """A labelled CSV is invalid; the message names the file, the line and the fix.

    Attributes:
        file_name: Name of the rejected file.
        line: 1-based line of the file where the problem is.
    """

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.file_name = path.name
        self.line = line
        super().__init__(f"{path.name} line {line}: {problem}; nothing was imported")


def read_taxonomy_codes(path: Path = settings.TAXONOMY_CODES_CSV) -> dict[str, str]:
    """Return the taxonomy's codes keyed by case-folded spelling, valued by the seed's spelling.

    Annotators may type `fine-tuning` for `Fine-tuning`; the warehouse stores the seed's spelling.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["code"].strip().casefold(): row["code"].strip() for row in csv.DictReader(handle)
        }


def read_labelled_csv(
    path: Path,
    codes: dict[str, str],
    sample_ids: set[int],
    imported_at: datetime,
    *,
    known_topics: Collection[str],
    default_topic: str | None = None,
    is_synthetic: bool = False,
) -> tuple[list[Label], int]:
    """Read one labelled CSV and return its labels and the number of rows not labelled yet.

    Every row is checked before any is returned, so an invalid file contributes nothing. Rows with
    an empty `code` are annotation still to do and are skipped; fully empty lines are ignored.

    Args:
        path: The CSV: UTF-8, a header with `id` (or `question_id`), `annotator` and `code`, and
            optionally `phase` (`pilot` or `independent`; empty or absent means `independent`)
            and `topic` (the sample's topic, written by `ptmwh sample`).
        codes: Valid codes as returned by `read_taxonomy_codes`.
        sample_ids: Question ids of the recorded annotation samples.
        imported_at: Import time stored with every label (UTC).
        known_topics: The topics of the seeds; a label of any other topic would never reach a
            topic's marts, so it is refused.
        default_topic: The topic of rows whose `topic` cell is empty or whose file has no `topic`
            column (`--topic`); the labels of different topics are kept apart.
        is_synthetic: Whether the labels were generated (the demo), stored with every label so the
            marts and the report can say so.

    Raises:
        LoadError: The file has no `topic` column and no `default_topic` is given.
        AnnotationFileError: The file is not UTF-8, is not CSV, lacks a column, has a row with an
            unknown code, phase or topic, an id outside the sample, no annotator name, or two
            codes (or phases) for one topic, question and annotator.
    """
    records = _records(path)
    header_line, header = next(records, (1, []))
    columns = _column_positions(path, header_line, header)
    if "topic" not in columns and default_topic is None:
        raise LoadError(f"{path.name}: no topic column; pass --topic NAME")
    rules = _LabelRules(path, codes, sample_ids, known_topics, default_topic)
    coded, n_unlabelled = _coded_rows(rules, records, header, columns)
    return [row.label(path.name, imported_at, is_synthetic) for row in coded], n_unlabelled


@dataclass(frozen=True)
class _CodedRow:
    """One coded row of a labelled CSV, every cell checked.

    Attributes:
        line: the row's (first) line in the file.
        topic: the label's topic, lower-cased.
        question_id: a question of the recorded samples.
        annotator: who coded it.
        code: the code in the taxonomy seed's spelling.
        phase: `pilot` or `independent`.
    """

    line: int
    topic: str
    question_id: int
    annotator: str
    code: str
    phase: str

    @property
    def key(self) -> tuple[str, int, str]:
        """(topic, question, annotator): one code and phase each."""
        return self.topic, self.question_id, self.annotator

    def label(self, source_file: str, imported_at: datetime, is_synthetic: bool) -> Label:
        """The row as a `raw_annotations.annotation_labels` row."""
        return {
            "topic": self.topic,
            "question_id": self.question_id,
            "annotator": self.annotator,
            "code": self.code,
            "phase": self.phase,
            "source_file": source_file,
            "imported_at": imported_at,
            "is_synthetic": is_synthetic,
        }


@dataclass(frozen=True)
class _LabelRules:
    """What every coded row of one file must satisfy (`read_labelled_csv`'s arguments)."""

    path: Path
    codes: dict[str, str]
    sample_ids: set[int]
    known_topics: Collection[str]
    default_topic: str | None

    def check(self, line: int, cells: dict[str, str]) -> _CodedRow:
        """The coded row of `cells`: its id, code, annotator, phase and topic checked, in order."""
        question_id = _question_id(self.path, line, cells["id"], self.sample_ids)
        code = _code(self.path, line, cells["code"], self.codes)
        annotator = cells["annotator"]
        if not annotator:
            raise AnnotationFileError(
                self.path,
                line,
                f"code {code!r} has no annotator name: fill in the annotator column",
            )
        phase = _phase(self.path, line, cells["phase"])
        topic = _topic(self.path, line, cells["topic"] or self.default_topic, self.known_topics)
        return _CodedRow(line, topic, question_id, annotator, code, phase)


def _coded_rows(
    rules: _LabelRules,
    records: Iterator[tuple[int, list[str]]],
    header: list[str],
    columns: dict[str, int],
) -> tuple[list[_CodedRow], int]:
    """The file's coded rows, one per (topic, question, annotator), and its rows not coded yet.

    Fully empty lines are ignored; a row that repeats another's code and phase is kept once, and
    one that contradicts it rejects the file.
    """
    rows: dict[tuple[str, int, str], _CodedRow] = {}
    n_unlabelled = 0
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        cells = _cells(rules.path, line, record, header, columns)
        if not cells["code"]:
            n_unlabelled += 1
            continue
        row = rules.check(line, cells)
        first = rows.get(row.key)
        if first is not None and (first.code, first.phase) != (row.code, row.phase):
            raise AnnotationFileError(
                rules.path,
                line,
                f"question {row.question_id} ({row.topic}) already has code {first.code!r} "
                f"({first.phase}) from {row.annotator!r} on line {first.line}: keep one code "
                "and phase per question and annotator",
            )
        rows[row.key] = row
    return list(rows.values()), n_unlabelled


def _cells(
    path: Path, line: int, record: list[str], header: list[str], columns: dict[str, int]
) -> dict[str, str]:
    """The row's `id`, `annotator`, `code`, `phase` and `topic` cells, trimmed (absent: empty)."""
    if len(record) != len(header):
        raise AnnotationFileError(
            path,
            line,
            f"has {len(record)} fields but the header has {len(header)}: fix the quoting",
        )
    cells = {name: record[columns[name]].strip() for name in ("id", "annotator", "code")}
    for optional in ("phase", "topic"):
        cells[optional] = record[columns[optional]].strip() if optional in columns else ""
    return cells


def _code(path: Path, line: int, raw_code: str, codes: dict[str, str]) -> str:
    """The label's code in the seed's spelling, typed in any case."""
    code = codes.get(raw_code.casefold())
    if code is None:
        raise AnnotationFileError(
            path,
            line,
            f"unknown code {raw_code!r}: use a code of {settings.TAXONOMY_CODES_CSV.name} "
            "(dbt_project/seeds/taxonomy/)",
        )
    return code


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, fields) per CSV record; a malformed file raises with its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read {path}: {exc.strerror or exc}; check the file name") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnnotationFileError(
            path, line, f"byte 0x{raw[exc.start]:02x} is not UTF-8: save the file as UTF-8 CSV"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next_line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise AnnotationFileError(path, reader.line_num, f"malformed CSV ({exc})") from exc
        yield next_line, row
        next_line = reader.line_num + 1


def _phase(path: Path, line: int, raw_phase: str) -> str:
    """The label's phase: `pilot` or `independent` in any case, empty meaning `independent`."""
    if not raw_phase:
        return settings.DEFAULT_PHASE
    phase = raw_phase.casefold()
    if phase not in settings.PHASES:
        raise AnnotationFileError(
            path,
            line,
            f"unknown phase {raw_phase!r}: use {' or '.join(settings.PHASES)} "
            f"(empty means {settings.DEFAULT_PHASE})",
        )
    return phase


def _topic(path: Path, line: int, topic: str | None, known_topics: Collection[str]) -> str:
    """The label's topic, lower-cased; one of `known_topics` (topic names are lower-case)."""
    if not topic:
        raise AnnotationFileError(
            path, line, "no topic: fill in the topic column or pass --topic NAME"
        )
    if topic.casefold() not in known_topics:
        raise AnnotationFileError(
            path,
            line,
            f"unknown topic {topic!r}: use one of {', '.join(sorted(known_topics))} "
            "(dbt_project/seeds/topics.csv)",
        )
    return topic.casefold()


def _column_positions(path: Path, line: int, header: list[str]) -> dict[str, int]:
    """Map `id`, `annotator`, `code` and (if present) `phase` and `topic` to header positions.

    Rejects a header that lacks a required column or repeats one.
    """
    names = [name.strip().lower() for name in header]
    id_names = [name for name in settings.ID_COLUMNS if name in names]
    missing = [
        name
        for name, present in (
            ("id", bool(id_names)),
            (settings.ANNOTATOR_COLUMN, settings.ANNOTATOR_COLUMN in names),
            (settings.CODE_COLUMN, settings.CODE_COLUMN in names),
        )
        if not present
    ]
    if missing:
        raise AnnotationFileError(
            path,
            line,
            f"the header lacks column(s) {', '.join(missing)}: keep the header of the sample CSV",
        )
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        raise AnnotationFileError(
            path, line, f"the header repeats column(s) {', '.join(duplicated)}: keep one of each"
        )
    positions = {
        "id": names.index(id_names[0]),
        "annotator": names.index(settings.ANNOTATOR_COLUMN),
        "code": names.index(settings.CODE_COLUMN),
    }
    for optional in (settings.PHASE_COLUMN, settings.TOPIC_COLUMN):
        if optional in names:
            positions[optional] = names.index(optional)
    return positions


def _question_id(path: Path, line: int, raw_id: str, sample_ids: set[int]) -> int:
    """Parse a question id and check that it was drawn into a recorded sample."""
    try:
        question_id = int(raw_id)
    except ValueError:
        raise AnnotationFileError(
            path, line, f"id {raw_id!r} is not a question id: keep the sample's id column"
        ) from None
    if question_id not in sample_ids:
        raise AnnotationFileError(
            path,
            line,
            f"question {question_id} is not in the recorded annotation sample: "
            "label only rows of a CSV written by `ptmwh sample`",
        )
    return question_id
