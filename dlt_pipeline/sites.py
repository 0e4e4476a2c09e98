"""The site a data dump is of: `--site`, else the domain the archive is named after.

Post ids are unique per site only, so the domain (spelled as `study.names.site_domain` says) is
part of every raw key; the dump archives are named after it.
"""

from __future__ import annotations

import re
from pathlib import Path

from study.names import site_domain

from .results import LoadError

_DOMAIN_IN_NAME = re.compile(
    r"^((?:[a-z0-9-]+\.)+(?:com|net))(?:-.*|\.7z|\.xml|\.xml\.gz)?$", re.IGNORECASE
)
"""A dump archive, file or folder named after its site: `beer.stackexchange.com.7z`,
`stackoverflow.com-Posts.7z`, `beer.stackexchange.com.xml(.gz)`, `beer.stackexchange.com/`."""


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
