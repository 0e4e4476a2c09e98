"""Cochran's sample size: the loader's baseline sample and the RQ3 annotation sample both use it."""

from __future__ import annotations

import math

from scipy.special import ndtri


def cochran_sample_size(
    population: int | None,
    confidence: float = 0.95,
    margin: float = 0.05,
    p: float = 0.5,
) -> int:
    """Cochran's sample size for estimating a proportion, with the finite-population correction.

    n0 = z^2 p (1 - p) / margin^2, then n = n0 / (1 + (n0 - 1) / population), rounded up. The
    paper's 2,829 high-quality questions at 95% confidence and a 5% margin give 339.

    Args:
        population: Size of the population sampled from; None for an infinite population.
        confidence: Confidence level, e.g. 0.95.
        margin: Half-width of the interval as a fraction, e.g. 0.05 for +-5 percentage points.
        p: Anticipated proportion; 0.5 is the most conservative.

    Raises:
        ValueError: an argument out of range, or a population that is not a positive count.
    """
    if not 0.0 < confidence < 1.0 or math.isnan(confidence):
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    if not 0.0 < margin < 1.0:
        raise ValueError(f"margin must lie strictly between 0 and 1, got {margin}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    z = ndtri(1.0 - (1.0 - confidence) / 2.0)
    n0 = z * z * p * (1.0 - p) / (margin * margin)
    if population is None:
        return math.ceil(n0)
    if isinstance(population, bool) or not float(population).is_integer():
        raise ValueError(f"population must be a whole number of questions, got {population!r}")
    if population < 0:
        raise ValueError(f"population must not be negative, got {population}")
    if population == 0:
        raise ValueError("population is 0: there is nothing to sample")
    size = int(population)
    return min(size, math.ceil(n0 / (1.0 + (n0 - 1.0) / size)))
