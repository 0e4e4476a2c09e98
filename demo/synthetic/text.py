"""Titles, bodies and URL slugs in the form the API sends them (titles HTML-encoded, bodies
HTML)."""

from __future__ import annotations

import functools
import re

import numpy as np

from . import vocabulary as vocab

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def escape_text(raw: str) -> str:
    """Escape what HTML text content must (`&`, `<`, `>`), as the API does in bodies."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=65_536)
def encode_title(raw: str) -> str:
    """HTML-encode a title as the API does (`&amp;`, `&lt;`, `&quot;`, `&#39;`)."""
    return escape_text(raw).replace('"', "&quot;").replace("'", "&#39;")


@functools.lru_cache(maxsize=65_536)
def slugify(raw: str) -> str:
    """The URL slug Stack Overflow derives from a title: lower-case words joined by `-`, <= 80
    chars."""
    words = _NOT_SLUG.sub("-", raw.lower().replace("'", "")).strip("-")
    return words[:80].rsplit("-", 1)[0] if len(words) > 80 else words


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> list[str]:
    return [options[i] for i in rng.integers(0, len(options), n)]


def topic_titles(
    rng: np.random.Generator, is_openai: np.ndarray
) -> tuple[list[str], dict[str, list[str]]]:
    """Raw (decoded) titles for topic questions, and the words used, so bodies can repeat them.

    OpenAI-family questions get API-style titles, the others model-style ones."""
    n = len(is_openai)
    slots = {
        "model": _pick(rng, vocab.MODELS, n),
        "openai": _pick(rng, vocab.OPENAI_MODELS, n),
        "task": _pick(rng, vocab.TASKS, n),
        "thing": _pick(rng, vocab.THINGS, n),
        "error": _pick(rng, vocab.ERRORS, n),
        "lib": _pick(rng, vocab.LIBS, n),
        "action": _pick(rng, vocab.ACTIONS, n),
    }
    topic_templates = _pick(rng, vocab.TOPIC_TEMPLATES, n)
    openai_templates = _pick(rng, vocab.OPENAI_TEMPLATES, n)
    titles = []
    for i in range(n):
        template = openai_templates[i] if is_openai[i] else topic_templates[i]
        titles.append(template.format(**{k: v[i] for k, v in slots.items()}))
    return titles, slots


def _qualified(title: str, context: str) -> str:
    """Append a qualifier before a closing question mark ("... in python on Windows?")."""
    if not context:
        return title
    return f"{title[:-1]} {context}?" if title.endswith("?") else f"{title} {context}"


def baseline_titles(
    rng: np.random.Generator, main_tags: list[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """Raw titles for baseline questions, mentioning their main tag, and the words used."""
    n = len(main_tags)
    templates = _pick(rng, vocab.BASELINE_TEMPLATES, n)
    things = _pick(rng, vocab.BASELINE_THINGS, n)
    contexts = _pick(rng, vocab.BASELINE_CONTEXTS, n)
    titles = [
        _qualified(templates[i].format(tag=main_tags[i], thing=things[i]), contexts[i])
        for i in range(n)
    ]
    return titles, {"tag": list(main_tags), "thing": things}


def bodies(
    rng: np.random.Generator,
    titles: list[str],
    sentences: tuple[str, ...],
    snippets: tuple[str, ...],
    fill: dict[str, list[str]],
    code_rate: float,
) -> list[str]:
    """HTML bodies: the title restated, two or three sentences, and sometimes a `<pre><code>` block.

    Args:
        rng: random source.
        titles: raw titles, one per question.
        sentences: sentence templates (may use the keys of `fill`).
        snippets: code blocks, inserted escaped.
        fill: per question, values for the sentence templates' placeholders.
        code_rate: share of bodies with a code block.
    """
    n = len(titles)
    picks = rng.integers(0, len(sentences), (n, 3))
    n_sentences = rng.integers(2, 4, n)
    has_code = rng.uniform(size=n) < code_rate
    code = rng.integers(0, len(snippets), n)
    escaped_snippets = [escape_text(snippet) for snippet in snippets]
    result = []
    for i in range(n):
        values = {k: v[i] for k, v in fill.items()}
        text = " ".join(sentences[j].format(**values) for j in picks[i, : n_sentences[i]])
        parts = [f"<p>{escape_text(titles[i])}</p>", f"<p>{escape_text(text)}</p>"]
        if has_code[i]:
            parts.append(f"<pre><code>{escaped_snippets[code[i]]}\n</code></pre>")
        result.append("\n\n".join(parts) + "\n")
    return result
