"""Watching a GAN train: mode coverage over time, and a plain sentence when it goes wrong.

A GAN has no validation loss that falls when it works. :class:`GanHealth` (an engine
callback the family adds to every run) keeps each evaluation's coverage figures, publishes
them as the ``health`` snapshot (the views' coverage figure and the status line), and says
so when

- the generator **collapses**: on a mixture, its samples cover at most a quarter of the
  modes (at most 2 of the ring's 8) at every evaluation over the last ``COLLAPSE_STEPS``
  steps, once the run is past ``WARMUP_STEPS`` (an untrained G covers none, which is not
  collapse yet); elsewhere, its samples spread over less than a fifth of the data's width;
- the **discriminator wins**: D(x) near 1 and D(G(z)) near 0 for a while, so the minimax
  loss's gradient for G vanishes.

The message goes into the run's summary (``gan_status``, ``message``) and the status line.
"""

from __future__ import annotations

from typing import Any

WARMUP_STEPS = 1000
COLLAPSE_STEPS = 500
D_WINS = (0.97, 0.03)          # mean D(x) above, mean D(G(z)) below ...
D_WINS_ROWS = 20               # ... for this many logged rows in a row


class GanHealth:
    """Engine callback (plain object: the engine calls hooks by name)."""

    def __init__(self):
        self.history: list[dict[str, float]] = []     # step, modes, far_share, spread, mmd
        self.status = "ok"
        self.message = ""
        self._d_wins_rows = 0
        self.modes_total: int | None = None

    # -- engine hooks ----------------------------------------------------------------------
    def on_train_start(self, engine) -> None:
        info = engine.family.describe()
        self.modes_total = info.get("modes")

    def on_log(self, engine, row) -> None:
        real, fake = row.get("d_real"), row.get("d_fake")
        if real is None or fake is None:
            return
        self._d_wins_rows = self._d_wins_rows + 1 if (real > D_WINS[0] and fake < D_WINS[1]) else 0
        if self._d_wins_rows == D_WINS_ROWS and self.status == "ok":
            loss = engine.family.controls.get("loss")
            why = (" With the minimax loss, log(1 − D(G(z))) is flat where D(G(z)) ≈ 0, so G's gradient "
                   "vanishes: try the non-saturating loss." if loss == "minimax" else
                   " Try a lower learning rate for D, or fewer D steps per G step.")
            self._set(engine, "d_wins", f"The discriminator wins at step {engine.step}: D(x) ≈ {real:.2f}, "
                                        f"D(G(z)) ≈ {fake:.2f}." + why,
                      f"D wins: D(x) ≈ {real:.2f}, D(G(z)) ≈ {fake:.2f}")

    def on_validation(self, engine, metrics) -> None:
        rec = {"step": float(engine.step)}
        for key in ("modes", "far_share", "spread", "mmd"):
            v = metrics.get(f"val_{key}")
            if v is not None:
                rec[key] = float(v)
        if len(rec) == 1:
            return
        if self.history and self.history[-1]["step"] == rec["step"]:
            self.history[-1] = rec
        else:
            self.history.append(rec)
        self._check_collapse(engine)
        engine.publish("health", {"step": int(engine.step), "history": [dict(r) for r in self.history[-1:]],
                                  "modes_total": self.modes_total, "status": self.status,
                                  "message": self.message, "short": ""})

    def on_train_end(self, engine, summary: dict[str, Any]) -> None:
        summary["gan_status"] = self.status
        if self.status != "ok":
            summary["message"] = (summary.get("message") + " " if summary.get("message") else "") + self.message

    # the engine calls every hook by name
    def on_step_end(self, engine, out) -> None: ...
    def on_epoch_end(self, engine, metrics) -> None: ...
    def on_pause(self, engine, paused) -> None: ...
    def on_snapshot(self, engine, kind, payload) -> None: ...

    # -- rules -------------------------------------------------------------------------------
    def _check_collapse(self, engine) -> None:
        now = self.history[-1]["step"]
        if now < WARMUP_STEPS:
            return
        recent = [r for r in self.history if r["step"] >= now - COLLAPSE_STEPS]
        if len(recent) < 3 or recent[-1]["step"] - recent[0]["step"] < COLLAPSE_STEPS * 0.8:
            return
        k = self.modes_total
        if k and "modes" in recent[-1]:
            limit = max(2, k // 4)
            if all(r.get("modes", k) <= limit for r in recent):
                worst = int(max(r["modes"] for r in recent))
                self._set(engine, "collapse", f"Mode collapse: for the last {int(now - recent[0]['step'])} steps "
                                              f"the generator's samples cover at most {worst} of the {k} modes. "
                                              "G sends nearly every z to the few points D rates as real; a D that "
                                              "keeps up (a learning rate closer to G's, or more D steps per G "
                                              "step) pushes them apart.",
                          f"Mode collapse: G covers at most {worst} of {k} modes")
                return
        elif all(r.get("spread", 1.0) < 0.2 for r in recent):
            self._set(engine, "collapse", "Mode collapse: the generated samples have shrunk to a small part of "
                                          "the data (less than a fifth of its spread).",
                      "Mode collapse: G's samples have shrunk to a point")
            return
        if self.status == "collapse":
            self._set(engine, "ok", "The generator covers more modes again.", "G covers more modes again")

    def _set(self, engine, status: str, message: str, short: str) -> None:
        """A new status: ``message`` explains it (summary, coverage view), ``short`` fits
        the status line."""
        self.status = status
        self.message = message if status != "ok" else ""
        engine.publish("health", {"step": int(engine.step), "history": [], "modes_total": self.modes_total,
                                  "status": status, "message": message, "short": short})

    def files(self) -> dict[str, Any]:
        """``coverage.csv`` for the run folder: the coverage figures over time."""
        return {"coverage.csv": [dict(r) for r in self.history]}


def history_from_files(files: dict[str, Any]) -> list[dict[str, float]]:
    """The coverage history of an opened run folder (``coverage.csv`` rows)."""
    out = []
    for r in files.get("coverage.csv", []) or []:
        try:
            out.append({k: float(v) for k, v in r.items() if v not in ("", None)})
        except (TypeError, ValueError):
            continue
    return out


__all__ = ["GanHealth", "history_from_files", "WARMUP_STEPS", "COLLAPSE_STEPS"]
