"""The study's vocabulary: its window, names, defaults and sample size, one home each.

Every other package may import it and it imports none of them (docs/ARCHITECTURE.md), so an idea
the loaders, the analysis, the CLI and the demo share is written once here instead of copied.
"""
