{#-
    The raw tables are written by dlt; some exist only for some loads (a dump-only warehouse has no
    baseline_totals, related_tags or baseline_sample_runs). `raw_source` returns the source relation,
    an empty typed relation for a missing optional table, or a clear error for a missing required one.
-#}
{% macro raw_source(table_name, optional=false, empty_columns=none) -%}
    {%- set relation = source('stackexchange', table_name) -%}
    {#- A unit test's input is a fixture CTE (a relation without schema): nothing to look up. -#}
    {%- if execute and relation.schema is not none and load_relation(relation) is none -%}
        {%- if optional -%}
            (select
            {%- for column_name, data_type in empty_columns.items() %}
                cast(null as {{ data_type }}) as {{ column_name }}{{ "," if not loop.last }}
            {%- endfor %}
            limit 0)
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "raw table " ~ relation.schema ~ "." ~ relation.identifier ~ " is missing: run `ptmwh load` (or `ptmwh load-dump`)"
                ~ " to load Stack Exchange data into this warehouse first"
            ) }}
        {%- endif -%}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}


{#- Lower-cased column name -> lower-cased data type of a raw table ({} when it does not exist). -#}
{% macro raw_column_types(table_name) -%}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- set relation = load_relation(source('stackexchange', table_name)) -%}
        {%- if relation is not none -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do types.update({column.name | lower: column.data_type | lower}) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}


{#-
    dlt creates a column only once some row has a value for it, so a nullable API field (closed_date,
    owner_user_id, ...) can be absent from a raw table: read it as a typed null then.
-#}
{% macro optional_column(column_types, column_name, data_type) -%}
    {%- if not execute or column_name in column_types -%}
        {{ column_name }}
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}


{#- Epoch seconds (the API's dates) or a timestamp column (dlt's times) as a UTC `timestamp`. -#}
{% macro to_utc_timestamp(column_types, column_name) -%}
    {%- set data_type = column_types.get(column_name, 'bigint') -%}
    {%- if not execute or column_name not in column_types -%}
        {{ epoch_to_timestamp(optional_column(column_types, column_name, 'bigint')) }}
    {%- elif 'int' in data_type or 'double' in data_type or 'decimal' in data_type -%}
        {{ epoch_to_timestamp(column_name) }}
    {%- elif 'time zone' in data_type or data_type == 'timestamptz' -%}
        {{ tz_to_utc_timestamp(column_name) }}
    {%- else -%}
        cast({{ column_name }} as timestamp)
    {%- endif -%}
{%- endmacro %}


{#- Epoch seconds as a UTC `timestamp` (without time zone). -#}
{% macro epoch_to_timestamp(column_name) -%}
    {{ dbt.dateadd('second', column_name, "cast('1970-01-01 00:00:00' as timestamp)") }}
{%- endmacro %}


{% macro tz_to_utc_timestamp(column_name) -%}
    {{ return(adapter.dispatch('tz_to_utc_timestamp')(column_name)) }}
{%- endmacro %}

{% macro default__tz_to_utc_timestamp(column_name) -%}
    cast({{ column_name }} as timestamp)
{%- endmacro %}

{#- DuckDB casts timestamptz to the session's zone: name UTC explicitly. -#}
{% macro duckdb__tz_to_utc_timestamp(column_name) -%}
    timezone('UTC', {{ column_name }})
{%- endmacro %}
