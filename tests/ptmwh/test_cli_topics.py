"""`ptmwh topics`, `ptmwh topic add` and `ptmwh load-dump`'s site: topics are seed rows."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ptmwh import cli

ROOT = Path(__file__).resolve().parents[2]
BEER = ROOT / "tests" / "fixtures" / "real" / "se-dump-beer" / "Posts.xml"


def _add(*extra: str) -> list[str]:
    return ["topic", "add", "brewing", "--tags", "Hops,yeast", "--from", "2014-01-01",
            "--to", "2014-12-31", *extra]  # fmt: skip


def test_topics_lists_every_seed_topic_without_a_warehouse(seeds, capsys):
    assert cli.main(["topics"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ptm: stackoverflow.com 2018-01-01..2023-06-15, 18 tags (")
    assert out[0].endswith("; no warehouse yet")
    assert [line.split(":")[0] for line in out[:6]] == [
        "ptm", "bigdata", "concurrency", "mobile", "security", "quantum"
    ]  # fmt: skip
    assert out[-1] == "6 topics (dbt_project/seeds/topics.csv, topic_tags.csv)"


def test_topic_add_appends_both_seeds_and_topics_shows_it(seeds, capsys):
    assert cli.main([*_add("--site", "beer", "--title", "Brewing")]) == 0
    assert "topic brewing added: 2 tags on beer.stackexchange.com" in capsys.readouterr().out
    assert (
        (seeds / "topics.csv")
        .read_text()
        .splitlines()[-1]
        .startswith("brewing,Brewing,beer.stackexchange.com,2014-01-01,2014-12-31,")
    )
    assert (seeds / "topic_tags.csv").read_text().splitlines()[-2:] == [
        "brewing,hops,other,true",
        "brewing,yeast,other,true",
    ]
    assert cli.main(["topics"]) == 0
    assert (
        "brewing: beer.stackexchange.com 2014-01-01..2014-12-31, 2 tags (hops, yeast); "
        "no warehouse yet" in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["topic", "add", "ptm", "--tags", "a", "--from", "2020-01-01", "--to", "2020-12-31"],
         "topic 'ptm' exists already; choose another name"),
        (["topic", "add", "all", "--tags", "a", "--from", "2020-01-01", "--to", "2020-12-31"],
         "topic 'all' exists already"),
        (["topic", "add", "Bad Name", "--tags", "a", "--from", "2020-01-01", "--to", "2020-12-31"],
         "bad topic name 'Bad Name'"),
        (["topic", "add", "x", "--tags", "a b", "--from", "2020-01-01", "--to", "2020-12-31"],
         "bad tag 'a b'"),
        (["load", "--topic", "nope"], "unknown topic 'nope'; known: ptm, bigdata"),
        (_add("--site", "https://beer.stackexchange.com"),
         "bad site 'https://beer.stackexchange.com': give a Stack Exchange domain"),
        (_add("--site", "x'; drop table t;--"), "bad site \"x'; drop table t;--\""),
        (_add("--site", 'beer"'), "bad site 'beer\"'"),
        (_add("--site", "beer.stackexchange.com/questions"), "without https:// or a path"),
        (_add("--title", "Brewing\nand"), "bad title 'Brewing\\nand': give it on one line"),
    ],
)  # fmt: skip
def test_topic_refusals_are_one_line_and_change_nothing(seeds, argv, expected, capsys):
    before = {name: (seeds / name).read_text() for name in ("topics.csv", "topic_tags.csv")}
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and err.startswith(f"ptmwh {argv[0]}: error:")
    assert {name: (seeds / name).read_text() for name in before} == before


def test_load_dump_refuses_a_plain_posts_xml_without_site(seeds, tmp_path, capsys):
    plain = tmp_path / "Posts.xml"
    shutil.copy(BEER, plain)
    assert cli.main(["load-dump", str(plain)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pass --site (e.g. --site beer.stackexchange.com)" in err
    assert not (tmp_path / "w.duckdb").exists()


def test_load_dump_takes_the_site_from_the_name_and_keeps_its_topic_windows(
    seeds, tmp_path, capsys
):
    folder = tmp_path / "beer.stackexchange.com"
    folder.mkdir()
    shutil.copy(BEER, folder / "Posts.xml")
    assert cli.main(["load-dump", str(folder / "Posts.xml")]) == 1  # no topic on beer yet
    assert "no topic on beer.stackexchange.com: define one" in capsys.readouterr().err
    assert cli.main(_add("--site", "beer.stackexchange.com")) == 0
    assert cli.main(["load-dump", str(folder / "Posts.xml")]) == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        sites = con.execute(
            "select site, count(*), min(link), count(distinct collected_at), max(collected_at), "
            "min(creation_date) >= epoch(date '2014-01-01'), "
            "max(creation_date) < epoch(date '2015-01-01') from raw_stackexchange.questions "
            "group by site"
        ).fetchall()
        answer_sites = con.execute("select distinct site from raw_stackexchange.answers").fetchall()
        run = con.execute("select site, dump_date from raw_stackexchange.load_runs").fetchall()
    ((site, n, link, n_dates, collected_at, after_start, before_end),) = sites
    assert (site, n, n_dates, after_start, before_end) == (
        "beer.stackexchange.com", 244, 1, True, True
    )  # fmt: skip
    assert link.startswith("https://beer.stackexchange.com/q/")
    assert answer_sites == [("beer.stackexchange.com",)]
    newest = _newest_post_date(BEER)
    assert collected_at == int(newest.timestamp())
    assert run == [("beer.stackexchange.com", newest.date())]
    assert cli.main(["topics"]) == 0
    assert "brewing: beer.stackexchange.com 2014-01-01..2014-12-31, 2 tags (hops, yeast); " in (
        capsys.readouterr().out
    )


def test_load_dump_takes_the_dump_date_and_no_bodies_when_asked(seeds, tmp_path):
    plain = tmp_path / "Posts.xml"
    shutil.copy(BEER, plain)
    argv = ["load-dump", str(plain), "--site", "beer", "--from", "2014-01-01", "--to", "2014-12-31"]
    assert cli.main([*argv, "--dump-date", "2024-04-01", "--no-bodies"]) == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        dates = con.execute("select distinct collected_at from raw_stackexchange.questions")
        assert dates.fetchall() == [(int(datetime(2024, 4, 1, tzinfo=UTC).timestamp()),)]
        bodies = con.execute("select count(body) from raw_stackexchange.questions").fetchall()
    assert bodies == [(0,)]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        run = con.execute("select dump_date from raw_stackexchange.load_runs").fetchall()
    assert run == [(date(2024, 4, 1),)]


def _newest_post_date(path: Path) -> datetime:
    """The newest CreationDate/LastActivityDate of any post, read independently of the loader."""
    import xml.etree.ElementTree as ET

    stamps = [
        row.get(name)
        for row in ET.parse(path).getroot()
        for name in ("CreationDate", "LastActivityDate")
        if row.get(name)
    ]
    return datetime.fromisoformat(max(stamps)).replace(tzinfo=UTC, microsecond=0)


def test_load_dump_refuses_a_file_that_is_not_posts_xml_with_exit_1(seeds, tmp_path, capsys):
    folder = tmp_path / "beer.stackexchange.com"
    folder.mkdir()
    shutil.copy(BEER.with_name("Tags.xml"), folder / "Posts.xml")
    argv = ["load-dump", str(folder / "Posts.xml"), "--from", "2014-01-01", "--to", "2014-12-31"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "row 1 has no PostTypeId: this is not a Stack Exchange Posts.xml" in err


def test_load_dump_of_a_site_folder_loads_its_posts_xml(seeds, tmp_path):
    folder = tmp_path / "beer.stackexchange.com"
    folder.mkdir()
    shutil.copy(BEER, folder / "Posts.xml")
    assert cli.main(["load-dump", str(folder), "--from", "2014-01-01", "--to", "2014-12-31"]) == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.execute("select site, count(*) from raw_stackexchange.questions group by 1")
        assert loaded.fetchall() == [("beer.stackexchange.com", 244)]


def test_load_dump_of_a_folder_without_posts_xml_is_one_line(seeds, tmp_path, capsys):
    folder = tmp_path / "beer.stackexchange.com"
    folder.mkdir()
    argv = ["load-dump", str(folder), "--from", "2014-01-01", "--to", "2014-12-31"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is a folder without Posts.xml or Posts.xml.gz" in err


IOT = ROOT / "tests" / "fixtures" / "real" / "se-dump-iot" / "Posts.xml"
BOTH_WINDOWS = ["--from", "2014-01-01", "--to", "2017-12-31"]


def _raw_rows(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of the raw tables a dump load writes (load_runs too), in a fixed order."""
    tables = ("questions", "question_tags", "answers", "load_runs")
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            table: con.execute(f"select * from raw_stackexchange.{table} order by all").fetchall()
            for table in tables
        }


