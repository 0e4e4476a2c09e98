{#-
    The comparison groups' figures computed without their rows (int_question_group_sums,
    int_question_group_order_statistics) and read back by rpt_difficulty and
    rpt_response_time_distribution: what is summed per group and which ranks are looked up.
-#}

{#- The names of every additive column of int_question_group_sums, in order. -#}
{% macro question_group_sum_names() -%}
    {%- set names = question_group_sum_expressions().keys() | list -%}
    {%- for k in range(n_response_buckets()) -%}
        {%- do names.append('n_response_bucket_' ~ k) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- The aggregate expression of each sum of a group but the histogram's, by column name. -#}
{% macro question_group_sum_expressions() -%}
    {%- set sums = {} -%}
    {%- do sums.update(difficulty_sums()) -%}
    {%- do sums.update(popularity_sums()) -%}
    {{ return(sums) }}
{%- endmacro %}


{#- The select list of a group's sums (an aggregate over fct_questions rows). -#}
{% macro question_group_sums() -%}
    {%- for name, expression in question_group_sum_expressions().items() %}
    {{ expression }} as {{ name }},
    {%- endfor %}
    {%- for k in range(n_response_buckets()) %}
    sum(
        case when {{ response_bucket_index('response_minutes') }} = {{ k }} then 1 else 0 end
    ) as n_response_bucket_{{ k }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    The select list of the sums of `minuend` less those of `subtrahend` (a left-joined relation:
    missing sums count as zero), column by column.
-#}
{% macro question_group_sums_difference(minuend, subtrahend) -%}
    {%- for name in question_group_sum_names() %}
    {{ minuend }}.{{ name }} - coalesce({{ subtrahend }}.{{ name }}, 0) as {{ name }}
    {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    The difficulty and popularity estimates of each row of `sums`, a relation with
    int_question_group_sums' columns (difficulty_estimates, popularity_estimates).
-#}
{% macro group_estimates_from(sums) -%}
    {%- set columns = {} -%}
    {%- for name in question_group_sum_expressions().keys() -%}
        {%- do columns.update({name: sums ~ '.' ~ name}) -%}
    {%- endfor -%}
    {{ difficulty_estimates(columns) }},
    {{ popularity_estimates(columns) }}
{%- endmacro %}


{#-
    The union of one select per rank of `group_sums` (a relation with topic, question_group,
    sampling_method and n_with_response_time) that the marts look up: both ranks around each
    reported quantile and the median's interval bounds, for groups with a response time.
-#}
{% macro requested_response_ranks(group_sums) -%}
    {%- set ranks = [] -%}
    {%- for fraction in response_quantile_fractions() -%}
        {%- do ranks.append(quantile_rank('n_with_response_time', fraction, 'low')) -%}
        {%- do ranks.append(quantile_rank('n_with_response_time', fraction, 'high')) -%}
    {%- endfor -%}
    {%- do ranks.append(median_rank('n_with_response_time', 'low')) -%}
    {%- do ranks.append(median_rank('n_with_response_time', 'high')) -%}
    {%- for rank in ranks %}
    select
        topic,
        question_group,
        sampling_method,
        {{ rank }} as response_rank

    from {{ group_sums }}
    where n_with_response_time > 0
    {{ 'union' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#-
    The response time at rank `__rank__` of a group, as an aggregate over its rows of
    `order_statistics` (int_question_group_order_statistics joined on the group): the
    `value_at_rank` that median_estimates and response_quantiles read.
-#}
{% macro response_time_at_rank(order_statistics) -%}
    {{ return(
        'max(case when ' ~ order_statistics ~ '.response_rank = __rank__ then '
        ~ order_statistics ~ '.response_minutes end)'
    ) }}
{%- endmacro %}


{#-
    The reported quantiles of a group's response times, one `pNN_minutes` column per fraction of
    response_quantile_fractions, from the response time at rank `__rank__` (`value_at_rank`) and
    the number `n` of response times.
-#}
{% macro response_quantiles(value_at_rank, n) -%}
    {%- for fraction in response_quantile_fractions() %}
    {{ quantile_from_order_statistics(value_at_rank, n, fraction) }}
        as {{ response_quantile_column(fraction) }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The reported quantiles' column names, comma-separated. -#}
{% macro response_quantile_columns() -%}
    {%- for fraction in response_quantile_fractions() -%}
        {{ response_quantile_column(fraction) }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{% macro response_quantile_column(fraction) -%}
    p{{ (fraction * 100) | round | int }}_minutes
{%- endmacro %}


{#-
    The count in `sums`' histogram bucket `bucket_index` (an expression from 0 to
    n_response_buckets - 1).
-#}
{% macro response_bucket_count(sums, bucket_index) -%}
    case {{ bucket_index }}
        {%- for k in range(n_response_buckets()) %}
        when {{ k }} then {{ sums }}.n_response_bucket_{{ k }}
        {%- endfor %}
    end
{%- endmacro %}
