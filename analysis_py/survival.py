"""Time to an accepted answer as survival data: Kaplan–Meier curves and the log-rank test.

The paper drops questions without an accepted answer when it reports response times; here they are
right-censored at the time their data was collected (`fct_questions.collected_at`) instead, so the
74% of topic questions that never got one still count as "waited at least this long".

Both statistics work on a `SurvivalTable` (distinct times with their events and questions), built
with one sort: Kaplan–Meier with `scipy.stats.ecdf`'s estimator and log-log band (tested against
it), log-rank with `scipy.stats.logrank`'s statistic. scipy's `ecdf` builds a Python list per
observation, which dominates at a large site's baseline (benchmarks/README.md); a table also lets
topics that share a baseline subtract their own questions from one table instead of sorting again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.special
import scipy.stats
from numpy.typing import ArrayLike, NDArray

from .bootstrap import Estimate
from .validation import check_confidence, finite_array

HORIZON_MINUTES = (60, 1_440, 43_200, 525_600)
_GRID_POINTS = 150


@dataclass(frozen=True)
class SurvivalCurve:
    """Kaplan–Meier survival (probability of still having no accepted answer) on a grid, for plots.

    All arrays have one entry per grid point; `minutes` starts at 0 and is log-spaced up to the
    longest observed time, plus the horizons.
    """

    minutes: NDArray[np.float64]
    survival_probability: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    n_at_risk: NDArray[np.int64]


@dataclass(frozen=True)
class KaplanMeierResult:
    """Kaplan–Meier summary of one group.

    Attributes:
        n: Questions in the group.
        n_events: Questions whose accepted answer came before their collection.
        median: KM median minutes to an accepted answer; NaN (with NaN bounds) when the
            survival curve never falls to 0.5, i.e. fewer than half get an accepted answer.
        p_accepted_within: Horizon minutes -> probability of an accepted answer by then, 1 - S(t),
            with its log-log (Greenwood) interval.
        curve: The curve on a plotting grid.
    """

    n: int
    n_events: int
    median: Estimate
    p_accepted_within: Mapping[int, Estimate]
    curve: SurvivalCurve


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank test of equal time-to-accepted-answer distributions.

    Attributes:
        statistic: Chi-square form, z^2 (df = 1), as most software reports it.
        z: scipy's signed statistic; negative when group a gets accepted answers later than b.
        df: Degrees of freedom (1).
        p_value: Two-sided p-value.
    """

    statistic: float
    z: float
    df: int
    p_value: float


@dataclass(frozen=True)
class SurvivalTable:
    """Right-censored survival data as its distinct times, each with its events and questions.

    Attributes:
        times: Distinct observed times (minutes), ascending.
        events: Accepted answers observed at each time.
        counts: Questions observed at each time (events plus censored), >= 1.
    """

    times: NDArray[np.float64]
    events: NDArray[np.float64]
    counts: NDArray[np.float64]

    @classmethod
    def of(cls, times: ArrayLike, events: ArrayLike) -> SurvivalTable:
        """The table of `times` (minutes to the event or to censoring) and `events` (booleans)."""
        time_array, event_array = _survival_arrays(times, events, "")
        distinct, counts = _runs(np.sort(time_array))
        event_times, event_counts = _runs(np.sort(time_array[event_array]))
        at_events = np.zeros(distinct.size)
        at_events[np.searchsorted(distinct, event_times)] = event_counts
        return cls(distinct, at_events, counts)

    @property
    def n(self) -> int:
        """Questions in the table."""
        return int(self.counts.sum())

    @property
    def n_events(self) -> int:
        """Accepted answers in the table."""
        return int(self.events.sum())

    def without(self, times: ArrayLike, events: ArrayLike) -> SurvivalTable:
        """This table less some of its own observations (a topic's questions in a shared baseline).

        Raises:
            ValueError: When an observation to remove is not in the table.
        """
        time_array, event_array = _survival_arrays(times, events, "removed")
        position = np.searchsorted(self.times, time_array)
        inside = position < self.times.size
        if not (inside.all() and (self.times[position[inside]] == time_array).all()):
            raise ValueError("an observation to remove is not in the survival table")
        size = self.times.size
        counts = self.counts - np.bincount(position, minlength=size)
        events = self.events - np.bincount(position, weights=event_array, minlength=size)
        if (counts < 0).any() or (events < 0).any() or (events > counts).any():
            raise ValueError("more observations to remove than the survival table holds")
        kept = counts > 0
        return SurvivalTable(self.times[kept], events[kept], counts[kept])

    def at_risk(self, at: NDArray[np.float64]) -> NDArray[np.float64]:
        """Questions still waiting (time >= t) at each t."""
        before = np.concatenate(([0.0], np.cumsum(self.counts)))
        return self.n - before[np.searchsorted(self.times, at, side="left")]


