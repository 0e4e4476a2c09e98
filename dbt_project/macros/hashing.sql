{#-
    One 64-bit hash of several columns per row, for grouping by a wide key cheaply
    (docs/scale.md, "Running on Spark": one spelling per engine). Equal keys give equal hashes;
    different keys may collide, so a hash only ever narrows what an exact comparison then checks.
-#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash')(columns)) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
