"""``seqlab listen RUN_DIR [--device NAME_OR_INDEX] [--seconds N] [--jsonl]``: the speech family's verb.

Loads a trained keyword recogniser and prints each word it hears with its time (seconds
since listening started) and probability; with ``--jsonl`` one JSON object a line
(``word``, ``time``, ``prob``), then a last ``{"summary": ...}`` line with latency and
overflow figures. Errors are one line: no PortAudio, no such device, not a speech run.
"""

from __future__ import annotations

import json
import sys
import time

from seqlab.core.errors import CliError
from seqlab.core.family import CliVerb

POLL_S = 0.005          # how often the loop looks for new audio (a block is 20 ms)


def _add_arguments(p) -> None:
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run folder of a speech experiment")
    p.add_argument("--device", metavar="NAME_OR_INDEX", default=None,
                   help="input device: its number or part of its name (default: the system's input)")
    p.add_argument("--seconds", type=float, default=None, metavar="N", help="stop after N seconds (default: Ctrl+C)")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per detected word")
    p.add_argument("--threshold", type=float, default=0.7, help="smoothed probability that counts as hearing a word")


def run_listen(args) -> int:
    from seqlab.audio.capture import MicrophoneCapture
    from seqlab.audio.errors import AudioError

    from .live import LiveRecogniser
    from .recogniser import load_recogniser

    if args.seconds is not None and not args.seconds > 0:
        raise CliError(f"--seconds must be a positive number, got {args.seconds}")
    if not 0 < args.threshold < 1:
        raise CliError(f"--threshold must be between 0 and 1, got {args.threshold}")
    rec = load_recogniser(args.run_dir)
    import torch

    torch.set_num_threads(1)         # one small network, one window at a time: a thread is enough
    device = args.device
    if isinstance(device, str) and device.strip().isdigit():
        device = int(device)
    cap = MicrophoneCapture(device=device, samplerate=rec.frontend.spec.sample_rate)
    live = LiveRecogniser(rec, cap, threshold=args.threshold)
    try:
        live.start()
    except AudioError as e:
        raise CliError(str(e)) from None
    words = ", ".join(n for n in rec.class_names if not n.startswith("_"))
    print(f"listening on input {cap.device} at {cap.samplerate} Hz for: {words}"
          + (f" ({args.seconds:g} s)" if args.seconds else " (Ctrl+C to stop)"), file=sys.stderr, flush=True)
    end = time.monotonic() + args.seconds if args.seconds else None
    try:
        while end is None or time.monotonic() < end:
            update = live.poll()
            if update is not None:
                for d in update.detections:
                    if args.jsonl:
                        print(json.dumps(d.as_dict()), flush=True)
                    else:
                        print(f"{d.time:8.2f} s  {d.word:<10} {d.prob:.2f}", flush=True)
            elif not cap.running:
                raise CliError(cap.error or "the microphone stopped delivering audio")
            else:
                time.sleep(POLL_S)
    except KeyboardInterrupt:
        pass
    finally:
        live.stop()
    summary = {"detections": len(live.detections), "predictions": live.predictions,
               "latency": live.latency_stats(), **live.overflows}
    if args.jsonl:
        print(json.dumps({"summary": summary}), flush=True)
    else:
        lat = summary["latency"]
        print(f"{len(live.detections)} words; latency p50 {lat.get('p50_ms', float('nan')):.1f} ms, "
              f"p95 {lat.get('p95_ms', float('nan')):.1f} ms; overflows {summary['input_overflows']} blocks, "
              f"{summary['overflow_samples']} samples lost", file=sys.stderr)
    return 0


LISTEN = CliVerb("listen", "recognise spoken words from the microphone with a trained speech run",
                 _add_arguments, run_listen)

__all__ = ["LISTEN", "run_listen"]
