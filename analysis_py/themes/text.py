"""A question's text as the tokens a theme model reads: one cleaning for every source.

The API sends a body as HTML in JSON and a dump as HTML in an XML attribute; both loaders store
that same HTML in `raw_stackexchange.questions.body`, so cleaning it here, once, gives the same
tokens for the same post whichever way it arrived (docs/themes.md, "Question text").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from importlib import resources

CLEANING_VERSION = "1"
"""Bumped whenever the cleaning changes, so every cached theme fit is refitted."""

MIN_TOKEN_LETTERS = 3

_CODE_BLOCK = re.compile(r"<pre\b[^>]*>.*?</pre>", re.IGNORECASE | re.DOTALL)
_INLINE_CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(rf"[a-z]{{{MIN_TOKEN_LETTERS},}}")


def _stop_words() -> frozenset[str]:
    text = resources.files(__package__).joinpath("stop_words.txt").read_text(encoding="utf-8")
    return frozenset(
        word for line in text.splitlines() if not line.startswith("#") for word in line.split()
    )


STOP_WORDS = _stop_words()
"""English stop words and Stack Overflow boilerplate (`stop_words.txt`)."""


def plain_text(title: str | None, body_html: str | None) -> str:
    """Title and body as plain lower-case text: code blocks, inline code, markup and URLs gone.

    Code is dropped before the markup, so identifiers in code never become words; entities are
    decoded after the markup is gone, so an escaped `&lt;div&gt;` in prose stays text.
    """
    body = body_html or ""
    body = _CODE_BLOCK.sub(" ", body)
    body = _INLINE_CODE.sub(" ", body)
    body = _TAG.sub(" ", body)
    text = html.unescape(f"{title or ''} {body}")
    return _URL.sub(" ", text).lower()


def question_tokens(
    title: str | None, body_html: str | None, *, bigrams: bool = False
) -> list[str]:
    """The tokens of a question: words of at least three letters that are not stop words.

    With `bigrams`, each pair of neighbouring kept words is added as `first_second` after the
    words, so a phrase such as `fine_tune` can become a theme's term.
    """
    words = [word for word in _WORD.findall(plain_text(title, body_html)) if word not in STOP_WORDS]
    if bigrams:
        words += [f"{first}_{second}" for first, second in zip(words, words[1:], strict=False)]
    return words


def corpus_tokens(
    texts: Iterable[tuple[str | None, str | None]], *, bigrams: bool = False
) -> list[list[str]]:
    """`question_tokens` of every (title, body) pair, in order."""
    return [question_tokens(title, body, bigrams=bigrams) for title, body in texts]
