{#
    The topics whose baseline is the dump's full population (int_topic_baselines), each with the
    population it is drawn from: every dump question of the topic's site and window. Topics with
    the same site and window share one population_id, so the question groups' sums and order
    statistics read each population once however many topics it serves.
#}

with

topics as (

    select * from {{ ref('int_topics') }}

),

topic_baselines as (

    select * from {{ ref('int_topic_baselines') }}

),

final as (

    select
        topics.topic,
        dense_rank() over (
            order by topics.site, topics.window_start_at, topics.window_end_exclusive_at
        ) as population_id,
        topics.site,
        topics.window_start_at,
        topics.window_end_exclusive_at

    from topics
    inner join topic_baselines
        on topics.topic = topic_baselines.topic
    where topic_baselines.baseline_sampling_method = 'full_population'

)

select * from final
