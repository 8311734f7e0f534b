"""How wide a panel's controls must be to show their text whole, and how many label + control
pairs fit side by side in a column of a given width.

A panel's column is narrow (a quarter of a projector's width in presentation type, or a dock
the person squeezed): Qt's grid would share the width by stretch and cut a combo box's
"Default" or a label's "Mini-batch". The panel instead sets each control's minimum width to
what its text needs and lays out as many pairs to a row as that width allows: two, one, or
(for a control wider than the column beside its label) the label above the control.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QStyle, QStyleOptionComboBox,
    QStyleOptionSpinBox, QWidget,
)

#: the narrowest a control is ever made (a number field showing "0.01")
MIN_CONTROL = 40
#: pairs to a row: two, one, or one with the label above its control
TWO, ONE, STACKED = 2, 1, 0


def _combo_width(c: QComboBox) -> int:
    """The box with its current text whole: the text, plus what the style's frame, padding and
    arrow leave beside the text field."""
    fm = c.fontMetrics()
    text = fm.horizontalAdvance(c.currentText())
    opt = QStyleOptionComboBox()
    opt.initFrom(c)
    opt.editable = c.isEditable()
    opt.frame = c.hasFrame()
    opt.rect = QRect(0, 0, 200, max(c.height(), fm.height() + 8))
    field = c.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, c)
    # the screen tests allow a box 24 px beside its text (tests/ui/screen_checks.py): never less
    return text + max(200 - field.width(), 24) + 2


def _spin_width(s: QAbstractSpinBox) -> int:
    """The box with its shown text (or its special text, "none") whole, beside its buttons."""
    fm = s.fontMetrics()
    text = max(fm.horizontalAdvance(t) for t in (s.text(), s.specialValueText())) + 2   # Qt's cursor room
    opt = QStyleOptionSpinBox()
    opt.initFrom(s)
    opt.frame = s.hasFrame()
    opt.buttonSymbols = s.buttonSymbols()
    opt.subControls = (QStyle.SC_SpinBoxFrame | QStyle.SC_SpinBoxEditField
                       | QStyle.SC_SpinBoxUp | QStyle.SC_SpinBoxDown)
    opt.rect = QRect(0, 0, 200, max(s.height(), fm.height() + 8))
    field = s.style().subControlRect(QStyle.CC_SpinBox, opt, QStyle.SC_SpinBoxEditField, s)
    return text + 200 - field.width() + 2


def needed_width(w: QWidget) -> int:
    """The least width at which `w` shows its text whole (a composite cell: its visible parts
    side by side). Typed text in a line edit scrolls, so a line edit needs only its minimum."""
    if isinstance(w, QComboBox):
        need = _combo_width(w)
    elif isinstance(w, QAbstractSpinBox):
        need = _spin_width(w)
    elif isinstance(w, QLineEdit):
        need = MIN_CONTROL
    elif isinstance(w, (QAbstractButton, QLabel)):
        need = w.sizeHint().width()
    elif w.layout() is not None:
        lay = w.layout()
        parts = [lay.itemAt(i).widget() for i in range(lay.count())]
        parts = [p for p in parts if p is not None and not p.isHidden()]
        m = lay.contentsMargins()
        spacing = max(0, lay.spacing())
        return (sum(needed_width(p) for p in parts) + spacing * max(0, len(parts) - 1)
                + m.left() + m.right())
    else:
        need = w.minimumSizeHint().width()
    return max(MIN_CONTROL, need) if not isinstance(w, (QAbstractButton, QLabel)) else need


def hold_text_width(w: QWidget) -> None:
    """Make `w` (and the parts of a composite cell) at least as wide as its text needs, so a
    layout can no longer squeeze it below that."""
    lay = w.layout()
    if lay is not None and not isinstance(w, (QComboBox, QAbstractSpinBox, QLineEdit)):
        for i in range(lay.count()):
            part = lay.itemAt(i).widget()
            if part is not None:
                hold_text_width(part)
        return
    if isinstance(w, (QComboBox, QAbstractSpinBox, QLineEdit)):
        w.setMinimumWidth(needed_width(w))


class _TextWidthKeeper(QObject):
    """Holds a control's width again once a new font or style has reached it (presentation
    type: "128 units" held at the normal type was cut in the larger one)."""

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        if ev.type() in (QEvent.FontChange, QEvent.StyleChange):
            # measured on the next turn, once the change has reached every part of the control
            QTimer.singleShot(0, obj, lambda: hold_text_width(obj))
        return False


_keeper: _TextWidthKeeper | None = None


def keep_text_width(w: QWidget) -> None:
    """:func:`hold_text_width` now, and again whenever `w`'s text, font or style changes (rows
    of a layer editor, which are not a :class:`SpecPanel`'s fields)."""
    global _keeper
    if _keeper is None:
        _keeper = _TextWidthKeeper()
    hold_text_width(w)
    w.installEventFilter(_keeper)
    if isinstance(w, QAbstractSpinBox):
        w.textChanged.connect(lambda _t: hold_text_width(w))
    elif isinstance(w, QComboBox):
        w.currentTextChanged.connect(lambda _t: hold_text_width(w))