def _question_dates(path: Path) -> dict[int, str]:
    """Question id -> CreationDate of a Posts.xml, read with ElementTree."""
    import xml.etree.ElementTree as ET

    return {
        int(row.get("Id", "")): row.get("CreationDate", "")
        for row in ET.parse(path).getroot()
        if row.get("PostTypeId") == "1"
    }


def test_load_dump_refuses_another_sites_dump_in_a_folder_named_for_the_site(
    seeds, tmp_path, capsys
):
    assert cli.main(["load-dump", str(BEER), "--site", "beer", *BOTH_WINDOWS]) == 0
    before = _raw_rows(tmp_path / "w.duckdb")
    capsys.readouterr()
    wrong = tmp_path / "beer.stackexchange.com"
    wrong.mkdir()
    shutil.copy(IOT, wrong / "Posts.xml")
    assert cli.main(["load-dump", str(wrong / "Posts.xml"), *BOTH_WINDOWS]) == 1
    err = capsys.readouterr().err
    beer, iot = _question_dates(BEER), _question_dates(IOT)
    # Post ids collide across sites, but never with the same creation time.
    same_id = set(beer) & set(iot)
    assert same_id and all(beer[i] != iot[i] for i in same_id)
    assert err.count("\n") == 1 and err.startswith("ptmwh load-dump: error: ")
    assert (
        f"it holds 0 of the {len(beer)} live beer.stackexchange.com questions already loaded "
        f"in its windows (same id and creation time), and loading it would mark "
        f"{len(set(beer) - set(iot))} of them deleted; nothing was changed;" in err
    )
    assert "or pass --force" in err
    assert _raw_rows(tmp_path / "w.duckdb") == before
    # The right dump still loads without --force: the refused one left no trace.
    assert cli.main(["load-dump", str(BEER), "--site", "beer", *BOTH_WINDOWS]) == 0