def censor_at_collection(
    response_minutes: ArrayLike, minutes_to_collection: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Turn response times into right-censored survival data, each observed until its collection.

    A question without an accepted answer is known to have waited at least from its creation to
    the moment its data was observed (the API response's time, the dump's date); after that nothing
    is known, so that is where it is censored. A common cut-off for every question would claim a
    question collected early was watched longer than it was.

    Args:
        response_minutes: Minutes from question to accepted answer; NaN where there is none.
        minutes_to_collection: Minutes from the question's creation to its `collected_at` (>= 0).

    Returns:
        `(times, events)`: the time to the accepted answer (event), else the time to the
        collection (censored). An answer accepted after the collection cannot be in real data;
        should inconsistent data (clock skew, synthetic rows) hold one, it is censored there too.
    """
    response = np.asarray(response_minutes, dtype=np.float64)
    follow_up = finite_array(minutes_to_collection, "minutes_to_collection", non_negative=True)
    if response.shape != follow_up.shape:
        raise ValueError(
            f"response_minutes has {response.size} rows but minutes_to_collection has "
            f"{follow_up.size}"
        )
    if (response < 0).any():
        raise ValueError("response_minutes contains negative minutes")
    events = np.isfinite(response) & (response <= follow_up)
    times = np.where(events, response, follow_up)
    return times, events


def kaplan_meier(
    times: ArrayLike,
    events: ArrayLike,
    *,
    horizons: Sequence[int] = HORIZON_MINUTES,
    confidence: float = 0.95,
) -> KaplanMeierResult:
    """Kaplan–Meier estimate of the time to an accepted answer, in minutes.

    Args:
        times: Minutes to the accepted answer (event) or to censoring; >= 0.
        events: True where an accepted answer was observed.
        horizons: Minutes at which to report P(accepted answer by then); default 1 h, 1 day,
            30 days.
        confidence: Level of the pointwise log-log intervals and of the median's interval.
    """
    check_confidence(confidence)
    time_array = finite_array(times, "times", non_negative=True)
    return kaplan_meier_table(
        SurvivalTable.of(time_array, events), horizons=horizons, confidence=confidence
    )


def kaplan_meier_table(
    table: SurvivalTable,
    *,
    horizons: Sequence[int] = HORIZON_MINUTES,
    confidence: float = 0.95,
) -> KaplanMeierResult:
    """`kaplan_meier` of data already counted into a `SurvivalTable`.

    The estimator and band are `scipy.stats.ecdf`'s for right-censored data: S(t) is the product of
    (n_i - d_i) / n_i over the distinct times up to t, and the log-log ("exponential Greenwood")
    band uses Var = sum d_i / (n_i (n_i - d_i)) / log(S)^2, clipped to [0, 1]; bounds that formula
    leaves undefined (S = 1 before the first event, or S = 0) are NaN, stored as NULL.
    """
    confidence = check_confidence(confidence)
    if table.times.size == 0:
        raise ValueError("times is empty: the group has no observations")
    n = table.n
    at_risk = n - np.concatenate(([0.0], np.cumsum(table.counts)[:-1]))
    deaths = table.events
    survival = np.cumprod((at_risk - deaths) / at_risk)
    if table.n_events:
        low, high = _loglog_band(survival, at_risk, deaths, confidence)
    else:
        low = high = survival
    median = Estimate(
        _first_time_at_or_below_half(table.times, survival),
        _first_time_at_or_below_half(table.times, low),
        _first_time_at_or_below_half(table.times, high),
        n,
        "kaplan_meier",
    )
    at_horizons = np.asarray(horizons, dtype=np.float64)
    sf_h, low_h, high_h = (
        _step(table.times, values, at_horizons) for values in (survival, low, high)
    )
    within = {
        int(h): Estimate(float(1.0 - sf), float(1.0 - upper), float(1.0 - lower), n, "kaplan_meier")
        for h, sf, lower, upper in zip(horizons, sf_h, low_h, high_h, strict=True)
    }
    grid = _plot_grid(float(table.times[-1]), horizons)
    curve = SurvivalCurve(
        minutes=grid,
        survival_probability=_step(table.times, survival, grid),
        ci_low=_step(table.times, low, grid),
        ci_high=_step(table.times, high, grid),
        n_at_risk=table.at_risk(grid).astype(np.int64),
    )
    return KaplanMeierResult(n, table.n_events, median, within, curve)


def logrank_test(
    times_a: ArrayLike, events_a: ArrayLike, times_b: ArrayLike, events_b: ArrayLike
) -> LogRankResult:
    """Two-sided log-rank test that a and b share one time-to-accepted-answer distribution.

    Same statistic as `scipy.stats.logrank` (Mantel's hypergeometric variance), computed in
    float64 from sorted times: scipy 1.17 multiplies integer at-risk counts, which overflows int64
    once about two million questions are at risk and turns the statistic into NaN.
    """
    return logrank_table(
        SurvivalTable.of(*_survival_arrays(times_a, events_a, "a")),
        SurvivalTable.of(*_survival_arrays(times_b, events_b, "b")),
    )


def logrank_table(a: SurvivalTable, b: SurvivalTable) -> LogRankResult:
    """`logrank_test` of data already counted into `SurvivalTable`s."""
    event_times = np.union1d(a.times[a.events > 0], b.times[b.events > 0])
    if event_times.size == 0:
        raise ValueError("no accepted answer in either group: the log-rank test is undefined")
    at_risk_a = a.at_risk(event_times)
    at_risk = at_risk_a + b.at_risk(event_times)
    deaths = _events_at(a, event_times) + _events_at(b, event_times)
    expected_a = np.sum(at_risk_a * deaths / at_risk)
    several = at_risk > 1
    variance = np.sum(
        (at_risk_a * (at_risk - at_risk_a) * deaths * (at_risk - deaths))[several]
        / (at_risk[several] ** 2 * (at_risk[several] - 1))
    )
    z = float((a.events.sum() - expected_a) / np.sqrt(variance))
    return LogRankResult(z * z, z, 1, float(2.0 * scipy.stats.norm.sf(abs(z))))


def _events_at(table: SurvivalTable, at: NDArray[np.float64]) -> NDArray[np.float64]:
    """The table's events at each of the times `at` (0 where it has none)."""
    if table.times.size == 0:
        return np.zeros(at.size)
    position = np.minimum(np.searchsorted(table.times, at), table.times.size - 1)
    return np.where(table.times[position] == at, table.events[position], 0.0)


def _loglog_band(
    survival: NDArray[np.float64],
    at_risk: NDArray[np.float64],
    deaths: NDArray[np.float64],
    confidence: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """scipy's `EmpiricalDistributionFunction._loglog_ci` for the survival function, clipped."""
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.cumsum(deaths / (at_risk * (at_risk - deaths))) / np.log(survival) ** 2
        z_se = scipy.special.ndtri(0.5 + confidence / 2.0) * np.sqrt(variance)
        points = np.log(-np.log(survival))
        low = np.exp(-np.exp(points + z_se))
        high = np.exp(-np.exp(points - z_se))
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)


def _step(
    times: NDArray[np.float64], values: NDArray[np.float64], at: NDArray[np.float64]
) -> NDArray[np.float64]:
    """A survival step function (`values` from each of `times` on, 1 before the first) at `at`."""
    position = np.searchsorted(times, at, side="right") - 1
    return np.where(position >= 0, values[np.maximum(position, 0)], 1.0)


def _survival_arrays(
    times: ArrayLike, events: ArrayLike, label: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    suffix = f"_{label}" if label else ""
    time_array = finite_array(times, f"times{suffix}", non_negative=True)
    event_array = np.asarray(events, dtype=bool)
    if event_array.shape != time_array.shape:
        raise ValueError(
            f"times{suffix} has {time_array.size} rows but events{suffix} has {event_array.size}"
        )
    return time_array, event_array


def _runs(ordered: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The distinct values of a sorted array and how often each occurs."""
    if not ordered.size:
        return ordered, np.zeros(0)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.diff(np.r_[starts, ordered.size]).astype(np.float64)


def _first_time_at_or_below_half(quantiles: NDArray[np.float64], probabilities: ArrayLike) -> float:
    """Smallest time at which a survival curve reaches 0.5 or less; NaN if it never does."""
    below = np.flatnonzero(np.asarray(probabilities) <= 0.5)
    return float(quantiles[below[0]]) if below.size else float("nan")


def _plot_grid(longest: float, horizons: Sequence[int]) -> NDArray[np.float64]:
    """0, whole minutes log-spaced up to `longest`, and the horizons that fall inside."""
    points = [np.zeros(1), np.asarray([h for h in horizons if h <= longest], dtype=np.float64)]
    if longest >= 1:
        points.append(np.round(np.geomspace(1.0, longest, _GRID_POINTS)))
    return np.unique(np.concatenate(points))
