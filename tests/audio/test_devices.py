"""Device listing and status say, in one sentence, why audio input is unusable."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

from seqlab.audio import devices
from seqlab.audio.errors import AudioError, DeviceNotFoundError


class FakePortAudioError(Exception):
    pass


def fake_sounddevice(device_list, default_input=-1):
    return SimpleNamespace(
        query_devices=lambda: device_list,
        default=SimpleNamespace(device=[default_input, -1]),
        query_hostapis=lambda i: {"default_input_device": default_input},
        PortAudioError=FakePortAudioError)


DEVICES = [
    {"name": "HDA Intel PCH: ALC257 Analog (hw:0,0)", "max_input_channels": 2, "default_samplerate": 44100.0},
    {"name": "HDMI 0", "max_input_channels": 0, "default_samplerate": 48000.0},
    {"name": "USB Headset: Audio (hw:2,0)", "max_input_channels": 1, "default_samplerate": 48000.0},
    {"name": "pulse", "max_input_channels": 32, "default_samplerate": 44100.0},
    {"name": "default", "max_input_channels": 32, "default_samplerate": 44100.0},
]


@pytest.fixture
def fake_sd(monkeypatch):
    sd = fake_sounddevice(DEVICES, default_input=4)
    monkeypatch.setattr(devices, "_import_sounddevice", lambda: sd)
    return sd


def test_missing_portaudio_is_explained(monkeypatch):
    def no_portaudio():
        raise OSError("PortAudio library not found")
    monkeypatch.setattr(devices, "_import_sounddevice", no_portaudio)
    status = devices.audio_status()
    assert not status.usable and "libportaudio2" in status.reason
    with pytest.raises(AudioError, match="PortAudio library is not installed"):
        devices.list_input_devices()


def test_missing_package_is_explained(monkeypatch):
    def no_package():
        raise ImportError("No module named 'sounddevice'")
    monkeypatch.setattr(devices, "_import_sounddevice", no_package)
    assert "pip install sounddevice" in devices.audio_status().reason


def test_no_input_device_is_explained(monkeypatch):
    monkeypatch.setattr(devices, "_import_sounddevice", lambda: fake_sounddevice([DEVICES[1]]))
    status = devices.audio_status()
    assert not status and "No microphone was found" in status.reason


def test_lists_only_inputs_and_marks_the_default(fake_sd):
    found = devices.list_input_devices()
    assert [d.index for d in found] == [0, 2, 3, 4]
    index, name, channels, rate, is_default = found[1]
    assert (index, name, channels, rate, is_default) == (2, "USB Headset: Audio (hw:2,0)", 1, 48000.0, False)
    assert [d.is_default for d in found] == [False, False, False, True]
    assert devices.audio_status().usable


@pytest.mark.parametrize("query,index", [(None, 4), (2, 2), ("3", 3), (" usb ", 2), ("HEADSET", 2),
                                         ("pulse", 3), ("Default", 4)])
def test_resolve_by_index_digits_or_name_part(fake_sd, query, index):
    assert devices.resolve_device(query) == index


def test_unknown_device_lists_the_available_ones(fake_sd):
    with pytest.raises(DeviceNotFoundError) as e:
        devices.resolve_device("Blue Yeti")
    msg = str(e.value)
    assert "'Blue Yeti'" in msg and "2: USB Headset" in msg and "4: default (default)" in msg
    with pytest.raises(DeviceNotFoundError, match="no input device number 1;"):
        devices.resolve_device(1)            # HDMI 0 is an output


def test_ambiguous_name_asks_for_more(fake_sd):
    with pytest.raises(DeviceNotFoundError, match="ambiguous.*0: HDA.*2: USB"):
        devices.resolve_device("(HW:")


def test_import_seqlab_audio_never_imports_sounddevice():
    code = ("import sys, seqlab.audio, seqlab.audio.capture, seqlab.audio.devices, seqlab.audio.features\n"
            "print('sounddevice' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
