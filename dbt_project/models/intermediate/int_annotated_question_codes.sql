{#
    The one label that counts for each annotated question of a topic: the `resolved` annotator's
    if present, else the code most annotators chose, ties going to the code of the alphabetically
    first annotator. Read by rpt_taxonomy_distribution and rpt_theme_taxonomy_crosstab.
#}
with

labels as (

    select * from {{ ref('stg_annotations__labels') }}

),

code_votes as (

    select
        topic,
        question_id,
        code,
        max(case when is_resolution then 1 else 0 end) as has_resolution,
        count(*) as n_votes,
        min(annotator) as first_annotator
    from labels
    group by 1, 2, 3

),

ranked_votes as (

    select
        topic,
        question_id,
        code,
        row_number() over (
            partition by topic, question_id
            order by has_resolution desc, n_votes desc, first_annotator asc
        ) as vote_rank
    from code_votes

),

final as (

    select
        topic,
        question_id,
        code
    from ranked_votes
    where vote_rank = 1

)

select * from final
