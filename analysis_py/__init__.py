"""RQ2 statistics over the marts (`ptmwh analyze`) and the RQ3 annotation workflow.

`analysis_py.stats` is the notebook-friendly API of the individual tests; `run_analysis` runs them
all over the warehouse and writes schema `analysis`.
"""

from .marts import MartsMissingError
from .runner import AnalysisResult, run_analysis

__all__ = ["AnalysisResult", "MartsMissingError", "run_analysis"]
