"""Tags and sites as the study spells them; what it refuses."""

from __future__ import annotations

import pytest

from study.names import SiteError, TagError, checked_tags, clean_tags, site_domain


def test_tags_are_stripped_lower_cased_and_each_kept_once_in_order() -> None:
    assert clean_tags([" PyTorch", "bert", "", "pytorch ", "  ", ".NET"]) == (
        "pytorch",
        "bert",
        ".net",
    )


def test_a_tag_no_one_could_define_is_refused() -> None:
    assert checked_tags(["Apache-Spark", "c#"]) == ("apache-spark", "c#")
    with pytest.raises(TagError, match="bad tag 'big data': Stack Exchange tags are lower-case"):
        checked_tags(["ok", "big data"])


@pytest.mark.parametrize(
    ("given", "domain"),
    [
        ("beer", "beer.stackexchange.com"),
        ("stackoverflow", "stackoverflow.com"),
        (" MathOverflow ", "mathoverflow.com"),
        ("ru.stackoverflow.com", "ru.stackoverflow.com"),
        ("mathoverflow.net", "mathoverflow.net"),
    ],
)
def test_a_site_is_its_domain(given: str, domain: str) -> None:
    assert site_domain(given) == domain


@pytest.mark.parametrize("given", ["https://beer.stackexchange.com", "beer'", "a/b", ""])
def test_anything_else_is_refused(given: str) -> None:
    with pytest.raises(SiteError, match="give a Stack Exchange domain"):
        site_domain(given)
