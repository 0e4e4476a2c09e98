{#
    For a topic with RQ3 labels: its annotated questions by dominant theme and by the taxonomy code
    that counts for them (false positives left out, as the taxonomy's shares leave them out), so
    the analysis can say how far the automatic themes recover the manual taxonomy.
#}
with

question_themes as (

    select * from {{ ref('fct_question_themes') }}

),

question_codes as (

    select * from {{ ref('int_annotated_question_codes') }}

),

taxonomy_codes as (

    select * from {{ ref('taxonomy_codes') }}

),

topics as (

    select * from {{ ref('int_topics') }}

),

final as (

    select
        question_themes.topic,
        question_themes.theme,
        taxonomy_codes.category,
        taxonomy_codes.sub_category,
        question_codes.code,
        count(*) as n_questions

    from question_codes
    inner join topics
        on question_codes.topic = topics.topic
    inner join question_themes
        on
            question_codes.topic = question_themes.topic
            and topics.site = question_themes.site
            and question_codes.question_id = question_themes.question_id
    inner join taxonomy_codes
        on question_codes.code = taxonomy_codes.code
    where
        question_themes.is_dominant_theme
        and question_codes.code != 'False positive'
    group by 1, 2, 3, 4, 5

)

select * from final
