"""Raw rows addressed to their raw table with its merge hints, for the dlt sources.

Apart from `raw_contract` (the schemas, which the dump's parse workers import) because this needs
dlt, which each worker process would otherwise load for nothing
(dlt_pipeline/stackexchange_dump/README.md).
"""

from __future__ import annotations

from typing import Any

import dlt
import pyarrow as pa

from .raw_contract import MERGE, RAW_TABLES


def marked(table: str, rows: list[dict[str, Any]]) -> Any:
    """Rows as one Arrow table of raw table `table`'s schema, addressed to it with its merge hints.

    Arrow, not dicts: dlt normalises Arrow batches far faster than dicts (benchmarks/README.md).
    """
    contract = RAW_TABLES[table]
    hints = dlt.mark.make_hints(table_name=table, write_disposition=MERGE, **contract.keys)
    data = pa.Table.from_pylist(rows, schema=contract.schema)
    return dlt.mark.with_hints(data, hints, create_table_variant=True)
