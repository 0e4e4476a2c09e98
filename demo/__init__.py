"""What `make demo` needs and the loaders do not: the calibrated synthetic sample (`synthetic`) and
a loopback replay of the Stack Exchange API that serves it (`replay_api`), so the demo loads through
the real dlt source with no network. Kept out of `dlt_pipeline` so the loader package holds loaders
only.
"""
