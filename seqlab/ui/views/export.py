"""Saving what a view shows: plots as PNG or SVG, whole widgets as PNG, curves as CSV.

Every writer goes through a temporary file in the destination folder and ``os.replace``,
so a failed or interrupted export never leaves a half-written file under the real name.
Any failure (a folder that does not exist, no permission, a full disk) raises ``OSError``
whose message names the path, so the window can show it as it is.

Views offer ``export_targets()`` (name -> plot item) and ``curves()`` (column -> array) so
the window can build its Export menu without knowing how a view is laid out.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from contextlib import contextmanager
from typing import Iterator, Mapping

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter, SVGExporter
from PySide6.QtWidgets import QWidget

__all__ = ["export_plot_png", "export_plot_svg", "export_widget_png", "export_widget_svg", "export_curves_csv",
           "check_extension", "SLIDE_WIDTH"]

#: the width in pixels of a PNG exported for slides (1920: sharp on a 1080p projector)
SLIDE_WIDTH = 1920
EXTENSIONS = {"png": (".png",), "svg": (".svg",), "csv": (".csv", ".txt", ".tsv")}


def check_extension(kind: str, path: str | os.PathLike) -> None:
    """A file named for another kind (CSV text into ``plot.svg``) is refused: its name would lie."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext and ext not in EXTENSIONS[kind]:
        raise OSError(f"cannot write {os.fspath(path)}: a {kind.upper()} export must be named "
                      f"{' or '.join(EXTENSIONS[kind])}, not {ext}")


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


_UMASK = _umask()


@contextmanager
def _atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                                   suffix=".part" + suffix, dir=folder)
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; give it the usual mode
    except OSError as e:
        raise OSError(e.errno, f"cannot write {path}: {e.strerror or e}") from e
    try:
        yield tmp
        if os.path.getsize(tmp) == 0:
            raise OSError(f"cannot write {path}: nothing was written")
        os.replace(tmp, path)
    except OSError as e:
        _remove_quietly(tmp)
        if path in str(e):
            raise
        raise OSError(e.errno, f"cannot write {path}: {e.strerror or e}") from e
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(p: str) -> None:
    try:
        os.remove(p)
    except OSError:
        pass


def _plot_item(target) -> pg.GraphicsItem:
    """The graphics item to export for a PlotItem, PlotWidget or GraphicsView."""
    if isinstance(target, pg.PlotWidget):
        return target.getPlotItem()
    if isinstance(target, pg.GraphicsLayoutWidget):
        return target.ci
    if isinstance(target, pg.GraphicsView):
        return target.scene()
    return target


def _background(item) -> object:
    """The plot's own background colour, so an export looks like the screen."""
    try:
        vb = item.getViewBox() if hasattr(item, "getViewBox") else None
        if vb is not None and vb.background.brush().style() != 0:
            return vb.background.brush().color()
    except (AttributeError, RuntimeError):
        pass
    return pg.getConfigOption("background")


def export_plot_png(target, path: str | os.PathLike, width: int | None = None) -> str:
    """Save a plot (PlotItem, PlotWidget or layout) as a PNG image; returns the path.

    ``width`` in pixels (default: twice the on-screen width, sharp on slides).
    """
    item = _plot_item(target)
    exp = ImageExporter(item)
    w = int(width) if width else int(max(2 * exp.params["width"], 800))
    exp.params["width"] = w  # the height follows the aspect ratio
    exp.params["background"] = _background(item)
    image = exp.export(toBytes=True)
    if image is None or image.isNull():
        raise OSError(f"cannot write {os.fspath(path)}: the plot could not be drawn")
    with _atomic_path(path) as tmp:
        if not image.save(tmp, "PNG"):
            raise OSError(f"cannot write {os.fspath(path)}: the image could not be saved")
    return os.fspath(path)


@contextmanager
def _svg_paths_with_close_commands() -> Iterator[None]:
    """Let pyqtgraph's SVG exporter read paths that Qt >= 6.10 closes with 'Z'.

    pyqtgraph 0.14 maps every token of a path's ``d`` attribute as an 'x,y' pair and fails
    on the close-path command that recent Qt writes ("M0,0 L10,0 L10,5 Z").  For the
    length of one export, the close commands are set aside before pyqtgraph's coordinate
    correction and put back after it.
    """
    import importlib

    mod = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = getattr(mod, "correctCoordinates", None)
    if original is None:  # a pyqtgraph that works differently: nothing to adapt
        yield
        return

    def correct(node, defs, item, options):
        closed = []
        for p in node.getElementsByTagName("path"):
            tokens = p.getAttribute("d").split()
            if any(t in ("Z", "z") for t in tokens):
                p.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
                closed.append(p)
        result = original(node, defs, item, options)
        for p in closed:
            p.setAttribute("d", p.getAttribute("d").rstrip() + " Z")
        return result

    mod.correctCoordinates = correct
    try:
        yield
    finally:
        mod.correctCoordinates = original


