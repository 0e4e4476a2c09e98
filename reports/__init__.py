"""Static report: the paper's tables and figures rendered from the marts and `analysis.*`."""
