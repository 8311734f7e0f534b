"""The one training engine: a small loop with hooks, commands between steps.

Every model family (recurrent networks now; autoencoders, GANs and speech models later)
supplies a :class:`~seqlab.core.family.Trainable` with its own training step and metrics; the engine owns what
they all share: epochs and steps, the optimiser factory, backward + clipping with the
gradient norms recorded, logging rows, validation, divergence handling with the last good
weights kept, and the commands a person sends while it runs (pause, resume, single step,
stop, change the learning rate or the clipping). Progress, early stopping, files and the
window are callbacks (the PyTorch Lightning Trainer/Callback split), never branches here.

The engine knows nothing of Qt: the window's worker runs :meth:`Engine.run` in a QThread
and a bridge callback turns hooks into queued signals.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import torch
from torch import nn

from .bounded import thin
from .family import Trainable
from .spec import TrainSpec


class Callback:
    """Hooks the engine calls, all on the training thread. Override what you need.

    The engine looks the hooks up once when :meth:`Engine.run` starts: attach callbacks
    before that. Any object with some of these methods will do as a callback."""

    def on_train_start(self, engine: "Engine") -> None: ...
    def on_step_end(self, engine: "Engine", out: dict[str, torch.Tensor]) -> None: ...
    def on_log(self, engine: "Engine", row: dict[str, float]) -> None: ...
    def on_validation(self, engine: "Engine", metrics: dict[str, float]) -> None: ...
    def on_epoch_end(self, engine: "Engine", metrics: dict[str, float]) -> None: ...
    def on_pause(self, engine: "Engine", paused: bool) -> None: ...
    def on_snapshot(self, engine: "Engine", kind: str, payload: Any) -> None: ...
    def on_train_end(self, engine: "Engine", summary: dict[str, Any]) -> None: ...


def pick_device(requested: str = "auto") -> torch.device:
    """``auto`` picks CUDA, then Apple's MPS, then the CPU; an unavailable device is an error."""
    if requested == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("train.device is 'cuda' but PyTorch sees no CUDA GPU here; use 'auto' or 'cpu'")
    if requested == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise RuntimeError("train.device is 'mps' but Apple's MPS is not available here; use 'auto' or 'cpu'")
    return torch.device(requested)


def make_optimizer(params: Iterable[nn.Parameter], t: TrainSpec, *, lr: float | None = None,
                   optimizer: str | None = None, betas: tuple[float, float] | None = None) -> torch.optim.Optimizer:
    """The optimiser of ``t`` (``train.optimizer``, ``train.lr``), in PyTorch's fastest
    implementation for its device. A family that trains several networks may override the
    learning rate, the algorithm or Adam's betas for one of them (a GAN's G and D).

    On the CPU PyTorch defaults to its per-tensor loop (a Python iteration and several
    kernels per parameter per step), which for the small models of the course is a visible
    part of the step. The fused kernels (one per step, CPU and CUDA) update Adam 3x faster
    and SGD with momentum 1.5x (measured on a 2-core CPU, LSTM hidden 32/64: Adam 137 ->
    43 us a step); plain SGD has nothing to gain and RMSprop has no fused form, so they take
    the multi-tensor (``foreach``) form. MPS and other devices keep PyTorch's defaults.
    The arithmetic is the same; only the rounding of the last bits can differ.
    """
    params = list(params)
    lr = t.lr if lr is None else lr
    name = optimizer or t.optimizer
    kind = params[0].device.type if params else "cpu"
    known = kind in ("cpu", "cuda")
    foreach: dict[str, bool] = {"foreach": True} if known else {}
    fused: dict[str, bool] = {"fused": True} if known else {}
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, **foreach)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=t.momentum, **fused)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, **foreach)
    return torch.optim.Adam(params, lr=lr, **({"betas": tuple(betas)} if betas is not None else {}), **fused)


@dataclass
class Clipping:
    norm: float | None = None
    value: float | None = None


_HOOKS = ("on_train_start", "on_step_end", "on_log", "on_validation", "on_epoch_end", "on_pause", "on_snapshot",
          "on_train_end")
_FOLD_AT = 256      # step values of a metric kept before they are folded into one partial sum


def _total_norm(grads: list[torch.Tensor]) -> torch.Tensor:
    """The 2-norm of all gradients together, as clip_grad_norm_ measures it."""
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))


def _sum(vals: list) -> Any:
    """The sum of one metric's step values: a tensor sum in one operation, or plain numbers."""
    if len(vals) == 1:
        return vals[0]
    if all(isinstance(v, torch.Tensor) for v in vals):
        return torch.stack(vals).sum(0)
    return sum(float(v) for v in vals)


