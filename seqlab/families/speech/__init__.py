"""The speech family: an LSTM (or RNN / GRU) recognises spoken keywords from MFCC frames, live.

See ``family.py``; the family reuses the recurrent family's model, probes and views.
"""

from .family import FAMILY, SpeechFamily

__all__ = ["FAMILY", "SpeechFamily"]
