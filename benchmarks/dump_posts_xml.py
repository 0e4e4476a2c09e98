"""Write a synthetic Stack Exchange `Posts.xml` with the real dump's attribute set, for benchmarks.

The file looks like the official dump (one `<row .../>` per line, ids and dates ascending, every
post with a `Body`), so the loader is timed on realistic bytes per post. Usage:

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

WINDOW_START = datetime(2018, 1, 1, tzinfo=UTC)
WINDOW_END = datetime(2023, 6, 15, 23, 59, 59, tzinfo=UTC)
TAGS = [f"tag-{i}" for i in range(2000)] + ["python", "javascript", "huggingface-transformers"]
QUESTION_SHARE = 0.42  # Stack Overflow: about 24M questions among 58M posts
ACCEPTED_SHARE = 0.45
# Accepted answers are reserved ahead, so a free slot becomes a question with a higher probability
# than QUESTION_SHARE for questions to end up QUESTION_SHARE of all posts.
_QUESTION_PROBABILITY = QUESTION_SHARE / (1 - ACCEPTED_SHARE * QUESTION_SHARE)
BODY_POOL = 512
BODY_WORDS = ("the", "model", "returns", "a", "tensor", "of", "shape", "when", "I", "call", "fine")


def _iso(epoch: float) -> str:
    """Format epoch seconds as the dump does: ISO 8601 with milliseconds, no zone (UTC)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _body(rng: random.Random, body_chars: int) -> str:
    """An HTML body of about `body_chars` characters (escaped again as an attribute value)."""
    words = rng.choices(BODY_WORDS, k=max(1, body_chars // 5))
    return "<p>" + " ".join(words) + "</p>\n<pre><code>x = f(a < b && c > d)</code></pre>\n"


def _tags(rng: random.Random, tag_format: str) -> str:
    """One to five tags, in the `<a><b>` or `|a|b|` format."""
    chosen = rng.sample(TAGS, rng.randint(1, 5))
    if tag_format == "pipe":
        return "|" + "|".join(chosen) + "|"
    return "".join(f"<{tag}>" for tag in chosen)


def generate_rows(
    rows: int,
    *,
    seed: int = 7,
    body_chars: int = 1000,
    tag_format: str = "angle",
    start: datetime = WINDOW_START,
    end: datetime = WINDOW_END,
) -> Iterator[str]:
    """Yield the `<row .../>` lines of a synthetic dump.

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
    rng = random.Random(seed)
    # A pool of escaped bodies drawn once: building a 1 kB body per row made generation slow.
    bodies = [quoteattr(_body(rng, body_chars)) for _ in range(BODY_POOL)]
    first, last = start.timestamp(), end.timestamp()
    step = (last - first) / max(rows, 1)
    open_questions: list[int] = []
    accepted_parent: dict[int, int] = {}  # future accepted answer id -> its question id
    for post_id in range(1, rows + 1):
        created = first + (post_id - 1) * step
        common = (
            f'CreationDate="{_iso(created)}" Score="{rng.randint(-3, 40)}" '
            f'Body={rng.choice(bodies)} OwnerUserId="{rng.randint(1, 10**7)}" '
            f'LastActivityDate="{_iso(created + rng.randint(0, 10**7))}" '
            f'CommentCount="{rng.randint(0, 9)}" ContentLicense="CC BY-SA 4.0"'
        )
        parent = accepted_parent.pop(post_id, None)
        if parent is None and (not open_questions or rng.random() < _QUESTION_PROBABILITY):
            accepted_attr = ""
            future = post_id + rng.randint(1, 50)
            if rng.random() < ACCEPTED_SHARE and future <= rows and future not in accepted_parent:
                # AcceptedAnswerId points forward, to an answer written later in the file.
                accepted_parent[future] = post_id
                accepted_attr = f' AcceptedAnswerId="{future}"'
            title = f"How do I use model {post_id} with a <b> & \"quoted\" 'input'?"
            yield (
                f'  <row Id="{post_id}" PostTypeId="1"{accepted_attr} {common} '
                f'ViewCount="{rng.randint(1, 5000)}" Title={quoteattr(title)} '
                f'Tags={quoteattr(_tags(rng, tag_format))} AnswerCount="{rng.randint(0, 4)}" '
                f'FavoriteCount="{rng.randint(0, 3)}" />'
            )
            open_questions.append(post_id)
            if len(open_questions) > 2000:
                del open_questions[:1000]
        else:
            parent = parent if parent is not None else rng.choice(open_questions)
            yield f'  <row Id="{post_id}" PostTypeId="2" ParentId="{parent}" {common} />'


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
        for line in generate_rows(rows, **options):  # type: ignore[arg-type]
            handle.write(line + "\n")
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
