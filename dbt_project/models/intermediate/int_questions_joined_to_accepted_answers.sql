with

questions as (

    select * from {{ ref('int_questions_in_window') }}

),

{#
    The accepted answer itself is joined in int_questions_in_window (accepted_answer_created_at).
    A question whose accepted answer is missing from the data still has one (the site's own
    record) but no response_minutes; an accepted answer older than its question (merged
    questions) gives no response time either.
#}
with_response_minutes as (

    select
        questions.*,
        questions.accepted_answer_id is not null as has_accepted_answer,
        case
            when questions.accepted_answer_created_at >= questions.created_at
                {# A double, not `/ 60.0`: Spark would divide as decimals and round. #}
                then cast(
                        {{ dbt.datediff(
                            'questions.created_at',
                            'questions.accepted_answer_created_at',
                            'second'
                        ) }} as double
                    ) / 60
        end as response_minutes

    from questions

)

select * from with_response_minutes
