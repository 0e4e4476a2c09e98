"""`ptmwh themes`: a topic's themes, sizes and example titles as the theme marts hold them."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli
from ptmwh.locking import warehouse_lock
from tests.fakes.theme_marts import FIT, ODD_LABEL, STALE_FIT
from tests.reports.conftest import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def warehouse(seeds: Path, tmp_path: Path) -> Path:
    """The report's fixture warehouse (its theme marts hold `ptm`) at the CLI's PTMWH_DB."""
    shutil.copy(ROOT / "dbt_project" / "seeds" / "theme_models.csv", seeds / "theme_models.csv")
    return build_fixture_warehouse(tmp_path / "w.duckdb")


def _expected(db: Path) -> dict[int, dict]:
    """Per theme, from the fact rows: its label, dominant questions, share and top-3 titles."""
    with duckdb.connect(str(db), read_only=True) as con:
        labels = dict(
            con.execute(
                "select theme, theme_label from marts.dim_themes where topic = 'ptm'"
            ).fetchall()
        )
        rows = con.execute(
            "select t.theme, t.weight, t.site, t.question_id, q.title "
            "from marts.fct_question_themes as t inner join marts.fct_questions as q "
            "using (site, question_id) where t.topic = 'ptm' and t.is_dominant_theme"
        ).fetchall()
    by_theme: dict[int, list] = defaultdict(list)
    for theme, weight, site, question_id, title in rows:
        by_theme[theme].append((-weight, site, question_id, title))
    total = sum(len(questions) for questions in by_theme.values())
    return {
        theme: {
            "label": " ".join(labels[theme].split()),
            "n": len(questions),
            "share": f"{100 * len(questions) / total:.1f}%",
            "titles": [row[3] for row in sorted(questions)[:3]],
        }
        for theme, questions in by_theme.items()
    }


def _blocks(out: str) -> dict[int, list[str]]:
    """The printed lines of each theme's block, by theme number."""
    blocks: dict[int, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("theme "):
            current = int(line.split(":")[0].removeprefix("theme "))
            blocks[current] = [line]
        elif not line:
            current = None
        elif current is not None:
            blocks[current].append(line)
    return blocks


def test_themes_prints_labels_sizes_and_titles_as_the_fact_rows_give_them(warehouse, capsys):
    expected = _expected(warehouse)
    assert set(expected) == {1, 2, 3}

    assert cli.main(["themes"]) == 0  # the default topic, ptm

    out = capsys.readouterr().out
    blocks = _blocks(out)
    assert list(blocks) == sorted(expected, key=lambda theme: -expected[theme]["n"])
    for theme, want in expected.items():
        head, size, terms, *examples = blocks[theme]
        assert head.startswith(f"theme {theme}: {want['label']} (")
        assert size == f"  size: {want['n']:,} questions ({want['share']} of those with a theme)"
        assert terms.startswith("  terms: ")
        assert examples == [f"  e.g. {title}" for title in want["titles"]]
    # the label's newline is folded, so it stays one line; the tie at 0.70 goes to the lower id
    assert " ".join(ODD_LABEL.split()) in blocks[1][0]
    assert blocks[1][3:] == [
        "  e.g. Padding side for GPT-2 tokenizer",
        "  e.g. Tokenizer adds [UNK] | why?",
        "  e.g. Truncation drops my labels",
    ]
    assert out.splitlines()[-1].startswith("ptm: 3 themes (1 labelled by a researcher); ")
    assert f"`ptm,{FIT},THEME,LABEL,NOTE`" in out.splitlines()[-1]


def test_themes_lists_the_coherence_of_every_fit_and_the_stale_labels(warehouse, capsys):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        fits = con.execute(
            "select n_themes, coherence_npmi, coherence_cv, is_selected "
            "from marts.rpt_theme_model_selection where topic = 'ptm' order by n_themes"
        ).fetchall()
    assert cli.main(["themes", "--topic", "ptm"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("coherence per number of themes tried (marts.rpt_theme_model_selection):")
    printed = [line.split() for line in lines[start + 2 : start + 2 + len(fits)]]
    assert [(int(row[0]), row[1], row[2], "selected" in row) for row in printed] == [
        (n, f"{npmi:.3f}", f"{cv:.3f}", selected) for n, npmi, cv, selected in fits
    ]
    stale = "\n".join(lines[lines.index("") :])
    assert f"theme 2 “Old | training” (written for fit {STALE_FIT})" in stale
    assert f"fingerprint {FIT}" in stale and "dbt_project/seeds/theme_labels.csv" in stale


def test_themes_takes_no_lock(warehouse, capsys):
    with warehouse_lock(warehouse, "ptmwh build"):
        assert cli.main(["themes"]) == 0
    assert "theme 1:" in capsys.readouterr().out


def test_a_topic_without_a_theme_model_gets_one_line_with_the_fix(warehouse, seeds, capsys):
    (seeds / "theme_models.csv").write_text(
        "topic,n_themes,seed,min_df,max_df_share,iterations,bigrams,max_questions\nptm,3,1,5,0.5,100,false,20000\n"
    )
    assert cli.main(["themes", "--topic", "concurrency"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ptmwh themes: error: topic concurrency has")
    assert "add a row to dbt_project/seeds/theme_models.csv" in err and "`ptmwh build`" in err
    with (seeds / "theme_models.csv").open("a", encoding="utf-8") as handle:
        handle.write("concurrency,5,1,5,0.5,100,false,20000\n")
    assert cli.main(["themes", "--topic", "concurrency"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has a row in dbt_project/seeds/theme_models.csv" in err
    assert "run `ptmwh build`" in err


def test_a_warehouse_without_theme_marts_says_themes_are_built_on_duckdb(warehouse, capsys):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table marts.dim_themes")
    assert cli.main(["themes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no theme marts (themes are built on DuckDB only" in err
    assert "dbt_project/seeds/theme_models.csv" in err and "`ptmwh build`" in err


def test_an_unknown_topic_is_refused_with_the_known_ones(warehouse, capsys):
    assert cli.main(["themes", "--topic", "nope"]) == 1
    assert "unknown topic 'nope'; known: ptm" in capsys.readouterr().err
