"""The speech family's Qt workspace: panels, microphone views, Record, Live and Confusion pages."""
