{#-
    Within a topic, a question is coded in the pilot or in the independent phase, not both: every
    annotator's label of a topic's question, and its `resolved` label, must name the same phase. Fails with the questions
    whose labelled CSVs disagree.
-#}
with

labels as (

    select * from {{ ref('stg_annotations__labels') }}

),

question_phases as (

    select
        topic,
        question_id,
        count(distinct phase) as n_phases
    from labels
    group by 1, 2

)

select * from question_phases
where n_phases > 1
