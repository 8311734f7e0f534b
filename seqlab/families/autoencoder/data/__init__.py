"""Offline data of the autoencoder family (numpy only): digits, heartbeat signals, feature CSVs."""
