"""The timeline scrubber: |<  <  slider  >  >|  Play/Pause  speed  "t = 23 / 60".

Time is a 0-based index in the API (``set_time(0)`` is the first step, ``timeChanged``
carries the index) and a 1-based step on screen, as the course numbers steps: the first
input is x_1 and h_0 is the initial state.  So index 22 of 60 reads "t = 23 / 60".
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton, QWidget,
)

from seqlab.ui.theme import ThemeManager, theme_manager

__all__ = ["TimelineScrubber", "SPEEDS"]

#: Speeds offered in the speed box, in steps per second (slow motion to fast).
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
MIN_SPEED, MAX_SPEED = 0.5, 30.0


def media_icon(kind: str, color: QColor, px: int) -> QIcon:
    """A flat media icon drawn in ``color`` (so it follows the theme), ``px`` pixels square.

    ``kind``: 'first', 'prev', 'play', 'pause', 'next', 'last'.
    """
    ratio = 2  # draw at 2x so the icon stays crisp on high-DPI screens
    pm = QPixmap(px * ratio, px * ratio)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.scale(ratio, ratio)
    p.setPen(Qt.NoPen)
    p.setBrush(color)
    s = float(px)
    m = 0.18 * s  # margin

    def tri(x0, x1):  # a triangle pointing from x0 towards x1
        p.drawPolygon(QPolygonF([QPointF(x0, m), QPointF(x0, s - m), QPointF(x1, s / 2)]))

    bar = 0.14 * s
    if kind == "play":
        tri(0.25 * s, 0.82 * s)
    elif kind == "pause":
        p.drawRect(QRectF(0.24 * s, m, 0.18 * s, s - 2 * m))
        p.drawRect(QRectF(0.58 * s, m, 0.18 * s, s - 2 * m))
    elif kind == "next":
        tri(0.3 * s, 0.78 * s)
    elif kind == "prev":
        tri(0.7 * s, 0.22 * s)
    elif kind == "last":
        tri(0.2 * s, 0.68 * s)
        p.drawRect(QRectF(0.68 * s, m, bar, s - 2 * m))
    elif kind == "first":
        p.drawRect(QRectF(0.18 * s, m, bar, s - 2 * m))
        tri(0.8 * s, 0.32 * s)
    p.end()
    pm.setDevicePixelRatio(ratio)
    return QIcon(pm)


class TimelineScrubber(QWidget):
    """Step through time: first / previous / slider / next / last, Play-Pause, speed.

    Emits :attr:`timeChanged` (0-based index) whenever the time changes, whoever changed
    it (slider, buttons, the play timer or :meth:`set_time`).  Playing advances one step per
    tick of a QTimer at :meth:`speed` steps per second; at the end it wraps to the start
    when :meth:`loop` is on (the default), otherwise it pauses.
    """

    timeChanged = Signal(int)
    playingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._length = 0
        self._t = 0
        self._speed = 4.0
        self._loop = True

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self._tick)

        self._first = self._button("first", "First step (Home)", lambda: self.set_time(0))
        self._prev = self._button("prev", "Previous step", self.step_back)
        self._next = self._button("next", "Next step", self.step_forward)
        self._last = self._button("last", "Last step (End)",
                                  lambda: self.set_time(self._length - 1))
        self._play = QToolButton(self)
        self._play.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self._play.setToolTip("Play / pause the animation through time (Space)")
        self._play.setFocusPolicy(Qt.StrongFocus)
        self._play.clicked.connect(self.toggle)

        self._slider = QSlider(Qt.Horizontal, self)
        self._slider.setRange(0, 0)
        self._slider.setPageStep(10)
        self._slider.setToolTip("Drag to move through time")
        self._slider.setAccessibleName("time step")
        self._slider.valueChanged.connect(self._on_slider)
        self._slider.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self._label.setToolTip("Current time step / number of steps (steps count from 1)")

        self._speed_label = QLabel("speed", self)
        self._speed_box = QComboBox(self)
        self._speed_box.setToolTip("Animation speed in time steps per second "
                                   "(slow motion to fast)")
        self._speed_box.setAccessibleName("speed, steps per second")
        for v in SPEEDS:
            self._speed_box.addItem(_speed_text(v), v)
        self._speed_box.currentIndexChanged.connect(self._on_speed_box)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(6)
        lay.addWidget(QLabel("t", self))
        for w in (self._first, self._prev):
            lay.addWidget(w)
        lay.addWidget(self._slider, 1)
        for w in (self._next, self._last, self._play):
            lay.addWidget(w)
        lay.addSpacing(8)
        lay.addWidget(self._label)
        lay.addSpacing(8)
        lay.addWidget(self._speed_label)
        lay.addWidget(self._speed_box)

        self.set_speed(self._speed)
        self._tm.changed.connect(self.restyle)
        self.restyle()
        self._refresh()

    # --- public API ---------------------------------------------------------------------
    def set_length(self, length: int) -> None:
        """Number of time steps T; keeps the current time if it is still inside 0..T-1."""
        length = max(0, int(length))
        self._length = length
        self._slider.blockSignals(True)
        self._slider.setRange(0, max(0, length - 1))
        self._slider.blockSignals(False)
        self._label.setMinimumWidth(self._label.fontMetrics().horizontalAdvance(
            f"t = {length} / {length} ") if length else 0)
        if length == 0:
            self.pause()
        new_t = min(self._t, max(0, length - 1))
        if new_t != self._t:
            self.set_time(new_t)
        else:
            self._slider.blockSignals(True)
            self._slider.setValue(self._t)
            self._slider.blockSignals(False)
            self._refresh()

    def length(self) -> int:
        return self._length

    def set_time(self, t: int) -> None:
        """Go to time index ``t`` (clipped to 0..T-1); emits timeChanged if it moved."""
        if self._length == 0:
            return
        t = min(max(0, int(t)), self._length - 1)
        if t == self._t:
            return
        self._t = t
        self._slider.blockSignals(True)
        self._slider.setValue(t)
        self._slider.blockSignals(False)
        self._refresh()
        self.timeChanged.emit(t)

    def time(self) -> int:
        """The current time index (0-based)."""
        return self._t

    def step_forward(self) -> None:
        self.set_time(self._t + 1)

    def step_back(self) -> None:
        self.set_time(self._t - 1)

    def play(self) -> None:
        """Start animating forward in time (from the start if at the last step)."""
        if self._length < 2 or self._timer.isActive():
            return
        if self._t >= self._length - 1:
            self.set_time(0)
        self._timer.start()
        self._refresh()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        self._refresh()
        self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def set_speed(self, steps_per_second: float) -> None:
        """Animation speed, clipped to 0.5..30 steps per second."""
        v = min(MAX_SPEED, max(MIN_SPEED, float(steps_per_second)))
        self._speed = v
        self._timer.setInterval(max(1, round(1000.0 / v)))
        box = self._speed_box
        box.blockSignals(True)  # inserting before the current item would re-enter here
        idx = box.findData(v)
        if idx < 0:  # an uncommon speed: offer it in the box, in order
            idx = sum(1 for i in range(box.count()) if box.itemData(i) < v)
            box.insertItem(idx, _speed_text(v), v)
        box.setCurrentIndex(idx)
        box.blockSignals(False)

    def speed(self) -> float:
        """Steps per second while playing."""
        return self._speed

    def set_loop(self, on: bool) -> None:
        """Wrap to the first step at the end (True, the default) or pause there."""
        self._loop = bool(on)

    def loop(self) -> bool:
        return self._loop

    def label_text(self) -> str:
        """The read-out as shown, e.g. 't = 23 / 60'."""
        return self._label.text()

    def keyPressEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        """Space plays/pauses, Home/End jump to the first/last step, arrows step."""
        k = ev.key()
        if k == Qt.Key_Space:
            self.toggle()
        elif k == Qt.Key_Home:
            self.set_time(0)
        elif k == Qt.Key_End:
            self.set_time(self._length - 1)
        elif k == Qt.Key_Left:
            self.step_back()
        elif k == Qt.Key_Right:
            self.step_forward()
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    # --- internals ----------------------------------------------------------------------
    def _button(self, kind: str, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setProperty("icon_kind", kind)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setAutoRepeat(kind in ("prev", "next"))
        b.clicked.connect(slot)
        return b

    def _tick(self) -> None:
        if self._t >= self._length - 1:
            if self._loop:
                self.set_time(0)
            else:
                self.pause()
            return
        self.set_time(self._t + 1)

    def _on_slider(self, v: int) -> None:
        self.set_time(v)

    def _on_speed_box(self, idx: int) -> None:
        v = self._speed_box.itemData(idx)
        if v is not None:
            self.set_speed(float(v))

    def _refresh(self) -> None:
        T = self._length
        self._label.setText(f"t = {self._t + 1} / {T}" if T else "t = – / –")
        playing = self._timer.isActive()
        self._play.setText("Pause" if playing else "Play")
        self._play.setIcon(self._icons["pause" if playing else "play"])
        for b in (self._first, self._prev, self._slider):
            b.setEnabled(T > 0 and (b is self._slider or self._t > 0))
        for b in (self._next, self._last):
            b.setEnabled(T > 0 and self._t < T - 1)
        self._play.setEnabled(T > 1)

    def restyle(self) -> None:
        """Re-read fonts, icon colours and sizes from the theme manager."""
        tm = self._tm
        t = tm.theme
        font = tm.font("body")
        for w in (self._play, self._speed_label, self._speed_box, self._slider,
                  *self.findChildren(QLabel)):
            w.setFont(font)
        self._label.setFont(tm.font("big", bold=True))
        px = round(22 * tm.scale)
        color = tm.color("text")
        self._icons = {k: media_icon(k, color, px) for k in
                       ("first", "prev", "next", "last", "play", "pause")}
        for b in (self._first, self._prev, self._next, self._last):
            b.setIcon(self._icons[b.property("icon_kind")])
            b.setIconSize(QSize(px, px))
        self._play.setIconSize(QSize(px, px))
        s = tm.scale
        groove = round(6 * s)
        handle = round(20 * s)
        self._slider.setStyleSheet(
            f"QSlider {{ min-height: {handle + 6}px; }}"
            f"QSlider::groove:horizontal {{ height: {groove}px; background: {t.grid};"
            f" border-radius: {groove // 2}px; }}"
            f"QSlider::sub-page:horizontal {{ background: {t.accent};"
            f" border-radius: {groove // 2}px; }}"
            f"QSlider::handle:horizontal {{ background: {t.accent}; border: 2px solid {t.text};"
            f" width: {handle}px; height: {handle}px; margin: -{(handle - groove) // 2 + 2}px 0;"
            f" border-radius: {handle // 2 + 2}px; }}"
            f"QSlider::handle:horizontal:disabled {{ background: {t.grid}; }}"
        )
        self._play.setStyleSheet(
            f"QToolButton {{ font-weight: bold; padding: {round(3 * s)}px {round(10 * s)}px; }}")
        self._label.setMinimumWidth(self._label.fontMetrics().horizontalAdvance(
            f"t = {self._length} / {self._length} ") if self._length else 0)
        self._refresh()


def _speed_text(v: float) -> str:
    return f"{v:g} steps/s" if v != 1 else "1 step/s"
