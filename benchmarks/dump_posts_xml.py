"""Write a synthetic Stack Exchange `Posts.xml` with the real dump's attribute set, for benchmarks.

The file looks like the official dump (one `<row .../>` per line, ids and dates ascending, every
post with a `Body`), so the loader is timed on realistic bytes per post. Every random draw of a
chunk of rows is one numpy call, so 2.4 million posts (~3.3 GB) take about a minute rather than
the quarter of an hour of a draw-per-attribute generator. Usage:

    python -m benchmarks.dump_posts_xml OUT.xml[.gz] --rows 2000000 [--tag-format pipe]
"""

from __future__ import annotations

import argparse
import gzip
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

WINDOW_START = datetime(2018, 1, 1, tzinfo=UTC)
WINDOW_END = datetime(2023, 6, 15, 23, 59, 59, tzinfo=UTC)
TAGS = [f"tag-{i}" for i in range(2000)] + ["python", "javascript", "huggingface-transformers"]
QUESTION_SHARE = 0.42  # Stack Overflow: about 24M questions among 58M posts
ACCEPTED_SHARE = 0.45
# Only a question followed by an answer can have that answer accepted (the accepted answer is the
# next post): the acceptance probability is raised so ACCEPTED_SHARE of all questions get one.
_ACCEPT_PROBABILITY = ACCEPTED_SHARE / (1 - QUESTION_SHARE)
BODY_POOL = 512
TAG_POOL = 8192  # distinct tag lists drawn once; each question takes one at random
PARENT_WINDOW = 1000  # a non-accepted answer answers one of the last this-many questions
CHUNK_ROWS = 100_000
BODY_WORDS = ("the", "model", "returns", "a", "tensor", "of", "shape", "when", "I", "call", "fine")
# The title's escaped form with `{}` where the post id goes (digits need no escaping).
_TITLE_TEMPLATE = quoteattr("How do I use model {} with a <b> & \"quoted\" 'input'?")


