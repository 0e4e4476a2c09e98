"""The benchmark generator's planted themes: topic questions get themed titles and bodies, each
body carries its theme's words, and nothing else of the raw tables changes."""

from __future__ import annotations

import collections
import html
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from benchmarks.generate_raw import (
    DEFAULT_THEMES,
    THEME_WORDS,
    TOPIC_TAG_COUNTS,
    generate_raw_warehouse,
    main,
    planted_themes,
    theme_vocabularies,
)
from tests.fakes.stop_words import STOP_WORDS

N_QUESTIONS = 5_000
N_THEMES = 6
SEED = 5
LOADED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
WORD = re.compile(r"[a-z]+")


def _generate(path: Path, themes: int) -> Path:
    generate_raw_warehouse(
        path, N_QUESTIONS, seed=SEED, topic_share=0.3, loaded_at=LOADED_AT, themes=themes
    )
    return path


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same warehouse with and without planted themes."""
    folder = tmp_path_factory.mktemp("themes")
    return _generate(folder / "themed.duckdb", N_THEMES), _generate(folder / "plain.duckdb", 0)


def _query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _topic_question_ids(db_path: Path) -> set[int]:
    topic_list = "[" + ", ".join(f"'{tag}'" for tag in TOPIC_TAG_COUNTS) + "]"
    return {
        row[0]
        for row in _query(
            db_path,
            "select distinct question_id from raw_stackexchange.question_tags"
            f" where list_contains({topic_list}, tag)",
        )
    }


def test_vocabularies_are_disjoint_content_words() -> None:
    vocabularies = theme_vocabularies(DEFAULT_THEMES)
    assert len(vocabularies) == DEFAULT_THEMES
    assert all(len(words) == THEME_WORDS for words in vocabularies)
    assert theme_vocabularies(N_THEMES) == vocabularies[:N_THEMES]
    every = [word for words in theme_vocabularies(5_545) for word in words]
    assert len(set(every)) == len(every)
    assert all(re.fullmatch(r"[a-z]{3,}", word) for word in every)
    assert not STOP_WORDS & set(every)
    with pytest.raises(ValueError, match="themes"):
        theme_vocabularies(5_546)


def test_topic_questions_and_only_they_get_text(warehouses: tuple[Path, Path]) -> None:
    themed, plain = warehouses
    topic = _topic_question_ids(themed)
    assert len(topic) > 0.2 * N_QUESTIONS
    with_body = {
        row[0]
        for row in _query(
            themed, "select question_id from raw_stackexchange.questions where body is not null"
        )
    }
    assert with_body == topic
    assert _query(plain, "select count(body) from raw_stackexchange.questions") == [(0,)]
    planted = planted_themes(themed, N_THEMES, seed=SEED)
    assert set(planted) == topic
    counts = collections.Counter(planted.values())
    assert set(counts) == set(range(N_THEMES))
    assert max(counts.values()) < 1.3 * min(counts.values())


def test_bodies_carry_their_themes_words(warehouses: tuple[Path, Path]) -> None:
    themed, _ = warehouses
    planted = planted_themes(themed, N_THEMES, seed=SEED)
    vocabularies = [set(words) for words in theme_vocabularies(N_THEMES)]
    rows = _query(
        themed,
        "select question_id, title, body from raw_stackexchange.questions where body is not null",
    )
    with_code = 0
    for question_id, title, body in rows:
        assert body.startswith(f"<p>{html.escape(title)}</p>\n\n<p>")
        with_code += "<pre><code>" in body
        prose = re.sub(r"<pre>.*?</pre>", " ", body, flags=re.DOTALL)
        tokens = WORD.findall(re.sub(r"<[^>]+>", " ", prose))
        hits = [sum(token in words for token in tokens) for words in vocabularies]
        # The title's three words, then three sentences of six theme words each.
        assert hits[planted[question_id]] == 21, body
        assert sum(hits) == 21, body
        own = vocabularies[planted[question_id]]
        assert sum(token in own for token in WORD.findall(title)) == 3
    assert 0.4 < with_code / len(rows) < 0.6


def test_themes_change_titles_and_bodies_only(warehouses: tuple[Path, Path]) -> None:
    themed, plain = warehouses
    checksum = """
        select
            (select sum(hash(q)) from (
                select * exclude (title, body) from raw_stackexchange.questions) as q),
            (select sum(hash(a)) from raw_stackexchange.answers as a),
            (select sum(hash(t)) from raw_stackexchange.question_tags as t),
            (select sum(hash(t)) from raw_stackexchange.tags as t),
            (select sum(hash(r)) from raw_stackexchange.related_tags as r)
    """
    assert _query(themed, checksum) == _query(plain, checksum)
    titles = """
        select sum(hash(question_id, title)) from raw_stackexchange.questions
        where body is null
    """
    assert _query(themed, titles) == _query(
        plain,
        titles.replace(
            "where body is null",
            f"where question_id not in ({', '.join(map(str, _topic_question_ids(plain)))})",
        ),
    )


def test_command_line_themes_default_to_twenty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([str(tmp_path / "w.duckdb"), "--questions", "400", "--topic-share", "0.5", "--themes"])
    assert f"'themes': {DEFAULT_THEMES}" in capsys.readouterr().out
    planted = planted_themes(tmp_path / "w.duckdb", DEFAULT_THEMES)
    assert len(set(planted.values())) > DEFAULT_THEMES / 2
    main([str(tmp_path / "w.duckdb"), "--questions", "400"])
    assert "'themes': 0" in capsys.readouterr().out
    with pytest.raises(ValueError, match="themes"):
        generate_raw_warehouse(tmp_path / "w.duckdb", 10, themes=-1)
