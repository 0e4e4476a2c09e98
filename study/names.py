"""How the study spells Stack Exchange tags and sites, and which spellings it refuses.

Seed rows, API requests and raw keys name a tag as the site does (lower case) and a site by its
web domain (`stackoverflow.com`); every input passes through here first, so a URL, quotes or SQL
never reach the seeds, the raw tables or an API request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TAG = re.compile(r"[a-z0-9][a-z0-9.#+_-]{0,34}")
"""A tag as a user may define one: `apache-spark`, `c#`, `gpt-4`."""

_DOT_COM_SITES = frozenset(
    {"stackoverflow", "serverfault", "superuser", "askubuntu", "mathoverflow"}
)
"""Sites whose domain is `<site>.com`; every other short name is `<site>.stackexchange.com`."""

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SHORT_NAME = re.compile(_LABEL)
"""An API short name: `beer`, `stackoverflow`, `3dprinting`."""
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:com|net)")
"""A Stack Exchange domain: `beer.stackexchange.com`, `ru.stackoverflow.com`, `mathoverflow.net`."""


class TagError(ValueError):
    """A tag is malformed; the text is one line with the fix."""


class SiteError(ValueError):
    """A site is neither a Stack Exchange domain nor a short name; the text is one line: the fix."""


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, lower-cased and each once, in order; blank ones dropped."""
    return tuple(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))


def checked_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """`clean_tags`, refusing a tag no one could define (a space, a quote, too long).

    Raises:
        TagError: a tag is malformed.
    """
    clean = clean_tags(tags)
    bad = next((tag for tag in clean if not _TAG.fullmatch(tag)), None)
    if bad is not None:
        raise TagError(f"bad tag {bad!r}: Stack Exchange tags are lower-case, e.g. apache-spark")
    return clean


def site_domain(site: str) -> str:
    """The domain of a site given by domain or by API short name (`beer.stackexchange.com`).

    Raises:
        SiteError: `site` is neither a domain ending in .com or .net nor a short name.
    """
    clean = site.strip().lower()
    if _DOMAIN.fullmatch(clean):
        return clean
    if _SHORT_NAME.fullmatch(clean):
        return f"{clean}.com" if clean in _DOT_COM_SITES else f"{clean}.stackexchange.com"
    raise SiteError(
        f"bad site {site!r}: give a Stack Exchange domain (beer.stackexchange.com, "
        "stackoverflow.com) or its short name (beer), without https:// or a path"
    )
