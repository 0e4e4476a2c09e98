"""The loader's baseline-sample size and the annotation sample use the same Cochran formula.

The loader cannot import `analysis_py` (the parts stay independent, see docs/ARCHITECTURE.md), so
it carries its own copy for ±1 pp at 95%; this test keeps the two from drifting apart.
"""

import pytest

from analysis_py.stats import cochran_sample_size
from dlt_pipeline.stackexchange.sampling import cochran_sample_size as loader_sample_size


@pytest.mark.parametrize("population", [None, 500, 2_829, 52_000, 9_600_000])
def test_loader_sample_size_equals_the_statistics_module(population):
    expected = cochran_sample_size(population, confidence=0.95, margin=0.01, p=0.5)
    assert loader_sample_size(population) == min(expected, population or expected)


def test_paper_and_baseline_sizes():
    assert cochran_sample_size(2_829) == 339
    assert loader_sample_size(None) == 9_604
