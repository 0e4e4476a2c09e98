"""The `ptmwh` verbs, one module each (a small family, `topics` and `topic`, shares one): each holds
its arguments and its handler together, and `ptmwh/cli.py` only assembles them.
"""
