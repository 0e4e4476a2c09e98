"""The paper's published aggregates the synthetic sample is calibrated to, and the generator's
knobs.

Targets quote their section (§) of the paper. Knobs that are not in the paper (view counts, id
anchors, year profiles) are ours and are marked as such; this package's README explains each
choice."""

from __future__ import annotations

import datetime as dt

# --- Window and crawl time (§III) -----------------------------------------------------------------
WINDOW_START = int(dt.datetime(2018, 1, 1, tzinfo=dt.UTC).timestamp())
"""First second of the window, epoch seconds UTC (§III: questions posted since 2018-01-01)."""
WINDOW_END = int(dt.datetime(2023, 6, 15, 23, 59, 59, tzinfo=dt.UTC).timestamp())
"""Last second of the window, epoch seconds UTC (§III: up to 2023-06-15, inclusive)."""
COLLECTED_AT = int(dt.datetime(2023, 6, 30, tzinfo=dt.UTC).timestamp())
"""Ours: the moment the sample is 'crawled'; no date in the sample is later (answers may follow the
window)."""
YEARS = (2018, 2019, 2020, 2021, 2022, 2023)
"""Calendar years of the window; 2023 is partial (to 2023-06-15)."""

# --- Table I: questions per topic tag in the window (§III) ----------------------------------------
TABLE_I_TAG_COUNTS: dict[str, int] = {
    "huggingface-transformers": 2563,
    "bert-language-model": 1763,
    "openai-api": 1053,
    "pre-trained-model": 423,
    "huggingface-tokenizers": 413,
    "huggingface": 403,
    "gpt-3": 245,
    "chatgpt-api": 219,
    "huggingface-datasets": 187,
    "gpt-2": 174,
    "sentence-transformers": 142,
    "fine-tune": 114,
    "openai-whisper": 107,
    "roberta-language-model": 62,
    "roberta": 32,
    "gpt-4": 22,
    "bart": 14,
    "t5-transformer": 6,
}
TOPIC_QUESTIONS = 5896
"""§III: questions carrying at least one of the 18 tags (Table I counts sum to more:
multi-tagging)."""

# --- RQ1 (§IV): questions per year; the paper gives only the shape --------------------------------
TOPIC_QUESTIONS_PER_YEAR: dict[int, int] = {
    2018: 28,
    2019: 200,
    2020: 700,
    2021: 905,
    2022: 2030,
    2023: 2033,
}
"""Ours, shaped by §IV: rising every year, few before 2019, more than 2,000 in 2022; sums to
5,896."""

TAG_YEAR_PROFILES: dict[str, tuple[float, ...]] = {
    "huggingface-transformers": (0.0, 0.02, 0.20, 0.21, 0.33, 0.24),
    "bert-language-model": (0.005, 0.06, 0.24, 0.22, 0.30, 0.175),
    "openai-api": (0.0, 0.0, 0.005, 0.02, 0.09, 0.885),
    "pre-trained-model": (0.05, 0.06, 0.08, 0.09, 0.37, 0.35),
    "huggingface-tokenizers": (0.0, 0.01, 0.16, 0.21, 0.33, 0.29),
    "huggingface": (0.0, 0.0, 0.02, 0.05, 0.45, 0.48),
    "gpt-3": (0.0, 0.0, 0.06, 0.17, 0.35, 0.42),
    "chatgpt-api": (0.0, 0.0, 0.0, 0.0, 0.03, 0.97),
    "huggingface-datasets": (0.0, 0.0, 0.04, 0.26, 0.37, 0.33),
    "gpt-2": (0.0, 0.18, 0.25, 0.2, 0.19, 0.18),
    "sentence-transformers": (0.0, 0.02, 0.12, 0.2, 0.33, 0.33),
    "fine-tune": (0.0, 0.01, 0.04, 0.08, 0.27, 0.6),
    "openai-whisper": (0.0, 0.0, 0.0, 0.0, 0.35, 0.65),
    "roberta-language-model": (0.0, 0.04, 0.25, 0.27, 0.24, 0.2),
    "roberta": (0.0, 0.04, 0.22, 0.28, 0.26, 0.2),
    "gpt-4": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "bart": (0.0, 0.05, 0.25, 0.3, 0.22, 0.18),
    "t5-transformer": (0.0, 0.0, 0.2, 0.3, 0.3, 0.2),
}
"""Ours, shaped by §IV and release dates: share of each tag's questions per year of `YEARS`.

huggingface-transformers and bert-language-model jump most 2019->2020, pre-trained-model and
huggingface 2021->2022, openai-api / chatgpt-api / gpt-4 sit mostly in 2023 (ChatGPT and GPT-4 were
released then)."""

