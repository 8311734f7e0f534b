"""Where shipped files live: ``seqlab/resources/<folder>/`` inside the package.

Searched in order, first match wins: the installed package, the repository's top-level
``resources/`` (a source checkout, as the shared design lays it out), and the bundle folder
of a frozen app. Every family finds its shipped data through :func:`resource_file`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import DataError


def resource_dirs(folder: str = "data") -> list[Path]:
    """Folders searched for shipped files of `folder` (``data``, ``speech``, ``digits`` ...)."""
    import seqlab

    pkg = Path(seqlab.__file__).resolve().parent
    dirs = [pkg / "resources" / folder, pkg.parent / "resources" / folder]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "resources" / folder)
    return dirs


def resource_file(name: str, folder: str = "data") -> Path:
    """The shipped file `folder/name`; a DataError saying where it looked when it is missing."""
    for d in resource_dirs(folder):
        if (d / name).is_file():
            return d / name
    raise DataError(f"the shipped data file {name} is missing (looked in "
                    + ", ".join(str(d) for d in resource_dirs(folder)) + "); reinstall SeqLab")


__all__ = ["resource_dirs", "resource_file"]
