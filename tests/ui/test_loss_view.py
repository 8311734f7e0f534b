"""The Loss view reads well without touching it: log scale once losses span decades, the
validation markers thinned on long runs, a caption that says what is drawn; and each run's
menu in the table does what it says."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QInputDialog

from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.loss_view import LOG_SPAN, MAX_MARKERS, LossView


def _view(qtbot) -> LossView:
    v = LossView(theme=ThemeManager())
    qtbot.addWidget(v)
    v.resize(900, 500)
    v.show()
    return v


def test_log_scale_switches_on_when_losses_span_decades_unless_the_person_chose(qtbot):
    v = _view(qtbot)
    v.start_run("a", "a")
    v.add_rows("a", [{"step": s, "train_loss": 1.0 / (1 + s / 10)} for s in range(0, 50)])
    v.refresh()
    assert not v.is_log_scale(), "a loss that fell by 6x reads well on a linear axis"
    v.add_rows("a", [{"step": s, "train_loss": 10.0 ** (-s / 200)} for s in range(50, 1000)])
    v.refresh()
    assert v.is_log_scale(), f"a loss over more than {LOG_SPAN:g}x is shown on a log axis"
    w = _view(qtbot)
    w.log_box.click()
    w.log_box.click()                           # the person chose linear
    w.start_run("a", "a")
    w.add_rows("a", [{"step": s, "train_loss": 10.0 ** (-s / 200)} for s in range(1000)])
    w.refresh()
    assert not w.is_log_scale()


def test_validation_markers_give_way_on_long_runs_and_the_caption_says_so(qtbot):
    v = _view(qtbot)
    v.start_run("a", "a")
    for s in range(10):
        v.add_validation("a", s * 10, {"val_loss": 1.0 / (s + 1)})
    v.refresh()
    assert v.items_of("a")["val"].opts["symbol"] == "o" and "dots" in v.note.text()
    for s in range(10, MAX_MARKERS + 20):
        v.add_validation("a", s * 10, {"val_loss": 1.0 / (s + 1)})
    v.refresh()
    assert v.items_of("a")["val"].opts["symbol"] is None and "dots" not in v.note.text()
    x, y = v.items_of("a")["val"].getData()
    assert len(x) == MAX_MARKERS + 20 and np.all(np.diff(x) > 0)


def test_the_table_menu_renames_hides_saves_and_deletes_a_run(qtbot, monkeypatch):
    v = _view(qtbot)
    v.start_run("a", "first")
    v.start_run("b", "second")
    saved, removed = [], []
    v.saveRequested.connect(saved.append)
    v.runRemoved.connect(removed.append)

    def choose(row: int, action: str) -> None:
        menu = v.table.menu_for(row)
        next(a for a in menu.actions() if a.text() == action).trigger()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  baseline ", True)))
    choose(0, "Rename…")
    assert v.run_label("a") == "baseline" and v.table_text(0, "Run") == "baseline"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))   # cancelled
    choose(0, "Rename…")
    assert v.run_label("a") == "baseline"
    choose(0, "Hide")
    assert not v.items_of("a")["train"].isVisible() and "hidden" in v.table_text(0, "State")
    choose(0, "Show")
    assert v.items_of("a")["train"].isVisible() and "hidden" not in v.table_text(0, "State")
    choose(0, "Save this run…")
    assert saved == ["a"]
    choose(0, "Delete")
    assert v.run_ids() == ["b"] and removed == ["a"] and v.table.rowCount() == 1
    assert v.table.menu_for(1) is None, "no menu below the last run"


def test_a_burst_of_validations_is_drawn_once_and_all_of_it_shows(qtbot, monkeypatch):
    # A small model validates every few steps: the window hands the view a burst at a time,
    # and drawing after each one would take the time training needs.
    v = _view(qtbot)
    v.start_run("a", "a")
    draws = []
    real = v.refresh
    monkeypatch.setattr(v, "refresh", lambda: (draws.append(1), real()))
    with v.batched():
        for s in range(1, 101):
            v.add_rows("a", [{"step": s, "train_loss": 1.0 / s}])
            v.add_validation("a", s, {"val_loss": 2.0 / s})
    assert len(draws) == 1
    curves = v.curves()
    assert len(curves["a val loss"]) == 100 and curves["a val loss step"][-1] == 100


def test_noisy_training_curves_are_drawn_as_segments_and_validation_keeps_its_dashes(qtbot):
    # A long noisy path stroked 2 px wide costs Qt hundreds of milliseconds a paint, taken
    # from training; segments cost a few. A dashed line cut into segments would lose its
    # dashes, so the validation curve stays one path.
    v = _view(qtbot)
    v.start_run("a", "a")
    run = v._runs["a"]
    assert run.items["train"].curve.opts["segmentedLineMode"] == "on"
    assert run.items["val"].curve.opts["segmentedLineMode"] != "on"
