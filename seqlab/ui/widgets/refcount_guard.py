"""Work-around for a reference-counting bug of PySide6 6.12 on Python 3.11.

With PySide6 / shiboken6 6.12.0 on CPython 3.11, every call of a Qt method that returns
nothing drops one reference to ``None`` too many, and every ``Signal.emit()`` drops one to
``True``.  From Python 3.12 on these objects are immortal (PEP 683) and the extra drop is
harmless, which is presumably why it went unnoticed; on 3.11 the count reaches zero after a
few thousand calls and the interpreter aborts ("Fatal Python error: none_dealloc" or
"bool_dealloc"), mid-animation or at exit.  Reproduce with::

    import sys; from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([]); lab = QLabel()
    n = sys.getrefcount(None); [lab.update() for _ in range(100)]
    print(sys.getrefcount(None) - n)   # -100 with the bug, 0 without

:func:`install` gives None, True and False a very large reference count (2**40) on Python
< 3.12, the moral equivalent of 3.12's immortality, so the extra drops can never free them.
It is idempotent and does nothing on 3.12+.  The real fix is a PySide6 without the bug or
Python >= 3.12; this module can go when the project requires either.
"""

from __future__ import annotations

import sys

__all__ = ["install", "installed"]

_BIG = 1 << 40
_done = False


def install() -> bool:
    """Make None, True and False effectively immortal on Python < 3.12, when the loss is
    measured (not assumed from a version number).  Returns whether anything was done."""
    global _done
    if (_done or sys.version_info >= (3, 12) or hasattr(sys, "pypy_version_info")
            or hasattr(sys, "gettotalrefcount")):  # a debug build lays objects out differently
        return False
    import ctypes

    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    n_none, n_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(8):
        probe.setObjectName("probe")  # a void method
        probe.ping.emit()
    if sys.getrefcount(None) >= n_none and sys.getrefcount(True) >= n_true:
        _done = True
        return False  # this PySide6 is sound
    for obj in (None, True, False):
        before = sys.getrefcount(obj)
        if before >= _BIG:  # already lifted (by a test conftest, say)
            continue
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt, first field
        count.value += _BIG
        if sys.getrefcount(obj) != before + _BIG:  # not the layout we thought: undo
            count.value -= _BIG
    _done = True
    return True


def installed() -> bool:
    return _done
