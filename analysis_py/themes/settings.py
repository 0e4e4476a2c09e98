"""A topic's theme-model settings, one row of the seed `theme_models` (docs/themes.md)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

_RANGE = re.compile(r"^(\d+)-(\d+):(\d+)$")


class ThemeSettingsError(ValueError):
    """A `theme_models` row that cannot be fitted; the message names the row and the fix."""


def parse_theme_counts(spec: str) -> tuple[int, ...]:
    """The numbers of themes `n_themes` asks for: `20` is one fit, `5-40:5` is 5, 10, ..., 40."""
    text = str(spec).strip()
    if text.isdigit():
        counts: tuple[int, ...] = (int(text),)
    elif match := _RANGE.match(text):
        low, high, step = (int(group) for group in match.groups())
        if step == 0 or low > high:
            raise ThemeSettingsError(f"n_themes {text!r}: write LOW-HIGH:STEP with LOW <= HIGH")
        counts = tuple(range(low, high + 1, step))
    else:
        raise ThemeSettingsError(f"n_themes {text!r}: write one number (20) or a range (5-40:5)")
    if min(counts) < 2:
        raise ThemeSettingsError(f"n_themes {text!r}: a theme model needs at least 2 themes")
    return counts


@dataclass(frozen=True)
class ThemeSettings:
    """How one topic's themes are fitted: the seed row's columns, validated."""

    n_themes: str
    seed: int
    min_df: int
    max_df_share: float
    iterations: int
    bigrams: bool = False

    def __post_init__(self) -> None:
        parse_theme_counts(self.n_themes)
        if self.min_df < 1:
            raise ThemeSettingsError(f"min_df {self.min_df}: at least 1 question per term")
        if not 0 < self.max_df_share <= 1:
            raise ThemeSettingsError(f"max_df_share {self.max_df_share}: a share in (0, 1]")
        if self.iterations < 1:
            raise ThemeSettingsError(f"iterations {self.iterations}: at least 1")

    @property
    def theme_counts(self) -> tuple[int, ...]:
        return parse_theme_counts(self.n_themes)

    def fingerprint(self, *versions: str) -> str:
        """A digest of these settings and the given code versions (cleaning, library)."""
        payload = json.dumps([asdict(self), list(versions)], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
