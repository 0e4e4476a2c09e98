"""Benchmarks of ptm-warehouse at Stack Overflow size (`make bench`); not part of `make test`."""
