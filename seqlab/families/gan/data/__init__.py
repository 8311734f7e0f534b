"""Offline data of the GAN family (numpy only): 2-D toy distributions and mode coverage."""
