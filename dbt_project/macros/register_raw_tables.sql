{#-
    on-run-start: make the raw tables readable by the models on engines that do not hold them
    (docs/scale.md, "Running on Spark"). The var `raw_tables` maps `schema.table` to the location
    of its Parquet files (`ptmwh build --engine spark` exports them from the DuckDB raw schemas);
    each is registered as an external table, replacing a registration of an earlier build. Empty
    (the default) does nothing: on DuckDB, and on a cluster whose metastore already holds the raw
    tables.
-#}
{% macro register_raw_tables() -%}
    {%- set raw_tables = var('raw_tables', {}) -%}
    {%- if execute and raw_tables -%}
        {%- set schemas = [] -%}
        {%- for name in raw_tables -%}
            {%- set schema = name.split('.')[0] -%}
            {%- if schema not in schemas -%}
                {%- do schemas.append(schema) -%}
                {%- do run_query('create schema if not exists ' ~ schema) -%}
            {%- endif -%}
            {%- do run_query('drop table if exists ' ~ name) -%}
            {%- do run_query(
                'create table ' ~ name ~ " using parquet location '" ~ raw_tables[name] ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
