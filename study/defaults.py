"""The study's defaults: what a run uses when nobody says otherwise.

One number reproduces every random draw (the API's baseline sample, the bootstrap, the annotation
sample, the synthetic demo), so a run is repeated from it; it is the day the paper's window ends.
"""

from __future__ import annotations

STUDY_SEED = 20230615
"""Seed of every random draw of the study unless one is given."""
BOOTSTRAP_REPLICATES = 2000
"""Bootstrap resamples behind each confidence interval of the analysis."""
DEFAULT_TOPIC = "ptm"
"""The paper's topic: what a verb taking one topic works on when none is named."""
TAG_KINDS = ("model", "provider", "vendor", "other", "framework", "platform", "concept")
"""What a topic's tag names (`topic_tags.tag_kind`): `ptm`'s four kinds (§III), then the
literature topics' three; the seed's dbt test accepts exactly these."""
