with

questions as (

    select * from {{ ref('int_questions_labelled_by_method') }}

),

final as (

    select
        question_id,
        created_at,
        creation_year,
        topic,
        question_group,
        tags,
        n_topic_tags,
        title,
        title_html,
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
        sampling_method,
        collected_by,
        data_source,
        is_synthetic,
        dlt_load_id

    from questions

)

select * from final
