"""The deterministic synthetic Stack Overflow sample, calibrated to the paper's published
aggregates."""

from .generator import SYNTHETIC_SITE, build_synthetic_dataset

__all__ = ["SYNTHETIC_SITE", "build_synthetic_dataset"]
