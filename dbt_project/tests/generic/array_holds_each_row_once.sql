{#-
    Fails on every row whose array `column_name` does not hold exactly `n_rows` distinct non-null
    elements, `n_rows` counting the source rows it was aggregated from: an element repeated or
    null, or a row lost in the aggregation. On a list aggregated from rows this checks the rows'
    key (the list's owner and the element) on one row per list instead of on every source row.
    Arrays of up to `max_compared_pairwise` elements (Stack Exchange allows five tags) are
    checked by comparing their elements pairwise, which needs no per-row sort or hash table;
    longer ones are deduplicated.
-#}
{% test array_holds_each_row_once(model, column_name, n_rows, max_compared_pairwise=5) %}

{%- set repeats = [] -%}
{%- for i in range(1, max_compared_pairwise + 1) -%}
    {%- for j in range(i + 1, max_compared_pairwise + 1) -%}
        {%- do repeats.append(
            'coalesce(' ~ array_element(column_name, i) ~ ' = ' ~ array_element(column_name, j)
            ~ ', false)'
        ) -%}
    {%- endfor -%}
{%- endfor %}

select * from {{ model }}
where
    coalesce({{ array_size(column_name) }} != {{ n_rows }}, true)
    or case
        when {{ array_size(column_name) }} <= {{ max_compared_pairwise }}
            then {{ repeats | join('\n            or ') }}
        else {{ array_distinct_count(column_name) }} != {{ array_size(column_name) }}
    end

{% endtest %}
