{#-
    Aggregates whose spelling or null handling differs between DuckDB and Spark, so both engines
    give the same values (docs/scale.md, "Running on Spark").
-#}

{#- Some non-null value of `expression` in the group (null when there is none). -#}
{% macro any_non_null_value(expression) -%}
    {{ return(adapter.dispatch('any_non_null_value')(expression)) }}
{%- endmacro %}

{#- DuckDB's any_value skips nulls. -#}
{% macro default__any_non_null_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- Spark's any_value returns a null it meets first unless told to ignore nulls. -#}
{% macro spark__any_non_null_value(expression) -%}
    any_value({{ expression }}, true)
{%- endmacro %}


{#-
    The non-null values of `expression` (each once when `distinct`), sorted, joined with
    `delimiter`; like DuckDB's string_agg, null for a group without a non-null value.
-#}
{% macro sorted_string_agg(expression, delimiter, distinct=false) -%}
    {{ return(adapter.dispatch('sorted_string_agg')(expression, delimiter, distinct)) }}
{%- endmacro %}

{% macro default__sorted_string_agg(expression, delimiter, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, '{{ delimiter }}' order by {{ expression }})
{%- endmacro %}

{% macro spark__sorted_string_agg(expression, delimiter, distinct) -%}
    {%- set values = 'collect_set' if distinct else 'collect_list' -%}
    case
        when count({{ expression }}) > 0
            then array_join(array_sort({{ values }}({{ expression }})), '{{ delimiter }}')
    end
{%- endmacro %}
