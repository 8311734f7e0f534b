"""What the model predicts, laid out for the kind of task.

:meth:`PredictionsView.set_predictions` takes the dict the worker sends after a validation
and picks a layout:

* ``series`` — regression on one long series (``series_true``, ``one_step``,
  ``free_running``, ``t0``): the truth, the one-step-ahead predictions (each sees the true
  past) and the free-running forecast (the model fed its own outputs from ``t0``, marked by
  a vertical line), so a student sees errors compound once the model is on its own;
* ``scatter`` — regression on independent sequences (``pred`` and ``y`` shaped [N, O],
  e.g. the adding problem): predicted against true with the y = x diagonal, and, when the
  inputs ``x`` [N, T, F] come along, the selected sample's input sequence;
* ``sequence`` — many-to-many regression on a sequence (``pred`` and ``y`` [T, O], or
  [N, T, O] with a sample chooser): true and predicted lines per output;
* ``classification`` — ``probs`` [N, C] (softmax) and labels ``y`` [N]: the selected
  sample's class probabilities as bars, the true class highlighted, and the accuracy.

Anything it cannot show becomes a one-line message in the view, never an exception.

The layouts are pages (``prediction_pages.py``) drawing data that ``prediction_data.py``
has checked and shaped; this module is the view around them: the sample chooser and
read-out above, the caption below, and which page shows.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QStackedWidget, QVBoxLayout,
    QWidget,
)

from seqlab.families.recurrent.ui.views.prediction_data import (
    choose_mode, classification_data, scatter_data, sequence_data, series_data,
)
from seqlab.families.recurrent.ui.views.prediction_pages import (
    ClassPage, Page, ScatterPage, SequencePage, SeriesPage,
)
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.views.loss_view import fit_legend

__all__ = ["PredictionsView", "MODES"]

#: The layouts, by name.
MODES = ("empty", "series", "scatter", "sequence", "classification")

_EMPTY_TEXT = "Predictions appear here after the first validation."

#: How each layout's data is checked and shaped (prediction_data), by mode.
_PREPARE = {"series": series_data, "scatter": scatter_data, "sequence": sequence_data,
            "classification": classification_data}


class PredictionsView(QWidget):
    """Predictions of the latest validation, in the layout their kind and task call for."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._mode = "empty"
        self._data: dict[str, Any] = {}

        # shared controls: sample chooser and a read-out
        self.sample_label = QLabel("Sample")
        self.sample_spin = QSpinBox()
        self.sample_spin.setMinimum(1)
        self.sample_spin.setMaximum(1)
        self.sample_spin.setToolTip("Which validation sample to show")
        self.sample_spin.valueChanged.connect(self._on_sample)
        self.of_label = QLabel("")
        self.next_wrong = QPushButton("Next mistake ▶")
        self.next_wrong.setToolTip("Jump to the next sample the model gets wrong")
        self.next_wrong.clicked.connect(self.show_next_mistake)
        self.readout = QLabel("")
        self.readout.setTextFormat(Qt.RichText)
        self.readout.setWordWrap(True)  # in presentation mode it may need two lines
        self.readout.setMinimumWidth(50)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.readout, 1)
        self.controls = QWidget()
        self.controls.setLayout(bar)

        # the layouts, one page each
        self.message = QLabel(_EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        tm = self._tm
        self.series_page, self.scatter_page = SeriesPage(tm), ScatterPage(tm)
        self.sequence_page, self.class_page = SequencePage(tm), ClassPage(tm)
        self._pages: dict[str, Page] = {"series": self.series_page, "scatter": self.scatter_page,
                                        "sequence": self.sequence_page, "classification": self.class_page}
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        for page in self._pages.values():
            self.stack.addWidget(page.widget)
        # each page's parts, under the names they have always had on the view
        sp, cp, qp, kp = self.series_page, self.scatter_page, self.sequence_page, self.class_page
        self.series_widget, self.series_plot, self.series_legend = sp.series_widget, sp.series_plot, sp.series_legend
        self.truth_curve, self.one_step_curve, self.free_curve = sp.truth_curve, sp.one_step_curve, sp.free_curve
        self.t0_line = sp.t0_line
        self.scatter_widget, self.scatter_plot, self.scatter_legend = (
            cp.scatter_widget, cp.scatter_plot, cp.scatter_legend)
        self.scatter, self.scatter_pick, self.diagonal = cp.scatter, cp.scatter_pick, cp.diagonal
        self.inputs_widget, self.inputs_plot, self.input_curves = cp.inputs_widget, cp.inputs_plot, cp.input_curves
        self.sequence_widget, self.sequence_plot, self.sequence_legend = (
            qp.sequence_widget, qp.sequence_plot, qp.sequence_legend)
        self.seq_true, self.seq_pred = qp.seq_true, qp.seq_pred
        self.class_widget, self.class_plot = kp.class_widget, kp.class_plot
        self.class_bars, self.class_texts = kp.class_bars, kp.class_texts

        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)
        self.caption.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.controls)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.caption)

        self._tm.changed.connect(self.restyle)
        self.restyle()
        self._show("empty")

    # --- public -------------------------------------------------------------------------
    def set_predictions(self, d: Mapping[str, Any] | None) -> None:
        """Show a predictions dict (see the module docstring); unknown or malformed input
        shows a message instead."""
        self._data = dict(d or {})
        if not self._data:
            self.reset()
            return
        try:
            mode = choose_mode(self._data)
            page = self._pages[mode]
            page.show_data(_PREPARE[mode](self._data))
            if page.per_sample:
                self._set_samples(*page.samples())
            self._show(mode)
            self._draw_sample()
            self._set_caption(page.caption)
        except (ValueError, TypeError, IndexError, KeyError) as e:
            self._show_message(f"These predictions cannot be shown: {e}")

    def reset(self) -> None:
        """Back to the empty view (a new run)."""
        self._data = {}
        for page in self._pages.values():
            page.reset()
        self._show_message(_EMPTY_TEXT)

    def mode(self) -> str:
        """The layout shown: one of :data:`MODES`."""
        return self._mode

    def sample(self) -> int:
        """The selected sample (0-based)."""
        return self.sample_spin.value() - 1

    def set_sample(self, i: int) -> None:
        """Select sample ``i`` (0-based, clipped to the samples there are)."""
        self.sample_spin.setValue(int(i) + 1)

    def true_class(self) -> int | None:
        """The true class of the selected sample (classification), or None."""
        return self.class_page.data.get("true")

    def accuracy(self) -> float | None:
        """Accuracy over the samples shown (classification), or None."""
        return self.class_page.data.get("acc")

    def show_next_mistake(self) -> None:
        """Select the next misclassified sample after the current one (wrapping)."""
        wrong = self.class_page.data.get("wrong")
        if wrong is None or not len(wrong):
            return
        i = self.sample()
        later = wrong[wrong > i]
        self.set_sample(int(later[0] if len(later) else wrong[0]))

    def export_targets(self) -> dict[str, pg.PlotItem]:
        page = self._pages.get(self._mode)
        return page.export_targets() if page is not None else {}

    def curves(self) -> dict[str, np.ndarray]:
        page = self._pages.get(self._mode)
        return page.curves(self.sample()) if page is not None else {}

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        s = self._tm.scale
        fit_legend(self.series_legend, self.width(), 3, 760 * s)
        fit_legend(self.sequence_legend, self.width(), 4, 760 * s)

    # --- helpers ------------------------------------------------------------------------
    def _show(self, mode: str) -> None:
        self._mode = mode
        page = self._pages.get(mode)
        self.stack.setCurrentWidget(page.widget if page is not None else self.message)
        if mode in ("empty", "series"):
            self.controls.setVisible(mode == "series")
            for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong):
                w.setVisible(False)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self._set_readout("")
        self._set_caption("")
        self._show("empty")

    def _set_samples(self, n: int, wrong: np.ndarray | None) -> None:
        self.controls.setVisible(True)
        many = n > 1
        for w in (self.sample_label, self.sample_spin, self.of_label):
            w.setVisible(many)
        self.next_wrong.setVisible(wrong is not None and many)
        self.next_wrong.setEnabled(wrong is not None and len(wrong) > 0)
        self.of_label.setText(f"of {n:,}")
        self.sample_spin.blockSignals(True)
        self.sample_spin.setMaximum(max(1, n))
        self.sample_spin.blockSignals(False)

    def _draw_sample(self) -> None:
        """Draw the chosen sample on the page shown, and its read-out."""
        self._set_readout(self._pages[self._mode].draw_sample(self.sample()))

    def _on_sample(self, _value: int) -> None:
        self._redraw_sample()

    def _redraw_sample(self) -> None:
        """The page shown draws one sample at a time and has data: draw the chosen one again."""
        page = self._pages.get(self._mode)
        if page is not None and page.per_sample and page.data:
            self._draw_sample()

    def _set_readout(self, html: str) -> None:
        self.readout.setText(html)

    def _set_caption(self, html: str) -> None:
        self.caption.setText(html)
        self.caption.setVisible(bool(html))

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        for page in self._pages.values():
            page.restyle()
        body = tm.font("body")
        for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong,
                  self.readout, self.caption):
            w.setFont(body)
        self.message.setFont(tm.font("big"))
        self.message.setStyleSheet(f"color: {tm.theme.muted};")
        self._redraw_sample()   # what depends on colours
