"""Record through MicrophoneCapture while a WAV file is played into the virtual microphone.

Run as a subprocess by test_microphone.py so PortAudio initialises with the virtual
microphone's environment: ``python mic_session.py WORD.wav OUT.npz SINK``. Prints one JSON line.
The loop reads every 20 ms, like the GUI timer would, so a consumer that keeps up is tested.
"""

import json
import subprocess
import sys
import time

import numpy as np

from seqlab.audio.capture import MicrophoneCapture
from seqlab.audio.devices import audio_status, list_input_devices, resolve_device


def main(wav: str, out: str, sink: str) -> None:
    status = audio_status()
    if not status.usable:
        print(json.dumps({"usable": False, "reason": status.reason}))
        return
    chunks = []
    with MicrophoneCapture(samplerate=16000) as cap:
        def drain(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                chunks.append(cap.read())
                time.sleep(0.02)
        drain(0.5)                                  # silence first
        marker = cap.samples_written                # nothing played before this sample
        player = subprocess.Popen(["paplay", f"--device={sink}", wav])
        while player.poll() is None:
            chunks.append(cap.read())
            time.sleep(0.02)
        drain(0.3)                                  # the word's tail through the sound server
        running_at_end = cap.running
    chunks.append(cap.read())                       # blocks that arrived before stop() took effect
    times = cap.block_times()
    device = next(d.name for d in list_input_devices() if d.index == cap.device)
    np.savez(out, audio=np.concatenate(chunks), arrival=times.arrival, end_sample=times.end_sample)
    print(json.dumps({"usable": True, "samplerate": cap.samplerate, "blocksize": cap.blocksize,
                      "device": device, "marker": marker, "overflow_samples": cap.overflow_samples,
                      "input_overflows": cap.input_overflows, "error": cap.error,
                      "running_at_end": running_at_end, "blocks": cap.blocks,
                      "player_rc": player.returncode,
                      "inputs": [d.name for d in status.devices],
                      "resolved_pulse": [d.name for d in status.devices if d.index == resolve_device("PULSE")]}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
