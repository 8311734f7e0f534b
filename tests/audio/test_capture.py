"""MicrophoneCapture through the exact callback path, fed by a fake stream (no PortAudio)."""

import numpy as np
import pytest

from seqlab.audio.capture import MicrophoneCapture
from seqlab.audio.errors import AudioError
from seqlab.audio.fake_stream import FakeStreamFactory
from seqlab.audio.resample import resample


def tone(seconds, rate, freq=440.0, amp=0.5):
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_captured_audio_is_what_the_device_delivered():
    factory = FakeStreamFactory()
    x = tone(0.5, 16000)
    with MicrophoneCapture(samplerate=16000, stream_factory=factory) as cap:
        assert cap.running and cap.blocksize == 320
        factory.stream.feed(x)
        got = cap.read()
    np.testing.assert_array_equal(got, x[:len(x) // 320 * 320])
    assert cap.overflow_samples == 0 and cap.input_overflows == 0
    assert not cap.running and cap.error is None


def test_stereo_is_downmixed_to_mono():
    factory = FakeStreamFactory()
    left, right = tone(0.1, 16000, amp=0.2), tone(0.1, 16000, freq=1000, amp=0.4)
    with MicrophoneCapture(channels=2, stream_factory=factory) as cap:
        factory.stream.feed(np.stack([left, right], axis=1))
        got = cap.read()
    np.testing.assert_allclose(got, (left + right)[:len(got)] / 2, atol=1e-7)
    assert len(got) == 1600


def test_a_refused_rate_falls_back_to_the_device_default_and_read_resampled_converts():
    factory = FakeStreamFactory(default_samplerate=48000, accepted_rates=(48000.0,))
    x = tone(0.4, 48000)
    with MicrophoneCapture(samplerate=16000, stream_factory=factory) as cap:
        assert cap.samplerate == 48000 and cap.blocksize == 960      # still 20 ms blocks
        factory.stream.feed(x[:9600])
        a = cap.read_resampled(16000)
        factory.stream.feed(x[9600:])
        b = cap.read_resampled(16000)
    streamed = np.concatenate([a, b])
    whole = resample(x, 48000, 16000)
    # Output is delayed by the filter's half length (30 input samples) until more audio arrives.
    assert len(whole) - 20 <= len(streamed) <= len(whole)
    np.testing.assert_allclose(streamed, whole[:len(streamed)], atol=1e-5)


def test_a_device_refusing_every_rate_gives_one_clear_error():
    factory = FakeStreamFactory(default_samplerate=44100, accepted_rates=())
    cap = MicrophoneCapture(device="USB", stream_factory=factory)
    with pytest.raises(AudioError, match="Could not open input device 'USB' at 16000 Hz .* nor at its default 44100 Hz"):
        cap.start()
    assert not cap.running


def test_unplugging_mid_stream_sets_an_error_and_stops():
    factory = FakeStreamFactory()
    cap = MicrophoneCapture(stream_factory=factory)
    cap.start()
    factory.stream.feed(tone(0.2, 16000))
    factory.stream.unplug()
    assert not cap.running
    assert "unplugged" in cap.error
    assert len(cap.read()) == 3200           # what arrived before is still readable
    cap.stop()
    cap.stop()                                # idempotent
    assert "unplugged" in cap.error


def test_a_failing_callback_ends_the_stream_with_a_message():
    factory = FakeStreamFactory()
    cap = MicrophoneCapture(stream_factory=factory)
    cap.start()
    factory.stream.feed(np.zeros(320, np.float32))
    assert cap.running
    cap._ring = None                      # break the capture's state on purpose: the callback now fails
    factory.stream.feed(np.zeros(320, np.float32))
    assert not cap.running and "input callback" in cap.error
    cap.stop()


def test_overflows_from_portaudio_and_from_a_slow_consumer_are_counted():
    factory = FakeStreamFactory()
    with MicrophoneCapture(stream_factory=factory, buffer_seconds=0.1) as cap:   # 1600 samples
        factory.stream.feed(np.zeros(3200, np.float32), overflow_at=(2, 5))
        assert cap.input_overflows == 2
        assert cap.overflow_samples == 1600
        assert len(cap.read()) == 1600


def test_level_meter_reads_rms_and_peak_in_dbfs():
    factory = FakeStreamFactory()
    with MicrophoneCapture(stream_factory=factory) as cap:
        assert cap.level_db() == (-120.0, -120.0)
        factory.stream.feed(tone(0.1, 16000, freq=500, amp=0.5))
        rms, peak = cap.level_db(0.05)
    assert rms == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.05)   # -9.03 dBFS
    assert peak == pytest.approx(20 * np.log10(0.5), abs=0.05)               # -6.02 dBFS


def test_block_times_are_monotonic_and_map_samples_to_blocks():
    factory = FakeStreamFactory()
    with MicrophoneCapture(stream_factory=factory, timing_blocks=8) as cap:
        factory.stream.feed(np.zeros(320 * 20, np.float32))
        t = cap.block_times()
        assert len(t.arrival) == 8                                  # only the newest 8 are kept
        assert np.all(np.diff(t.arrival) >= 0)
        assert t.end_sample.tolist() == [320 * k for k in range(13, 21)]
        np.testing.assert_allclose(np.diff(t.adc_time), 0.02)
        assert cap.arrival_of(320 * 19 + 5) == t.arrival[-1]
        assert cap.arrival_of(320 * 20) is None                     # not arrived yet


def test_bad_arguments_are_refused():
    with pytest.raises(AudioError, match="samplerate"):
        MicrophoneCapture(samplerate=0)
    with pytest.raises(AudioError, match="channels"):
        MicrophoneCapture(channels=0)
