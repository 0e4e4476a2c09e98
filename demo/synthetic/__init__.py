"""The deterministic synthetic Stack Overflow sample, calibrated to the paper's published
aggregates."""

from .generator import build_synthetic_dataset

__all__ = ["build_synthetic_dataset"]
