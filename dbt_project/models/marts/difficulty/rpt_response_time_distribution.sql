with

group_sums as (

    select * from {{ ref('int_question_group_sums') }}

),

order_statistics as (

    select * from {{ ref('int_question_group_order_statistics') }}

),

buckets as (

    {{ log_minute_buckets() }}

),

{# Groups with at least one response time; the quantiles from their order statistics. #}
group_quantiles as (

    select
        group_sums.topic,
        group_sums.question_group,
        group_sums.sampling_method,
        group_sums.n_with_response_time,
        group_sums.n_synthetic > 0 as is_synthetic,
        {{ response_quantiles(
            response_time_at_rank('order_statistics'), 'group_sums.n_with_response_time'
        ) }}

    from group_sums
    inner join order_statistics
        on
            group_sums.topic = order_statistics.topic
            and group_sums.question_group = order_statistics.question_group
            and group_sums.sampling_method = order_statistics.sampling_method
    where group_sums.n_with_response_time > 0
    group by 1, 2, 3, 4, group_sums.n_synthetic

),

bucket_counts as (

    select
        group_quantiles.*,
        buckets.bucket_index,
        buckets.bucket_low_minutes,
        buckets.bucket_high_minutes,
        cast(
            {{ response_bucket_count('group_sums', 'buckets.bucket_index') }} as bigint
        ) as n_questions

    from group_quantiles
    inner join group_sums
        on
            group_quantiles.topic = group_sums.topic
            and group_quantiles.question_group = group_sums.question_group
            and group_quantiles.sampling_method = group_sums.sampling_method
    cross join buckets

),

final as (

    select
        topic,
        question_group,
        sampling_method,
        bucket_index,
        bucket_low_minutes,
        bucket_high_minutes,
        n_questions,
        n_questions / cast(n_with_response_time as double) as bucket_share,
        sum(n_questions) over (
            partition by topic, question_group
            order by bucket_index
        ) / cast(n_with_response_time as double) as cumulative_share,
        n_with_response_time,
        {{ response_quantile_columns() }},
        is_synthetic

    from bucket_counts

)

select * from final
