"""Stack Exchange sites as the raw tables name them: by their web domain (`stackoverflow.com`).

Post ids are unique per site only, so the domain is part of every raw key; the API accepts the
domain as its `site` parameter and the dump archives are named after it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .results import LoadError

_DOT_COM_SITES = frozenset(
    {"stackoverflow", "serverfault", "superuser", "askubuntu", "mathoverflow"}
)
"""Sites whose domain is `<site>.com`; every other short name is `<site>.stackexchange.com`."""

_DOMAIN_IN_NAME = re.compile(
    r"^((?:[a-z0-9-]+\.)+(?:com|net))(?:-.*|\.7z|\.xml|\.xml\.gz)?$", re.IGNORECASE
)
"""A dump archive, file or folder named after its site: `beer.stackexchange.com.7z`,
`stackoverflow.com-Posts.7z`, `beer.stackexchange.com.xml(.gz)`, `beer.stackexchange.com/`."""


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SHORT_NAME = re.compile(_LABEL)
"""An API short name: `beer`, `stackoverflow`, `3dprinting`."""
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:com|net)")
"""A Stack Exchange domain: `beer.stackexchange.com`, `ru.stackoverflow.com`, `mathoverflow.net`."""


class SiteError(ValueError):
    """A site is neither a Stack Exchange domain nor a short name; the text is one line: the fix."""


def site_domain(site: str) -> str:
    """The domain of a site given by domain or by API short name (`beer.stackexchange.com`).

    Every verb that takes a site passes it through here, so a URL, quotes or SQL never reach the
    seeds, the raw tables or an API request.

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


def dump_site(path: Path, site: str | None) -> str:
    """The site of a dump: `site` when given, else the domain in the path's nearest matching name.

    Raises:
        LoadError: neither names a site (a plain `Posts.xml` needs `--site`).
    """
    if site:
        return site_domain(site)
    for part in reversed(Path(path).parts):
        match = _DOMAIN_IN_NAME.match(part)
        if match:
            return match.group(1).lower()
    raise LoadError(
        f"cannot tell the site of {path}: its name names none; pass --site "
        "(e.g. --site beer.stackexchange.com) or load the archive named after its site"
    )
