import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))        # virtual_mic.py and mic_session.py live here
from virtual_mic import VirtualMic, VirtualMicUnavailable  # noqa: E402


@pytest.fixture(scope="session")
def virtual_mic():
    """A private PulseAudio virtual microphone for the session, its environment exported.

    PortAudio lists devices once, when it initialises, and reads PULSE_SERVER then; so the
    environment is exported here, before anything in this process could initialise it, and the
    tests record in a subprocess that starts with it (immune to earlier sounddevice imports).
    Skips only when PulseAudio cannot be started.
    """
    try:
        mic = VirtualMic()
        env = mic.start()
    except VirtualMicUnavailable as e:
        pytest.skip(f"no virtual microphone: {e}")
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield mic
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        mic.stop()
