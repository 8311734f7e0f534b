"""The registry of model families and their lessons.

Families register themselves here (``register``); the built-in ones are listed in
``seqlab/families/__init__.py``, which is imported the first time anyone asks for a
family, so ``ExperimentSpec.load`` works in any program. A test or a plug-in adds its own
family with :func:`register` alone: nothing in the core or the window names a family.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from .errors import SpecError

#: the package whose import registers the built-in families
BUILTIN_FAMILIES = "seqlab.families"

_FAMILIES: dict[str, Any] = {}
_lock = threading.RLock()
_loaded = False


def _ensure_builtin() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            _loaded = True
            importlib.import_module(BUILTIN_FAMILIES)


def register(family: Any) -> Any:
    """Add a family (a ``seqlab.core.family.Family``); a second one of the same name replaces it."""
    if not getattr(family, "name", ""):
        raise ValueError("a family needs a name")
    with _lock:
        _FAMILIES[family.name] = family
    return family


def unregister(name: str) -> None:
    with _lock:
        _FAMILIES.pop(name, None)


def families() -> list[Any]:
    """Every registered family, the built-in ones first."""
    _ensure_builtin()
    return list(_FAMILIES.values())


def family_names() -> list[str]:
    return [f.name for f in families()]


def get_family(name: Any) -> Any:
    """The family called `name`; an unknown name gets a message listing the known ones."""
    _ensure_builtin()
    fam = _FAMILIES.get(name) if isinstance(name, str) else None
    if fam is None:
        raise SpecError(f"family must be one of {', '.join(repr(n) for n in _FAMILIES)}, got {name!r}",
                        path="family")
    return fam


def lessons() -> dict[str, Any]:
    """Every family's lessons by name, in the order the families were registered."""
    out: dict[str, Any] = {}
    for fam in families():
        for lesson in fam.lessons():
            out[lesson.name] = lesson
    return out


def get_lesson(name: str) -> Any:
    """The lesson called `name`; a KeyError's message lists the lessons there are."""
    all_lessons = lessons()
    try:
        return all_lessons[name]
    except KeyError:
        raise KeyError(f"unknown lesson {name!r}; built-in lessons: {', '.join(all_lessons)}") from None


def default_lesson() -> str | None:
    """The lesson the lab opens with: the first family's default lesson."""
    for fam in families():
        name = getattr(fam, "default_lesson", None)
        if name:
            return name
    return next(iter(lessons()), None)


__all__ = ["register", "unregister", "families", "family_names", "get_family", "lessons", "get_lesson",
           "default_lesson", "BUILTIN_FAMILIES"]
