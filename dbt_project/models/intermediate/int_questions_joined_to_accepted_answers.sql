with

questions as (

    select * from {{ ref('int_questions_in_window') }}

),

answers as (

    select * from {{ ref('stg_stackexchange__answers') }}

),

{#
    The question's accepted_answer_id is the site's own record; the accepted answer may be missing
    from the data (not loaded, deleted), which leaves response_minutes null but keeps the question.
    An accepted answer older than its question (merged questions) gives no response time either.
#}
joined as (

    select
        questions.*,
        questions.accepted_answer_id is not null as has_accepted_answer,
        answers.created_at as accepted_answer_created_at,
        case
            when answers.created_at >= questions.created_at
                {# A double, not `/ 60.0`: Spark would divide as decimals and round. #}
                then cast(
                        {{ dbt.datediff('questions.created_at', 'answers.created_at', 'second') }}
                        as double
                    ) / 60
        end as response_minutes

    from questions
    left join answers
        on
            questions.site = answers.site
            and questions.accepted_answer_id = answers.answer_id

)

select * from joined
