"""A pool of synthetic Stack Overflow users, rendered as the API's `owner` objects."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import calibration as cal
from . import vocabulary as vocab
from .text import slugify

Owner = dict[str, Any]


def user_pool(rng: np.random.Generator, size: int) -> list[Owner]:
    """`size` distinct registered users with heavy-tailed reputation and the API's owner fields."""
    user_ids = np.sort(rng.choice(np.arange(1_000, 22_000_000), size=size, replace=False))
    account_ids = user_ids + rng.integers(500_000, 6_000_000, size)
    reputation = np.maximum(1, np.round(np.exp(rng.normal(4.0, 2.2, size)))).astype(np.int64)
    first = rng.integers(0, len(vocab.FIRST_NAMES), size)
    handle = rng.integers(0, len(vocab.HANDLE_WORDS), size)
    style = rng.integers(0, 3, size)
    initials = rng.integers(0, 26, size)
    digests = rng.bytes(16 * size).hex()
    owners = []
    for i in range(size):
        if style[i] == 0:
            name = f"user{user_ids[i]}"
        elif style[i] == 1:
            name = f"{vocab.FIRST_NAMES[first[i]]} {chr(65 + int(initials[i]))}."
        else:
            word, first_name = vocab.HANDLE_WORDS[handle[i]], vocab.FIRST_NAMES[first[i]].lower()
            name = f"{word}_{first_name}{user_ids[i] % 97}"
        digest = digests[32 * i : 32 * (i + 1)]
        owners.append(
            {
                "account_id": int(account_ids[i]),
                "reputation": int(reputation[i]),
                "user_id": int(user_ids[i]),
                "user_type": "registered",
                "profile_image": f"https://www.gravatar.com/avatar/{digest}?s=256&d=identicon&r=PG",
                "display_name": name,
                "link": f"https://stackoverflow.com/users/{user_ids[i]}/{slugify(name)}",
            }
        )
    return owners


def pick_owners(rng: np.random.Generator, pool: list[Owner], n: int) -> list[Owner]:
    """n owners from the pool (some users post often); about 1% are deleted users without an id."""
    weights = 1.0 / rng.permutation(np.arange(1, len(pool) + 1)) ** 0.6
    picks = rng.choice(len(pool), size=n, p=weights / weights.sum())
    deleted = rng.uniform(size=n) < cal.DELETED_OWNER_RATE
    return [
        {"user_type": "does_not_exist", "display_name": f"user{1_000_000 + int(picks[i])}"}
        if deleted[i]
        else dict(pool[picks[i]])
        for i in range(n)
    ]
