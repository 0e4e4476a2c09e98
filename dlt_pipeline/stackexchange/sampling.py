"""The baseline sample's size (Cochran's, `study.sample_size`) and its random post ids."""

from __future__ import annotations

import random
from collections.abc import Iterator

from study.sample_size import cochran_sample_size

from . import settings


def baseline_sample_size(population: int) -> int:
    """Sample size for a rate within ±1 pp at 95% (p = 0.5), with finite-population correction.

    A window without questions (a population of 0) gets the infinite population's size, 9,604.
    """
    return cochran_sample_size(
        population or None,
        confidence=settings.SAMPLE_CONFIDENCE,
        margin=settings.SAMPLE_MARGIN_OF_ERROR,
    )


def random_id_batches(seed: int, id_min: int, id_max: int) -> Iterator[list[int]]:
    """Batches of 100 distinct uniform random ids in [id_min, id_max], reproducible from `seed`."""
    rng = random.Random(seed)
    size = id_max - id_min + 1
    used: set[int] = set()
    while len(used) < size:
        batch: list[int] = []
        while len(batch) < settings.IDS_PER_REQUEST and len(used) < size:
            candidate = rng.randint(id_min, id_max)
            if candidate not in used:
                used.add(candidate)
                batch.append(candidate)
        yield batch