DEFAULT_TAG_COUNT = 40
"""Ours: questions generated for a configured topic tag that Table I does not list."""
DEFAULT_YEAR_PROFILE = (0.05, 0.1, 0.15, 0.2, 0.25, 0.25)
"""Ours: year profile of such a tag."""

SECONDARY_PROPENSITY: dict[str, float] = {
    "huggingface-transformers": 0.15,
    "bert-language-model": 0.35,
    "openai-api": 0.05,
    "pre-trained-model": 0.3,
    "huggingface-tokenizers": 0.5,
    "huggingface": 0.4,
    "gpt-3": 0.45,
    "chatgpt-api": 0.5,
    "huggingface-datasets": 0.5,
    "gpt-2": 0.3,
    "sentence-transformers": 0.35,
    "fine-tune": 0.5,
    "openai-whisper": 0.2,
    "roberta-language-model": 0.5,
    "roberta": 0.5,
    "gpt-4": 0.6,
    "bart": 0.5,
    "t5-transformer": 0.5,
}
"""Ours: relative tendency of a tag to ride along a question whose main topic tag is another one."""

OPENAI_FAMILY = frozenset(
    {"openai-api", "gpt-3", "chatgpt-api", "gpt-4", "openai-whisper", "fine-tune"}
)
"""Tags of the PTM vendor (§III); every other topic tag belongs to the Hugging Face / model
family."""

# --- RQ2 (§V) -------------------------------------------------------------------------------------
TOPIC_NO_ACCEPTED_ANSWER_RATE = 0.739
BASELINE_NO_ACCEPTED_ANSWER_RATE = 0.578
TABLE_II_NO_ACCEPTED_ANSWER_RATE: dict[str, float] = {
    "huggingface-transformers": 0.70,
    "bert-language-model": 0.74,
    "openai-api": 0.78,
    "pre-trained-model": 0.68,
    "huggingface-tokenizers": 0.70,
    "huggingface": 0.78,
}
TABLE_II_ANSWERS_PER_VIEW: dict[str, float] = {
    "huggingface-transformers": 0.05,
    "bert-language-model": 0.05,
    "openai-api": 0.08,
    "pre-trained-model": 0.06,
    "huggingface-tokenizers": 0.05,
    "huggingface": 0.12,
}
TOPIC_ANSWERS_PER_VIEW = 0.06
BASELINE_ANSWERS_PER_VIEW = 0.12
"""§V: PD = mean answer_count / mean view_count. Only the ratios are reproduced (this package's
README)."""

TOPIC_RESPONSE_MINUTES_MEDIAN = 851.0
TOPIC_RESPONSE_MINUTES_MEAN = 22_676.0
BASELINE_RESPONSE_MINUTES_MEDIAN = 55.0
BASELINE_RESPONSE_MINUTES_MEAN = 9_745.0
"""§V: minutes from question to accepted answer (questions with an accepted answer only)."""

RESPONSE_MIXTURES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "topic": ((0.75, 420.0, 1.6), (0.25, 40_000.0, 1.3)),
    "baseline": ((0.85, 35.0, 1.5), (0.15, 22_000.0, 1.4)),
}
"""Ours: (weight, median minutes, sigma) of a lognormal body and a lognormal heavy tail per group,
before a power transform pins the sample's median and mean to §V exactly."""

MEAN_ANSWERS = {
    "topic": (0.6, 0.75),
    "baseline": (0.7, 1.0),
}
"""Ours: Poisson means of extra answers for (questions with an accepted answer, questions
without)."""

