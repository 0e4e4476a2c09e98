{#
    Cohen's kappa per pair of annotators over the questions both labelled (paper section VI-B):
    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement expected
    from each annotator's own code frequencies on those questions. Consensus labels
    (annotator `resolved`) are not an independent rater and are left out.
#}
with

all_labels as (

    select * from {{ ref('stg_annotations__labels') }}
    where not is_resolution

),

topic_questions as (

    select * from {{ ref('fct_topic_questions') }}

),

{#
    Raw labels carry no topic or site yet: a label counts for every topic that has a question of
    its id (fct_topic_questions); labels of questions in no topic are left out.
#}
labelled_topics as (

    select distinct
        topic,
        question_id

    from topic_questions

),

labels as (

    select
        labelled_topics.topic,
        all_labels.*

    from all_labels
    inner join labelled_topics
        on all_labels.question_id = labelled_topics.question_id

),

label_pairs as (

    select
        labels_a.topic,
        labels_a.annotator as annotator_a,
        labels_b.annotator as annotator_b,
        labels_a.question_id,
        labels_a.code as code_a,
        labels_b.code as code_b
    from labels as labels_a
    inner join labels as labels_b
        on
            labels_a.topic = labels_b.topic
            and labels_a.question_id = labels_b.question_id
            and labels_a.annotator < labels_b.annotator

),

pair_totals as (

    select
        topic,
        annotator_a,
        annotator_b,
        count(*) as n_questions,
        sum(case when code_a = code_b then 1 else 0 end) as n_agreed
    from label_pairs
    group by 1, 2, 3

),

code_counts_a as (

    select
        topic,
        annotator_a,
        annotator_b,
        code_a as code,
        count(*) as n_labelled
    from label_pairs
    group by 1, 2, 3, 4

),

code_counts_b as (

    select
        topic,
        annotator_a,
        annotator_b,
        code_b as code,
        count(*) as n_labelled
    from label_pairs
    group by 1, 2, 3, 4

),

chance_products as (

    select
        code_counts_a.topic,
        code_counts_a.annotator_a,
        code_counts_a.annotator_b,
        sum(code_counts_a.n_labelled * code_counts_b.n_labelled) as sum_count_products
    from code_counts_a
    inner join code_counts_b
        on
            code_counts_a.topic = code_counts_b.topic
            and code_counts_a.annotator_a = code_counts_b.annotator_a
            and code_counts_a.annotator_b = code_counts_b.annotator_b
            and code_counts_a.code = code_counts_b.code
    group by 1, 2, 3

),

agreement_rates as (

    select
        pair_totals.topic,
        pair_totals.annotator_a,
        pair_totals.annotator_b,
        pair_totals.n_questions,
        pair_totals.n_agreed,
        cast(pair_totals.n_agreed as double) / pair_totals.n_questions as observed_agreement_rate,
        cast(coalesce(chance_products.sum_count_products, 0) as double)
        / (cast(pair_totals.n_questions as double) * pair_totals.n_questions)
            as expected_agreement_rate
    from pair_totals
    left join chance_products
        on
            pair_totals.topic = chance_products.topic
            and pair_totals.annotator_a = chance_products.annotator_a
            and pair_totals.annotator_b = chance_products.annotator_b

),

final as (

    select
        topic,
        annotator_a,
        annotator_b,
        n_questions,
        n_agreed,
        observed_agreement_rate,
        expected_agreement_rate,
        case
            when expected_agreement_rate < 1
                then
                    (observed_agreement_rate - expected_agreement_rate)
                    / (1 - expected_agreement_rate)
        end as cohens_kappa
    from agreement_rates

)

select * from final
