"""SeqLab: a desktop lab for recurrent and generative neural networks."""

__version__ = "0.1.0"