# --- Literature topics the paper compares with (§V) -----------------------------------------------
LITERATURE_QUESTIONS: dict[str, int] = {
    "bigdata": 1_800,
    "concurrency": 1_500,
    "mobile": 3_000,
    "security": 1_200,
}
"""Ours: questions of each literature topic in the window, for 52,000 baseline questions (scaled
with `n_baseline`): 2-6% of the baseline each, mobile the largest, plausible shares of Stack
Overflow's questions. The topics' tags come from the seed `dbt_project/seeds/topic_tags.csv`."""
LITERATURE_TAGS_PER_QUESTION = (0.55, 0.33, 0.12)
"""Ours: share of a literature topic's chosen questions carrying 1, 2 or 3 of its tags."""
LITERATURE_NO_ACCEPTED_ANSWER_RATE: dict[str, float] = {
    "bigdata": 0.605,
    "concurrency": 0.438,
    "mobile": 0.550,
}
"""§V: share of questions without an accepted answer that the paper quotes for big data [30],
concurrency [26] and mobile [27]. Security [28] has no such figure: it keeps the baseline's."""
LITERATURE_RESPONSE_MINUTES_MEDIAN: dict[str, float] = {
    "bigdata": 198.0,
    "concurrency": 42.0,
    "mobile": 55.0,
}
"""§V: median minutes to the accepted answer quoted for big data [30], concurrency [26] and mobile
[27]; security keeps the baseline's."""
LITERATURE_ANSWERS_PER_VIEW_RATIO: dict[str, float] = {
    "security": 0.07 / BASELINE_ANSWERS_PER_VIEW,
}
"""§V: security's PD, 0.07 [28], relative to the baseline's 0.12. Only the ratio is reproduced
(see this package's README on absolute PD); it is taken against the baseline's other questions.
The other topics keep the baseline's PD."""

# --- RQ3 (§VI-B): scores of the topic questions ---------------------------------------------------
TOPIC_SCORE_AT_LEAST_1 = 2829
TOPIC_SCORE_AT_LEAST_9 = 116
BASELINE_SCORE_AT_LEAST_1_RATE = 0.42
BASELINE_SCORE_AT_LEAST_9_RATE = 0.012
"""Ours for the baseline: a typical Stack Overflow score spread."""

# --- View counts (ours: the paper's absolute PD values are not reproducible; this package's README)
MEDIAN_VIEWS_PER_YEAR_OF_AGE = {"topic": 420.0, "baseline": 210.0}
VIEWS_SIGMA = 1.25

# --- Baseline -----------------------------------------------------------------------------------
BASELINE_YEAR_WEIGHTS = (1.89, 1.77, 1.87, 1.51, 1.24, 0.48)
"""Ours, roughly Stack Overflow's new questions per year (millions); 2023 covers January to
mid-June."""

# --- Post-id space (ours, fitted to real ids: 75,049,069 was asked 2023-01-08) --------------------
_SO_POST_ID_ANCHORS: tuple[tuple[dt.datetime, int], ...] = (
    (dt.datetime(2017, 1, 1, tzinfo=dt.UTC), 41_460_000),
    (dt.datetime(2018, 1, 1, tzinfo=dt.UTC), 48_030_000),
    (dt.datetime(2019, 1, 1, tzinfo=dt.UTC), 53_990_000),
    (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), 59_550_000),
    (dt.datetime(2021, 1, 1, tzinfo=dt.UTC), 65_510_000),
    (dt.datetime(2022, 1, 1, tzinfo=dt.UTC), 70_650_000),
    (dt.datetime(2023, 1, 1, tzinfo=dt.UTC), 74_960_000),
    (dt.datetime(2023, 7, 1, tzinfo=dt.UTC), 76_560_000),
)
"""Creation time -> post id on Stack Overflow (questions and answers share the sequence)."""

POST_ID_SPAN_IN_WINDOW = 200_000
"""Ids the sample spends on the window (Ours). Stack Overflow spent ~28.5 M ids on ~9.6 M questions
(about one id in three is a question). The sample holds ~0.6% of those questions, so its id space is
compressed by the same factor around the 2018-01-01 anchor: one id in three or four is then a
question, as on the site, and a uniform random-id sample needs about as many requests per question
found as it would on Stack Overflow, instead of hundreds."""

POST_ID_ANCHORS: tuple[tuple[dt.datetime, int], ...] = tuple(
    (at, 48_030_000 + (so_id - 48_030_000) * POST_ID_SPAN_IN_WINDOW // (76_560_000 - 48_030_000))
    for at, so_id in _SO_POST_ID_ANCHORS
)
"""Creation time -> post id in the sample: Stack Overflow's growth curve, compressed."""

OUTSIDE_WINDOW_QUESTIONS = {"topic": 3, "baseline": 5}
"""Questions placed on each of 2017-12-31 and 2023-06-16, so window filtering is exercised."""
CLOSED_RATE = {"topic": 0.02, "baseline": 0.05}
EDITED_RATE = 0.4
DELETED_OWNER_RATE = 0.01
