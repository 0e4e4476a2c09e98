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
