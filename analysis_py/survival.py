"""Time to an accepted answer as survival data: Kaplan–Meier curves and the log-rank test.

The paper drops questions without an accepted answer when it reports response times; here they are
right-censored at the time their data was collected (`fct_questions.collected_at`) instead, so the
74% of topic questions that never got one still count as "waited at least this long". Built on
`scipy.stats.ecdf` (with `CensoredData`) and `scipy.stats.logrank`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
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
    confidence = check_confidence(confidence)
    time_array = finite_array(times, "times", non_negative=True)
    event_array = np.asarray(events, dtype=bool)
    if event_array.shape != time_array.shape:
        raise ValueError(f"times has {time_array.size} rows but events has {event_array.size}")
    fit = scipy.stats.ecdf(
        scipy.stats.CensoredData(uncensored=time_array[event_array], right=time_array[~event_array])
    )
    n_events = int(event_array.sum())
    if n_events:
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            # log-log bounds are undefined (NaN) where S(t) is exactly 0 or 1; NaN becomes NULL.
            warnings.filterwarnings("ignore", "The confidence interval is undefined")
            band = fit.sf.confidence_interval(confidence, method="log-log")
        band_low, band_high = band.low.evaluate, band.high.evaluate
    else:
        band_low = band_high = fit.sf.evaluate
    median = Estimate(
        _first_time_at_or_below_half(fit.sf.quantiles, fit.sf.probabilities),
        _first_time_at_or_below_half(fit.sf.quantiles, band_low(fit.sf.quantiles)),
        _first_time_at_or_below_half(fit.sf.quantiles, band_high(fit.sf.quantiles)),
        int(time_array.size),
        "kaplan_meier",
    )
    within = {
        int(h): Estimate(
            float(1.0 - fit.sf.evaluate(h)),
            float(1.0 - band_high(h)),
            float(1.0 - band_low(h)),
            int(time_array.size),
            "kaplan_meier",
        )
        for h in horizons
    }
    grid = _plot_grid(float(time_array.max()), horizons)
    ordered = np.sort(time_array)
    curve = SurvivalCurve(
        minutes=grid,
        survival_probability=np.asarray(fit.sf.evaluate(grid), dtype=np.float64),
        ci_low=np.asarray(band_low(grid), dtype=np.float64),
        ci_high=np.asarray(band_high(grid), dtype=np.float64),
        n_at_risk=(ordered.size - np.searchsorted(ordered, grid, side="left")).astype(np.int64),
    )
    return KaplanMeierResult(int(time_array.size), n_events, median, within, curve)


def logrank_test(
    times_a: ArrayLike, events_a: ArrayLike, times_b: ArrayLike, events_b: ArrayLike
) -> LogRankResult:
    """Two-sided log-rank test that a and b share one time-to-accepted-answer distribution.

    Same statistic as `scipy.stats.logrank` (Mantel's hypergeometric variance), computed in
    float64 from sorted times: scipy 1.17 multiplies integer at-risk counts, which overflows int64
    once about two million questions are at risk and turns the statistic into NaN.
    """
    time_a, event_a = _survival_arrays(times_a, events_a, "a")
    time_b, event_b = _survival_arrays(times_b, events_b, "b")
    event_times, deaths = np.unique(
        np.concatenate([time_a[event_a], time_b[event_b]]), return_counts=True
    )
    if event_times.size == 0:
        raise ValueError("no accepted answer in either group: the log-rank test is undefined")
    at_risk_a = _at_risk(time_a, event_times)
    at_risk = at_risk_a + _at_risk(time_b, event_times)
    deaths = deaths.astype(np.float64)
    expected_a = np.sum(at_risk_a * deaths / at_risk)
    several = at_risk > 1
    variance = np.sum(
        (at_risk_a * (at_risk - at_risk_a) * deaths * (at_risk - deaths))[several]
        / (at_risk[several] ** 2 * (at_risk[several] - 1))
    )
    z = float((event_a.sum() - expected_a) / np.sqrt(variance))
    return LogRankResult(z * z, z, 1, float(2.0 * scipy.stats.norm.sf(abs(z))))


def _survival_arrays(
    times: ArrayLike, events: ArrayLike, label: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    time_array = finite_array(times, f"times_{label}", non_negative=True)
    event_array = np.asarray(events, dtype=bool)
    if event_array.shape != time_array.shape:
        raise ValueError(f"times_{label} and events_{label} differ in length")
    return time_array, event_array


def _at_risk(times: NDArray[np.float64], at: NDArray[np.float64]) -> NDArray[np.float64]:
    """Number of questions still waiting (time >= t) at each t, as float64."""
    ordered = np.sort(times)
    return (ordered.size - np.searchsorted(ordered, at, side="left")).astype(np.float64)


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
