"""A synthetic RQ3 annotation round: two annotators' and the consensus labels of a drawn sample.

`make demo` has no people to label its sample, yet the RQ3 marts and the report's Fig. 3 need labels
to show anything. This module plays the annotators of the paper's §VI-B on the CSV that
`ptmwh sample` wrote, calibrated to what the paper publishes:

- the consensus (`resolved`) code of each question is drawn from the taxonomy seed with the paper's
  shares (the category share split over its sub-categories in proportion to their published shares,
  each sub-category's share split evenly over its codes, as the paper gives none per code), with
  exact counts (largest remainders) so the shares hold for every seed; 5.81% are `False positive`;
- the first 129 questions (the paper's pilot, coded together) carry the consensus code for both
  annotators and `phase` = `pilot`;
- on the rest (`independent`) one annotator or the other departs from the consensus on just enough
  questions that Cohen's κ between them is the paper's 0.83.

The CSVs are copies of the sample CSV with `annotator`, `code` and a `phase` column filled in, as an
annotator would return them, so they go through the real import; the sample's `topic` column (`ptm`
in the demo) is copied too, so the labels are filed under the topic that was sampled. The same
sample and seed give the same files.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from study.defaults import STUDY_SEED

PAPER_KAPPA = 0.83
"""Cohen's κ of the independent phase (§VI-B)."""
PAPER_FALSE_POSITIVE_RATE = 0.0581
"""False positives among the annotated questions (§VI-B, §VIII: 25 of 430)."""
PAPER_PILOT_SIZE = 129
"""Questions coded together before the independent phase (§VI-B: 30% of 430)."""
FALSE_POSITIVE = "False positive"
ANNOTATORS = ("synthetic-annotator-1", "synthetic-annotator-2")
RESOLVED = "resolved"


@dataclass(frozen=True)
class SyntheticAnnotations:
    """What `write_synthetic_annotations` wrote.

    Attributes:
        files: One labelled CSV per annotator and one for the `resolved` consensus.
        n_questions: Questions labelled (the whole sample).
        n_pilot: Of which in the pilot phase.
        n_false_positive: Questions whose consensus code is `False positive`.
        n_disagreements: Independent questions on which the two annotators differ.
    """

    files: tuple[Path, ...]
    n_questions: int
    n_pilot: int
    n_false_positive: int
    n_disagreements: int


def write_synthetic_annotations(
    sample_csv: Path,
    taxonomy_csv: Path,
    out_dir: Path,
    *,
    seed: int = STUDY_SEED,
    n_pilot: int = PAPER_PILOT_SIZE,
    kappa: float = PAPER_KAPPA,
    false_positive_rate: float = PAPER_FALSE_POSITIVE_RATE,
) -> SyntheticAnnotations:
    """Label every question of `sample_csv` as two annotators and their consensus would.

    Args:
        sample_csv: The CSV written by `ptmwh sample` (`id`, ..., `annotator`, `code`).
        taxonomy_csv: The taxonomy seed (`dbt_project/seeds/taxonomy/taxonomy_codes.csv`).
        out_dir: Where the three labelled CSVs go (created if missing).
        seed: Seed of the draws (numpy PCG64).
        n_pilot: The first `n_pilot` questions of the sample form the pilot (fewer if the sample is
            smaller).
        kappa: Target Cohen's κ of the independent phase.
        false_positive_rate: Share of the sample whose consensus is `False positive`.

    Raises:
        ValueError: The sample CSV has no question rows.
    """
    header, rows = _read_sample(sample_csv)
    if not rows:
        raise ValueError(f"{sample_csv} has no questions to label: draw a sample first")
    rng = np.random.default_rng(seed)
    probabilities = _code_probabilities(taxonomy_csv)
    consensus = _consensus_codes(len(rows), probabilities, false_positive_rate, rng)
    n_pilot = min(n_pilot, len(rows))
    labels_1, labels_2 = list(consensus), list(consensus)
    n_disagreements = _disagree(labels_1, labels_2, n_pilot, probabilities, kappa, rng)
    phases = ["pilot"] * n_pilot + ["independent"] * (len(rows) - n_pilot)

    out_dir.mkdir(parents=True, exist_ok=True)
    files = tuple(
        _write_labelled(out_dir / f"{file_stem}.csv", header, rows, name, codes, phases)
        for file_stem, name, codes in (
            (ANNOTATORS[0], ANNOTATORS[0], labels_1),
            (ANNOTATORS[1], ANNOTATORS[1], labels_2),
            (f"synthetic-{RESOLVED}", RESOLVED, consensus),
        )
    )
    return SyntheticAnnotations(
        files=files,
        n_questions=len(rows),
        n_pilot=n_pilot,
        n_false_positive=consensus.count(FALSE_POSITIVE),
        n_disagreements=n_disagreements,
    )


