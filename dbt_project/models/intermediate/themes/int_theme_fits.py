"""Every topic's theme fits (docs/themes.md): one row per (topic, number of themes tried).

A dbt Python model, so `dbt build` alone refits when a topic's questions or its theme_models row
change. The previous build's table is the cache: unchanged corpus and settings are not refitted.
"""

import duckdb

from analysis_py.themes.fits_table import theme_fits


def _previous_fits(session, relation):
    """The table the last build wrote, or None on a first build."""
    try:
        return session.sql(f"select * from {relation}").to_arrow_table()
    except duckdb.CatalogException:
        return None


def model(dbt, session):
    dbt.config(materialized="table")
    models = dbt.ref("theme_models").to_arrow_table().to_pylist()
    corpus = dbt.ref("int_theme_corpus").to_arrow_table()
    return theme_fits(models, corpus, _previous_fits(session, dbt.this))
