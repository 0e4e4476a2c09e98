with

question_topic_tags as (

    select * from {{ ref('int_questions_by_topic_tag') }}

),

final as (

    select
        topic,
        site,
        question_id,
        count(*) as n_topic_tags,
        {{ dbt.bool_or('in_initial_set') }} as has_initial_set_tag

    from question_topic_tags
    group by 1, 2, 3

)

select * from final
