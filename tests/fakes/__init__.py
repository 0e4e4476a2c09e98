"""Fakes used only by tests: fault injection on the API replay, a manual clock, small datasets.

They live under `tests/` so they never ship in an installed package; they may build on `demo`,
which must not import them.
"""
