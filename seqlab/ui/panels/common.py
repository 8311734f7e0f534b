"""What the three experiment panels share: a compact two-column form, tooltips from the
spec's own help texts, and inline validation messages that name the field.

A panel edits one section of an ExperimentSpec ('data', 'model' or 'train'). It keeps the
whole section it was given, so fields it shows no control for (``log_every``,
``val_fraction`` ...) survive a round trip through the panel unchanged.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox, QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QSpinBox, QVBoxLayout,
    QWidget,
)

from seqlab.core.spec import DEFAULT_FAMILY, SpecError, field_help, validated
from seqlab.ui.panels.form_fit import (
    ONE, TWO, arrangement, hold_text_width, narrowest_width, needed_width, pair_rows,
)

ERROR_STYLE = "QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox { border: 2px solid #c00000; }"


def help_text(section: str, name: str, extra: str = "", family: str = DEFAULT_FAMILY) -> str:
    """One sentence for a tooltip: the spec's help for the field, capitalised."""
    try:
        h = field_help(section, name, family)
    except KeyError:
        h = ""
    h = (h[:1].upper() + h[1:]) if h else ""
    return (h + (". " if h and extra else "") + extra).strip()


def discard_widgets(layout, widgets) -> None:
    """Take `widgets` out of `layout` and delete them. Hidden at once: until the event loop
    deletes them, widgets out of their layout are still painted where they were (a layer row
    replaced by a lesson's showed through its successor, a faint second "128 units")."""
    for w in widgets:
        layout.removeWidget(w)
        w.hide()
        w.deleteLater()


def parse_number(text: str) -> Any:
    """A typed number, or the text itself when it is not one (so the spec's checker can
    say what is wrong with it)."""
    t = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text.strip()
    if t == "":
        return None
    try:
        v = float(t)
    except ValueError:
        return text
    return int(v) if v.is_integer() and "." not in t and "e" not in t.lower() else v


