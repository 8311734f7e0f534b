"""Speech data: the built-in spoken-word set and a user's folder of WAV clips, as 1-s 16 kHz clips."""
