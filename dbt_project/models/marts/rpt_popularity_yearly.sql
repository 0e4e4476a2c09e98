with

questions as (

    select * from {{ ref('fct_questions') }}

),

totals_by_year as (

    select * from {{ ref('int_baseline_totals_by_year') }}

),

window_years as (

    {{ window_years() }}

),

counts_by_year as (

    select
        creation_year as year,
        sum(case when question_group = 'topic' then 1 else 0 end) as n_topic_questions,
        count(*) as n_questions_loaded,
        {{ dbt.bool_or("collected_by = 'dump'") }} as has_dump,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from questions
    group by 1

),

{# All questions of a year: the dump's full population, else the API's exact count, else unknown. #}
final as (

    select
        '{{ var("topic") }}' as topic,
        window_years.year,
        coalesce(counts_by_year.n_topic_questions, 0) as n_topic_questions,
        case
            when counts_by_year.has_dump then counts_by_year.n_questions_loaded
            else totals_by_year.n_all_questions
        end as n_all_questions,
        case
            when counts_by_year.has_dump then 'full_population'
            when totals_by_year.n_all_questions is not null then 'exact_count'
        end as n_all_questions_method,
        coalesce(counts_by_year.n_topic_questions, 0) / nullif(cast(case
            when counts_by_year.has_dump then counts_by_year.n_questions_loaded
            else totals_by_year.n_all_questions
        end as double), 0) as topic_share,
        coalesce(counts_by_year.is_synthetic, totals_by_year.is_synthetic, false) as is_synthetic

    from window_years
    left join counts_by_year
        on window_years.year = counts_by_year.year
    left join totals_by_year
        on window_years.year = totals_by_year.year

)

select * from final