def export_plot_svg(target, path: str | os.PathLike) -> str:
    """Save a plot (PlotItem, PlotWidget or layout) as an SVG drawing; returns the path."""
    item = _plot_item(target)
    exp = SVGExporter(item)
    exp.params["background"] = _background(item)
    try:
        with _svg_paths_with_close_commands():
            data = exp.export(toBytes=True)
    except (ValueError, IndexError) as e:  # a drawing pyqtgraph cannot translate
        raise OSError(f"cannot write {os.fspath(path)}: the plot could not be turned into "
                      f"SVG ({e}); save it as PNG instead") from e
    with _atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return os.fspath(path)


def _render(widget: QWidget, painter, scale: float, caption: str) -> None:
    """Draw `widget` (and its children: every plot, the cell diagram ...) with `painter`,
    `caption` (the run's name) in a strip below it."""
    from PySide6.QtCore import QPoint, QRectF, Qt
    from PySide6.QtGui import QFont

    painter.scale(scale, scale)
    widget.render(painter, QPoint(0, 0))
    if caption:
        h = widget.height()
        font = QFont(widget.font())
        font.setPointSizeF(max(9.0, font.pointSizeF()))
        painter.setFont(font)
        painter.setPen(widget.palette().windowText().color())
        painter.drawText(QRectF(8, h + 2, widget.width() - 16, _caption_height(widget) - 4),
                         Qt.AlignLeft | Qt.AlignVCenter, caption)


def _caption_height(widget: QWidget) -> int:
    return int(widget.fontMetrics().height() * 1.8)


def export_widget_png(widget: QWidget, path: str | os.PathLike, width: int | None = None,
                      caption: str = "") -> str:
    """Save what ``widget`` shows (with its children) as a PNG image; returns the path.

    ``width``: the picture's width in pixels (``SLIDE_WIDTH`` for slides), whatever the size
    on screen: the view is drawn at that resolution, not scaled up afterwards. ``caption``
    (the run's name) is written below it."""
    from PySide6.QtGui import QImage, QPainter

    if widget.width() < 2 or widget.height() < 2:
        raise OSError(f"cannot write {os.fspath(path)}: the view has nothing to draw")
    scale = (width or widget.width()) / widget.width()
    extra = _caption_height(widget) if caption else 0
    image = QImage(int(widget.width() * scale), int((widget.height() + extra) * scale), QImage.Format_ARGB32)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.TextAntialiasing)
    try:
        _render(widget, painter, scale, caption)
    finally:
        painter.end()
    with _atomic_path(path) as tmp:
        if not image.save(tmp, "PNG"):
            raise OSError(f"cannot write {os.fspath(path)}: the image could not be saved")
    return os.fspath(path)


def export_widget_svg(widget: QWidget, path: str | os.PathLike, caption: str = "") -> str:
    """Save ``widget`` with all its plots and drawings as one SVG drawing; returns the path."""
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    if widget.width() < 2 or widget.height() < 2:
        raise OSError(f"cannot write {os.fspath(path)}: the view has nothing to draw")
    extra = _caption_height(widget) if caption else 0
    with _atomic_path(path) as tmp:
        gen = QSvgGenerator()
        gen.setFileName(tmp)
        size = QSize(widget.width(), widget.height() + extra)
        gen.setSize(size)
        gen.setViewBox(QRect(0, 0, size.width(), size.height()))
        gen.setTitle(caption or "SeqLab")
        painter = QPainter(gen)
        try:
            painter.fillRect(0, 0, size.width(), size.height(), widget.palette().window().color())
            _render(widget, painter, 1.0, caption)
        finally:
            painter.end()
    return os.fspath(path)


def _cell(v) -> str:
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if math.isnan(f):
        return "nan"
    return repr(f)  # shortest text that reads back to the same float


def export_curves_csv(path: str | os.PathLike, columns: Mapping[str, np.ndarray]) -> str:
    """Write ``columns`` (name -> 1-D array) as a CSV with a header row; returns the path.

    Columns may differ in length; shorter ones end in empty cells.  Floats are written
    with full precision, so reading the file back gives the same numbers.
    """
    names = list(columns)
    arrays = [np.asarray(columns[n]).ravel() for n in names]
    n_rows = max((len(a) for a in arrays), default=0)
    with _atomic_path(path) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(names)
            for i in range(n_rows):
                w.writerow([_cell(a[i]) if i < len(a) else "" for a in arrays])
    return os.fspath(path)
