"""Qt-free audio: microphone capture and feature extraction."""
