"""dlt sources loading Stack Exchange data (API, data dump, annotation CSVs) into the warehouse."""
