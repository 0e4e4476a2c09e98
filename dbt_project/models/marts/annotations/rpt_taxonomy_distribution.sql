{#
    Per topic (each topic's labels are a study of their own), one label per annotated question,
    then counts and shares per code, sub-category and category of
    the taxonomy (paper section VI-C, Fig. 3). Which label counts for a question is
    int_annotated_question_codes' rule. Shares exclude false positives, as the paper's do. Both phases
    count (the paper's final taxonomy covers the pilot and the independent questions); how many
    questions each phase holds is reported beside the totals.
#}
with

labels as (

    select * from {{ ref('stg_annotations__labels') }}

),

question_labels as (

    select * from {{ ref('int_annotated_question_codes') }}

),

taxonomy_codes as (

    select * from {{ ref('taxonomy_codes') }}

),

question_phases as (

    {#- one phase per question is tested (assert_one_phase_per_annotated_question) -#}
    select
        topic,
        question_id,
        max(phase) as phase,
        bool_or(is_synthetic) as is_synthetic
    from labels
    group by 1, 2

),

annotation_totals as (

    select
        question_labels.topic,
        count(*) as n_annotated_questions,
        sum(case when question_labels.code = 'False positive' then 1 else 0 end)
            as n_false_positive,
        sum(case when question_phases.phase = 'pilot' then 1 else 0 end) as n_pilot_questions,
        sum(case when question_phases.phase = 'independent' then 1 else 0 end)
            as n_independent_questions,
        bool_or(question_phases.is_synthetic) as is_synthetic
    from question_labels
    inner join question_phases
        on
            question_labels.topic = question_phases.topic
            and question_labels.question_id = question_phases.question_id
    group by 1

),

topic_codes as (

    {#- every code of the taxonomy for every labelled topic, so unused codes count 0 -#}
    select
        annotation_totals.topic,
        taxonomy_codes.category,
        taxonomy_codes.sub_category,
        taxonomy_codes.code,
        taxonomy_codes.is_dl_challenge,
        taxonomy_codes.paper_category_share,
        taxonomy_codes.paper_sub_category_share
    from annotation_totals
    cross join taxonomy_codes
    where taxonomy_codes.code != 'False positive'

),

code_counts as (

    select
        topic_codes.topic,
        topic_codes.category,
        topic_codes.sub_category,
        topic_codes.code,
        topic_codes.is_dl_challenge,
        topic_codes.paper_category_share,
        topic_codes.paper_sub_category_share,
        count(question_labels.question_id) as n_questions
    from topic_codes
    left join question_labels
        on
            topic_codes.topic = question_labels.topic
            and topic_codes.code = question_labels.code
    group by 1, 2, 3, 4, 5, 6, 7

),

category_rows as (

    select
        topic,
        'category' as taxonomy_level,
        category,
        cast(null as {{ dbt.type_string() }}) as sub_category,
        cast(null as {{ dbt.type_string() }}) as code,
        cast(null as boolean) as is_dl_challenge,
        max(paper_category_share) as paper_share,
        sum(n_questions) as n_questions
    from code_counts
    group by 1, 2, 3

),

sub_category_rows as (

    select
        topic,
        'sub_category' as taxonomy_level,
        category,
        sub_category,
        cast(null as {{ dbt.type_string() }}) as code,
        cast(null as boolean) as is_dl_challenge,
        max(paper_sub_category_share) as paper_share,
        sum(n_questions) as n_questions
    from code_counts
    group by 1, 2, 3, 4

),

leaf_rows as (

    select
        topic,
        'code' as taxonomy_level,
        category,
        sub_category,
        code,
        is_dl_challenge,
        cast(null as double) as paper_share,
        n_questions
    from code_counts

),

all_levels as (

    select * from category_rows
    union all
    select * from sub_category_rows
    union all
    select * from leaf_rows

),

final as (

    select
        all_levels.topic,
        all_levels.taxonomy_level,
        all_levels.category,
        all_levels.sub_category,
        all_levels.code,
        all_levels.is_dl_challenge,
        all_levels.n_questions,
        cast(all_levels.n_questions as double)
        / nullif(
            annotation_totals.n_annotated_questions - annotation_totals.n_false_positive, 0
        ) as share,
        all_levels.paper_share,
        annotation_totals.n_annotated_questions,
        annotation_totals.n_false_positive,
        cast(annotation_totals.n_false_positive as double)
        / annotation_totals.n_annotated_questions as false_positive_rate,
        annotation_totals.n_pilot_questions,
        annotation_totals.n_independent_questions,
        annotation_totals.is_synthetic
    from all_levels
    inner join annotation_totals
        on all_levels.topic = annotation_totals.topic

)

select * from final
