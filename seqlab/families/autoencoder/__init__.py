"""The autoencoder family: undercomplete, denoising and anomaly-detecting autoencoders."""
