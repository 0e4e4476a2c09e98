{#-
    Ordering only: fct_questions is built after the snapshot of the questions' counts has taken
    its versions. Each of the two takes most of the memory the build's DuckDB shares between dbt's
    threads, and side by side both spill (benchmarks/README.md); the snapshot goes first, beside
    the build's small nodes, rather than last, beside the marts.
-#}
{% if keeps_history_across_loads() -%}
-- depends_on: {{ ref('snap_question_counts') }}
{%- endif %}
with

questions as (

    select * from {{ ref('int_questions_joined_to_accepted_answers') }}

),

final as (

    select
        site,
        question_id,
        created_at,
        creation_year,
        tags,
        title,
        link,
        score,
        view_count,
        answer_count,
        favorite_count,
        is_answered,
        accepted_answer_id,
        has_accepted_answer,
        accepted_answer_created_at,
        response_minutes,
        score >= 1 as is_high_quality,
        collected_by,
        data_source,
        collected_at,
        is_synthetic,
        dlt_load_id

    from questions

)

select * from final
