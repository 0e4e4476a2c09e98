"""Write synthetic raw Stack Exchange tables straight into a warehouse, for timing dbt and analysis.

Everything is generated inside DuckDB with set-based SQL: every random draw is
`hash(row, salt, seed)` mapped to (0, 1), so 10^7 questions take about a minute on two cores,
memory stays bounded (DuckDB streams `range()`), and the same seed always gives the same rows.
The tables follow docs/contracts.md (schema `raw_stackexchange`, the columns dlt writes,
epoch-second dates) plus dlt's `_dlt_load_id`/`_dlt_id` columns and `_dlt_loads` table, so dbt's
sources and freshness work as after a real load.

Distributions (calibrated to the paper's published figures, as demo/synthetic/calibration.py):
- creation dates uniform over the window 2018-01-01 .. 2023-06-15 (inclusive), ids ascending with
  dates; the topic share grows linearly over the window (few topic questions before 2019);
- about `topic_share` of questions carry 1-3+ of the 18 topic tags with Table I's frequencies (one
  primary tag drawn by weight, the others added so each tag's marginal share matches Table I);
- other tags Zipf-like (P(rank k) ~ 1/k) over 50,000 tags, 1-5 per baseline question, 0-3 per
  topic question (from a machine-learning flavoured list);
- answers per question geometric (mean 1.6 baseline, 1.2 topic); questions without an accepted
  answer 57.8% (baseline) and 73.9% (topic); minutes to the accepted answer lognormal with the
  paper's medians (55, 851) and means (9,745, 22,676), capped at the collection date;
- views lognormal, scaled so answers_per_view is about 0.12 (baseline) and 0.06 (topic).

Titles are one template and bodies null, unless `themes` (`--themes [K]`, off by default) gives the
topic's questions text with K planted themes for timing theme models: each topic question gets a
theme (uniform), a title of three of its words and an HTML body of three sentences, each six words
of its theme's vocabulary (`theme_vocabularies`: 30 made-up words per theme, disjoint, the first
ones drawn most) among four generic words, half of the bodies with a code block.
`planted_themes` reads each question's theme back. The vocabularies are the demo's planted-text
generator's (`demo.synthetic.planted_text`); the text is written in SQL, question by question in
DuckDB, since 10^7 questions are generated in seconds only there.

Usage: `python -m benchmarks.generate_raw WAREHOUSE.duckdb --questions 1e6 [--seed 1] [--themes]`.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from demo.synthetic import calibration
from demo.synthetic.planted_text import made_up_vocabularies

RAW_SCHEMA = "raw_stackexchange"
WINDOW_START = datetime(2018, 1, 1, tzinfo=UTC)
WINDOW_END = datetime(2023, 6, 15, 23, 59, 59, tzinfo=UTC)
COLLECTED_AT = datetime(2023, 7, 1, tzinfo=UTC)
# Table I of the paper (topic tag -> questions carrying it): the synthetic sample's own targets.
TOPIC_TAG_COUNTS: dict[str, int] = calibration.TABLE_I_TAG_COUNTS
TOPIC_QUESTIONS = calibration.TOPIC_QUESTIONS
# The head of Stack Overflow's tag ranking; ranks beyond it are named `tag-<rank>`.
HEAD_TAGS = [
    "python", "javascript", "java", "c#", "php", "android", "html", "jquery", "c++", "css",
    "ios", "sql", "mysql", "r", "reactjs", "node.js", "arrays", "c", "asp.net", "json",
]  # fmt: skip
OTHER_TAG_COUNT = 50_000
# Companion tags of topic questions, most frequent first.
ML_TAGS = [
    "python", "pytorch", "nlp", "tensorflow", "machine-learning", "deep-learning", "keras",
    "python-3.x", "langchain", "pandas", "text-classification", "transformer-model",
]  # fmt: skip
# group -> (mean answers, share without accepted answer, median and mean response minutes, PD)
GROUP_PARAMETERS = {
    "baseline": (1.6, 0.578, 55.0, 9745.0, 0.12),
    "topic": (1.2, 0.739, 851.0, 22676.0, 0.06),
}
MAX_ANSWERS = 15  # post ids are spaced by 16: question id q, its answers q+1 .. q+15
VIEW_SIGMA = 1.0  # lognormal sigma of view counts
RAW_TABLES = ("questions", "question_tags", "answers", "tags", "related_tags")
SITE = "stackoverflow.com"
"""The site of every generated row (the paper's), part of every raw key."""
DEFAULT_THEMES = 20
"""Planted themes of `--themes` without a number (the theme benchmark's K)."""
THEME_WORDS = 30
"""Words of each planted theme's vocabulary."""
# Generic words between the theme words of a sentence, shared by every theme.
_GENERIC_WORDS = [
    "model", "output", "result", "example", "problem", "value", "function", "method", "issue",
    "file", "data", "using", "works", "run", "running", "need", "want", "different", "instead",
    "following", "seems", "time", "case", "line", "call", "class", "object", "string", "list",
    "number", "text", "message", "change", "script", "project", "return", "expected", "wrong",
]  # fmt: skip
_THEME_SENTENCE_WORDS = 10  # six theme words and four generic ones
_THEME_SENTENCES = 3


def generate_raw_warehouse(
    db_path: Path,
    n_questions: int,
    *,
    seed: int = 1,
    topic_share: float = 0.001,
    loaded_at: datetime | None = None,
    themes: int = 0,
) -> dict:
    """Replace the raw tables of the warehouse at `db_path` with `n_questions` synthetic questions.

    Args:
        db_path: DuckDB file; created if absent. Existing raw tables are replaced, other schemas
            (marts, analysis) are left alone, so rebuild them afterwards.
        n_questions: questions to write (answers, tags and related tags follow from them).
        seed: random seed; the same seed and size give identical rows.
        topic_share: mean share of questions carrying topic tags (0.001 is Stack Overflow's PTM
            share: 5,896 of about 6 million questions), in [0, 0.5].
        loaded_at: the load time written to `_dlt_loads` and `_dlt_load_id` (default: now, so dbt
            source freshness passes).
        themes: planted themes in the topic questions' titles and bodies (module docstring); 0
            (the default) writes the template title and a null body, as the build benchmarks
            time.

    Returns:
        `{"n_questions", "seed", "load_id", "seconds", "rows": {table: row count}}`.

    Raises:
        ValueError: a size below 1, a topic share outside [0, 0.5] or a negative `themes`.
    """
    if n_questions < 1:
        raise ValueError(f"n_questions must be at least 1, got {n_questions}")
    if not 0 <= topic_share <= 0.5:
        raise ValueError(f"topic_share must lie in [0, 0.5], got {topic_share}")
    if themes < 0:
        raise ValueError(f"themes must be 0 (no text) or a number of themes, got {themes}")
    started = time.monotonic()
    loaded_at = loaded_at or datetime.now(UTC)
    load_id = f"{loaded_at.timestamp():.6f}"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = db_path.with_name(db_path.name + ".generate.tmp")
    scratch.unlink(missing_ok=True)
    with duckdb.connect(str(db_path)) as con:
        _create_macros(con, seed)
        con.execute(f"attach '{scratch}' as gen")
        con.execute(f"create table gen.draws as {_draws_sql(n_questions, topic_share)}")
        con.execute(_questions_view_sql())
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        for table in RAW_TABLES:
            con.execute(f"drop table if exists {RAW_SCHEMA}.{table}")
        lid = f"'{load_id}'"
        con.execute(f"create table {RAW_SCHEMA}.questions as {_questions_sql(lid, themes)}")
        con.execute(f"create table {RAW_SCHEMA}.question_tags as {_question_tags_sql(lid)}")
        con.execute(f"create table {RAW_SCHEMA}.answers as {_answers_sql(lid)}")
        con.execute(f"create table {RAW_SCHEMA}.tags as {_tags_sql(lid)}")
        con.execute(f"create table {RAW_SCHEMA}.related_tags as {_related_tags_sql(lid)}")
        _record_load(con, load_id, loaded_at)
        rows = {
            table: con.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
            for table in RAW_TABLES
        }
        con.execute("detach gen")
    for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return {
        "n_questions": n_questions,
        "seed": seed,
        "themes": themes,
        "load_id": load_id,
        "seconds": round(time.monotonic() - started, 3),
        "rows": rows,
    }


def _sql_list(values: list) -> str:
    """A DuckDB list literal of strings or numbers."""
    return "[" + ", ".join(f"'{v}'" if isinstance(v, str) else repr(v) for v in values) + "]"


def _create_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Deterministic draws: `_u` uniform in (0, 1), `_z` standard normal (Box-Muller)."""
    con.execute(
        "create or replace temp macro _u(k, salt) as "
        f"((hash(k, salt, {int(seed)}) >> 11)::double + 0.5) / 9007199254740992.0"
    )
    con.execute(
        "create or replace temp macro _z(k, salt) as "
        "sqrt(-2 * ln(_u(k, salt || '.1'))) * cos(2 * pi() * _u(k, salt || '.2'))"
    )


def _group_case(column: str, index: int, transform=float) -> str:
    """`case when is_topic then <topic value> else <baseline value> end` for one parameter."""
    topic, baseline = (transform(GROUP_PARAMETERS[g][index]) for g in ("topic", "baseline"))
    return f"(case when is_topic then {topic!r} else {baseline!r} end) as {column}"


def _lognormal_sigma(median: float, mean: float) -> float:
    """Sigma of a lognormal with the given median and mean: mean / median = exp(sigma^2 / 2)."""
    return math.sqrt(2 * math.log(mean / median))


def _draws_sql(n_questions: int, topic_share: float) -> str:
    """One row per question with every scalar draw; stored once, read by every raw table."""
    tags = list(TOPIC_TAG_COUNTS)
    upper = list(itertools.accumulate(_topic_tag_weights()))
    upper[-1] = 1.0
    start, end = int(WINDOW_START.timestamp()), int(WINDOW_END.timestamp())
    span = end - start + 1
    collected = int(COLLECTED_AT.timestamp())
    view_mu = {
        g: math.log(answers / pd) - VIEW_SIGMA**2 / 2
        for g, (answers, _, _, _, pd) in GROUP_PARAMETERS.items()
    }
    sigma = {g: _lognormal_sigma(p[2], p[3]) for g, p in GROUP_PARAMETERS.items()}
    return f"""
    with

    base as (
        select
            i,
            i * {MAX_ANSWERS + 1} + 1 as question_id,
            {start} + cast(floor((i + _u(i, 'date')) * {span} / {n_questions}) as bigint)
                as creation_date,
            _u(i, 'topic') < {topic_share} * 2 * (i + 0.5) / {n_questions} as is_topic
        from range({n_questions}) as r(i)
    ),

    parameters as (
        select
            *,
            {_group_case("mean_answers", 0)},
            {_group_case("no_accepted_share", 1)},
            (case when is_topic then {math.log(GROUP_PARAMETERS["topic"][2])!r}
                else {math.log(GROUP_PARAMETERS["baseline"][2])!r} end) as response_mu,
            (case when is_topic then {sigma["topic"]!r} else {sigma["baseline"]!r} end)
                as response_sigma,
            (case when is_topic then {view_mu["topic"]!r} else {view_mu["baseline"]!r} end)
                as view_mu
        from base
    ),

    drawn as (
        select
            *,
            least(
                {MAX_ANSWERS},
                cast(floor(ln(_u(i, 'answers')) / ln(mean_answers / (1 + mean_answers))) as bigint)
            ) as answer_count,
            greatest(
                1, cast(round(exp(response_mu + response_sigma * _z(i, 'response')) * 60) as bigint)
            ) as response_seconds,
            case
                when is_topic then cast(floor(_u(i, 'n_other') * 4) as bigint)
                else 1 + cast(floor(_u(i, 'n_other') * 5) as bigint)
            end as n_other_tags,
            {_primary_topic_tag_sql(tags, upper)} as primary_topic_tag,
            {", ".join(f"{_other_rank_sql(k)} as other_rank_{k}" for k in range(5))}
        from parameters
    ),

    tagged as (
        select
            *,
            -- P(answer_count > 0) = mean / (1 + mean) for the geometric draw above
            answer_count > 0 and _u(i, 'accepted') < least(
                1.0, (1 - no_accepted_share) * (1 + mean_answers) / mean_answers
            ) as has_accepted_answer,
            cast(floor(_u(i, 'accepted_index') * answer_count) as bigint) as accepted_index,
            least(response_seconds, {collected} - creation_date) as accepted_after_seconds,
            greatest(answer_count, cast(round(exp(view_mu + {VIEW_SIGMA} * _z(i, 'views')))
                as bigint)) as view_count
        from drawn
    )

    select * exclude (mean_answers, no_accepted_share, response_mu, response_sigma, view_mu)
    from tagged
    """


def _questions_view_sql() -> str:
    """`_gen_questions`: the stored draws plus each question's tag list (topic tags first)."""
    tags = list(TOPIC_TAG_COUNTS)
    extra = _extra_topic_tag_probabilities()
    return f"""
    create or replace temp view _gen_questions as
    with

    named as (
        select
            *,
            {", ".join(f"{_other_tag_sql(k)} as other_tag_{k}" for k in range(5))}
        from gen.draws
    )

    select
        *,
        case when is_topic then {_topic_tags_sql(tags, extra)} else [] end
        {_distinct_other_tags_sql(5)} as tags
    from named
    """


def _topic_tag_weights() -> list[float]:
    """Each topic tag's weight as the primary tag: its share of all topic-tag uses in Table I."""
    total = sum(TOPIC_TAG_COUNTS.values())
    return [n / total for n in TOPIC_TAG_COUNTS.values()]


def _extra_topic_tag_probabilities() -> list[float]:
    """P(tag t is added besides the primary) so that t's share of topic questions is Table I's.

    share(t) = w(t) + (1 - w(t)) * p(t), with w(t) the primary weight; solved for p(t).
    """
    shares = [n / TOPIC_QUESTIONS for n in TOPIC_TAG_COUNTS.values()]
    return [(m - w) / (1 - w) for m, w in zip(shares, _topic_tag_weights(), strict=True)]


def _other_rank_sql(k: int) -> str:
    """Rank of the k-th non-topic tag, P(rank r) ~ 1/r: among ML_TAGS (topic) or all (baseline)."""
    size = f"case when is_topic then {len(ML_TAGS)} else {OTHER_TAG_COUNT} end"
    return f"least({size}, cast(floor(exp(_u(i * 8 + {k}, 'other') * ln({size} + 1))) as bigint))"


def _other_tag_sql(k: int) -> str:
    """Name of the k-th non-topic tag: ML_TAGS[rank], HEAD_TAGS[rank] or `tag-<rank>`."""
    rank = f"other_rank_{k}"
    return (
        f"case when is_topic then {_sql_list(ML_TAGS)}[{rank}] "
        f"when {rank} <= {len(HEAD_TAGS)} then {_sql_list(HEAD_TAGS)}[{rank}] "
        f"else 'tag-' || cast({rank} as varchar) end"
    )


def _distinct_other_tags_sql(n: int) -> str:
    """Append `other_tag_k` for k < n_other_tags unless an earlier one has the same name.

    Scalar comparisons instead of list lambdas: DuckDB evaluates them about 10x faster.
    """
    parts = []
    for k in range(n):
        earlier = "".join(f" and other_rank_{k} != other_rank_{j}" for j in range(k))
        parts.append(f"|| case when n_other_tags > {k}{earlier} then [other_tag_{k}] else [] end")
    return "\n            ".join(parts)


def _primary_topic_tag_sql(tags: list[str], upper: list[float]) -> str:
    """A topic question's first topic tag, drawn with Table I's weights (cumulative `upper`)."""
    branches = " ".join(
        f"when _u(i, 'primary') < {w!r} then '{t}'" for t, w in zip(tags, upper, strict=True)
    )
    return f"case when is_topic then case {branches} else '{tags[-1]}' end end"


def _topic_tags_sql(tags: list[str], extra: list[float]) -> str:
    """A topic question's topic tags: the primary one, then each other tag t with P(extra[t])."""
    extras = " || ".join(
        f"case when _u(i * 32 + {j}, 'extra') < {p!r} and primary_topic_tag != '{t}' "
        f"then ['{t}'] else [] end"
        for j, (t, p) in enumerate(zip(tags, extra, strict=True))
    )
    return f"[primary_topic_tag] || {extras}"


def theme_vocabularies(themes: int) -> list[tuple[str, ...]]:
    """The made-up vocabularies of `themes` planted themes, most drawn word first.

    `THEME_WORDS` words each (`demo.synthetic.planted_text.made_up_vocabularies`): disjoint
    across themes, six letters, no stop word a text cleaner drops.

    Args:
        themes: number of themes, at most 5,545.

    Returns:
        One tuple of `THEME_WORDS` words per theme.
    """
    return made_up_vocabularies(themes, THEME_WORDS)


def planted_themes(db_path: Path, themes: int, *, seed: int = 1) -> dict[int, int]:
    """Each themed question's planted theme (0 .. themes - 1), recomputed from its id and the seed.

    Args:
        db_path: a warehouse written by `generate_raw_warehouse` with these `themes` and `seed`.
        themes: the number of planted themes it was written with.
        seed: the seed it was written with.

    Returns:
        question_id -> theme, for every question with a body (the topic's questions).
    """
    with duckdb.connect(str(db_path), read_only=True) as con:
        _create_macros(con, seed)
        rows = con.execute(
            f"""
            select question_id, {_theme_sql(themes, "(question_id - 1) // " + str(MAX_ANSWERS + 1))}
            from {RAW_SCHEMA}.questions
            where body is not null
            """
        ).fetchall()
    return dict(rows)


def _theme_sql(themes: int, i: str = "i") -> str:
    """The planted theme of question number `i` (0-based), uniform over `themes`."""
    return f"cast(floor(_u({i}, 'theme') * {themes}) as bigint)"


def _themed_source_sql(themes: int) -> str:
    """`_gen_questions` plus `theme_words`: a topic question's 30 words, three sentences of ten.

    In each sentence positions 0, 3, 5 and 8 hold generic words, the other six words of the
    question's theme, word j of its vocabulary with probability ~ 1 / sqrt(j + 1) (index
    floor(30 u^2)), so a theme's first words are its most frequent. The lambda computes indexes
    only: a list literal inside it would be built again for every element (50x slower).
    """
    words = [word for vocabulary in theme_vocabularies(themes) for word in vocabulary]
    generic = len(words) + 1
    u = "_u(i * 64 + w, 'theme_word')"
    n_words = _THEME_SENTENCE_WORDS * _THEME_SENTENCES
    return f"""(
        select
            *,
            case when is_topic then list_select(
                {_sql_list(words + _GENERIC_WORDS)},
                list_transform(
                    range({n_words}),
                    w -> case
                        when w % 10 in (0, 3, 5, 8)
                            then {generic} + cast(floor({len(_GENERIC_WORDS)} * {u}) as bigint)
                        else theme * {THEME_WORDS} + 1
                            + cast(floor({THEME_WORDS} * {u} * {u}) as bigint)
                    end
                )
            ) end as theme_words
        from (select *, {_theme_sql(themes)} as theme from _gen_questions)
    ) as _gen_questions"""


def _themed_title_sql() -> str:
    """A themed question's title: three of its theme words."""
    return (
        "'How to ' || theme_words[2] || ' the ' || theme_words[3] || ' with ' || theme_words[5]"
        " || '?'"
    )


def _themed_body_sql() -> str:
    """A themed question's HTML body: the title, its sentences, and half the time a code block."""
    sentences = " || ' ' || ".join(
        f"array_to_string(theme_words[{k * _THEME_SENTENCE_WORDS + 1}:"
        f"{(k + 1) * _THEME_SENTENCE_WORDS}], ' ') || '.'"
        for k in range(_THEME_SENTENCES)
    )
    code = "'<pre><code>for item in ' || theme_words[1] || ':\n    item.run()\n</code></pre>\n'"
    return (
        f"'<p>' || {_themed_title_sql()} || '</p>\n\n<p>' || {sentences} || '</p>\n' "
        f"|| case when _u(i, 'theme_code') < 0.5 then '\n' || {code} else '' end"
    )


def _questions_sql(load_id: str, themes: int = 0) -> str:
    """`raw_stackexchange.questions`: the contract's columns in dlt's order, then dlt's two.

    With `themes`, topic questions get themed titles and bodies; without, the SQL is the one the
    build benchmarks have always timed.
    """
    collected = int(COLLECTED_AT.timestamp())
    title = """'Why does ' || coalesce(primary_topic_tag, other_tag_0)
            || ' fail with ''shape mismatch'' in case ' || cast(question_id as varchar) || '?'"""
    body = "cast(null as varchar)"
    source = "_gen_questions"
    if themes:
        title = f"case when is_topic then {_themed_title_sql()} else {title} end"
        body = f"case when is_topic then {_themed_body_sql()} end"
        source = _themed_source_sql(themes)
    return f"""
    select
        '{SITE}' as site,
        question_id,
        {title}
            as title,
        'https://stackoverflow.com/questions/' || cast(question_id as varchar) as link,
        {body} as body,
        cast(floor(exp(0.5 + _z(i, 'score'))) as bigint) - 1 as score,
        view_count,
        answer_count,
        answer_count > 0 as is_answered,
        case when has_accepted_answer then question_id + 1 + accepted_index end
            as accepted_answer_id,
        creation_date,
        creation_date + cast(floor(_u(i, 'activity') * ({collected} - creation_date)) as bigint)
            as last_activity_date,
        case when _u(i, 'owner') >= 0.04
            then 1 + cast(floor(_u(i, 'owner_id') * 20000000) as bigint) end as owner_user_id,
        case when _u(i, 'closed') < 0.05
            then creation_date + cast(floor(_u(i, 'closed_after') * 604800) as bigint)
            end as closed_date,
        'CC BY-SA 4.0' as content_license,
        'dump' as data_source,
        'dump' as collected_by,
        {collected} as collected_at,
        true as is_synthetic,
        {load_id} as _dlt_load_id,
        to_hex(hash(question_id, 'questions', {load_id})) as _dlt_id
    from {source}
    """


def _question_tags_sql(load_id: str) -> str:
    """`raw_stackexchange.question_tags`: one row per (question, tag), 0-based positions."""
    return f"""
    with

    unnested as (
        select
            question_id,
            unnest(tags) as tag,
            unnest(range(len(tags))) as tag_position
        from _gen_questions
    )

    select
        '{SITE}' as site,
        question_id,
        tag,
        tag_position,
        {load_id} as _dlt_load_id,
        to_hex(hash(question_id, tag, {load_id})) as _dlt_id
    from unnested
    """


def _answers_sql(load_id: str) -> str:
    """`raw_stackexchange.answers`: answer k of question q has id q + 1 + k; one may be accepted."""
    collected = int(COLLECTED_AT.timestamp())
    sigma = _lognormal_sigma(GROUP_PARAMETERS["baseline"][2], GROUP_PARAMETERS["baseline"][3])
    mu = math.log(GROUP_PARAMETERS["baseline"][2])
    return f"""
    with

    answers as (
        select
            q.*,
            k,
            q.question_id + 1 + k as answer_id,
            q.has_accepted_answer and k = q.accepted_index as is_accepted
        from _gen_questions as q
        inner join range({MAX_ANSWERS}) as r(k)
            on r.k < q.answer_count
    ),

    dated as (
        select
            *,
            case when is_accepted then creation_date + accepted_after_seconds
            else creation_date + least(
                {collected} - creation_date,
                greatest(1, cast(round(exp({mu} + {sigma} * _z(answer_id, 'answer_date')) * 60)
                    as bigint))
            ) end as answer_creation_date
        from answers
    )

    select
        '{SITE}' as site,
        answer_id,
        question_id,
        is_accepted,
        answer_creation_date as creation_date,
        answer_creation_date
            + cast(floor(_u(answer_id, 'activity') * ({collected} - answer_creation_date))
                as bigint) as last_activity_date,
        cast(floor(exp(0.3 + _z(answer_id, 'score'))) as bigint) - 1 as score,
        case when _u(answer_id, 'owner') >= 0.04
            then 1 + cast(floor(_u(answer_id, 'owner_id') * 20000000) as bigint) end
            as owner_user_id,
        'dump' as data_source,
        true as is_synthetic,
        {load_id} as _dlt_load_id,
        to_hex(hash(answer_id, 'answers', {load_id})) as _dlt_id
    from dated
    """


def _tags_sql(load_id: str) -> str:
    """`raw_stackexchange.tags`: site info of the topic tags and the 100 most used other tags."""
    return f"""
    with

    counted as (
        select tag as name, count(*) as n
        from {RAW_SCHEMA}.question_tags
        group by 1
    ),

    chosen as (
        select name, n
        from counted
        where list_contains({_sql_list(list(TOPIC_TAG_COUNTS))}, name)
        union all
        (
            select name, n
            from counted
            where not list_contains({_sql_list(list(TOPIC_TAG_COUNTS))}, name)
            order by n desc, name
            limit 100
        )
    )

    select
        '{SITE}' as site,
        name,
        n as count,
        false as has_synonyms,
        false as is_moderator_only,
        false as is_required,
        'api' as data_source,
        true as is_synthetic,
        {load_id} as _dlt_load_id,
        to_hex(hash(name, 'tags', {load_id})) as _dlt_id
    from chosen
    """


def _related_tags_sql(load_id: str) -> str:
    """`raw_stackexchange.related_tags`: each topic tag's 10 most co-occurring tags."""
    return f"""
    with

    topic_rows as (
        select question_id, tag
        from {RAW_SCHEMA}.question_tags
        where list_contains({_sql_list(list(TOPIC_TAG_COUNTS))}, tag)
    ),

    pairs as (
        select
            topic_rows.tag,
            other.tag as related_tag,
            count(*) as count
        from topic_rows
        inner join {RAW_SCHEMA}.question_tags as other
            on topic_rows.question_id = other.question_id
            and topic_rows.tag != other.tag
        group by 1, 2
    ),

    ranked as (
        select
            *,
            row_number() over (partition by tag order by count desc, related_tag) as related_rank
        from pairs
    )

    select
        '{SITE}' as site,
        tag,
        related_tag,
        count,
        related_rank,
        {load_id} as _dlt_load_id,
        to_hex(hash(tag, related_tag, {load_id})) as _dlt_id
    from ranked
    where related_rank <= 10
    """


def _record_load(con: duckdb.DuckDBPyConnection, load_id: str, loaded_at: datetime) -> None:
    """Add the load to dlt's `_dlt_loads` (status 0 = completed), creating the table as dlt does."""
    con.execute(
        f"""
        create table if not exists {RAW_SCHEMA}._dlt_loads (
            load_id varchar not null,
            schema_name varchar,
            status bigint not null,
            inserted_at timestamp with time zone not null,
            schema_version_hash varchar
        )
        """
    )
    con.execute(
        f"insert into {RAW_SCHEMA}._dlt_loads values (?, 'stackexchange', 0, ?, 'synthetic')",
        [load_id, loaded_at],
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: generate the raw tables of one warehouse and print the row counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db_path", type=Path)
    parser.add_argument("--questions", type=lambda s: int(float(s)), default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--topic-share", type=float, default=0.001)
    parser.add_argument(
        "--themes",
        type=int,
        nargs="?",
        const=DEFAULT_THEMES,
        default=0,
        help=f"give topic questions text with K planted themes (K={DEFAULT_THEMES} if omitted)",
    )
    args = parser.parse_args(argv)
    result = generate_raw_warehouse(
        args.db_path,
        args.questions,
        seed=args.seed,
        topic_share=args.topic_share,
        themes=args.themes,
    )
    print(result)


if __name__ == "__main__":
    main()
