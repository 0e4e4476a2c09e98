"""Cochran's sample size: the paper's annotation sample and the loader's baseline sample."""

from __future__ import annotations

import math

import pytest

from study.sample_size import cochran_sample_size


def test_the_papers_sizes() -> None:
    assert cochran_sample_size(2829) == 339  # the paper's high-quality questions (section VI-B)
    assert cochran_sample_size(None) == 385
    assert cochran_sample_size(None, margin=0.01) == 9604  # the loader's +-1 point baseline sample
    assert cochran_sample_size(50) == 45


@pytest.mark.parametrize("population", [500, 2_829, 52_000, 9_600_000])
def test_the_finite_population_correction(population: int) -> None:
    n0 = 1.959963984540054**2 * 0.25 / 0.01**2  # z of 95%, p = 0.5, +-1 point
    expected = min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))
    assert cochran_sample_size(population, margin=0.01) == expected


def test_bad_arguments_are_refused() -> None:
    for bad, message in ((-1, "negative"), (0, "nothing to sample"), (2.5, "whole number")):
        with pytest.raises(ValueError, match=message):
            cochran_sample_size(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="margin"):
        cochran_sample_size(100, margin=5)
    with pytest.raises(ValueError, match="confidence"):
        cochran_sample_size(100, confidence=1.0)
