"""GAN tests: one PyTorch thread (the models are tiny; a second thread only spins against
the other processes of a busy 2-core machine), and views drawn offscreen."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def one_torch_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