#: rows of two pairs that may go one pair to a row, each, before the whole form does: one wide
#: field (a long data-set name) costs a row; more make a patchwork, and one to a row reads better
MAX_SPLIT_ROWS = 1


def pair_rows(items: list) -> list[list[int]]:
    """The two-to-a-row arrangement: the indices of the items on each row (an empty cell, None,
    holds its place; a whole-row item is a row of its own)."""
    rows: list[list[int]] = []
    row: list[int] = []
    for i, it in enumerate(items):
        if it is not None and it[2]:
            rows += [row, [i]] if row else [[i]]
            row = []
            continue
        row.append(i)
        if len(row) == 2:
            rows.append(row)
            row = []
    return rows + ([row] if row else [])


def _width(items: list, rows: list[list[int]], split: set[int], margins: int, spacing: int) -> int:
    """The width of the two-to-a-row arrangement whose rows in `split` go one pair to a row."""
    col = [0, 0, 0, 0]
    span_label = span_control = 0
    for r, row in enumerate(rows):
        for c, i in enumerate(row):
            it = items[i]
            if it is None:
                continue
            if it[2] or r in split:
                span_label, span_control = max(span_label, it[0]), max(span_control, it[1])
            else:
                col[2 * c] = max(col[2 * c], it[0])
                col[2 * c + 1] = max(col[2 * c + 1], it[1])
    right = max(col[1] + 2 * spacing + col[2] + col[3], span_control)
    return margins + max(col[0], span_label) + spacing + right


def arrangement(width: int, items: list, margins: int, spacing: int) -> tuple[int, frozenset[int]]:
    """How to lay out a form's `items` (form_fit.Item) in `width` with every label and control
    whole: (TWO, the rows of pair_rows(items) that go one pair to a row), (ONE, {}) or
    (STACKED, {}: the labels above their controls)."""
    rows = pair_rows(items)
    split: set[int] = set()
    while _width(items, rows, split, margins, spacing) > width and len(split) < MAX_SPLIT_ROWS:
        two = [r for r, row in enumerate(rows) if r not in split and len(row) == 2]
        if not two:
            break
        split.add(min(two, key=lambda r: _width(items, rows, split | {r}, margins, spacing)))
    if _width(items, rows, split, margins, spacing) <= width:
        return TWO, frozenset(split)
    shown = [it for it in items if it is not None]
    one = margins + max((it[0] for it in shown), default=0) + spacing + max((it[1] for it in shown), default=0)
    return (ONE if one <= width else STACKED), frozenset()


def narrowest_width(items: list, margins: int) -> int:
    """The width the label-above-control arrangement needs: the widest label or control."""
    return margins + max((max(it[0], it[1]) for it in items if it is not None), default=0)


__all__ = ["needed_width", "hold_text_width", "keep_text_width", "arrangement", "pair_rows", "narrowest_width", "TWO", "ONE", "STACKED",
           "MIN_CONTROL"]
