"""dlt sources that load Stack Exchange data (API, data dump, annotation CSVs) into the warehouse."""
