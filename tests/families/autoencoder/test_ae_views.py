"""What the autoencoder's views show before, during and after a run, as a person sees them:
a sentence instead of empty axes, errors reaching the view that was not in front, digits'
errors not scored as if a digit's label said "anomalous", and the numbers behind the
reconstructions exported."""

from __future__ import annotations

import os

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _digits_run():
    from seqlab.core.registry import get_family, lessons

    spec = lessons()["autoencoder-digits"].specs()[0][1]
    return spec, get_family("autoencoder").build(spec)


def test_the_anomaly_view_says_what_it_will_show_until_errors_arrive(qtbot):
    from seqlab.families.autoencoder.ui.views.anomaly_view import AnomalyView

    v = AnomalyView()
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.show()
    assert v.waiting.isVisible() and not v.glw.isVisible() and "Start" in v.waiting.text()
    errors = np.r_[np.full(90, 0.1), np.full(10, 2.0)]
    v.set_errors({"ae": errors, "labels": np.r_[np.zeros(90, int), np.ones(10, int)], "anomaly": True,
                  "threshold": 0.5, "signal": np.zeros(1000, np.float32), "starts": np.arange(100) * 10,
                  "window": 10})
    assert v.glw.isVisible() and not v.waiting.isVisible() and v.signal_plot.isVisible()
    v.reset()                                     # a new run: back to the sentence
    assert v.waiting.isVisible()


def test_digits_errors_are_a_histogram_of_samples_not_scored_against_digit_labels(qtbot):
    from seqlab.families.autoencoder.ui.views.anomaly_view import AnomalyView

    v = AnomalyView()
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.show()
    labels = np.arange(100) % 10                   # digit labels: 1 is the digit one, not "anomalous"
    v.set_errors({"ae": np.linspace(0.01, 0.1, 100), "labels": labels, "anomaly": False, "threshold": 0.05})
    assert not v.signal_plot.isVisible()           # no signal: the histogram has the whole height
    qtbot.wait(50)
    assert v.hist.getViewBox().height() > 0.7 * v.glw.height()
    assert "precision" not in v.stats.text() and "samples" in v.stats.text()
    assert "anomalous" not in v.curves()
    assert not v.hist.legend.isVisible()


def test_errors_reach_the_view_that_was_not_in_front_when_it_is_shown_after_the_run(window, qtbot):
    w = window
    w.open_lesson("autoencoder-digits")
    w.show()
    ws = w.workspace
    spec, tr = _digits_run()
    ws.on_run_started(1, {**tr.describe(), "spec": spec.to_dict()})
    w._select_view("baseline")
    ws.on_snapshot(1, "errors", tr.snapshot("errors", {}))
    ws.flush()
    assert ws.baseline.ae is not None and not ws.anomaly.has_errors()     # drawn only in front
    w._select_view("anomaly")                      # no run sends more: the view catches up
    assert ws.anomaly.has_errors() and ws.anomaly.glw.isVisible()


def test_the_reconstructions_export_their_numbers_and_keep_the_key_out_of_the_plots(window, qtbot):
    from seqlab.core.registry import get_family, lessons

    w = window
    w.open_lesson("anomaly-heartbeat")
    w.show()
    ws = w.workspace
    spec = lessons()["anomaly-heartbeat"].specs()[0][1]
    tr = get_family("autoencoder").build(spec)
    w._select_view("reconstructions")
    ws.on_snapshot(1, "reconstructions", tr.snapshot("reconstructions", {}))
    ws.flush()
    cols = w.workspace.curves("reconstructions")     # a list attribute once hid this method
    assert cols and all(isinstance(v, np.ndarray) for v in cols.values())
    view = ws.reconstructions
    assert view.key.isVisible() and "autoencoder" in view.key.text() and "PCA" in view.key.text()
    assert all(p.legend is None for p in view.plots)   # no legend over the curves


def test_the_latent_key_names_each_label_above_the_plots_not_over_the_dots(qtbot):
    from seqlab.families.autoencoder.ui.views.latent_view import LatentView

    spec, tr = _digits_run()
    v = LatentView()
    qtbot.addWidget(v)
    v.resize(900, 500)
    v.show()
    assert not v.key.isVisible() and v.decoded_hint.isVisible()     # before data: the click hint
    v.set_latent(tr.snapshot("latent", {}))
    assert v.key.isVisible() and all(f"&nbsp;{d}" in v.key.text() for d in "0123456789")
    assert v.plot.legend is None                    # nothing drawn over the scatter
    assert v.key.geometry().bottom() <= v.glw.geometry().top()
    v.set_latent(tr.snapshot("latent", {"decode": [0.0, 0.0]}))
    assert not v.decoded_hint.isVisible() and v.last_decoded.shape == (8, 8)


def test_the_curve_reconstructions_share_one_steady_range_that_holds_every_curve(qtbot):
    # The small plots no longer autorange each curve (laying out 12 axes at every redraw was
    # most of a 30-ms redraw): one y range for all, kept while the data fit it, moved when
    # they leave it. Nothing may fall outside its plot.
    from seqlab.families.autoencoder.ui.views.recon_view import ReconstructionView

    v = ReconstructionView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    rng = np.random.default_rng(0)

    def feed(scale: float) -> dict:
        d = {"kind": "curve", "denoising": False, "targets": None, "labels": ["normal"] * 4,
             **{k: (scale * rng.normal(size=(4, 100))).astype(np.float32) for k in ("inputs", "outputs", "pca")}}
        v.set_reconstructions(d)
        return d

    def ranges():
        return [tuple(round(x, 6) for x in p.getViewBox().viewRange()[1]) for p in v.plots]

    def holds(d) -> bool:
        lo, hi = v.plots[0].getViewBox().viewRange()[1]
        return all(lo <= float(np.min(d[k])) and float(np.max(d[k])) <= hi for k in ("inputs", "outputs", "pca"))

    d = feed(1.0)
    first = ranges()
    assert len(set(first)) == 1 and holds(d)
    for _ in range(5):                   # the same spread: the axes stay as they were
        d = feed(0.9)
        if holds(d):
            assert ranges() == first
    d = feed(3.0)                        # the curves grow: the range follows, for every plot
    assert holds(d) and len(set(ranges())) == 1 and ranges() != first
    d = feed(0.5)                        # they shrink to a fraction: it closes in again
    assert holds(d) and ranges()[0][1] - ranges()[0][0] < first[0][1] - first[0][0]
