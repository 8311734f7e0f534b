"""Start a private virtual microphone, record from it, then kill its sound server mid-stream
(the closest thing to pulling out a USB microphone). Prints one JSON line with what the
capture reported. Run as a subprocess by test_microphone.py; kills only the server it started.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from virtual_mic import VirtualMic  # noqa: E402


def main() -> None:
    mic = VirtualMic()
    os.environ.update(mic.start())               # before PortAudio initialises in this process
    from seqlab.audio.capture import MicrophoneCapture
    try:
        cap = MicrophoneCapture()
        cap.start()
        while cap.blocks < 10:                   # audio is flowing
            time.sleep(0.02)
        before = {"running": cap.running, "error": cap.error}
        server = mic._procs[0]                   # the pulseaudio process this script started
        server.kill()
        server.wait()
        blocks = cap.blocks
        for _ in range(100):                     # wait (at most 5 s) for PortAudio to notice
            if not cap.running:
                break
            time.sleep(0.05)
        after = {"running": cap.running, "error": cap.error, "blocks_before_kill": blocks}
        cap.stop()
        cap.stop()
        print(json.dumps({"before": before, "after": after, "after_stop_error": cap.error}))
    finally:
        mic.stop()


if __name__ == "__main__":
    main()
