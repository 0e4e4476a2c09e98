with

questions as (

    select * from {{ ref('int_questions_in_window') }}

),

answers as (

    select * from {{ ref('stg_stackexchange__answers') }}

),

{#
    The accepted answer's time per question, joined on three narrow columns first: a hash join of
    the answers to the wide window rows would carry every question column through its hash table.
#}
accepted_answer_times as (

    select
        accepted.site,
        accepted.question_id,
        answers.created_at as accepted_answer_created_at

    from {{ ref('stg_stackexchange__questions') }} as accepted
    inner join answers
        on
            accepted.site = answers.site
            and accepted.accepted_answer_id = answers.answer_id

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
        accepted_answer_times.accepted_answer_created_at,
        case
            when accepted_answer_times.accepted_answer_created_at >= questions.created_at
                {# A double, not `/ 60.0`: Spark would divide as decimals and round. #}
                then cast(
                        {{ dbt.datediff(
                            'questions.created_at',
                            'accepted_answer_times.accepted_answer_created_at',
                            'second'
                        ) }} as double
                    ) / 60
        end as response_minutes

    from questions
    left join accepted_answer_times
        on
            questions.site = accepted_answer_times.site
            and questions.question_id = accepted_answer_times.question_id

)

select * from joined
