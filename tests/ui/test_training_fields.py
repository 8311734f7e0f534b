"""The Training panel shows only the train fields the chosen family's training reads
(``Family.unused_train_fields``): a GAN, whose G and D take their optimiser and learning
rates from its Model panel, hides the optimiser and the learning rate; the values survive
hidden, and another family shows them again."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from seqlab.core.family import Family  # noqa: E402
from seqlab.core.registry import families  # noqa: E402


def test_a_family_uses_every_train_field_unless_it_names_some():
    assert Family.unused_train_fields == frozenset()
    from seqlab.core.spec import TrainSpec

    fields = set(TrainSpec.__dataclass_fields__)
    for fam in families():
        assert set(fam.unused_train_fields) <= fields, fam.name      # names are TrainSpec fields
    gan = next(f for f in families() if f.name == "gan")
    assert {"optimizer", "lr"} <= gan.unused_train_fields


def test_the_panel_hides_unused_fields_closes_up_and_keeps_their_values(qtbot):
    from seqlab.ui.panels.training_panel import TrainingPanel

    p = TrainingPanel()
    qtbot.addWidget(p)
    p.show()
    p.set_values({**p.values(), "optimizer": "rmsprop", "lr": 0.003, "epochs": 7})
    p.set_unused_fields({"optimizer", "lr"})
    assert p.hidden_controls() == {"optimizer", "lr"}
    assert not p.optimizer.isVisible() and not p.lr.isVisible() and not p._labels["lr"].isVisible()
    assert p.epochs.isVisible() and p.device.isVisible()
    # the others close up: the first row now holds what was second
    assert p.grid.itemAtPosition(0, 1).widget() is p.batch_mode
    assert p.minimumSizeHint().height() < TrainingPanel().minimumSizeHint().height()
    v = p.values()
    assert v["optimizer"] == "rmsprop" and v["lr"] == 0.003 and v["epochs"] == 7
    # a hidden field that no longer parses cannot block Start: it keeps the value it was given
    p.lr.setText("fast")
    assert p.values()["lr"] == 0.003 and not p.field_errors()
    # clipping hides only when neither of its fields is used
    p.set_unused_fields({"clip_norm"})
    assert p.clip_mode.isVisible()
    p.set_unused_fields({"clip_norm", "clip_value"})
    assert not p.clip_mode.isVisible() and not p.clip_amount.isVisible()
    p.set_unused_fields(())
    assert p.optimizer.isVisible() and p.lr.isVisible() and p.clip_mode.isVisible()
    assert p.grid.itemAtPosition(0, 1).widget() is p._optimizer_cell


def test_the_window_hides_the_gans_unused_fields_and_shows_them_for_other_families(qtbot, tmp_path):
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings

    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))))
    qtbot.addWidget(w)
    w.show()
    w.open_lesson("gan-2d")
    tp = w.training_panel
    assert not tp.optimizer.isVisible() and not tp.lr.isVisible()
    assert tp.epochs.isVisible() and tp.clip_mode.isVisible()
    assert w.current_spec() is not None             # hidden, the fields still make a valid spec
    w.open_lesson("autoencoder-digits")
    assert tp.optimizer.isVisible() and tp.lr.isVisible()
    w.close()
