{#-
    A topic's baseline (§V): the questions of its site inside its window, less the topic's own
    questions. Written here once: int_topic_sample_baselines and fct_topic_question_groups use
    all three macros; int_topic_baselines and int_dump_population_questions read the population
    only (is_site_window_question) and subtract the members' counts and sums instead of their
    rows (int_question_group_sums), so a population shared by several topics is read once.
-#}

{#- `question` (a relation with site and created_at) is of `window`'s site, inside its window. -#}
{% macro is_site_window_question(question, window) -%}
    {{ question }}.site = {{ window }}.site
    and {{ in_topic_window(question ~ '.created_at', window) }}
{%- endmacro %}


{#-
    The topic's own questions left-joined to `question` (a question of `topic`'s site and window),
    as `topic_members`; is_not_topic_member() keeps the questions without one. A join, not a
    `not exists`: DuckDB decorrelates that into a delim join grouping every baseline row first.
-#}
{% macro join_topic_members(question, topic, members) -%}
    left join {{ members }} as topic_members
        on
            {{ topic }}.topic = topic_members.topic
            and {{ question }}.site = topic_members.site
            and {{ question }}.question_id = topic_members.question_id
{%- endmacro %}


{#- The filter after join_topic_members: the question is not one of the topic's. -#}
{% macro is_not_topic_member() -%}
    topic_members.question_id is null
{%- endmacro %}
