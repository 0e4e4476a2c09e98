"""ptm-warehouse: the thin command line that runs loader, dbt, analysis and report in turn."""

__version__ = "0.1.0"