def test_load_dump_of_another_site_loads_with_force(seeds, tmp_path):
    assert cli.main(["load-dump", str(BEER), "--site", "beer", *BOTH_WINDOWS]) == 0
    argv = ["load-dump", str(IOT), "--site", "beer", *BOTH_WINDOWS]
    assert cli.main([*argv, "--force"]) == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        live = con.execute(
            "select count(*) from raw_stackexchange.questions where deleted_at is null"
        ).fetchone()
    assert live == (len(_question_dates(IOT)),)


def test_load_dump_refuses_a_dump_date_before_its_newest_post(seeds, tmp_path, capsys):
    argv = ["load-dump", str(BEER), "--site", "beer", "--from", "2014-01-01", "--to", "2014-12-31"]
    assert cli.main([*argv, "--dump-date", "2024-04-01"]) == 0
    before = _raw_rows(tmp_path / "w.duckdb")
    capsys.readouterr()
    newest = _newest_post_date(BEER).date()
    early = newest - timedelta(days=1)
    assert cli.main([*argv, "--dump-date", early.isoformat(), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ptmwh load-dump: error: ")
    assert f"--dump-date {early} is before the dump's newest post ({newest})" in err
    assert f"pass the day the dump was taken (on or after {newest})" in err
    assert _raw_rows(tmp_path / "w.duckdb") == before
    assert cli.main([*argv, "--dump-date", newest.isoformat(), "--force"]) == 0


@pytest.mark.parametrize("site", ["https://beer.stackexchange.com", "beer'; drop table t;--"])
def test_load_dump_refuses_a_site_that_is_not_a_stack_exchange_site(seeds, tmp_path, capsys, site):
    argv = ["load-dump", str(BEER), "--site", site, "--from", "2014-01-01", "--to", "2014-12-31"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"bad site {site!r}: give a Stack Exchange domain" in err
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(
    "name",
    [
        "beer.stackexchange.com.xml.gz",
        "beer.stackexchange.com.xml",
        "beer.stackexchange.com-Posts.xml.gz",
        "beer.stackexchange.com.7z",
    ],
)
def test_load_dump_takes_the_site_from_a_file_named_after_it(name):
    from dlt_pipeline.sites import dump_site

    assert dump_site(Path("/dumps") / name, None) == "beer.stackexchange.com"


@pytest.mark.parametrize(
    ("site", "domain"),
    [("beer", "beer.stackexchange.com"), ("Stackoverflow", "stackoverflow.com"),
     ("ru.stackoverflow.com", "ru.stackoverflow.com"), ("mathoverflow.net", "mathoverflow.net"),
     ("3dprinting", "3dprinting.stackexchange.com")],
)  # fmt: skip
def test_topic_add_takes_a_domain_or_a_short_name(seeds, capsys, site, domain):
    assert cli.main([*_add("--site", site, "--title", 'The "Brewing" topic')]) == 0
    assert f"2 tags on {domain}," in capsys.readouterr().out
    assert cli.main(["topics"]) == 0
    assert f"brewing: {domain} 2014-01-01..2014-12-31" in capsys.readouterr().out


SEED_FILES = ("topics.csv", "topic_tags.csv", "topic_tag_decisions.csv")


def test_topic_remove_takes_out_every_row_of_the_topic_and_nothing_else(seeds, capsys):
    original = {name: (seeds / name).read_bytes() for name in SEED_FILES}
    assert cli.main([*_add("--site", "beer", "--title", 'Brewing, "beer" & hops')]) == 0
    with (seeds / "topic_tag_decisions.csv").open("a", encoding="utf-8") as decisions:
        decisions.write('brewing,1,malt,accept,"ingredient, like hops"\nbrewing,1,wine,reject,x\n')
    capsys.readouterr()
    assert cli.main(["topic", "remove", "brewing"]) == 0
    out = capsys.readouterr().out
    assert (
        "topic brewing removed: 1 from topics.csv, 2 from topic_tags.csv, "
        "2 from topic_tag_decisions.csv" in out
    )
    assert {name: (seeds / name).read_bytes() for name in SEED_FILES} == original
    assert cli.main(["topics"]) == 0
    assert "brewing" not in capsys.readouterr().out


def test_topic_remove_refuses_an_unknown_topic(seeds, capsys):
    original = {name: (seeds / name).read_bytes() for name in SEED_FILES}
    assert cli.main(["topic", "remove", "brewing"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("ptmwh topic: error: unknown topic 'brewing'; known: ptm, bigdata")
    assert {name: (seeds / name).read_bytes() for name in SEED_FILES} == original


def test_topic_remove_takes_out_the_topics_theme_model_and_labels(seeds, capsys):
    for name in ("theme_models.csv", "theme_labels.csv"):
        shutil.copy(ROOT / "dbt_project" / "seeds" / name, seeds / name)
    original = (seeds / "theme_models.csv").read_text()
    assert cli.main([*_add("--site", "beer")]) == 0
    with (seeds / "theme_models.csv").open("a", encoding="utf-8") as models:
        models.write("brewing,5,1,2,0.9,100,false,20000\n")
    with (seeds / "theme_labels.csv").open("a", encoding="utf-8") as labels:
        labels.write("brewing,abc,1,Hops,\n")
    assert cli.main(["topic", "remove", "brewing"]) == 0
    out = capsys.readouterr().out
    assert "1 from theme_models.csv, 1 from theme_labels.csv" in out
    assert (seeds / "theme_models.csv").read_text() == original
    assert "brewing" not in (seeds / "theme_labels.csv").read_text()
