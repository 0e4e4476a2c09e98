"""The baseline sample's size (Cochran) and its reproducible random post ids.

`cochran_sample_size` copies `analysis_py`'s formula (the loader may not import the analysis);
a test keeps the two equal.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from . import settings


def cochran_sample_size(population: int | None) -> int:
    """Sample size for a rate within ±1 pp at 95% (p = 0.5), with finite-population correction.

    n0 = z² p (1 - p) / e² (9,604 for e = 0.01); n = n0 / (1 + (n0 - 1) / N) when N is known.
    """
    n0 = settings.SAMPLE_CONFIDENCE_Z**2 * 0.25 / settings.SAMPLE_MARGIN_OF_ERROR**2
    if not population:
        return math.ceil(n0)
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


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
