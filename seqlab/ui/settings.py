"""Preferences and window layout, kept with QSettings.

The window reads and writes every preference through :class:`Preferences`, never through
QSettings directly, so tests can hand it an isolated store (an INI file in a temporary
folder) and never touch the person's real settings. ``SEQLAB_SETTINGS=/path/file.ini`` does
the same for a whole process (the screenshot and smoke tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "SeqLab"
APPLICATION = "SeqLab"
ENV_FILE = "SEQLAB_SETTINGS"
LAYOUT_VERSION = 1   # bump when docks change, so an old saved layout is not restored into a new window


def open_settings(path: str | os.PathLike | None = None) -> QSettings:
    """The QSettings store: ``path`` (INI), else $SEQLAB_SETTINGS (INI), else the user's own."""
    path = path or os.environ.get(ENV_FILE)
    if path:
        return QSettings(str(path), QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)


class Preferences:
    """Typed access to the preferences the window keeps between sessions."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else open_settings()

    # -- plain values --------------------------------------------------------------------
    def _get(self, key: str, default, kind=str):
        v = self.store.value(key, default)
        if v is None:
            return default
        try:
            if kind is bool:
                return v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes")
            return kind(v)
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value) -> None:
        self.store.setValue(key, value)

    @property
    def theme(self) -> str:
        t = self._get("view/theme", "light")
        return t if t in ("light", "dark") else "light"

    @theme.setter
    def theme(self, name: str) -> None:
        self._set("view/theme", name)

    @property
    def animation_speed(self) -> float:
        return self._get("view/animation_speed", 10.0, float)

    @animation_speed.setter
    def animation_speed(self, steps_per_s: float) -> None:
        self._set("view/animation_speed", float(steps_per_s))

    @property
    def last_folder(self) -> str:
        folder = self._get("files/last_folder", "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    @last_folder.setter
    def last_folder(self, folder: str | os.PathLike) -> None:
        self._set("files/last_folder", str(folder))

    @property
    def last_tab(self) -> str:
        return self._get("view/last_tab", "loss")

    @last_tab.setter
    def last_tab(self, key: str) -> None:
        self._set("view/last_tab", key)

    # -- window layout -------------------------------------------------------------------
    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._set("window/layout_version", LAYOUT_VERSION)
        self._set("window/geometry", geometry)
        self._set("window/state", state)

    def layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """(geometry, dock state) saved last time, or (None, None) for a new or older layout."""
        if self._get("window/layout_version", 0, int) != LAYOUT_VERSION:
            return None, None
        g, s = self.store.value("window/geometry"), self.store.value("window/state")
        return (g if isinstance(g, QByteArray) else None, s if isinstance(s, QByteArray) else None)

    def sync(self) -> None:
        self.store.sync()