class Engine:
    """Trains a family. ``run()`` blocks; the command methods may be called from any thread."""

    def __init__(self, family: Trainable, train: TrainSpec, callbacks: Iterable[Callback] = (),
                 device: torch.device | str | None = None):
        self.family = family
        self.train = train
        self.callbacks: list[Callback] = list(callbacks)
        self.device = device if isinstance(device, torch.device) else pick_device(device or train.device)
        self.clipping = Clipping(train.clip_norm, train.clip_value)
        self.optimizers: list[torch.optim.Optimizer] = []
        self._own_lr: set[int] = set()   # optimisers made with their own lr (not set by set_lr)
        self.step = 0
        self.epoch = 0
        self.epochs_done = 0        # whole passes over the training data
        self.started_at = 0.0
        self.stop_reason: str | None = None
        self.message = ""
        self.last_val: dict[str, float] = {}
        self._val_step = -1
        self.record_this_step = False   # True on steps where per-parameter norms are recorded
        self.param_grad_norms: dict[str, float] = {}
        self._commands: "queue.Queue[tuple[str, Any]]" = queue.Queue()
        self._paused = False
        self._steps_allowed = 0          # single steps granted while paused
        self._stop = threading.Event()
        self._good_state: tuple[int, dict] | None = None
        self._candidate_state: tuple[int, dict] | None = None
        self._acc: dict[str, list] = {}   # per metric, the step values since the last log row
        self._acc_n = 0
        self._hooks: dict[str, list[Callable]] | None = None   # bound hooks, fixed while run() runs
        self._log_t = 0.0
        self._log_step = 0

    # -- commands (thread-safe) -------------------------------------------------------
    def pause(self) -> None: self._commands.put(("pause", None))
    def resume(self) -> None: self._commands.put(("resume", None))
    def step_once(self) -> None: self._commands.put(("step", None))
    def set_lr(self, lr: float) -> None: self._commands.put(("lr", float(lr)))

    def set_clipping(self, norm: float | None = None, value: float | None = None) -> None:
        self._commands.put(("clip", Clipping(norm, value)))

    def call_soon(self, fn: Callable[[], Any]) -> None:
        """Run `fn` on the training thread between two steps, or at once while paused.

        The window uses it to probe or save the model it is training without touching the
        model from another thread."""
        self._commands.put(("call", fn))

    def stop(self) -> None:
        self._stop.set()
        self._commands.put(("stop", None))

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _apply(self, cmd: str, arg: Any) -> None:
        if cmd == "pause" and not self._paused:
            self._paused = True
            self._emit("on_pause", True)
        elif cmd == "resume" and self._paused:
            self._paused = False
            self._emit("on_pause", False)
        elif cmd == "step":
            if not self._paused:
                self._paused = True
                self._emit("on_pause", True)
            self._steps_allowed += 1
        elif cmd == "lr":
            for opt in self.optimizers:
                if id(opt) in self._own_lr:
                    continue
                for g in opt.param_groups:
                    g["lr"] = arg
        elif cmd == "clip":
            self.clipping = arg
        elif cmd == "call":
            arg()

    def _wait_for_turn(self) -> bool:
        """Apply pending commands; block while paused. False when the run must stop."""
        # The common case, every step of a running run: nothing queued. Peeking at the deque
        # without the queue's lock is safe here: a command put at this very moment is
        # simply applied before the next step.
        if not self._commands.queue and not self._paused and not self._stop.is_set():
            return True
        while True:
            try:
                while True:
                    self._apply(*self._commands.get_nowait())
            except queue.Empty:
                pass
            if self._stop.is_set():
                return False
            if not self._paused:
                return True
            if self._steps_allowed > 0:
                self._steps_allowed -= 1
                return True
            try:
                self._apply(*self._commands.get(timeout=0.1))
            except queue.Empty:
                pass

    # -- helpers for families ---------------------------------------------------------
    def make_optimizer(self, params: Iterable[nn.Parameter], *, lr: float | None = None,
                       optimizer: str | None = None,
                       betas: tuple[float, float] | None = None) -> torch.optim.Optimizer:
        """An optimiser the engine knows of (for clipping, logging and live commands).

        ``lr``, ``optimizer`` and ``betas`` override the train section for this optimiser
        only (a GAN's two networks). An optimiser given its own ``lr`` is the family's to
        change: the live learning-rate command (:meth:`set_lr`) leaves it alone.
        """
        opt = make_optimizer(params, self.train, lr=lr, optimizer=optimizer, betas=betas)
        self.optimizers.append(opt)
        if lr is not None:
            self._own_lr.add(id(opt))
        return opt

    def penalty(self, module: nn.Module) -> torch.Tensor | float:
        """The L1 and L2 penalties of the course on the weights (not the biases)."""
        t = self.train
        if not (t.l1 or t.l2):
            return 0.0
        total = 0.0
        for name, p in module.named_parameters():
            if "bias" in name:
                continue
            if t.l1:
                total = total + t.l1 * p.abs().sum()
            if t.l2:
                total = total + t.l2 * p.pow(2).sum()
        return total

    def penalised(self, loss: torch.Tensor, module: nn.Module) -> torch.Tensor:
        """``loss`` plus :meth:`penalty` of ``module``; the loss itself when there is none
        (adding the number 0.0 would cost an operation and a backward node every step)."""
        penalty = self.penalty(module)
        return loss + penalty if isinstance(penalty, torch.Tensor) else loss

    def backward_step(self, loss: torch.Tensor, optimizer: torch.optim.Optimizer,
                      params: list[nn.Parameter], named: Iterable[tuple[str, nn.Parameter]] = ()) -> dict[str, torch.Tensor]:
        """Zero, backward, clip (with the live clipping setting), step.

        Returns the gradient norm before and after clipping as tensors (no device sync here;
        the engine turns them into numbers only at logging steps).
        """
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.record_this_step:
            with_grad = [(n, p.grad) for n, p in named if p.grad is not None]
            # One multi-tensor norm and one copy to Python instead of a norm and a sync each.
            norms = torch.stack(torch._foreach_norm([g for _, g in with_grad])).tolist() if with_grad else []
            self.param_grad_norms = {n: v for (n, _), v in zip(with_grad, norms)}
        clip = self.clipping
        # The norms are computed without autograd, so they need no detach().
        if clip.norm is not None:
            # clip_grad_norm_ returns the norm it measured before clipping: no second pass.
            before = torch.nn.utils.clip_grad_norm_(params, clip.norm)
            after = torch.clamp(before, max=clip.norm)
        else:
            grads = [p.grad for p in params if p.grad is not None]
            before = _total_norm(grads) if grads else loss.new_zeros(())
            if clip.value is not None:
                torch.nn.utils.clip_grad_value_(params, clip.value)
                after = _total_norm(grads)
            else:
                after = before
        optimizer.step()
        return {"grad_norm": before, "grad_norm_clipped": after}

    # -- the loop ---------------------------------------------------------------------
    def publish(self, kind: str, payload: Any) -> None:
        """Hand live data of one kind to the callbacks (the window's bridge forwards it)."""
        self._emit("on_snapshot", kind, payload)

    def _emit(self, hook: str, *args) -> None:
        hooks = self._hooks
        if hooks is None:           # outside run(), e.g. validate() called by hand
            for cb in self.callbacks:
                getattr(cb, hook)(self, *args)
            return
        for fn in hooks[hook]:
            fn(self, *args)

    def _bind_hooks(self) -> dict[str, list[Callable]]:
        """Each hook's bound methods, once per run, leaving out :class:`Callback`'s no-op defaults.

        on_step_end runs every step: looking it up by name on every callback, and calling the
        History's empty default, is pure overhead. Callbacks are attached before run()."""
        hooks: dict[str, list[Callable]] = {}
        for hook in _HOOKS:
            default = getattr(Callback, hook)
            # a plain object may leave out hooks it has no use for (on_snapshot, say)
            hooks[hook] = [fn for fn in (getattr(cb, hook, None) for cb in self.callbacks)
                           if fn is not None and getattr(fn, "__func__", None) is not default]
        return hooks

    def _state(self) -> dict:
        return {k: {n: v.to("cpu", copy=True) for n, v in m.state_dict().items()}
                for k, m in self.family.modules().items()}

    def restore(self, state: dict) -> None:
        for k, m in self.family.modules().items():
            m.load_state_dict(state[k])

    def _finite_or_diverge(self, row: dict[str, float]) -> bool:
        """Keep the last good weights; on a NaN/inf loss stop with an explanation.

        The snapshot taken at one log step is confirmed good only when the losses computed
        *with* it (the steps up to the next log) are finite: weights can already be ruined by
        the update that followed the last finite loss.
        """
        bad = [(k, row[k]) for k in getattr(self.family, "watch", ("train_loss",))
               if k in row and not math.isfinite(row[k])]
        if not bad:
            if self._candidate_state is not None:
                self._good_state = self._candidate_state
            self._candidate_state = (self.step, self._state())
            return True
        self.stop_reason = "diverged"
        kept = ""
        if self._good_state is not None:
            self.restore(self._good_state[1])
            kept = (f" The weights from step {self._good_state[0]}, the last that gave a finite loss, "
                    f"are kept.")
        what = "the loss" if bad[0][0] == "train_loss" else bad[0][0]
        self.message = (
            f"Training diverged at step {self.step}: {what} became {bad[0][1]}. "
            f"The learning rate ({self._lr():g}) is probably too high for this model, or the gradients "
            f"exploded: lower the learning rate or turn on gradient clipping (e.g. by norm 1.0)." + kept)
        return False

    def _lr(self) -> float:
        return self.optimizers[0].param_groups[0]["lr"] if self.optimizers else self.train.lr

    def _accumulate(self, out: dict[str, torch.Tensor]) -> None:
        # Kept as a list and summed at the log row: an addition per metric per step would be a
        # tensor operation each (several per step); a list append is not. A long interval
        # between rows (log_every up to a million) is folded into one partial sum now and then,
        # so memory stays flat.
        acc = self._acc
        for k, v in out.items():
            if isinstance(v, torch.Tensor) and v.requires_grad:
                v = v.detach()      # a kept graph would hold the whole step's activations
            vals = acc.get(k)
            if vals is None:
                acc[k] = [v]
            else:
                vals.append(v)
                if len(vals) >= _FOLD_AT:
                    acc[k] = [_sum(vals)]
        self._acc_n += 1

    def _log_row(self) -> dict[str, float]:
        now = time.perf_counter()
        n = max(self._acc_n, 1)
        row: dict[str, float] = {"step": self.step, "epoch": self.epoch}
        for k, vals in self._acc.items():
            row[k] = float(_sum(vals)) / n
        row["lr"] = self._lr()
        row["time"] = now - self.started_at
        dt = now - self._log_t
        row["steps_per_s"] = (self.step - self._log_step) / dt if dt > 0 else 0.0
        self._acc, self._acc_n, self._log_t, self._log_step = {}, 0, now, self.step
        return row

    def validate(self) -> dict[str, float]:
        """Evaluate on the validation split once per step: an epoch that ends on a step
        ``eval_every`` already validated reuses that result (one validation per step)."""
        if self._val_step == self.step:
            return self.last_val
        metrics = self.family.evaluate("val", self)
        self.last_val, self._val_step = metrics, self.step
        self._emit("on_validation", metrics)
        return metrics

    def _flush_log(self) -> bool:
        """Log what accumulated since the last row; False if the run diverged."""
        if not self._acc_n:
            return True
        row = self._log_row()
        if not self._finite_or_diverge(row):
            return False
        self._emit("on_log", row)
        return True

    def run(self) -> dict[str, Any]:
        t = self.train
        torch.manual_seed(t.seed)
        # Vanishing gradients are, literally, tiny numbers: below 1e-38 they become denormals,
        # which x86 CPUs process up to ~100x slower. A vanilla RNN on a long-lag task spent
        # most of its time on them (5x slower overall); flushing them to zero changes no
        # result that can be seen and keeps a run's speed steady. The CPU flag belongs to the
        # calling thread, so it is set for the run and cleared after it (other code in the
        # thread, e.g. hypothesis, expects IEEE subnormals).
        torch.set_flush_denormal(True)
        try:
            return self._run()
        finally:
            torch.set_flush_denormal(False)

    def _run(self) -> dict[str, Any]:
        self.family.setup(self)
        self._hooks = self._bind_hooks()
        try:
            return self._loop()
        finally:
            self._hooks = None

    def _loop(self) -> dict[str, Any]:
        t = self.train
        self.started_at = self._log_t = time.perf_counter()
        self._good_state, self._candidate_state = None, (0, self._state())
        self.stop_reason = None
        self._emit("on_train_start")
        for epoch in range(t.epochs):
            self.epoch = epoch
            for batch in self.family.batches(self):
                if not self._wait_for_turn():
                    self.stop_reason = "stopped"
                    break
                self.record_this_step = self.step % t.gtt_every == 0
                out = self.family.training_step(batch, self)
                self.step += 1
                self._accumulate(out)
                self._emit("on_step_end", out)
                if t.eval_every and self.step % t.eval_every == 0:
                    self.validate()
                # While single-stepping, every step is logged so the person sees it.
                if (self.step % t.log_every == 0 or self._paused) and not self._flush_log():
                    break
                if t.max_steps is not None and self.step >= t.max_steps:
                    self.stop_reason = "max_steps"
                    break
                if self.stop_reason:
                    break
            if self.stop_reason in ("stopped", "diverged") or not self._flush_log():
                break
            self.epochs_done += 1
            self._emit("on_epoch_end", self.validate())
            if self.stop_reason:
                break
        else:
            self.stop_reason = "completed"
        if self.stop_reason == "stopped" and self.step > 0 and self._flush_log():
            self.validate()
        summary = self.summary()
        self._emit("on_train_end", summary)
        return summary

    def request_stop(self, reason: str, message: str = "") -> None:
        """Used by callbacks (early stopping) to end the run after the current step."""
        self.stop_reason = reason
        self.message = message

    def summary(self) -> dict[str, Any]:
        elapsed = time.perf_counter() - self.started_at
        s: dict[str, Any] = {
            "stop_reason": self.stop_reason, "message": self.message, "steps": self.step,
            "epochs": self.epochs_done,
            "seconds": round(elapsed, 3), "steps_per_s": round(self.step / elapsed, 2) if elapsed > 0 else 0.0,
            "device": str(self.device),
        }
        s.update({f"final_{k}": v for k, v in self.last_val.items()})
        return s


