"""A real window on a real (virtual) X screen: ``seqlab --screenshot`` under Xvfb with xcb,
and F11 under a window manager.

Offscreen rendering can hide what breaks on a real screen (the xcb plugin and its
libraries, fonts, window sizes), so this starts Xvfb, runs the lab there for a few seconds of
training and checks the picture it saved. Skipped when Xvfb is not installed
(``../shared/tools/screenshot.sh install`` installs it). Only a window manager frames the
window, makes it full screen and gives it back: the F11 test runs under openbox (or fluxbox,
icewm) with xdotool pressing the keys, and is skipped without them
(``apt-get install openbox xdotool``).
"""

from __future__ import annotations

import json
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


def start_xvfb(size: str = "1600x1000"):
    """(display, process) of a fresh Xvfb screen; skips the test when none can start."""
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    else:
        pytest.skip("no free X display number")
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    return f":{n}", proc


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def display():
    name, proc = start_xvfb()
    yield name
    stop(proc)


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


WINDOW_MANAGER = next((wm for wm in ("openbox", "fluxbox", "icewm") if shutil.which(wm)), None)


@pytest.mark.skipif(WINDOW_MANAGER is None or shutil.which("xdotool") is None,
                    reason="no window manager (openbox, fluxbox, icewm) or no xdotool")
def test_f11_under_a_window_manager_on_a_1280x720_screen(tmp_path):
    """The normal window and its status bar on the screen; F11 full screen whatever view is
    shown (a window taller than the screen is not made full screen); F11 again back to the
    very same rectangle (it came back wider than the screen, or without its frame)."""
    name, xvfb = start_xvfb("1280x720")
    env = dict(os.environ, DISPLAY=name, QT_QPA_PLATFORM="xcb")
    wm = subprocess.Popen([WINDOW_MANAGER], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        r = subprocess.run([sys.executable, "-m", "tests.ui.wm_f11_probe", str(tmp_path / "s.ini")],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    finally:
        stop(wm)
        stop(xvfb)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    W, H = out["screen"]
    normal = out["normal"]
    fx, fy, fw, fh = normal["frame"]
    assert fx >= 0 and fy >= 0 and fx + fw <= W and fy + fh <= H, f"the frame {normal['frame']} leaves the screen"
    assert normal["status_visible"] and normal["status_bottom"] < H
    for where, st in [("after F11", out["present"]), *out["present_views"].items()]:
        assert st["presentation"] and st["full_screen"] and st["geometry"] == [0, 0, W, H], (where, st)
        assert st["minimum"][1] <= H, (where, st)
    after = out["after"]
    assert not after["presentation"] and not after["full_screen"]
    assert after["geometry"] == normal["geometry"] and after["frame"] == normal["frame"], (normal, after)