def _body(rng: random.Random, body_chars: int) -> str:
    """An HTML body of about `body_chars` characters (escaped again as an attribute value)."""
    words = rng.choices(BODY_WORDS, k=max(1, body_chars // 5))
    return "<p>" + " ".join(words) + "</p>\n<pre><code>x = f(a < b && c > d)</code></pre>\n"


def _tags(rng: random.Random, tag_format: str) -> str:
    """One to five distinct tags, in the `<a><b>` or `|a|b|` format."""
    chosen = rng.sample(TAGS, rng.randint(1, 5))
    if tag_format == "pipe":
        return "|" + "|".join(chosen) + "|"
    return "".join(f"<{tag}>" for tag in chosen)


def _iso(epoch_ms: np.ndarray) -> list[str]:
    """Epoch milliseconds as the dump writes dates: ISO 8601 with milliseconds, no zone (UTC)."""
    return np.datetime_as_string(epoch_ms.astype("datetime64[ms]"), unit="ms").tolist()


def _post_kinds(rows: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which posts are questions, and each post's parent question (0-based index, -1 for questions).

    The first post is a question. A question followed by an answer gets that answer accepted with
    `_ACCEPT_PROBABILITY`; every other answer answers one of the last PARENT_WINDOW questions.

    Returns:
        (is_question bool array, parent question index per post or -1, accepted answer index
        per post or -1).
    """
    is_question = rng.random(rows) < QUESTION_SHARE
    is_question[0] = True
    question_index = np.flatnonzero(is_question)
    # Number of questions up to and including each post; the latest question is that minus one.
    seen = np.cumsum(is_question)
    offset = np.minimum(rng.integers(0, PARENT_WINDOW, rows), seen - 1)
    parent = np.where(is_question, -1, question_index[seen - 1 - offset])
    accepted = np.full(rows, -1)
    next_is_answer = np.zeros(rows, dtype=bool)
    next_is_answer[:-1] = is_question[:-1] & ~is_question[1:]
    takes = next_is_answer & (rng.random(rows) < _ACCEPT_PROBABILITY)
    accepting = np.flatnonzero(takes)
    accepted[accepting] = accepting + 1
    parent[accepting + 1] = accepting
    return is_question, parent, accepted


def generate_rows(
    rows: int,
    *,
    seed: int = 7,
    body_chars: int = 1000,
    tag_format: str = "angle",
    start: datetime = WINDOW_START,
    end: datetime = WINDOW_END,
) -> Iterator[str]:
    """Yield the `<row .../>` lines of a synthetic dump, in chunks drawn with numpy.

    Args:
        rows: number of posts (questions and answers together).
        seed: random seed; the same seed gives the same file.
        body_chars: approximate body length in characters (Stack Overflow's mean: 1,000-1,500).
        tag_format: `angle` (`<a><b>`) or `pipe` (`|a|b|`).
        start: creation date of the first post.
        end: creation date of the last post.

    Yields:
        One line per post, without the trailing newline.
    """
    if rows <= 0:
        return
    pools = random.Random(seed)
    # Pools of escaped bodies and tag lists drawn once: building them per row made generation slow.
    bodies = [quoteattr(_body(pools, body_chars)) for _ in range(BODY_POOL)]
    tag_lists = [quoteattr(_tags(pools, tag_format)) for _ in range(TAG_POOL)]
    rng = np.random.default_rng(seed)
    is_question, parent, accepted = _post_kinds(rows, rng)
    first_ms, last_ms = int(start.timestamp() * 1000), int(end.timestamp() * 1000)
    created_all = np.linspace(first_ms, last_ms, rows, dtype=np.int64)
    for chunk_start in range(0, rows, CHUNK_ROWS):
        chunk = slice(chunk_start, min(chunk_start + CHUNK_ROWS, rows))
        n = chunk.stop - chunk.start
        created = created_all[chunk]
        columns = zip(
            range(chunk.start + 1, chunk.stop + 1),
            is_question[chunk].tolist(),
            (parent[chunk] + 1).tolist(),
            (accepted[chunk] + 1).tolist(),
            _iso(created),
            _iso(created + rng.integers(0, 10**10, n)),
            rng.integers(-3, 41, n).tolist(),
            rng.integers(0, BODY_POOL, n).tolist(),
            rng.integers(1, 10**7 + 1, n).tolist(),
            rng.integers(0, 10, n).tolist(),
            rng.integers(1, 5001, n).tolist(),
            rng.integers(0, TAG_POOL, n).tolist(),
            rng.integers(0, 5, n).tolist(),
            rng.integers(0, 4, n).tolist(),
            strict=True,
        )
        for (
            post_id,
            question,
            parent_id,
            accepted_id,
            created_text,
            activity_text,
            score,
            body,
            owner,
            comments,
            views,
            tags,
            answers,
            favorites,
        ) in columns:
            common = (
                f'CreationDate="{created_text}" Score="{score}" Body={bodies[body]} '
                f'OwnerUserId="{owner}" LastActivityDate="{activity_text}" '
                f'CommentCount="{comments}" ContentLicense="CC BY-SA 4.0"'
            )
            if question:
                accepted_attr = f' AcceptedAnswerId="{accepted_id}"' if accepted_id else ""
                yield (
                    f'  <row Id="{post_id}" PostTypeId="1"{accepted_attr} {common} '
                    f'ViewCount="{views}" Title={_TITLE_TEMPLATE.format(post_id)} '
                    f'Tags={tag_lists[tags]} AnswerCount="{answers}" '
                    f'FavoriteCount="{favorites}" />'
                )
            else:
                yield f'  <row Id="{post_id}" PostTypeId="2" ParentId="{parent_id}" {common} />'


def write_posts_xml(path: Path, rows: int, **options: object) -> Path:
    """Write a synthetic `Posts.xml` (gzip when the name ends in `.gz`) and return its path.

    Args:
        path: output file; `.gz` suffix writes gzip (level 1, for speed).
        rows: number of posts.
        **options: passed to `generate_rows` (seed, body_chars, tag_format, start, end).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    options_gz = {"compresslevel": 1} if path.suffix == ".gz" else {}
    with opener(path, "wt", encoding="utf-8", **options_gz) as handle:  # type: ignore[operator]
        handle.write('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        lines: list[str] = []
        for line in generate_rows(rows, **options):  # type: ignore[arg-type]
            lines.append(line)
            if len(lines) == CHUNK_ROWS:
                handle.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            handle.write("\n".join(lines) + "\n")
        handle.write("</posts>\n")
    return path


def main() -> None:
    """Command line: write a synthetic dump file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--body-chars", type=int, default=1000)
    parser.add_argument("--tag-format", choices=["angle", "pipe"], default="angle")
    args = parser.parse_args()
    write_posts_xml(
        args.out, args.rows, seed=args.seed, body_chars=args.body_chars, tag_format=args.tag_format
    )


if __name__ == "__main__":
    main()