# -- callbacks shared by every front end -------------------------------------------------


class History(Callback):
    """Keeps the logged rows and each validation (once, at its step), bounded for long runs."""

    def __init__(self, max_rows: int = 20_000):
        self.rows: list[dict[str, float]] = []
        self.validations: list[dict[str, float]] = []
        self.max_rows = max_rows
        self.best_val_loss = math.inf

    def on_log(self, engine, row):
        self.rows.append(row)
        if len(self.rows) > self.max_rows:
            self.rows = thin(self.rows)

    def on_validation(self, engine, metrics):
        self.validations.append({"step": engine.step, "epoch": engine.epoch, **metrics})
        if len(self.validations) > self.max_rows:
            self.validations = thin(self.validations)
        v = metrics.get("val_loss")
        if v is not None and v < self.best_val_loss:
            self.best_val_loss = v


class EarlyStopping(Callback):
    """Stop when the family's monitored metric has not improved for `patience` epochs; keep
    the best weights.

    The metric is the trainable's ``monitor`` (``val_loss`` for a family with validation
    data). When the validation metrics do not hold it (a GAN has no validation loss), the
    mean of the logged values of that metric over the epoch is used instead.
    """

    def __init__(self, patience: int, monitor: str = "val_loss"):
        self.patience = patience
        self.monitor = monitor
        self.best = math.inf
        self.best_state: dict | None = None
        self.bad_epochs = 0
        self._epoch_sum = 0.0
        self._epoch_n = 0

    def on_train_start(self, engine):
        self.monitor = getattr(engine.family, "monitor", self.monitor) or self.monitor

    def on_log(self, engine, row):
        v = row.get(self.monitor)
        if v is not None:
            self._epoch_sum += v
            self._epoch_n += 1

    def on_epoch_end(self, engine, metrics):
        if self.monitor in metrics:
            v = metrics[self.monitor]
        elif self._epoch_n:
            v = self._epoch_sum / self._epoch_n
        else:
            v = math.inf
        self._epoch_sum, self._epoch_n = 0.0, 0
        if v < self.best - 1e-12:
            self.best, self.bad_epochs = v, 0
            self.best_state = engine._state()
            return
        self.bad_epochs += 1
        if self.bad_epochs >= self.patience:
            if self.best_state is not None:
                engine.restore(self.best_state)
                if self.monitor in engine.last_val:
                    engine.last_val = dict(engine.last_val, **{self.monitor: self.best})
            what = "validation loss" if self.monitor == "val_loss" else self.monitor
            engine.request_stop("early_stopping", (
                f"Early stopping: the {what} has not improved for {self.patience} epochs; "
                f"the weights with the best {what} ({self.best:.4g}) are kept."))


def standard_callbacks(train: TrainSpec) -> list[Callback]:
    """The callbacks every front end wants: history, and early stopping when asked for."""
    cbs: list[Callback] = [History()]
    if train.early_stopping:
        cbs.append(EarlyStopping(train.early_stopping))
    return cbs


def find(callbacks: Iterable[Callback], kind: type) -> Any:
    return next((c for c in callbacks if isinstance(c, kind)), None)


__all__ = ["Engine", "Callback", "History", "EarlyStopping", "standard_callbacks", "pick_device",
           "make_optimizer", "find", "thin"]
