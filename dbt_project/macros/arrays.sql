{#-
    Arrays (DuckDB lists), one macro per operation the models use, so the same model runs on
    DuckDB and Spark (docs/scale.md, "Running on Spark"). Element positions are 1-based
    everywhere: Spark's `arr[i]` is 0-based, DuckDB's 1-based, so models never index an array
    themselves.
-#}

{#- Element `position` (1-based) of `array`; null past the end and at position 0. -#}
{% macro array_element(array, position) -%}
    {{ return(adapter.dispatch('array_element')(array, position)) }}
{%- endmacro %}

{% macro default__array_element(array, position) -%}
    {{ array }}[{{ position }}]
{%- endmacro %}

{% macro spark__array_element(array, position) -%}
    {#- Spark raises INVALID_INDEX_OF_ZERO for position 0, even in try_element_at; DuckDB: null. -#}
    try_element_at({{ array }}, nullif(cast({{ position }} as int), 0))
{%- endmacro %}


{#- The non-null values of `expression` in a group, sorted ascending (an aggregate). -#}
{% macro sorted_array_agg(expression) -%}
    {{ return(adapter.dispatch('sorted_array_agg')(expression)) }}
{%- endmacro %}

{% macro default__sorted_array_agg(expression) -%}
    list_sort(list({{ expression }}) filter (where {{ expression }} is not null))
{%- endmacro %}

{#- collect_list skips nulls. -#}
{% macro spark__sorted_array_agg(expression) -%}
    array_sort(collect_list({{ expression }}))
{%- endmacro %}


{#- The values of `expression` in a group, in no particular order (an aggregate). -#}
{% macro array_agg_unordered(expression) -%}
    {{ return(adapter.dispatch('array_agg_unordered')(expression)) }}
{%- endmacro %}

{% macro default__array_agg_unordered(expression) -%}
    list({{ expression }})
{%- endmacro %}

{% macro spark__array_agg_unordered(expression) -%}
    collect_list({{ expression }})
{%- endmacro %}


{#- The values of `expression` in a group ordered by `order_by` (an aggregate). -#}
{% macro array_agg_ordered(expression, order_by) -%}
    {{ return(adapter.dispatch('array_agg_ordered')(expression, order_by)) }}
{%- endmacro %}

{% macro default__array_agg_ordered(expression, order_by) -%}
    array_agg({{ expression }} order by {{ order_by }})
{%- endmacro %}

{#- Sorting (key, value) pairs orders by the key; the values are then taken out. -#}
{% macro spark__array_agg_ordered(expression, order_by) -%}
    transform(
        array_sort(collect_list(struct({{ order_by }} as sort_key, {{ expression }} as value))),
        pair -> pair.value
    )
{%- endmacro %}


{#- An array of the non-null ones of `expressions` (a list of SQL expressions), in order. -#}
{% macro array_of_non_nulls(expressions) -%}
    {{ return(adapter.dispatch('array_of_non_nulls')(expressions)) }}
{%- endmacro %}

{% macro default__array_of_non_nulls(expressions) -%}
    list_filter([{{ expressions | join(', ') }}], element -> element is not null)
{%- endmacro %}

{% macro spark__array_of_non_nulls(expressions) -%}
    filter(array({{ expressions | join(', ') }}), element -> element is not null)
{%- endmacro %}


{#- An empty array of strings. -#}
{% macro empty_string_array() -%}
    {{ return(adapter.dispatch('empty_string_array')()) }}
{%- endmacro %}

{% macro default__empty_string_array() -%}
    cast([] as varchar[])
{%- endmacro %}

{% macro spark__empty_string_array() -%}
    cast(array() as array<string>)
{%- endmacro %}


{#- Whether `array` holds `value` (null when `array` is null). -#}
{% macro array_has(array, value) -%}
    {{ return(adapter.dispatch('array_has')(array, value)) }}
{%- endmacro %}

{% macro default__array_has(array, value) -%}
    list_contains({{ array }}, {{ value }})
{%- endmacro %}

{% macro spark__array_has(array, value) -%}
    array_contains({{ array }}, {{ value }})
{%- endmacro %}


{#- `text` split at each `delimiter` (a literal string, not a pattern) into an array. -#}
{% macro split_to_array(text, delimiter) -%}
    {{ return(adapter.dispatch('split_to_array')(text, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_array(text, delimiter) -%}
    string_split({{ text }}, '{{ delimiter }}')
{%- endmacro %}

{#- Spark's split takes a regular expression: quote the delimiter; -1 keeps empty last parts. -#}
{% macro spark__split_to_array(text, delimiter) -%}
    split({{ text }}, '\\Q{{ delimiter }}\\E', -1)
{%- endmacro %}


{#- `array` sorted ascending. -#}
{% macro sort_array(array) -%}
    {{ return(adapter.dispatch('sort_array')(array)) }}
{%- endmacro %}

{% macro default__sort_array(array) -%}
    list_sort({{ array }})
{%- endmacro %}

{% macro spark__sort_array(array) -%}
    array_sort({{ array }})
{%- endmacro %}


{#- One row per element of `array`, in a select list (DuckDB's unnest, Spark's explode). -#}
{% macro unnest_array(array) -%}
    {{ return(adapter.dispatch('unnest_array')(array)) }}
{%- endmacro %}

{% macro default__unnest_array(array) -%}
    unnest({{ array }})
{%- endmacro %}

{% macro spark__unnest_array(array) -%}
    explode({{ array }})
{%- endmacro %}


{#- The number of elements of `array`. -#}
{% macro array_size(array) -%}
    {{ return(adapter.dispatch('array_size')(array)) }}
{%- endmacro %}

{% macro default__array_size(array) -%}
    len({{ array }})
{%- endmacro %}

{% macro spark__array_size(array) -%}
    size({{ array }})
{%- endmacro %}


{#- The number of distinct non-null elements of `array` (null when `array` is null). -#}
{% macro array_distinct_count(array) -%}
    {{ return(adapter.dispatch('array_distinct_count')(array)) }}
{%- endmacro %}

{% macro default__array_distinct_count(array) -%}
    len(list_distinct({{ array }}))
{%- endmacro %}

{#- Spark's array_distinct keeps one null; the filter drops it, as DuckDB's list_distinct does. -#}
{% macro spark__array_distinct_count(array) -%}
    size(filter(array_distinct({{ array }}), element -> element is not null))
{%- endmacro %}
