"""A virtual microphone for tests: a private PulseAudio server whose default source is the
monitor of a null sink, so whatever is played into the sink is what PortAudio records.

Same recipe as ``../shared/tools/virtual-mic.sh`` (PortAudio -> ALSA "default" -> PulseAudio
plugin -> null sink monitor), in Python so the test suite needs nothing outside the repository,
and with a private state directory so it never touches a virtual microphone someone else runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

RATE = 16000
SINK = "seqlab_vmic"
NEEDED = ("pulseaudio", "pactl", "parec", "paplay")


class VirtualMicUnavailable(RuntimeError):
    """PulseAudio cannot be started here; the message says why."""


class VirtualMic:
    def __init__(self):
        missing = [t for t in NEEDED if shutil.which(t) is None]
        if missing:
            raise VirtualMicUnavailable(f"PulseAudio tools are not installed ({', '.join(missing)} missing; "
                                        "apt install pulseaudio pulseaudio-utils libasound2-plugins)")
        # A short path: the server's socket path must fit in 108 bytes.
        self.state = Path(tempfile.mkdtemp(prefix="sqvm-", dir="/tmp"))
        xdg = self.state / "xdg"
        (xdg / "config").mkdir(parents=True)
        os.chmod(xdg, 0o700)
        self.env = {"XDG_RUNTIME_DIR": str(xdg), "XDG_CONFIG_HOME": str(xdg / "config"),
                    "PULSE_SERVER": f"unix:{xdg}/pulse/native"}
        self._procs: list[subprocess.Popen] = []

    def _run(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(args, env={**os.environ, **self.env}, capture_output=True, text=True, timeout=20)

    def start(self) -> dict[str, str]:
        env = {**os.environ, **self.env}
        log = self.state / "pulseaudio.log"
        self._procs.append(subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit=yes", "--disable-shm=yes",
             "-n", "--load=module-native-protocol-unix auth-anonymous=1",
             f"--load=module-null-sink sink_name={SINK} rate={RATE} channels=1 "
             "sink_properties=device.description=SeqLabVirtualMic",
             f"--log-target=file:{log}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(200):
            if self._run("pactl", "info").returncode == 0:
                break
            time.sleep(0.05)
        else:
            tail = log.read_text(errors="replace")[-600:] if log.exists() else "(no log)"
            self.stop()
            raise VirtualMicUnavailable(f"PulseAudio did not start; its log ends: {tail}")
        self._run("pactl", "set-default-sink", SINK)
        self._run("pactl", "set-default-source", f"{SINK}.monitor")
        # An idle null sink renders in 2 s blocks; a low-latency reader keeps it ticking every ~10 ms
        # so a capture stream's first callback comes at once (measured in virtual-mic.sh).
        self._procs.append(subprocess.Popen(
            ["parec", f"--device={SINK}.monitor", "--latency-msec=10", f"--rate={RATE}", "--channels=1",
             "--format=s16le", "--raw"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(2.1)       # let the sink leave its idle 2 s block once
        return dict(self.env)

    def play(self, wav: Path) -> subprocess.Popen:
        """Start playing a WAV file into the microphone; returns the paplay process."""
        return subprocess.Popen(["paplay", f"--device={SINK}", str(wav)], env={**os.environ, **self.env})

    def stop(self) -> None:
        for p in reversed(self._procs):     # only the processes this object started
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self._procs.clear()
        shutil.rmtree(self.state, ignore_errors=True)
