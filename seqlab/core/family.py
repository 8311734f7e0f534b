"""The family protocol: what a kind of network (recurrent, autoencoder, GAN, speech ...) supplies.

The core, the worker and the window are generic: they know a family only through this
protocol and the registry (``seqlab.core.registry``). A family is one folder under
``seqlab/families/`` whose ``__init__`` exposes a :class:`Family` instance; the list of
built-in families is ``seqlab/families/__init__.py``. ``docs/ARCHITECTURE.md`` walks
through writing one.

Two objects per family:

- :class:`Family` (one instance, registered): name and title; its ``data`` and ``model``
  spec sections, parsed and checked with messages that name the field; the data sets it
  declares; what it adds to a run (callbacks, run-folder files, live snapshot kinds); its
  lessons and command-line verbs; and, on the Qt side, the dotted name of its workspace
  (panels and views), imported only by the window.
- :class:`Trainable` (one per run, from :meth:`Family.build`): what the engine trains. Its
  training step may use several optimisers (a GAN's D and G) and returns *named* metrics;
  ``monitor`` names the metric early stopping watches and ``watch`` the metrics whose
  non-finite value means the run diverged, so a family without a validation loss gets both.

Both are plain Python: this module imports neither torch nor Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, runtime_checkable

from .errors import SpecError
from .fields import section_from_dict


@dataclass(frozen=True)
class SnapshotKind:
    """A kind of live data a family's views draw (a trace of gates, predictions, samples ...).

    ``on_demand``: computed by ``Trainable.snapshot(kind, request)`` only while a visible
    view wants it, at most every ``interval`` seconds and within ``budget`` (a share of the
    training thread's time). Otherwise the family publishes it itself at moments of its
    choosing (``engine.publish(kind, payload)``, e.g. at gradient-record steps) and every
    one is delivered.
    """

    name: str
    on_demand: bool = True
    interval: float = 0.05
    budget: float = 0.04


@dataclass(frozen=True)
class LossCurve:
    """A logged metric the window's Loss view draws for a run of the family (one colour a run;
    the curves of one run told apart by ``style``).

    ``metric``: the row (or validation) metric, e.g. ``train_loss`` or ``d_loss``; its CSV
    columns are named after it (``train_loss`` -> ``<run> train loss``). ``name``: what the
    legend calls it after the run's name ("training", "J<sub>D</sub>": simple HTML is
    allowed); ``caption``: what the line over the plot calls it (default: ``name``).
    ``style``: ``solid`` (a noisy per-step curve, cheap to paint), ``dashed`` or ``dotted``.
    ``validation``: one point per validation (repeated values on rows are one point), with
    markers while there are few. ``lower_is_better``: the plot's title says "lower is better"
    only while every curve on it is; the run table shows such a curve's best (lowest) value,
    any other's last. ``column``: that table column's header (plain text; empty: no column).
    """

    metric: str
    name: str
    caption: str = ""
    style: str = "solid"
    validation: bool = False
    lower_is_better: bool = True
    column: str = ""


#: What the Loss view draws for a family that does not say: training loss on every logged
#: row, validation loss at each validation, the best validation loss in the run table.
DEFAULT_LOSS_CURVES = (
    LossCurve("train_loss", "training", "training loss"),
    LossCurve("val_loss", "validation", "validation loss", style="dashed", validation=True,
              column="Best val loss"),
)


@dataclass(frozen=True)
class DatasetInfo:
    """A data set a family declares (once): its name in ``data.name`` and one line about it."""

    name: str
    title: str
    about: str = ""


@dataclass(frozen=True)
class CliVerb:
    """A command-line verb a family adds (``seqlab probe`` is the recurrent family's)."""

    name: str
    help: str
    add_arguments: Callable[[Any], None]      # (argparse parser) -> None
    run: Callable[[Any], int]                  # (parsed args) -> exit code


@runtime_checkable
class Trainable(Protocol):
    """One run's data and modules, as the engine trains them."""

    monitor: str                      # metric for early stopping (lower is better), e.g. 'val_loss'
    watch: tuple[str, ...]            # metrics whose NaN/inf means the run diverged

    def modules(self) -> dict[str, Any]: ...                    # name -> nn.Module (weights saved)
    def setup(self, engine: Any) -> None: ...                   # optimisers via engine.make_optimizer
    def batches(self, engine: Any) -> Iterator[Any]: ...        # one epoch of training batches
    def training_step(self, batch: Any, engine: Any) -> dict[str, Any]: ...   # named metric tensors
    def evaluate(self, split: str, engine: Any = None) -> dict[str, float]: ...
    def shape_info(self) -> dict[str, Any]: ...                 # what a run folder needs to rebuild it
    def describe(self) -> dict[str, Any]: ...                   # what the window shows about the run
    def snapshot(self, kind: str, request: dict[str, Any]) -> dict[str, Any] | None: ...
    # Optional: ``set_control(name, value)`` changes a live setting between two steps (the
    # window's ``WorkerBridge.set_control``; a GAN's train mode and learning rates).


class Family:
    """Base class of a family: override what the family has; the defaults say "nothing"."""

    #: the value of ``"family"`` in an experiment file
    name: str = ""
    title: str = ""
    #: dataclasses of the ``data`` and ``model`` sections (fields made with ``spec_field``)
    data_spec: type = type(None)
    model_spec: type = type(None)
    #: "package.module:ClassName" of the Qt workspace (panels and views); imported by the window only
    workspace: str = ""
    #: live data kinds the views draw, by name
    snapshot_kinds: dict[str, SnapshotKind] = {}
    #: fields of the core's ``train`` section this family's training never reads (a GAN makes
    #: its own optimisers from its model section: ``optimizer``, ``lr`` and ``momentum`` do
    #: nothing there). The window's Training panel hides them; experiment files may still
    #: hold them, and they keep their values. Names are ``TrainSpec`` fields. Default: none.
    unused_train_fields: frozenset[str] = frozenset()
    #: the metrics the window's Loss view draws for a run, in legend order (:class:`LossCurve`).
    #: A GAN has no validation loss and two training losses that fight: J_D and J_G.
    loss_curves: tuple[LossCurve, ...] = DEFAULT_LOSS_CURVES

    # -- spec sections ------------------------------------------------------------------
    def data_section(self):
        return self.data_spec()

    def model_section(self):
        return self.model_spec()

    def parse_data(self, d: Any):
        section = section_from_dict("data", self.data_spec, d)
        names = [ds.name for ds in self.datasets()]
        if names and getattr(section, "name", None) not in names:
            raise SpecError("data.name must be one of " + ", ".join(repr(n) for n in names)
                            + f", got {getattr(section, 'name', None)!r}", path="data.name")
        return section

    def parse_model(self, d: Any):
        return section_from_dict("model", self.model_spec, d)

    def check(self, spec: Any) -> None:
        """Cross-field rules of the family's sections (raise SpecError with ``path``)."""

    def datasets(self) -> tuple[DatasetInfo, ...]:
        """The data sets of this family, each declared here once."""
        return ()

    # -- a run --------------------------------------------------------------------------
    def build(self, spec: Any, data: Any = None) -> Trainable:
        """The run's data and modules (``data``: already built data to reuse)."""
        raise NotImplementedError

    def callbacks(self, spec: Any) -> list:
        """Engine callbacks this family adds to every run (gradient recorders ...)."""
        return []

    def label(self, spec: Any) -> str:
        """A short name for a run of `spec`, for legends and tables."""
        return f"{self.title or self.name} on {getattr(spec.data, 'name', 'data')}"

    # -- run folders --------------------------------------------------------------------
    def run_files(self, trainable: Trainable, callbacks: list) -> dict[str, Any]:
        """Extra files for a run folder, by file name: ``.npy`` arrays, ``.csv`` lists of
        row dicts, ``.json`` dicts."""
        return {}

    def run_file_names(self) -> tuple[str, ...]:
        """The extra files :meth:`run_files` writes, read back when a run folder is opened."""
        return ()

    def check_weights(self, trainable: Trainable, state: dict[str, Any]) -> None:
        """Raise RunError when saved weights do not fit the modules the spec builds."""

    def restore(self, record: Any) -> Trainable:
        """The trained run of a run folder (its data rebuilt, its weights loaded)."""
        trainable = self.build(record.spec)
        from .run_folder import load_weights

        load_weights(trainable, record.state)
        return trainable

    # -- teaching and tools -------------------------------------------------------------
    def lessons(self) -> tuple:
        """The family's lessons (``seqlab.core.lesson.Lesson``)."""
        return ()

    def cli_verbs(self) -> tuple[CliVerb, ...]:
        return ()


__all__ = ["Family", "Trainable", "SnapshotKind", "LossCurve", "DEFAULT_LOSS_CURVES", "DatasetInfo", "CliVerb",
           "field"]
