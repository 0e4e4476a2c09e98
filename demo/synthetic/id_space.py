"""Post ids from creation times: one increasing sequence shared by questions and answers.

Stack Overflow numbers questions and answers from one counter, so ids grow with creation time and
some ids of a range belong to no post the sample holds (deleted posts). Random ids drawn in the
window's range therefore hit a question, an answer or nothing, as on the real site; the id space is
compressed (`calibration.POST_ID_SPAN_IN_WINDOW`) so those shares are the site's.
"""

from __future__ import annotations

import numpy as np

from . import calibration as cal

_ANCHOR_SECONDS = np.array([int(at.timestamp()) for at, _ in cal.POST_ID_ANCHORS], dtype=float)
_ANCHOR_IDS = np.array([post_id for _, post_id in cal.POST_ID_ANCHORS], dtype=float)


def post_ids(created: np.ndarray) -> np.ndarray:
    """Unique post ids, increasing with creation time (epoch seconds), following Stack Overflow's
    rate.

    Ties and near-ties are pushed apart by one, so the order of ids is the order of `created`
    (stable)."""
    order = np.argsort(created, kind="stable")
    approx = np.interp(created[order], _ANCHOR_SECONDS, _ANCHOR_IDS).astype(np.int64)
    rank = np.arange(len(order))
    strictly_increasing = np.maximum.accumulate(approx - rank) + rank
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = strictly_increasing
    return ids
