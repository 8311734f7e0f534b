"""The Loss view draws what a run's family logs (``Family.loss_curves``): a GAN's J_D and
J_G rather than a training and validation loss it does not have, named in the legend, the
caption and the run table, exported per run; runs of a family that says nothing look as
they always have."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from seqlab.core.family import DEFAULT_LOSS_CURVES, Family
from seqlab.core.registry import get_family
from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.loss_view import LossView

GAN = get_family("gan").loss_curves


def _view(qtbot, size=(1400, 600)) -> LossView:
    v = LossView(theme=ThemeManager())
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    return v


def _gan_rows(n=50):
    rng = np.random.default_rng(0)
    return [{"step": 10 * s, "d_loss": 1.3 + 0.1 * rng.standard_normal(), "g_loss": 0.8 + 0.1 * rng.standard_normal(),
             "lr": 1e-3} for s in range(1, n + 1)]


def test_a_family_that_says_nothing_draws_training_and_validation_loss():
    assert Family.loss_curves == DEFAULT_LOSS_CURVES
    assert [c.metric for c in DEFAULT_LOSS_CURVES] == ["train_loss", "val_loss"]
    assert [c.metric for c in GAN] == ["d_loss", "g_loss"]


def test_a_gan_run_draws_j_d_and_j_g_names_them_and_shows_where_they_ended(qtbot):
    v = _view(qtbot)
    v.start_run("g", "GAN", {"parameters": 35_000}, GAN)
    rows = _gan_rows()
    v.add_rows("g", rows)
    v.add_validation("g", 100, {"val_mmd": 0.1})          # a GAN's validation: no loss curve of its own
    v.refresh()
    items = v.items_of("g")
    assert set(items) == {"d", "g", "train_acc", "val_acc"}
    np.testing.assert_allclose(items["d"].yData, [r["d_loss"] for r in rows])
    np.testing.assert_allclose(items["g"].xData, [r["step"] for r in rows])
    assert items["d"].curve.opts["segmentedLineMode"] == "on"          # noisy and solid: segments
    assert items["g"].opts["pen"].style() == Qt.DashLine                 # dashed: one path, dashes kept
    assert [lab.text for _s, lab in v.legend.items] == ["GAN — J<sub>D</sub>", "GAN — J<sub>G</sub>"]
    assert "solid: D's loss J<sub>D</sub>" in v.note.text() and "dashed: G's loss J<sub>G</sub>" in v.note.text()
    assert "lower is better" not in v.loss_plot.titleLabel.text          # J_D and J_G fight
    assert v.COLUMNS == ("Run", "Cell", "Parameters", "Steps/s", "Final J_D", "Final J_G", "Best val acc", "State")
    assert float(v.table_text(0, "Final J_D")) == float(f"{rows[-1]['d_loss']:.4g}")
    assert float(v.table_text(0, "Final J_G")) == float(f"{rows[-1]['g_loss']:.4g}")
    cols = v.curves()
    assert set(cols) == {"GAN d loss step", "GAN d loss", "GAN g loss step", "GAN g loss"}
    np.testing.assert_allclose(cols["GAN g loss"], [r["g_loss"] for r in rows])


def test_runs_of_two_families_share_the_plot_and_the_table(qtbot):
    v = _view(qtbot)
    v.start_run("r", "LSTM")
    v.add_rows("r", [{"step": s, "train_loss": 1.0 / s} for s in range(1, 50)])
    v.add_validation("r", 40, {"val_loss": 0.03})
    v.refresh()
    assert v.loss_plot.titleLabel.text == "Loss (lower is better)"
    assert v.note.text() == "solid: training loss   dashed with dots: validation loss"
    v.start_run("g", "GAN", {}, GAN)
    v.add_rows("g", _gan_rows())
    v.refresh()
    assert v.COLUMNS[4:6] == ("Best val loss", "Final J_D")
    assert v.table_text(0, "Best val loss") == "0.03" and v.table_text(0, "Final J_D") == "—"
    assert v.table_text(1, "Best val loss") == "—" and v.table_text(1, "Final J_G") != "—"
    assert v.loss_plot.titleLabel.text == "Loss"
    assert set(v.items_of("r")) == {"train", "val", "train_acc", "val_acc"}
    # the earlier run is named once, the GAN's two curves each
    assert [lab.text for _s, lab in v.legend.items] == ["LSTM (earlier run)", "GAN — J<sub>D</sub>",
                                                       "GAN — J<sub>G</sub>"]
    assert {"LSTM train loss", "LSTM val loss", "GAN d loss", "GAN g loss"} <= set(v.curves())
    v.delete_run("r")                   # the GAN alone: no validation-loss column
    assert "Best val loss" not in v.COLUMNS and v.table_text(0, "Run") == "GAN"
    v.reset()                           # an empty table has the default columns again
    assert v.COLUMNS[4] == "Best val loss" and v.loss_plot.titleLabel.text == "Loss (lower is better)"


def test_a_gan_run_keeps_its_curves_and_line_styles_through_theme_changes(qtbot):
    tm = ThemeManager()
    v = LossView(theme=tm)
    qtbot.addWidget(v)
    v.resize(1400, 600)
    v.show()
    v.start_run("a", "GAN 1", {}, GAN)
    v.add_rows("a", _gan_rows(30))
    v.start_run("b", "GAN 2", {}, GAN)
    v.add_rows("b", _gan_rows(40))
    v.refresh()
    for theme in ("light", "dark"):
        tm.set_theme(theme)
        for rid, n in (("a", 30), ("b", 40)):
            items = v.items_of(rid)
            assert len(items["d"].xData) == n and items["g"].opts["pen"].style() == Qt.DashLine
        alpha = {rid: v.items_of(rid)["d"].opts["pen"].color().alpha() for rid in ("a", "b")}
        assert alpha["a"] < 255 == alpha["b"]          # the earlier run faded, the latest opaque
        assert [lab.text for _s, lab in v.legend.items] == ["GAN 1 (earlier run)", "GAN 2 — J<sub>D</sub>",
                                                           "GAN 2 — J<sub>G</sub>"]


def test_an_empty_loss_view_says_what_the_chosen_familys_runs_will_draw(qtbot):
    # before a GAN's first run the view promised a training and a validation loss, lower is better
    v = _view(qtbot)
    v.set_family_curves(GAN)
    v.refresh()
    assert "J<sub>G</sub>" in v.note.text() and "validation" not in v.note.text()
    assert v.loss_plot.titleLabel.text == "Loss" and "Final J_D" in v.COLUMNS and "Best val loss" not in v.COLUMNS
    v.start_run("r", "LSTM")            # a run drawn is what the caption and the table describe
    v.refresh()
    assert v.note.text() == "solid: training loss   dashed with dots: validation loss"
    assert "Best val loss" in v.COLUMNS and "Final J_D" not in v.COLUMNS
    v.set_family_curves(DEFAULT_LOSS_CURVES)
    v.reset()
    assert v.COLUMNS[4] == "Best val loss" and v.loss_plot.titleLabel.text == "Loss (lower is better)"
