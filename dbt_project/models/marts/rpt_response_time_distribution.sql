{# Bucket 0 is [0, 1) minute, bucket k >= 1 is [10^((k-1)/2), 10^(k/2)) minutes (to ~60 years). #}
{%- set n_buckets = 16 -%}

with

questions as (

    select * from {{ ref('fct_questions') }}

),

answered as (

    select
        topic,
        question_group,
        difficulty_method as method,
        response_minutes,
        case
            when response_minutes < 1 then 0
            else least(cast(floor(2 * log10(response_minutes)) as integer) + 1, {{ n_buckets - 1 }})
        end as bucket_index,
        is_synthetic

    from questions
    where difficulty_method is not null and response_minutes is not null

),

buckets as (

    {{ log_minute_buckets(n_buckets) }}

),

group_quantiles as (

    select
        topic,
        question_group,
        method,
        count(*) as n_with_response_time,
        percentile_cont(0.10) within group (order by response_minutes) as p10_minutes,
        percentile_cont(0.20) within group (order by response_minutes) as p20_minutes,
        percentile_cont(0.25) within group (order by response_minutes) as p25_minutes,
        percentile_cont(0.30) within group (order by response_minutes) as p30_minutes,
        percentile_cont(0.40) within group (order by response_minutes) as p40_minutes,
        percentile_cont(0.50) within group (order by response_minutes) as p50_minutes,
        percentile_cont(0.60) within group (order by response_minutes) as p60_minutes,
        percentile_cont(0.70) within group (order by response_minutes) as p70_minutes,
        percentile_cont(0.75) within group (order by response_minutes) as p75_minutes,
        percentile_cont(0.80) within group (order by response_minutes) as p80_minutes,
        percentile_cont(0.90) within group (order by response_minutes) as p90_minutes,
        percentile_cont(0.95) within group (order by response_minutes) as p95_minutes,
        percentile_cont(0.99) within group (order by response_minutes) as p99_minutes,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from answered
    group by 1, 2, 3

),

bucket_counts as (

    select
        question_group,
        method,
        bucket_index,
        count(*) as n_questions

    from answered
    group by 1, 2, 3

),

final as (

    select
        group_quantiles.topic,
        group_quantiles.question_group,
        group_quantiles.method,
        buckets.bucket_index,
        buckets.bucket_low_minutes,
        buckets.bucket_high_minutes,
        coalesce(bucket_counts.n_questions, 0) as n_questions,
        coalesce(bucket_counts.n_questions, 0)
        / cast(group_quantiles.n_with_response_time as double) as bucket_share,
        sum(coalesce(bucket_counts.n_questions, 0)) over (
            partition by group_quantiles.question_group
            order by buckets.bucket_index
        ) / cast(group_quantiles.n_with_response_time as double) as cumulative_share,
        group_quantiles.n_with_response_time,
        group_quantiles.p10_minutes,
        group_quantiles.p20_minutes,
        group_quantiles.p25_minutes,
        group_quantiles.p30_minutes,
        group_quantiles.p40_minutes,
        group_quantiles.p50_minutes,
        group_quantiles.p60_minutes,
        group_quantiles.p70_minutes,
        group_quantiles.p75_minutes,
        group_quantiles.p80_minutes,
        group_quantiles.p90_minutes,
        group_quantiles.p95_minutes,
        group_quantiles.p99_minutes,
        group_quantiles.is_synthetic

    from group_quantiles
    cross join buckets
    left join bucket_counts
        on
            group_quantiles.question_group = bucket_counts.question_group
            and group_quantiles.method = bucket_counts.method
            and buckets.bucket_index = bucket_counts.bucket_index

)

select * from final
