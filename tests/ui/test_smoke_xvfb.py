"""A real window on a real (virtual) X screen: ``seqlab --screenshot`` under Xvfb with xcb.

Offscreen rendering can hide what breaks on a real screen (the xcb plugin and its
libraries, fonts, window sizes), so this starts Xvfb, runs the lab there for a few seconds of
training and checks the picture it saved. Skipped when Xvfb is not installed
(``../shared/tools/screenshot.sh install`` installs it).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")


@pytest.fixture
def display():
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    else:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and raw RGB(A) rows of a non-interlaced 8-bit PNG (no Pillow needed)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    w = h = 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    return w, h, zlib.decompress(idat)


@pytest.mark.parametrize("lesson", [None, "vanishing-gradient"])
def test_the_lab_runs_and_draws_in_a_real_x_window(display, tmp_path, lesson):
    out = tmp_path / "lab.png"
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", SEQLAB_SETTINGS=str(tmp_path / "s.ini"))
    cmd = [sys.executable, "-m", "seqlab", "--screenshot", str(out), "--after", "2"]
    if lesson:
        cmd += ["--lesson", lesson]
    r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    w, h, raw = png_pixels(out)
    assert (w, h) == (1280, 720)
    # a drawn window, not a blank one: many distinct byte values across the picture
    sample = raw[:: max(1, len(raw) // 20000)]
    assert len(set(sample)) > 20
    assert "QThread: Destroyed" not in r.stderr
