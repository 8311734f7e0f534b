"""Qt-free audio for the live speech lab: microphone capture and speech features.

Importing this package imports neither sounddevice (PortAudio may be missing) nor Qt; import
the modules you need:

- ``errors``: :class:`AudioError` (a ValueError) and :class:`DeviceNotFoundError`.
- ``ring_buffer``: :class:`RingBuffer`, lock-free single-producer/single-consumer float32 buffer
  that counts overflows instead of blocking.
- ``devices``: :func:`audio_status` (usable or why not), :func:`list_input_devices`,
  :func:`resolve_device` (index, digits or part of a name).
- ``capture``: :class:`MicrophoneCapture`, a PortAudio input stream whose callback only copies;
  level meter, block arrival times, resampled reads, errors instead of crashes.
- ``fake_stream``: :class:`FakeStreamFactory`, feeds synthetic audio through the same callback.
- ``resample``: :func:`resample` and :class:`StreamResampler`, polyphase windowed sinc in numpy
  (equal to scipy's resample_poly).
- ``features``: :class:`FeatureSpec`, :class:`LogMelSpectrogram`, :class:`MFCC`, :class:`Deltas`
  as torch modules matching librosa (torch is imported by this module only).
- ``feature_stream``: :class:`FeatureStream`, the same frames computed incrementally.

(``wavfile`` belongs to the data-set side: reading WAV files.)
"""
