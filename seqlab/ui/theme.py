"""Themes: a high-contrast light theme for projectors (the default), a dark theme, and a
presentation flag that scales fonts and line widths for the back of a classroom.

One :class:`ThemeManager` (``theme_manager()`` gives the application's) holds the current
theme and presentation flag and emits :attr:`ThemeManager.changed` after every change.
Every view connects that signal to its ``restyle()`` method, which re-reads fonts, pens and
colours from the manager; views never cache a colour across a theme change.

Colour maps are the same in both themes because they carry data, not decoration:
``viridis`` for values in 0..1 (sigmoid gates) and the CET-D1A blue-white-red diverging map
for signed values (tanh outputs, states); both are perceptually uniform and readable with
the common colour-vision deficiencies.  Line colours come from the Okabe-Ito palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication

from seqlab.ui.lab_style import LabStyle
from seqlab.ui.widgets import refcount_guard

# PySide6 6.12 on Python 3.11 over-releases None and True (see refcount_guard); every view
# imports this module, so guarding here keeps the animated views from aborting the process.
refcount_guard.install()

__all__ = [
    "Theme", "LIGHT", "DARK", "THEMES", "GATE_CMAP", "SIGNED_CMAP", "PRESENTATION_SCALE",
    "ThemeManager", "theme_manager", "apply_theme", "colormap", "map_color", "text_color_on",
    "style_plot", "style_colorbar", "style_axis",
]

#: Sequential map for values in 0..1 (sigmoid gates).
GATE_CMAP = "viridis"
#: Diverging map for signed values (tanh outputs, hidden and cell states).
SIGNED_CMAP = "CET-D1A"
#: How much presentation mode enlarges fonts and lines.
PRESENTATION_SCALE = 1.6
#: a tab's padding (vertical, horizontal; pixels, times the scale); a tab bar short of room may
#: pad its tabs less, down to TAB_PAD_LEAST (seqlab.ui.widgets.fitting_tabs)
TAB_PAD = (4, 12)
TAB_PAD_LEAST = 4


@dataclass(frozen=True)
class Theme:
    """The colours of one theme (hex strings, so a theme is plain, comparable data)."""

    name: str
    dark: bool
    window: str      # window and panel background
    base: str        # plot and input-field background
    text: str        # main text and axes
    muted: str       # secondary text, notes
    grid: str        # grid lines, frames, slider grooves
    accent: str      # selection, focus, play button
    accent_text: str  # text drawn on the accent colour
    button: str      # button face
    cursor: str      # the time cursor's core stroke on heatmaps
    halo: str        # the dark/light outline around cursors so they show on any colour
    series: tuple[str, ...]  # line colours, Okabe-Ito, all readable on ``base``


LIGHT = Theme(
    name="light", dark=False,
    window="#f4f4f4", base="#ffffff", text="#000000", muted="#3a3a3a", grid="#9a9a9a",
    accent="#0057b8", accent_text="#ffffff", button="#e6e6e6",
    cursor="#ffffff", halo="#000000",
    series=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9"),
)

DARK = Theme(
    name="dark", dark=True,
    window="#1e1e1e", base="#111111", text="#f2f2f2", muted="#c8c8c8", grid="#6a6a6a",
    accent="#56B4E9", accent_text="#000000", button="#2d2d2d",
    cursor="#ffffff", halo="#000000",
    series=("#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#D55E00"),
)

THEMES = {"light": LIGHT, "dark": DARK}

# Base sizes in points (normal mode); presentation mode multiplies them.
_FONT_PT = {
    "body": 11.0,    # widgets, combo boxes, buttons
    "small": 9.5,    # notes, colour-bar ticks
    "tick": 10.0,    # axis tick labels
    "label": 11.0,   # axis labels
    "title": 12.5,   # plot titles
    "equation": 13.0,  # equations with live numbers
    "big": 15.0,     # the time read-out
}
# Base widths in pixels.
_WIDTH_PX = {
    "line": 2.0,     # data curves
    "axis": 1.2,     # axis lines and ticks
    "cursor": 2.0,   # core of the time cursor
    "halo": 5.0,     # outline under the cursor
    "wire": 2.0,     # outlines of wires in drawings
}


def colormap(kind: str) -> pg.ColorMap:
    """The colour map for ``kind``: 'gate' (0..1, viridis) or 'signed' (-a..a, diverging).

    A pyqtgraph map name is also accepted.
    """
    name = {"gate": GATE_CMAP, "signed": SIGNED_CMAP}.get(kind, kind)
    return _cmap_cache(name)


_CMAPS: dict[str, pg.ColorMap] = {}


def _cmap_cache(name: str) -> pg.ColorMap:
    cm = _CMAPS.get(name)
    if cm is None:
        cm = _CMAPS[name] = pg.colormap.get(name)
    return cm


def map_color(kind: str, value: float, lo: float, hi: float) -> QColor:
    """The colour a heatmap of ``kind`` with levels (lo, hi) gives ``value`` (clipped)."""
    if not value == value:  # NaN: draw it grey, never crash
        return QColor("#808080")
    pos = 0.0 if hi <= lo else min(1.0, max(0.0, (float(value) - lo) / (hi - lo)))
    return colormap(kind).map(pos, mode="qcolor")


def text_color_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill`` (WCAG relative luminance)."""
    def lin(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(fill.red()) + 0.7152 * lin(fill.green()) + 0.0722 * lin(fill.blue())
    # contrast with white = 1.05/(L+0.05), with black = (L+0.05)/0.05; pick the larger
    return QColor("#000000") if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else QColor("#ffffff")


class ThemeManager(QObject):
    """The current theme and presentation flag; emits :attr:`changed` after each change.

    Views take a manager (the application's by default), read fonts, pens and colours from
    it in their ``restyle()`` and connect ``changed`` to ``restyle``.  Tests may create
    their own manager so that they never touch the application's.
    """

    changed = Signal()

    def __init__(self, theme: Theme | str = LIGHT, presentation: bool = False,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._theme = _resolve(theme)
        self._presentation = bool(presentation)
        self._app: QApplication | None = None

    # --- state --------------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def presentation(self) -> bool:
        return self._presentation

    @property
    def scale(self) -> float:
        """Factor on fonts and line widths: 1.0, or PRESENTATION_SCALE in presentation mode."""
        return PRESENTATION_SCALE if self._presentation else 1.0

    def set_theme(self, theme: Theme | str) -> None:
        """Switch to ``theme`` (a :class:`Theme` or 'light' / 'dark')."""
        self.set(theme=theme)

    def set_presentation(self, on: bool) -> None:
        """Turn presentation mode (larger fonts and thicker lines) on or off."""
        self.set(presentation=on)

    def set(self, theme: Theme | str | None = None, presentation: bool | None = None) -> None:
        """Change theme and/or presentation flag at once: one restyle, not two."""
        new_theme = self._theme if theme is None else _resolve(theme)
        new_pres = self._presentation if presentation is None else bool(presentation)
        if new_theme == self._theme and new_pres == self._presentation:
            return
        self._theme, self._presentation = new_theme, new_pres
        if self._app is not None:
            _apply_to_app(self._app, self)  # the palette first, so views read the new one
        self.changed.emit()

    # --- fonts, pens, colours -----------------------------------------------------------
    def font_pt(self, role: str = "body") -> float:
        """Point size of the font for ``role`` ('body', 'small', 'tick', 'label', 'title',
        'equation', 'big'), scaled for presentation mode."""
        return _FONT_PT[role] * self.scale

    def font(self, role: str = "body", bold: bool = False) -> QFont:
        """A QFont for ``role`` (see :meth:`font_pt`)."""
        f = QFont(QApplication.font()) if QApplication.instance() else QFont()
        f.setPointSizeF(self.font_pt(role))
        f.setBold(bold)
        return f

    def width(self, kind: str = "line") -> float:
        """Pen width in pixels for ``kind`` ('line', 'axis', 'cursor', 'halo', 'wire')."""
        return _WIDTH_PX[kind] * self.scale

    def color(self, name: str) -> QColor:
        """A theme colour by field name ('text', 'muted', 'accent', 'grid', ...)."""
        return QColor(getattr(self._theme, name))

    def series_color(self, i: int) -> QColor:
        """The ``i``-th line colour (cycles)."""
        s = self._theme.series
        return QColor(s[i % len(s)])

    def pen(self, name: str = "text", kind: str = "line", **kw) -> pg.QtGui.QPen:
        """A cosmetic pen in theme colour ``name`` with width ``kind``."""
        p = pg.mkPen(self.color(name), width=self.width(kind), **kw)
        p.setCosmetic(True)
        return p

    # --- application --------------------------------------------------------------------
    def install(self, app: QApplication | None = None) -> None:
        """Apply this theme to ``app`` now and again after every change."""
        app = app or QApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before installing a theme")
        self._app = app
        _apply_to_app(app, self)


def _resolve(theme: Theme | str) -> Theme:
    if isinstance(theme, Theme):
        return theme
    try:
        return THEMES[str(theme).lower()]
    except KeyError:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}") from None


_MANAGER: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    """The application's theme manager (created on first use, light theme)."""
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = ThemeManager()
    return _MANAGER


def apply_theme(app: QApplication | None = None, theme: Theme | str | None = None,
                presentation: bool | None = None,
                manager: ThemeManager | None = None) -> ThemeManager:
    """Set the theme and presentation flag and apply them to the application.

    Sets the palette (on the Fusion style, which honours palettes on every platform), the
    application font, a small stylesheet and pyqtgraph's defaults for new plots; views
    restyle through :attr:`ThemeManager.changed`.  Returns the manager.
    """
    m = manager or theme_manager()
    m._app = app or QApplication.instance()  # set first so set() applies once
    if m._app is None:
        raise RuntimeError("create the QApplication before applying a theme")
    before = (m.theme, m.presentation)
    m.set(theme, presentation)
    if (m.theme, m.presentation) == before:  # set() did nothing: apply explicitly
        _apply_to_app(m._app, m)
    return m


def _apply_to_app(app: QApplication, m: ThemeManager) -> None:
    t = m.theme
    # Fusion, with indicators that read on both themes. Behind a style sheet app.style() is Qt's
    # wrapper, not ours; a proxy has no name of its own, a style set by name (Fusion) has one
    if app.style().name() or getattr(app, "_lab_style", None) is None:
        app._lab_style = LabStyle("Fusion")
        app.setStyle(app._lab_style)
    pal = QPalette()
    c = QColor
    pal.setColor(QPalette.Window, c(t.window))
    pal.setColor(QPalette.WindowText, c(t.text))
    pal.setColor(QPalette.Base, c(t.base))
    pal.setColor(QPalette.AlternateBase, c(t.button))
    pal.setColor(QPalette.Text, c(t.text))
    pal.setColor(QPalette.Button, c(t.button))
    pal.setColor(QPalette.ButtonText, c(t.text))
    pal.setColor(QPalette.BrightText, c("#ff0000"))
    pal.setColor(QPalette.Highlight, c(t.accent))
    pal.setColor(QPalette.HighlightedText, c(t.accent_text))
    pal.setColor(QPalette.ToolTipBase, c(t.base))
    pal.setColor(QPalette.ToolTipText, c(t.text))
    pal.setColor(QPalette.PlaceholderText, c(t.muted))
    pal.setColor(QPalette.Link, c(t.accent))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        pal.setColor(QPalette.Disabled, role, c(t.grid))
    app.setPalette(pal)

    f = QFont(app.font())
    f.setPointSizeF(m.font_pt("body"))
    app.setFont(f)

    s = m.scale
    app.setStyleSheet(
        f"""
        QToolTip {{ color: {t.text}; background: {t.base}; border: 1px solid {t.grid}; }}
        QTabBar::tab {{ padding: {TAB_PAD[0] * s:.0f}px {TAB_PAD[1] * s:.0f}px; }}
        QTabBar::tab:selected {{ font-weight: bold; }}
        QGroupBox {{ font-weight: bold; }}
        *:focus {{ outline: none; }}
        QAbstractButton:focus, QComboBox:focus, QAbstractSpinBox:focus, QSlider:focus {{
            border: {max(2, round(2 * s))}px solid {t.accent}; border-radius: 3px; }}
        """
    )
    pg.setConfigOption("background", t.base)
    pg.setConfigOption("foreground", t.text)
    pg.setConfigOption("antialias", True)


# --- pyqtgraph styling -----------------------------------------------------------------

def draw_as_segments(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """Draw a long, noisy solid curve as separate line segments rather than one stroked path.

    Qt strokes a path wider than 1 px in time that grows with its self-overlaps: an
    18,000-sample signal at 1.2 px took 500 ms a paint, three noisy 4,000-step loss curves
    100-160 ms; as segments, 17 ms and 54 ms. Every redraw is time taken from training (the
    GUI and training threads share the interpreter lock). Not for dashed pens: each segment
    would restart the dash pattern (pyqtgraph's "auto" mode never segments antialiased lines,
    which is why this is set per curve)."""
    item.curve.setSegmentedLineMode("on")
    return item


def style_axis(axis: pg.AxisItem, m: ThemeManager, label: str | None = None) -> None:
    """Axis line, ticks, tick font and label in theme colours and sizes."""
    pen = m.pen("text", "axis")
    axis.setPen(pen)
    axis.setTextPen(m.color("text"))
    axis.setTickFont(m.font("tick"))
    axis.setStyle(tickLength=int(round(5 * m.scale)), tickTextOffset=int(round(4 * m.scale)))
    text = label if label is not None else axis.labelText
    if text:
        axis.setLabel(text, **{"color": m.theme.text, "font-size": f"{m.font_pt('label'):.1f}pt"})


def style_plot(plot: pg.PlotItem, m: ThemeManager, title: str | None = None,
               axes: Iterable[str] = ("left", "bottom"),
               labels: dict[str, str] | None = None) -> None:
    """Title, axes and view-box background of ``plot`` in theme colours and sizes."""
    labels = labels or {}
    for name in axes:
        style_axis(plot.getAxis(name), m, labels.get(name))
    if title is not None:
        plot.setTitle(title, color=m.theme.text, size=f"{m.font_pt('title'):.1f}pt", bold=True)
    plot.getViewBox().setBackgroundColor(m.theme.base)


def style_colorbar(cbar: pg.ColorBarItem, m: ThemeManager, label: str | None = None) -> None:
    """The colour bar's frame, value axis and label in theme colours and sizes; `label` None
    keeps the bar's label, "" removes it."""
    for name in ("left", "right", "top", "bottom"):
        ax = cbar.getAxis(name)
        ax.setPen(m.pen("text", "axis"))
        ax.setTextPen(m.color("text"))
        ax.setTickFont(m.font("small"))
    ax = cbar.axis
    ax.setStyle(tickLength=int(round(4 * m.scale)), tickTextOffset=int(round(3 * m.scale)))
    fm = QFontMetricsF(m.font("small"))
    width = fm.horizontalAdvance("\u22120.5") + 9 * m.scale
    # None keeps the label the bar has (restyled); "" clears it: left, an old title stayed
    # beside a bar that was no longer about it
    text = ax.labelText if label is None else label
    if text:
        ax.setLabel(text, **{"color": m.theme.text, "font-size": f"{m.font_pt('small'):.1f}pt"})
        width += QFontMetricsF(m.font("small")).height() + 4 * m.scale
    else:
        ax.setLabel("")
    ax.setWidth(int(round(width)))
    cbar.layout.setColumnFixedWidth(1, round(14 * m.scale))
