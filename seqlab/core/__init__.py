"""Qt-free core: specs, datasets, models, probes, the training engine, run folders."""