def _read_sample(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The sample CSV's header and rows, in file order (question-id order)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if (row.get("id") or "").strip()]
        return list(reader.fieldnames or []), rows


def _code_probabilities(taxonomy_csv: Path) -> dict[tuple[str, str, str], float]:
    """Each non-false-positive code's probability, keyed (category, sub-category, code).

    The paper's category share is split over its sub-categories in proportion to their published
    shares (which do not add up to their category's: Model Lifecycle Management lists 55.78% for
    56.79%), and a sub-category's evenly over its codes; the categories add up to 100%.
    """
    with taxonomy_csv.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["code"] != FALSE_POSITIVE]
    category_share = {row["category"]: float(row["paper_category_share"]) for row in rows}
    sub_share = {
        (row["category"], row["sub_category"]): float(row["paper_sub_category_share"])
        for row in rows
    }
    sub_total = Counter[str]()
    for (category, _), share in sub_share.items():
        sub_total[category] += share
    codes_per_sub = Counter((row["category"], row["sub_category"]) for row in rows)
    weights = {
        (row["category"], row["sub_category"], row["code"]): category_share[row["category"]]
        * sub_share[(row["category"], row["sub_category"])]
        / sub_total[row["category"]]
        / codes_per_sub[(row["category"], row["sub_category"])]
        for row in rows
    }
    total = sum(weights.values())
    return {key: weight / total for key, weight in weights.items()}


def _largest_remainders(n: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `n` in proportion to `weights` into integers (Hamilton's method, ties in key order)."""
    total = sum(weights.values())
    keys = list(weights)
    expected = np.array([n * weights[key] / total for key in keys])
    counts = np.floor(expected).astype(int)
    for index in np.argsort(-(expected - counts), kind="stable")[: n - int(counts.sum())]:
        counts[index] += 1
    return {key: int(count) for key, count in zip(keys, counts, strict=True)}


def _consensus_codes(
    n: int,
    probabilities: dict[tuple[str, str, str], float],
    false_positive_rate: float,
    rng: np.random.Generator,
) -> list[str]:
    """`n` consensus codes in random order, with exact counts at every level of the taxonomy.

    Rounding category by category, then sub-category, then code keeps each level's shares within
    one question of the paper's, which rounding the 42 codes alone would not.
    """
    n_false_positive = round(false_positive_rate * n)
    drawn = [FALSE_POSITIVE] * n_false_positive
    by_category = Counter[str]()
    for (category, _, _), probability in probabilities.items():
        by_category[category] += probability
    for category, n_category in _largest_remainders(n - n_false_positive, by_category).items():
        by_sub = Counter[str]()
        for (key_category, sub, _), probability in probabilities.items():
            if key_category == category:
                by_sub[sub] += probability
        for sub, n_sub in _largest_remainders(n_category, by_sub).items():
            codes = {
                code: probability
                for (key_category, key_sub, code), probability in probabilities.items()
                if (key_category, key_sub) == (category, sub)
            }
            for code, n_code in _largest_remainders(n_sub, codes).items():
                drawn += [code] * n_code
    return [drawn[i] for i in rng.permutation(n)]


def _disagree(
    labels_1: list[str],
    labels_2: list[str],
    n_pilot: int,
    probabilities: dict[tuple[str, str, str], float],
    kappa: float,
    rng: np.random.Generator,
) -> int:
    """Make one annotator depart from the consensus on the independent questions until κ ≈ `kappa`.

    Each independent question gets, in random order, a departing annotator (either one) and an
    alternative code drawn with the taxonomy's probabilities (never the consensus code). The number
    of departures is the one whose κ is closest to the target; `labels_1` and `labels_2` are changed
    in place and the number returned.
    """
    independent = list(range(n_pilot, len(labels_1)))
    if len(independent) < 2:
        return 0
    order = [independent[i] for i in rng.permutation(len(independent))]
    codes = [code for _, _, code in probabilities] + [FALSE_POSITIVE]
    weights = np.array([*probabilities.values(), PAPER_FALSE_POSITIVE_RATE])
    departures = []
    for index in order:
        allowed = np.array([code != labels_1[index] for code in codes])
        p = weights * allowed
        alternative = codes[int(rng.choice(len(codes), p=p / p.sum()))]
        departures.append((index, int(rng.integers(2)), alternative))

    best_k, best_gap = 0, float("inf")
    for k in range(len(departures) + 1):
        trial_1 = [labels_1[i] for i in independent]
        trial_2 = [labels_2[i] for i in independent]
        position = {index: j for j, index in enumerate(independent)}
        for index, who, alternative in departures[:k]:
            (trial_1 if who == 0 else trial_2)[position[index]] = alternative
        gap = abs(_kappa(trial_1, trial_2) - kappa)
        if gap < best_gap:
            best_k, best_gap = k, gap
    for index, who, alternative in departures[:best_k]:
        (labels_1 if who == 0 else labels_2)[index] = alternative
    return best_k


def _kappa(labels_1: list[str], labels_2: list[str]) -> float:
    """Cohen's κ of two label lists; 1 when chance agreement is certain (one code throughout)."""
    n = len(labels_1)
    observed = sum(a == b for a, b in zip(labels_1, labels_2, strict=True)) / n
    counts_1, counts_2 = Counter(labels_1), Counter(labels_2)
    expected = sum(counts_1[code] * counts_2[code] for code in counts_1) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _write_labelled(
    path: Path,
    header: list[str],
    rows: list[dict[str, str]],
    annotator: str,
    codes: list[str],
    phases: list[str],
) -> Path:
    """The sample CSV with `annotator`, `code` and `phase` filled in, as an annotator returns it."""
    columns = [*header, "phase"] if "phase" not in header else header
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row, code, phase in zip(rows, codes, phases, strict=True):
            writer.writerow({**row, "annotator": annotator, "code": code, "phase": phase})
    return path
