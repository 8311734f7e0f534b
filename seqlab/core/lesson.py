"""Lessons: a preset (experiment specs), the views it opens and a few "what to notice" steps.

Lessons are data: the window reads them and fills its panels; no lesson has code of its
own. Each family lists its lessons (``Family.lessons()``); ``seqlab.core.registry.lessons()``
gathers them all. A lesson's experiments run one after another when it is started, so their
loss curves share one plot (the earlier ones faded) and can be compared. Experiments may
come from JSON files of the repository (``examples/...``), read when the lesson opens; when
a file is absent or broken the lesson's own copy is used.

Importing this module is cheap (no torch, no Qt): ``seqlab lessons`` lists them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Experiment:
    """One experiment of a lesson: a label for the plot and the spec as a dict.

    ``file``: a JSON experiment (relative to the repository root) that replaces ``spec``
    when it exists, so a tuned example file and the lesson never disagree.
    """

    label: str
    spec: dict[str, Any]
    file: str | None = None


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    summary: str
    experiments: tuple[Experiment, ...]
    views: tuple[str, ...]                 # the family workspace's view keys; the first is shown first
    notice: tuple[str, ...]                # 3-5 steps; HTML (sub/superscripts, symbols)
    #: numbers of an experiment that the labels and notes may quote ({lag}, {hidden} ...)
    facts: Callable[[Any], dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        from .spec import DEFAULT_FAMILY

        return self.experiments[0].spec.get("family", DEFAULT_FAMILY) if self.experiments else DEFAULT_FAMILY

    def specs(self):
        """The ExperimentSpecs, read now (files first): [(label, spec), ...]."""
        from .errors import SpecError
        from .spec import ExperimentSpec

        out = []
        for ex in self.experiments:
            spec = None
            path = find_repository_file(ex.file) if ex.file else None
            if path is not None:
                try:
                    spec = ExperimentSpec.from_dict(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError, SpecError):
                    spec = None            # a broken example file must not break the lesson
            if spec is None:
                spec = ExperimentSpec.from_dict(ex.spec)
            out.append((ex.label.format(**self._facts(spec)), spec))
        return out

    def notes(self, specs=None) -> tuple[str, ...]:
        """The "what to notice" steps with the numbers of the last experiment filled in, so the
        text never disagrees with a tuned example file."""
        specs = specs if specs is not None else self.specs()
        f = self._facts(specs[-1][1]) if specs else {}
        return tuple(step.format(**f) for step in self.notice)

    def _facts(self, spec) -> dict[str, Any]:
        return self.facts(spec) if self.facts is not None else {}


def _roots() -> list[Path]:
    import seqlab

    pkg = Path(seqlab.__file__).resolve().parent
    return [pkg.parent, pkg / "resources", Path.cwd()]


def find_repository_file(rel: str) -> Path | None:
    """A file of the repository (``examples/...``) from a checkout, the package or the cwd."""
    for root in _roots():
        p = root / rel
        if p.is_file():
            return p
    return None


__all__ = ["Lesson", "Experiment", "find_repository_file"]
