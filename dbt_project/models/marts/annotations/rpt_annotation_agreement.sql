{#
    Cohen's kappa per topic and pair of annotators over the questions both labelled in the
    independent phase (paper section VI-B: agreement "measured during the independent labeling phase"):
    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement expected
    from each annotator's own code frequencies on those questions. Pilot labels (coded together) and
    consensus labels (annotator `resolved`) are not independent ratings and are left out.
    Each topic's labels are a study of their own: a question sampled for two topics pairs only
    with labels of the same topic. The standard error is the large-sample one of Fleiss, Cohen & Everitt (1969), as statsmodels'
    `cohens_kappa` computes it: with p_ij the share of questions a coded i and b coded j, p_i. a's
    and p_.i b's share of code i,
        var = [sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2 + (1 - k)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
               - (k - p_e (1 - k))^2] / (n (1 - p_e)^2);
    the interval is kappa +- z(0.975) * SE, clipped to [-1, 1].
#}
{%- set z_975 = 1.959963984540054 -%}

with

labels as (

    select * from {{ ref('stg_annotations__labels') }}
    where not is_resolution and phase = 'independent'

),

label_pairs as (

    select
        labels_a.topic,
        labels_a.annotator as annotator_a,
        labels_b.annotator as annotator_b,
        labels_a.question_id,
        labels_a.code as code_a,
        labels_b.code as code_b,
        labels_a.is_synthetic or labels_b.is_synthetic as is_synthetic
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
        sum(case when code_a = code_b then 1 else 0 end) as n_agreed,
        bool_or(is_synthetic) as is_synthetic
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

cell_counts as (

    select
        topic,
        annotator_a,
        annotator_b,
        code_a,
        code_b,
        count(*) as n_labelled
    from label_pairs
    group by 1, 2, 3, 4, 5

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
        pair_totals.is_synthetic,
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

kappas as (

    select
        *,
        case
            when expected_agreement_rate < 1
                then
                    (observed_agreement_rate - expected_agreement_rate)
                    / (1 - expected_agreement_rate)
        end as cohens_kappa
    from agreement_rates

),

cell_shares as (

    select
        cell_counts.topic,
        cell_counts.annotator_a,
        cell_counts.annotator_b,
        cell_counts.code_a = cell_counts.code_b as is_diagonal,
        cast(cell_counts.n_labelled as double) / kappas.n_questions as cell_share,
        cast(coalesce(a_of_i.n_labelled, 0) as double) / kappas.n_questions as share_a_of_i,
        cast(coalesce(b_of_i.n_labelled, 0) as double) / kappas.n_questions as share_b_of_i,
        cast(coalesce(a_of_j.n_labelled, 0) as double) / kappas.n_questions as share_a_of_j,
        kappas.cohens_kappa
    from cell_counts
    inner join kappas
        on
            cell_counts.topic = kappas.topic
            and cell_counts.annotator_a = kappas.annotator_a
            and cell_counts.annotator_b = kappas.annotator_b
    left join code_counts_a as a_of_i
        on
            cell_counts.topic = a_of_i.topic
            and cell_counts.annotator_a = a_of_i.annotator_a
            and cell_counts.annotator_b = a_of_i.annotator_b
            and cell_counts.code_a = a_of_i.code
    left join code_counts_b as b_of_i
        on
            cell_counts.topic = b_of_i.topic
            and cell_counts.annotator_a = b_of_i.annotator_a
            and cell_counts.annotator_b = b_of_i.annotator_b
            and cell_counts.code_a = b_of_i.code
    left join code_counts_a as a_of_j
        on
            cell_counts.topic = a_of_j.topic
            and cell_counts.annotator_a = a_of_j.annotator_a
            and cell_counts.annotator_b = a_of_j.annotator_b
            and cell_counts.code_b = a_of_j.code

),

variance_sums as (

    select
        topic,
        annotator_a,
        annotator_b,
        sum(
            case
                when is_diagonal
                    then
                        cell_share
                        * power(1 - (share_a_of_i + share_b_of_i) * (1 - cohens_kappa), 2)
                else
                    power(1 - cohens_kappa, 2)
                    * cell_share
                    * power(share_b_of_i + share_a_of_j, 2)
            end
        ) as sum_cell_terms
    from cell_shares
    group by 1, 2, 3

),

standard_errors as (

    select
        kappas.*,
        sqrt(
            greatest(
                variance_sums.sum_cell_terms
                - power(
                    kappas.cohens_kappa
                    - kappas.expected_agreement_rate * (1 - kappas.cohens_kappa),
                    2
                ),
                0
            )
            / (power(1 - kappas.expected_agreement_rate, 2) * kappas.n_questions)
        ) as kappa_standard_error
    from kappas
    inner join variance_sums
        on
            kappas.topic = variance_sums.topic
            and kappas.annotator_a = variance_sums.annotator_a
            and kappas.annotator_b = variance_sums.annotator_b

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
        cohens_kappa,
        kappa_standard_error,
        greatest(-1, cohens_kappa - {{ z_975 }} * kappa_standard_error) as kappa_ci_low,
        least(1, cohens_kappa + {{ z_975 }} * kappa_standard_error) as kappa_ci_high,
        is_synthetic
    from standard_errors

)

select * from final
