{#-
    The popularity measures the field's studies report beside difficulty (mean views, mean score,
    mean favourites, share unanswered), shared by rpt_difficulty and rpt_difficulty_by_tag in the
    shape of difficulty_metrics.sql: popularity_metrics() aggregates rows directly,
    popularity_estimates() computes the same figures from a group's sums (int_question_group_sums).
-#}
{% macro popularity_metrics() -%}
    {{ popularity_estimates(popularity_sums()) }}
{%- endmacro %}


{#-
    The additive figures of a set of fct_questions rows behind the popularity estimates, as
    aggregate expressions by column name. Each mean covers the questions that carry its count
    (favorite_count is null until a loader fills it), so a missing count is not read as zero; sums
    are doubles, as squares of views overflow a bigint over millions of questions.
-#}
{% macro popularity_sums() -%}
    {%- set sums = {} -%}
    {%- for column in ['view_count', 'score', 'favorite_count'] -%}
        {%- set value = 'cast(' ~ column ~ ' as double)' -%}
        {%- do sums.update({
            'n_with_' ~ column: 'count(' ~ column ~ ')',
            'sum_' ~ column ~ '_all': 'coalesce(sum(' ~ value ~ '), 0)',
            'sum_squared_' ~ column ~ '_all': 'coalesce(sum(' ~ value ~ ' * ' ~ value ~ '), 0)',
        }) -%}
    {%- endfor -%}
    {%- do sums.update({
        'n_with_answer_count': 'count(answer_count)',
        'n_unanswered': 'sum(case when answer_count = 0 then 1 else 0 end)',
    }) -%}
    {{ return(sums) }}
{%- endmacro %}


{#-
    The popularity estimates from a group's sums (popularity_sums: a mapping of each sum's name to
    an expression, aggregate or column): the mean view count, score and favourite count, each with
    its normal 95% interval (mean_with_interval), and the share unanswered with its Wilson interval.
-#}
{% macro popularity_estimates(s) -%}
    {%- for column, non_negative in [
        ('view_count', true), ('score', false), ('favorite_count', true)
    ] %}
    {{ mean_with_interval(
        s['n_with_' ~ column],
        s['sum_' ~ column ~ '_all'],
        s['sum_squared_' ~ column ~ '_all'],
        'mean_' ~ column,
        non_negative
    ) }},
    {%- endfor %}
    {{ s.n_unanswered }} as n_unanswered,
    cast({{ s.n_unanswered }} as double) / nullif(cast({{ s.n_with_answer_count }} as double), 0)
        as unanswered_rate,
    {{ wilson_interval(s.n_unanswered, s.n_with_answer_count, 'low') }} as unanswered_rate_ci_low,
    {{ wilson_interval(s.n_unanswered, s.n_with_answer_count, 'high') }} as unanswered_rate_ci_high
{%- endmacro %}
