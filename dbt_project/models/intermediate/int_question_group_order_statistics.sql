{#
    The response-time order statistics each comparison group's median, its interval and the
    distribution's quantiles need (the ranks follow from int_question_group_sums'
    n_with_response_time), without the rows of fct_topic_question_groups. Members and random
    samples are ranked directly. A dump baseline is a population less the topic's members, so its
    k-th smallest time is the population's at rank k + t, where t counts the members placed before
    it: with the members' population ranks q_1 < q_2 < ..., member i has q_i - i non-members before
    it, and it precedes the k-th non-member exactly when q_i - i < k. One sort per population
    (int_dump_population_response_ranks) serves every topic of that site and window.
    fct_questions and the ranks are named where they are read, not in import CTEs: DuckDB
    materializes a CTE read twice (every answered question, without the table's statistics, so
    it then joins in the wrong order).
#}
{{ config(materialized='table') }}

with

dump_populations as (

    select * from {{ ref('int_topic_dump_populations') }}

),

sample_baselines as (

    select * from {{ ref('int_topic_sample_baselines') }}

),

group_sums as (

    select * from {{ ref('int_question_group_sums') }}

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

requested_ranks as (

    {{ requested_response_ranks('group_sums') }}

),

answered_members as (

    select
        topic_questions.topic,
        questions.question_id,
        questions.response_minutes,
        questions.collected_by

    from topic_questions
    inner join {{ ref('fct_questions') }} as questions
        on
            topic_questions.site = questions.site
            and topic_questions.question_id = questions.question_id
    where questions.response_minutes is not null

),

directly_ranked as (

    select
        topic,
        'topic' as question_group,
        'full_population' as sampling_method,
        response_minutes,
        row_number() over (partition by topic order by response_minutes) as response_rank

    from answered_members
    union all
    select
        sample_baselines.topic,
        'baseline' as question_group,
        'random_sample' as sampling_method,
        questions.response_minutes,
        row_number() over (
            partition by sample_baselines.topic order by questions.response_minutes
        ) as response_rank

    from sample_baselines
    inner join {{ ref('fct_questions') }} as questions
        on
            sample_baselines.site = questions.site
            and sample_baselines.question_id = questions.question_id
    where questions.response_minutes is not null

),

{# How many non-members of its population precede each member the dump collected. #}
member_offsets as (

    select
        dump_populations.topic,
        population_ranks.population_rank
        - row_number() over (
            partition by dump_populations.topic order by population_ranks.population_rank
        ) as n_non_members_before

    from answered_members
    inner join dump_populations
        on answered_members.topic = dump_populations.topic
    inner join {{ ref('int_dump_population_response_ranks') }} as population_ranks
        on
            dump_populations.population_id = population_ranks.population_id
            and answered_members.question_id = population_ranks.question_id
    where answered_members.collected_by = 'dump'

),

dump_baseline_population_ranks as (

    select
        requested_ranks.topic,
        requested_ranks.response_rank,
        requested_ranks.response_rank + count(member_offsets.topic) as population_rank

    from requested_ranks
    left join member_offsets
        on
            requested_ranks.topic = member_offsets.topic
            and requested_ranks.response_rank > member_offsets.n_non_members_before
    where
        requested_ranks.question_group = 'baseline'
        and requested_ranks.sampling_method = 'full_population'
    group by 1, 2

),

final as (

    select
        requested_ranks.topic,
        requested_ranks.question_group,
        requested_ranks.sampling_method,
        requested_ranks.response_rank,
        directly_ranked.response_minutes

    from requested_ranks
    inner join directly_ranked
        on
            requested_ranks.topic = directly_ranked.topic
            and requested_ranks.question_group = directly_ranked.question_group
            and requested_ranks.sampling_method = directly_ranked.sampling_method
            and requested_ranks.response_rank = directly_ranked.response_rank
    union all
    select
        dump_baseline_population_ranks.topic,
        'baseline' as question_group,
        'full_population' as sampling_method,
        dump_baseline_population_ranks.response_rank,
        population_ranks.response_minutes

    from dump_baseline_population_ranks
    inner join dump_populations
        on dump_baseline_population_ranks.topic = dump_populations.topic
    inner join {{ ref('int_dump_population_response_ranks') }} as population_ranks
        on
            dump_populations.population_id = population_ranks.population_id
            and dump_baseline_population_ranks.population_rank = population_ranks.population_rank

)

select * from final
