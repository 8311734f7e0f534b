"""The anomaly view draws the long validation signal as a per-slice envelope (a few thousand
points instead of every sample): nothing a reader would look for may disappear from it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seqlab.families.autoencoder.ui.views.anomaly_view import envelope


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 30_000), spike=st.floats(0, 1), bins=st.integers(10, 3000))
def test_envelope_keeps_every_extreme_and_the_time_axis(n, spike, bins):
    rng = np.random.default_rng(n)
    y = rng.normal(size=n)
    at = int(spike * (n - 1))
    y[at] = 50.0                                  # one premature beat among thousands
    x, e = envelope(y, bins)
    assert len(x) == len(e) <= max(n, 2 * bins)
    assert e.max() == 50.0 and e.min() == y.min()
    assert np.all(np.diff(x) >= 0) and x[0] == 0 and x[-1] <= n - 1
    # the spike is drawn where it is: within one slice of its sample
    where = x[np.argmax(e)]
    assert abs(where - at) <= max(1, -(-n // bins))


def test_a_one_sample_flagged_span_stays_visible():
    mask = np.zeros(18_000)
    mask[12_345] = 1.0
    _, e = envelope(mask, 2000)
    assert e.max() == 1.0
