with

questions as (

    select * from {{ ref('fct_questions') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

topic_years as (

    select * from {{ ref('int_topic_years') }}

),

totals_by_year as (

    select * from {{ ref('int_baseline_totals_by_year') }}

),

{# One pass over every question into days, so the per-topic windows join a small relation. #}
questions_per_day as (

    select
        site,
        cast(created_at as date) as created_date,
        creation_year,
        count(*) as n_questions,
        {{ dbt.bool_or("collected_by = 'dump'") }} as has_dump,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from questions
    group by 1, 2, 3

),

loaded_by_year as (

    select
        topics.topic,
        questions_per_day.creation_year as year,
        cast(sum(questions_per_day.n_questions) as bigint) as n_questions_loaded,
        {{ dbt.bool_or('questions_per_day.has_dump') }} as has_dump,
        {{ dbt.bool_or('questions_per_day.is_synthetic') }} as is_synthetic

    from topics
    inner join questions_per_day
        on
            topics.site = questions_per_day.site
            and topics.window_start_date <= questions_per_day.created_date
            and topics.window_end_date >= questions_per_day.created_date
    group by 1, 2

),

topic_counts_by_year as (

    select
        topic_questions.topic,
        questions.creation_year as year,
        count(*) as n_topic_questions

    from topic_questions
    inner join questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id
    group by 1, 2

),

{# All questions of a year: the dump's full population, else the API's exact count, else unknown. #}
all_questions as (

    select
        topic_years.topic,
        topic_years.year,
        topic_years.n_days_in_year,
        topic_years.n_days_in_window,
        topic_years.is_partial_year,
        coalesce(topic_counts_by_year.n_topic_questions, 0) as n_topic_questions,
        case
            when loaded_by_year.has_dump then loaded_by_year.n_questions_loaded
            else totals_by_year.n_all_questions
        end as n_all_questions,
        case
            when loaded_by_year.has_dump then 'full_population'
            when totals_by_year.n_all_questions is not null then 'exact_count'
        end as n_all_questions_method,
        coalesce(loaded_by_year.is_synthetic, totals_by_year.is_synthetic, false) as is_synthetic

    from topic_years
    left join loaded_by_year
        on
            topic_years.topic = loaded_by_year.topic
            and topic_years.year = loaded_by_year.year
    left join totals_by_year
        on
            topic_years.topic = totals_by_year.topic
            and topic_years.year = totals_by_year.year
    left join topic_counts_by_year
        on
            topic_years.topic = topic_counts_by_year.topic
            and topic_years.year = topic_counts_by_year.year

),

final as (

    select
        topic,
        year,
        is_partial_year,
        n_days_in_window,
        n_topic_questions,
        n_all_questions,
        n_all_questions_method,
        n_topic_questions / nullif(cast(n_all_questions as double), 0) as topic_share,
        n_topic_questions / cast(n_days_in_window as double) as topic_questions_per_day,
        n_topic_questions / cast(n_days_in_window as double) * n_days_in_year
            as annualised_topic_questions,
        is_synthetic

    from all_questions

)

select * from final
