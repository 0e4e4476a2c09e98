{#-
    The paper's three difficulty metrics (§V) over a set of questions, shared by rpt_difficulty and
    rpt_difficulty_by_tag: %no acc, response minutes of answered questions, and PD = avg answers /
    avg views. Use inside a `select ... group by`.
-#}
{% macro difficulty_metrics() -%}
    count(*) as n_questions,
    sum(case when not has_accepted_answer then 1 else 0 end) as n_no_accepted_answer,
    avg(case when not has_accepted_answer then 1.0 else 0.0 end) as no_accepted_answer_rate,
    count(response_minutes) as n_with_response_time,
    avg(response_minutes) as mean_response_minutes,
    percentile_cont(0.5) within group (order by response_minutes) as median_response_minutes,
    avg(cast(answer_count as double)) as avg_answer_count,
    avg(cast(view_count as double)) as avg_view_count,
    avg(cast(answer_count as double)) / nullif(avg(cast(view_count as double)), 0) as answers_per_view,
    string_agg(distinct data_source, ',' order by data_source) as data_source,
    {{ dbt.bool_or('is_synthetic') }} as is_synthetic
{%- endmacro %}
