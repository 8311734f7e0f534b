import pytest

from seqlab.core.spec import ExperimentSpec


@pytest.fixture
def small_spec():
    """A spec that trains in well under a second on a CPU and visibly learns."""
    def make(**sections):
        base = {"data": {"name": "sine", "seq_len": 20, "samples": 400, "noise": 0.05, "seed": 0},
                "model": {"cell": "lstm", "hidden_size": 16, "task": "many-to-many"},
                "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "epochs": 4, "seed": 0,
                          "log_every": 5, "gtt_every": 10, "device": "cpu"}}
        for k, v in sections.items():
            base[k] = {**base[k], **v}
        return ExperimentSpec.from_dict(base)
    return make
