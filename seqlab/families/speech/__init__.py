"""The speech family: keyword recognition by an LSTM on MFCC frames of 1-second clips."""
