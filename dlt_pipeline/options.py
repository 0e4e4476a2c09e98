"""Choices the loaders accept, free of dlt so the CLI builds its parser without importing dlt."""

from __future__ import annotations

BASELINES = ("none", "totals", "sample", "both")
"""`ptmwh load --baseline`: no baseline, yearly totals, the random sample, or both."""
