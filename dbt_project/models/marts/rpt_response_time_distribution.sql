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
        sampling_method,
        response_minutes,
        case
            when response_minutes < 1 then 0
            else least(cast(floor(2 * log10(response_minutes)) as integer) + 1, {{ n_buckets - 1 }})
        end as bucket_index,
        is_synthetic

    from questions
    where sampling_method is not null and response_minutes is not null

),

buckets as (

    {{ log_minute_buckets(n_buckets) }}

),

group_quantiles as (

    select
        topic,
        question_group,
        sampling_method,
        count(*) as n_with_response_time,
        {# One sort for all thirteen quantiles instead of one sort each. #}
        quantile_cont(
            response_minutes,
            [0.10, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.90, 0.95, 0.99]
        ) as quantile_minutes,
        {{ dbt.bool_or('is_synthetic') }} as is_synthetic

    from answered
    group by 1, 2, 3

),

bucket_counts as (

    select
        question_group,
        sampling_method,
        bucket_index,
        count(*) as n_questions

    from answered
    group by 1, 2, 3

),

final as (

    select
        group_quantiles.topic,
        group_quantiles.question_group,
        group_quantiles.sampling_method,
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
        group_quantiles.quantile_minutes[1] as p10_minutes,
        group_quantiles.quantile_minutes[2] as p20_minutes,
        group_quantiles.quantile_minutes[3] as p25_minutes,
        group_quantiles.quantile_minutes[4] as p30_minutes,
        group_quantiles.quantile_minutes[5] as p40_minutes,
        group_quantiles.quantile_minutes[6] as p50_minutes,
        group_quantiles.quantile_minutes[7] as p60_minutes,
        group_quantiles.quantile_minutes[8] as p70_minutes,
        group_quantiles.quantile_minutes[9] as p75_minutes,
        group_quantiles.quantile_minutes[10] as p80_minutes,
        group_quantiles.quantile_minutes[11] as p90_minutes,
        group_quantiles.quantile_minutes[12] as p95_minutes,
        group_quantiles.quantile_minutes[13] as p99_minutes,
        group_quantiles.is_synthetic

    from group_quantiles
    cross join buckets
    left join bucket_counts
        on
            group_quantiles.question_group = bucket_counts.question_group
            and group_quantiles.sampling_method = bucket_counts.sampling_method
            and buckets.bucket_index = bucket_counts.bucket_index

)

select * from final