class SpecPanel(QWidget):
    """Base of the Data, Model and Training panels."""

    changed = Signal()            # a value changed (by the person or by set_values)
    message = Signal(str, str)    # title, text: something the window should show in a box

    section = ""                  # 'data', 'model' or 'train'
    family = DEFAULT_FAMILY       # whose 'data' / 'model' section this panel edits

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._base: dict[str, Any] = {}
        self._errors: dict[str, str] = {}
        self._cross_error = ""
        self._loading = False
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(6, 2, 6, 2)
        self._outer.setSpacing(2)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self._outer.addLayout(self.grid)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.PlainText)
        self.set_error_color("#b00000")
        self.error_label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.error_label.hide()
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._pairs, self._split = TWO, frozenset()

    # -- building ------------------------------------------------------------------------
    def finish_layout(self) -> None:
        """Call last in a subclass's __init__: the error line goes at the bottom, and height the
        panel does not need stays below it (not between its rows)."""
        self._outer.addWidget(self.error_label)
        self._outer.addStretch(1)

    def labelled(self, key: str, text: str, widget: QWidget, tip: str) -> tuple[QLabel, QWidget]:
        label = QLabel(text, self)
        label.setBuddy(widget)
        label.setToolTip(tip)
        widget.setToolTip(tip)
        widget.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        widget.setMinimumWidth(40)
        self._labels[key] = label
        self._widgets[key] = widget
        # a choice or a value whose text grows may no longer fit beside its neighbour
        for part in [widget, *widget.findChildren(QWidget)]:
            if isinstance(part, QComboBox):
                part.currentTextChanged.connect(self._text_changed)
            elif isinstance(part, QAbstractSpinBox) and hasattr(part, "textChanged"):
                part.textChanged.connect(self._text_changed)
        return label, widget

    def _text_changed(self, *_) -> None:
        if not self._loading:
            self.fit_to_width()

    def place(self, keys: list[str | None], start_row: int = 0) -> int:
        """Lay out the controls of `keys` two to a row (None leaves a cell empty, a key ending
        in '*' takes a whole row), or one to a row where the column is too narrow for two
        (see :meth:`fit_to_width`); returns the next free row. Controls not listed are hidden."""
        shown = {k.rstrip("*") for k in keys if k}
        for k, w in self._widgets.items():
            if k not in shown:
                w.hide()
                self._labels[k].hide()
                self.grid.removeWidget(w)
                self.grid.removeWidget(self._labels[k])
        self._placed = (list(keys), start_row)
        self._hold_text_widths()
        self._pairs, self._split = self._arrangement_for(self._fit_width())
        return self._arrange()

    def _arrange(self) -> int:
        keys, start_row = self._placed
        for k in {k.rstrip("*") for k in keys if k}:
            self.grid.removeWidget(self._widgets[k])
            self.grid.removeWidget(self._labels[k])
        names = [None if k is None else k.rstrip("*") for k in keys]
        row = start_row

        def put(k: str, r: int, col: int, span: int) -> None:
            lab, w = self._labels[k], self._widgets[k]
            self.grid.addWidget(lab, r, col)
            self.grid.addWidget(w, r, col + 1, 1, span)
            lab.show()
            w.show()

        if self._pairs == TWO:
            for r, cells in enumerate(pair_rows(self._items())):
                alone = len(cells) == 1 and keys[cells[0]] is not None and keys[cells[0]].endswith("*")
                if alone or r in self._split:           # a control across the whole row
                    for i in cells:
                        if names[i] is not None:
                            put(names[i], row, 0, 3)
                            row += 1
                    continue
                for c, i in enumerate(cells):
                    if names[i] is not None:
                        put(names[i], row, 2 * c, 1)
                row += 1
            return row
        for k in names:                                 # one pair to a row: empty cells close up
            if k is None:
                continue
            if self._pairs == ONE:
                put(k, row, 0, 3)
            else:                                       # the label above its control
                lab, w = self._labels[k], self._widgets[k]
                self.grid.addWidget(lab, row, 0, 1, 4)
                self.grid.addWidget(w, row + 1, 0, 1, 4)
                lab.show()
                w.show()
                row += 1
            row += 1
        return row

    # -- fitting the column's width ------------------------------------------------------
    def _hold_text_widths(self) -> None:
        for w in self._widgets.values():
            hold_text_width(w)

    def _items(self) -> list:
        """The placed fields as form_fit measures them: (label, control, whole row) widths."""
        items = []
        for k in self._placed[0]:
            if k is None:
                items.append(None)
                continue
            key = k.rstrip("*")
            items.append((self._labels[key].sizeHint().width(), needed_width(self._widgets[key]), k.endswith("*")))
        return items

    def _arrangement_for(self, width: int) -> tuple[int, frozenset[int]]:
        m = self._outer.contentsMargins()
        return arrangement(width, self._items(), m.left() + m.right(), self.grid.horizontalSpacing())

    def _fit_width(self) -> int:
        """The width the panel has: its own once laid out, else the width it would ask for."""
        return self.width() if self.testAttribute(Qt.WA_Resized) or self.isVisible() else self.sizeHint().width()

    def fit_to_width(self) -> None:
        """Re-measure the controls' text (a choice, the type size or the column changed) and
        lay out as many pairs to a row as fit: in a quarter-screen column in presentation
        type, two pairs side by side cut "Default" and "Mini-batch"."""
        if not hasattr(self, "_placed"):
            return
        self._hold_text_widths()
        chosen = self._arrangement_for(self._fit_width())
        if chosen != (self._pairs, self._split):
            self._pairs, self._split = chosen
            self._arrange()
        self.updateGeometry()

    def pairs_per_row(self) -> int:
        """2, 1 or 0 (the label above its control): how the panel lays out now."""
        return self._pairs

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        # as narrow as the narrowest arrangement: a scroll area then gives the panel its real
        # width (never more than it needs), and the panel picks the arrangement that fits it
        hint = super().minimumSizeHint()
        if hasattr(self, "_placed"):
            m = self._outer.contentsMargins()
            narrow = narrowest_width(self._items(), m.left() + m.right())
            others = max((self._outer.itemAt(i).minimumSize().width() for i in range(self._outer.count())
                          if self._outer.itemAt(i).layout() is not self.grid), default=0)
            hint.setWidth(max(narrow, others + m.left() + m.right()))
        return hint

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        if hasattr(self, "_placed") and ev.size().width() != ev.oldSize().width():
            self.fit_to_width()

    def changeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(ev)
        # presentation type and its style sheet reach the controls one by one: measure once
        # they all have it
        if ev.type() in (QEvent.FontChange, QEvent.StyleChange) and hasattr(self, "_placed"):
            QTimer.singleShot(0, self, self.fit_to_width)

    def spin(self, lo: int, hi: int, step: int = 1) -> QSpinBox:
        s = QSpinBox(self)
        s.setRange(lo, hi)
        s.setMinimumWidth(40)
        s.setSingleStep(step)
        s.setAccelerated(True)
        s.setKeyboardTracking(False)
        s.valueChanged.connect(self._user_changed)
        return s

    def dspin(self, lo: float, hi: float, step: float, decimals: int = 2) -> QDoubleSpinBox:
        s = QDoubleSpinBox(self)
        s.setRange(lo, hi)
        s.setSingleStep(step)
        s.setDecimals(decimals)
        s.setKeyboardTracking(False)
        s.valueChanged.connect(self._user_changed)
        return s

    def combo(self, items: list[tuple[str, Any]]) -> QComboBox:
        c = QComboBox(self)
        # shrink with the column instead of forcing it as wide as the longest entry
        c.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        c.setMinimumContentsLength(5)
        for text, data in items:
            c.addItem(text, data)
        c.currentIndexChanged.connect(self._user_changed)
        return c

    def number_edit(self, key: str, name: str, on_valid: Callable[[Any], None] | None = None) -> QLineEdit:
        """A free-text number field checked as it is typed with the spec's own checker."""
        e = QLineEdit(self)
        e.setAlignment(Qt.AlignRight)

        def check() -> None:
            v = parse_number(e.text())
            try:
                validated(self.section, name, v, self.family)
            except SpecError as err:
                self.set_field_error(key, str(err), e)
                return
            self.set_field_error(key, "", e)
            if on_valid is not None and not self._loading:
                on_valid(v)

        e.textChanged.connect(lambda _t: (check(), self._user_changed()))
        e.editingFinished.connect(check)
        e.check = check  # type: ignore[attr-defined]
        return e

    @staticmethod
    def set_combo(c: QComboBox, data: Any) -> None:
        i = c.findData(data)
        if i >= 0:
            c.setCurrentIndex(i)

    # -- values --------------------------------------------------------------------------
    def _user_changed(self, *_):
        if not self._loading:
            self.on_controls_changed()
            self.fit_to_width()
            self.changed.emit()

    def on_controls_changed(self) -> None:
        """Subclasses: enable/disable dependent controls."""

    def set_values(self, section: dict[str, Any]) -> None:
        """Show a section of a spec (a dict); fields without a control are kept as they are."""
        self._loading = True
        try:
            self._base = dict(section)
            self.load(self._base)
            for e in self.findChildren(QLineEdit):
                if hasattr(e, "check"):
                    e.check()
            self.on_controls_changed()
        finally:
            self._loading = False
        self.fit_to_width()
        self.changed.emit()

    def values(self) -> dict[str, Any]:
        """The section as the controls show it (typed text that does not parse stays text, so
        the spec's check names the field)."""
        d = dict(self._base)
        d.update(self.read())
        return d

    def load(self, d: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- messages ------------------------------------------------------------------------
    def set_error_color(self, color: str) -> None:
        """The colour of the error line (the window picks one that reads on its theme)."""
        self.error_label.setStyleSheet(f"color: {color}; font-weight: bold;")

    def set_field_error(self, key: str, text: str, widget: QWidget | None = None) -> None:
        widget = widget or self._widgets.get(key)
        if text:
            self._errors[key] = text
        else:
            self._errors.pop(key, None)
        if widget is not None:
            widget.setStyleSheet(ERROR_STYLE if text else "")
        self._show_errors()

    def set_cross_error(self, text: str) -> None:
        """A rule that involves several fields (from ExperimentSpec.check), or '' to clear."""
        self._cross_error = text
        self._show_errors()

    #: error keys that inform but do not block Start (a CSV import that was refused and undone)
    NON_BLOCKING = ("csv",)

    def field_errors(self) -> list[str]:
        """The messages that keep the experiment from starting."""
        return [t for k, t in self._errors.items() if k not in self.NON_BLOCKING]

    def _show_errors(self) -> None:
        msgs = list(self._errors.values()) + ([self._cross_error] if self._cross_error else [])
        self.error_label.setText("\n".join(msgs))
        self.error_label.setVisible(bool(msgs))

    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisible() or self._errors or self._cross_error else ""
