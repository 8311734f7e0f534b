"""The Loss view as a teacher shows it, on every screen: the vanishing-gradient lesson's two runs
(a vanilla RNN at chance, then an LSTM that learns), with accuracy, at 1280x720, 1600x1000 and
1920x1080, in a normal window and in presentation mode.

The accuracy plot keeps a readable height (its axis title whole, its tick labels a line apart,
'0' and '1' written), the run table is as tall as its rows, the legend shows only when it
names something and never lies over a curve (nor does the 'trivial predictor' label), and the
Gradients view's clipping legend keeps off its curves too.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPointF, QRectF  # noqa: E402
from PySide6.QtGui import QFontMetricsF  # noqa: E402

from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from seqlab.ui.views.loss_view import LossView  # noqa: E402

SCREENS = [(1280, 720), (1600, 1000), (1920, 1080)]


def lesson_runs(v: LossView, seed: int = 0) -> None:
    """Curves shaped like the vanishing-gradient lesson's: the RNN stays at chance (ln 8), the
    LSTM falls by decades, spikes once and ends near 0.006, its accuracy climbing to 1."""
    rng = np.random.default_rng(seed)
    v.start_run("1", "vanilla RNN, lag 200", {"cell": "rnn", "parameters": 1768, "baseline_loss": 2.0794})
    v.add_rows("1", [{"step": s, "train_loss": 2.07 + 0.01 * rng.normal(), "train_acc": 0.12 + 0.04 * rng.random(),
                      "steps_per_s": 93.0} for s in range(20, 801, 20)])
    for s in range(44, 801, 44):
        v.add_validation("1", s, {"val_loss": 2.085 + 0.004 * rng.random(), "val_acc": 0.13 + 0.01 * rng.random()})
    v.finish_run("1", {"stop_reason": "max_steps"})
    v.start_run("2", "LSTM, lag 200", {"cell": "lstm", "parameters": 6280, "baseline_loss": 2.0794})

    def loss(s):
        if 520 <= s <= 545:
            return 1.7
        if s < 500:
            return 0.18 + 1.9 / (1 + np.exp((s - 180) / 30))
        return 0.006 + 0.1 * rng.random() * (s > 650) + 0.02

    v.add_rows("2", [{"step": s, "train_loss": loss(s), "train_acc": min(1.0, 0.12 + max(0, s - 100) / 200),
                      "steps_per_s": 89.0} for s in range(20, 801, 10)])
    for s in range(44, 801, 44):
        v.add_validation("2", s, {"val_loss": loss(s) * 0.9, "val_acc": min(1.0, 0.13 + max(0, s - 100) / 210)})
    v.finish_run("2", {"stop_reason": "max_steps"})


def scene_points(plot, items) -> np.ndarray:
    """The scene positions of the points of the visible curves, segments sampled between them."""
    vb = plot.getViewBox()
    out = []
    for it in items:
        if not it.isVisible():
            continue
        x, y = it.getData()
        if x is None or not len(x):
            continue
        xi = np.linspace(x[0], x[-1], 600)
        yi = np.interp(xi, x, y)
        for a, b in zip(xi, yi):
            p = vb.mapViewToScene(QPointF(float(a), float(b)))
            out.append((p.x(), p.y()))
    return np.asarray(out).reshape(-1, 2)


def covered(rect: QRectF, pts: np.ndarray, pad: float = 2.0) -> int:
    r = rect.adjusted(-pad, -pad, pad, pad)
    return int(np.count_nonzero((pts[:, 0] >= r.left()) & (pts[:, 0] <= r.right())
                                & (pts[:, 1] >= r.top()) & (pts[:, 1] <= r.bottom())))


def loss_curves(v: LossView) -> list:
    return [it for rid in v.run_ids() for k, it in v.items_of(rid).items() if "acc" not in k]


@pytest.fixture
def window(qtbot, tmp_path):
    made = []

    def make(size, presentation: bool) -> MainWindow:
        w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / f"s{len(made)}.ini"))), theme=ThemeManager())
        qtbot.addWidget(w)
        made.append(w)
        w.open_lesson("vanishing-gradient")
        w.show()
        if presentation:
            w.toggle_presentation(True)
            w.showNormal()             # the offscreen screen stands in for a full screen of this size
        w.resize(*size)
        w._select_view("loss")
        lesson_runs(w.loss_view)
        qtbot.wait(80)
        w.loss_view.refresh()
        qtbot.wait(30)
        return w

    yield make
    for w in made:
        if w.tm.presentation:
            w.toggle_presentation(False)
        w.close()


@pytest.mark.parametrize("size", SCREENS)
@pytest.mark.parametrize("presentation", [False, True])
def test_the_accuracy_plot_reads_whole_on_every_screen(window, size, presentation):
    # In presentation mode the accuracy strip was 10 px tall at 1280x720 (its axis title read
    # "accur") and 98 px at 1920x1080, where 0.2, 0.4, 0.6 and 0.8 lay on top of each other.
    w = window(size, presentation)
    v = w.loss_view
    acc_vb = v.acc_plot.getViewBox()
    axis = v.acc_plot.getAxis("left")
    h = acc_vb.height()
    title = QFontMetricsF(w.tm.font("label")).horizontalAdvance("accuracy")
    assert v.acc_widget.isVisible()
    assert title + 4 <= h, f"the axis title needs {title:.0f} px, the plot is {h:.0f} px tall"
    line = QFontMetricsF(axis.style.get("tickFont") or axis.font()).height()
    lo, hi = acc_vb.viewRange()[1]
    for spacing, _offset in axis.tickSpacing(lo, hi, h):
        gap = spacing * h / (hi - lo)
        assert gap >= line, f"ticks every {spacing:g} are {gap:.0f} px apart, a line of text is {line:.0f}"
    # '0' and '1' stand inside the plot, so pyqtgraph writes them
    assert (0 - lo) * h / (hi - lo) >= 0.4 * line and (hi - 1) * h / (hi - lo) >= 0.4 * line
    loss_h = v.loss_plot.getViewBox().height()
    assert loss_h >= 0.6 * h, f"the loss plot ({loss_h:.0f} px) gave its room to accuracy ({h:.0f} px)"
    if v.acc_widget.y() > v.loss_widget.y():   # under the loss plot: one step axis, the data areas aligned
        lr, ar = v.loss_plot.getViewBox().sceneBoundingRect(), acc_vb.sceneBoundingRect()
        assert abs(lr.left() - ar.left()) <= 1 and abs(lr.width() - ar.width()) <= 1
        assert not v.loss_plot.getAxis("bottom").label.isVisible()


def test_on_a_short_projector_accuracy_stands_beside_the_loss(window):
    w = window((1280, 720), presentation=True)
    v = w.loss_view
    assert v.is_side_by_side()
    a, b = v.loss_widget.geometry(), v.acc_widget.geometry()
    assert a.right() < b.left() and abs(a.top() - b.top()) <= 2
    assert "Accuracy" in v.acc_plot.titleLabel.text
    w.toggle_presentation(False)
    w.resize(1920, 1080)
    w.loss_view.refresh()
    assert not v.is_side_by_side(), "a normal window with room for both stacks them"


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_neither_the_legend_nor_the_baseline_label_covers_a_curve(window, qtbot, size, presentation):
    w = window(size, presentation)
    v = w.loss_view
    qtbot.wait(30)          # the legend finds its place again once the plot has its size
    pts = scene_points(v.loss_plot, loss_curves(v))
    legend = v.legend.sceneBoundingRect()
    assert v.legend.isVisible() and legend.width() > 0
    assert covered(legend, pts) == 0, f"the legend {legend} covers {covered(legend, pts)} curve points"
    assert legend.right() <= v.loss_widget.width() + 1 and legend.left() >= -1, "the legend is cut"
    label = v.baseline_line.label.sceneBoundingRect()
    box = v.loss_plot.getViewBox().sceneBoundingRect()
    assert box.contains(label), "the 'trivial predictor' label is cut by the plot's edge"
    line_y = v.loss_plot.getViewBox().mapViewToScene(QPointF(0, v.baseline_line.value())).y()
    away = pts[np.abs(pts[:, 1] - line_y) > 4]          # the RNN runs along the line: not that
    assert covered(label.adjusted(0, 4, 0, 0), away, pad=0) == 0


def test_the_legend_is_hidden_until_it_names_a_run(qtbot):
    v = LossView(theme=ThemeManager())
    qtbot.addWidget(v)
    v.resize(900, 500)
    v.show()
    qtbot.wait(20)
    assert not v.legend.isVisible(), "an empty legend box stood on the fresh plot"
    v.start_run("a", "a")
    v.add_rows("a", [{"step": s, "train_loss": 1.0 / (1 + s)} for s in range(50)])
    assert v.legend.isVisible()
    v.delete_run("a")
    assert not v.legend.isVisible()


@pytest.mark.parametrize("size", [(900, 500), (2400, 500)])
def test_the_run_table_is_as_tall_as_its_rows(qtbot, size):
    # under the plots (900 wide) and beside them (2400 wide): no blank band under one run
    v = LossView(theme=ThemeManager())
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    v.start_run("a", "LSTM h=32", {"cell": "lstm", "parameters": 4513})
    v.add_rows("a", [{"step": s, "train_loss": 1.0 / (1 + s)} for s in range(50)])
    qtbot.wait(30)
    t = v.table
    rows = t.horizontalHeader().height() + t.rowHeight(0) + 2 * t.frameWidth()
    assert (v.splitter.orientation().name == "Horizontal") == (size[0] > 2000)
    assert t.height() - rows <= 6, f"{t.height() - rows} px of blank table under the one run"


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_clipping_legend_keeps_off_its_curves_in_presentation(qtbot, tmp_path, size):
    # At 1920x1080 in presentation type, 'before clipping / after clipping' stood in one row
    # over the top of the plot, across the curve's peaks; at 1280x720 the norms take turns
    # with the plots through time, and the legend was placed while its plot was hidden.
    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "g.ini"))), theme=ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson("vanishing-gradient")
    w.show()
    w.toggle_presentation(True)
    w.showNormal()
    w.resize(*size)
    w._select_view("gradients")
    g = w.workspace.gradients
    qtbot.wait(50)
    rng = np.random.default_rng(3)
    norms = np.where(rng.random(80) < 0.3, 5 + 30 * rng.random(80), 0.1 + 0.5 * rng.random(80))
    g.add_rows([{"step": 10 * k, "grad_norm": float(n), "grad_norm_clipped": float(min(n, 1.0))}
                for k, n in enumerate(norms)])
    g.set_clip_norm(1.0)
    w.workspace.flush()
    g.refresh()
    if g.is_short():
        g.show_part("norms")
    qtbot.wait(80)
    legend = g.clip_legend
    assert legend.isVisible()
    pts = scene_points(g.clip_plot, [g.before_curve, g.after_curve])
    rect = legend.sceneBoundingRect()
    assert covered(rect, pts) == 0, f"the legend covers {covered(rect, pts)} points of the curves"
    assert rect.right() <= g.clip_widget.width() + 1, "the legend runs off the plot"
    assert g.clip_plot.getViewBox().sceneBoundingRect().contains(g.clip_line.label.sceneBoundingRect())
    w.toggle_presentation(False)
    w.close()


def _loss_view(qtbot, size=(1000, 520)) -> LossView:
    v = LossView(theme=ThemeManager())
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    qtbot.wait(20)
    return v


def test_the_baseline_label_moves_off_a_curve_running_under_it(qtbot):
    # The label stood at 30% of the line, over the LSTM's first steps at chance.
    v = _loss_view(qtbot)
    v.start_run("a", "a", {"baseline_loss": 2.0})
    v.add_rows("a", [{"step": s, "train_loss": 1.85 if 200 <= s <= 420 else 0.3 + 0.1 * np.sin(s / 30)}
                     for s in range(0, 1001, 5)])
    v.refresh()
    qtbot.wait(20)
    v.refresh()
    pts = scene_points(v.loss_plot, loss_curves(v))
    label = v.baseline_line.label.sceneBoundingRect()
    assert covered(label, pts) == 0, f"'trivial predictor' covers {covered(label, pts)} points of the curve"
    assert v.loss_plot.getViewBox().sceneBoundingRect().contains(label)


def test_a_legend_with_no_free_corner_stands_under_the_plot(qtbot):
    # flat runs along the top and the bottom of the plot touch every corner
    v = _loss_view(qtbot)
    for k, level in enumerate((1.0, 0.55, 0.1)):
        v.start_run(str(k), f"run {k}")
        v.add_rows(str(k), [{"step": s, "train_loss": level} for s in range(0, 500, 5)])
    v.refresh()
    qtbot.wait(30)
    v.refresh()
    box = v.loss_plot.getViewBox().sceneBoundingRect()
    legend = v.legend.sceneBoundingRect()
    assert v.legend.below and legend.top() >= box.bottom(), "the legend stands over the curves"
    assert legend.bottom() <= v.loss_widget.height() + 1, "the legend is cut"
    assert box.height() >= 0.6 * (v.loss_widget.height() - 40), "the row under the plot took its room"
