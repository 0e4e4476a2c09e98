"""The synthetic annotation round reproduces the paper's κ, false-positive rate, pilot and shares.

Every figure is recomputed here from the CSVs the generator writes (statsmodels for κ), not taken
from the generator.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from demo.synthetic.annotations import write_synthetic_annotations

TAXONOMY_CSV = (
    Path(__file__).resolve().parents[2]
    / "dbt_project"
    / "seeds"
    / "taxonomy"
    / "taxonomy_codes.csv"
)
SAMPLE_HEADER = ["id", "link", "title", "tags", "score", "body_excerpt", "drawn_by", "topic"]
SAMPLE_HEADER += ["annotator", "code"]


def _sample_csv(path: Path, n: int) -> Path:
    """A CSV shaped like `ptmwh sample`'s: ids in increasing order, annotator and code empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SAMPLE_HEADER)
        for question_id in range(50_000_000, 50_000_000 + 7 * n, 7):
            link = f"https://stackoverflow.com/q/{question_id}"
            writer.writerow(
                [question_id, link, "A title, quoted", "bert", 2, "x", "random", "ptm", "", ""]
            )
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _kappa(first: list[str], second: list[str]) -> float:
    codes = sorted(set(first) | set(second))
    index = {code: i for i, code in enumerate(codes)}
    table = np.zeros((len(codes), len(codes)))
    for a, b in zip(first, second, strict=True):
        table[index[a], index[b]] += 1
    return float(cohens_kappa(table).kappa)


@pytest.fixture(scope="module")
def round_430(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[dict[str, str]]], Path]:
    work = tmp_path_factory.mktemp("annotations")
    result = write_synthetic_annotations(_sample_csv(work / "sample.csv", 430), TAXONOMY_CSV, work)
    return [_read(path) for path in result.files], work


def test_kappa_of_the_independent_phase_is_the_papers(round_430):
    (first, second, resolved), _ = round_430
    independent = [i for i, row in enumerate(first) if row["phase"] == "independent"]
    kappa = _kappa(
        [first[i]["code"] for i in independent], [second[i]["code"] for i in independent]
    )
    assert kappa == pytest.approx(0.83, abs=0.03)
    # the pilot was coded together: both annotators give the consensus code there
    for i, row in enumerate(first):
        if row["phase"] == "pilot":
            assert row["code"] == second[i]["code"] == resolved[i]["code"]


def test_false_positive_rate_pilot_and_phases_are_the_papers(round_430):
    (first, second, resolved), _ = round_430
    codes = [row["code"] for row in resolved]
    assert codes.count("False positive") / len(codes) == pytest.approx(0.0581, abs=0.01)
    phases = [row["phase"] for row in resolved]
    assert phases == ["pilot"] * 129 + ["independent"] * 301
    assert [row["phase"] for row in first] == [row["phase"] for row in second] == phases
    assert {row["annotator"] for row in resolved} == {"resolved"}
    assert len({row["annotator"] for row in first} | {row["annotator"] for row in second}) == 2


def test_category_shares_follow_the_published_shares(round_430):
    (_, _, resolved), _ = round_430
    with TAXONOMY_CSV.open(newline="", encoding="utf-8") as handle:
        taxonomy = {row["code"]: row for row in csv.DictReader(handle)}
    counts = Counter(
        taxonomy[row["code"]]["category"] for row in resolved if row["code"] != "False positive"
    )
    n_coded = sum(counts.values())
    for category, n in counts.items():
        published = float(
            next(r for r in taxonomy.values() if r["category"] == category)["paper_category_share"]
        )
        assert n / n_coded == pytest.approx(published, abs=1.5 / n_coded), category


def test_files_keep_the_sample_columns_and_are_deterministic(round_430, tmp_path: Path):
    (first, _, _), work = round_430
    assert list(first[0]) == [*SAMPLE_HEADER, "phase"]
    assert {row["topic"] for row in first} == {"ptm"}
    assert first[0]["title"] == "A title, quoted"
    again = write_synthetic_annotations(
        _sample_csv(tmp_path / "sample.csv", 430), TAXONOMY_CSV, tmp_path
    )
    for path in again.files:
        assert path.read_bytes() == (work / path.name).read_bytes()


@pytest.mark.parametrize("n", [60, 200, 900])
def test_other_sample_sizes_keep_kappa_and_false_positives(tmp_path: Path, n: int):
    result = write_synthetic_annotations(_sample_csv(tmp_path / "s.csv", n), TAXONOMY_CSV, tmp_path)
    first, second, resolved = (_read(path) for path in result.files)
    independent = [i for i, row in enumerate(first) if row["phase"] == "independent"]
    if len(independent) >= 100:
        kappa = _kappa(
            [first[i]["code"] for i in independent], [second[i]["code"] for i in independent]
        )
        assert kappa == pytest.approx(0.83, abs=0.03)
    n_false_positive = sum(row["code"] == "False positive" for row in resolved)
    assert n_false_positive == round(0.0581 * n)
