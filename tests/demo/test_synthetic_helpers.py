"""The synthetic generator's building blocks: exact apportioning, stratified draws, text
encoding."""

from __future__ import annotations

import numpy as np
import pytest

from demo.synthetic import outcomes
from demo.synthetic.id_space import post_ids
from demo.synthetic.sampling import apportion, stratified_normal
from demo.synthetic.text import encode_title, slugify


def test_apportion_splits_exactly_and_respects_caps() -> None:
    parts = apportion(10, np.array([1.0, 1.0, 1.0]))
    assert parts.sum() == 10 and sorted(parts.tolist()) == [3, 3, 4]
    capped = apportion(10, np.array([5.0, 1.0, 0.0]), caps=np.array([4, 10, 10]))
    assert capped.tolist()[0] == 4 and capped.sum() == 10
    with pytest.raises(ValueError, match="cannot split"):
        apportion(5, np.array([1.0]), caps=np.array([4]))


def test_stratified_normal_has_tight_quantiles() -> None:
    draws = stratified_normal(np.random.default_rng(0), 1_000)
    assert abs(np.median(draws)) < 0.01
    assert abs(draws.std() - 1) < 0.02


def test_response_minutes_hit_median_and_mean_exactly() -> None:
    minutes = outcomes.response_minutes(np.random.default_rng(0), 1_500, "topic")
    assert np.median(minutes) == pytest.approx(851, rel=0.01)
    assert minutes.mean() == pytest.approx(22_676, rel=0.01)


def test_fit_under_caps_keeps_every_value() -> None:
    rng = np.random.default_rng(0)
    values = rng.uniform(0, 100, 500)
    caps = np.where(np.arange(500) < 10, 10.0, 1_000.0)
    fitted = outcomes.fit_under_caps(rng, values, caps)
    assert (fitted <= caps).all()
    assert sorted(fitted.tolist()) == sorted(values.tolist())


def test_accepted_by_group_gives_exact_counts() -> None:
    group = np.repeat([0, 1], [1000, 300])
    strata = np.arange(1300) % 7
    accepted = outcomes.accepted_by_group(
        np.random.default_rng(0), group, np.array([0.7, 0.5]), strata
    )
    assert accepted[:1000].sum() == 300 and accepted[1000:].sum() == 150


def test_post_ids_are_strictly_increasing_even_for_ties() -> None:
    created = np.array([1_600_000_000, 1_600_000_000, 1_500_000_000, 1_600_000_001])
    ids = post_ids(created)
    assert len(set(ids.tolist())) == 4
    assert ids[2] < ids[0] < ids[1] < ids[3]


def test_titles_are_encoded_like_the_api() -> None:
    assert (
        encode_title('Can\'t use "<mask>" & pad')
        == "Can&#39;t use &quot;&lt;mask&gt;&quot; &amp; pad"
    )
    assert (
        slugify("What's the C# way to use <script> tags?") == "whats-the-c-way-to-use-script-tags"
    )
    assert len(slugify("word " * 40)) <= 80
