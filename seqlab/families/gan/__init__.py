"""The GAN family: generator and discriminator trained against each other."""
