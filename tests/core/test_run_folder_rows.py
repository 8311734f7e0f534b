"""A run folder's metrics.csv read back as logged rows and validations, whatever the family
logs: a GAN has neither ``train_loss`` nor ``val_loss``."""

from seqlab.core.run_folder import merge_validations, split_validations


def test_rows_and_validations_of_a_family_without_train_or_val_loss_come_back():
    rows = [{"step": s, "epoch": 0, "d_loss": 1.3, "g_loss": 0.8, "lr": 1e-3} for s in (10, 20, 30)]
    vals = [{"step": 20, "epoch": 0, "val_mmd": 0.1}, {"step": 25, "epoch": 0, "val_mmd": 0.05}]
    train, validations = split_validations(merge_validations(rows, vals))
    assert [r["step"] for r in train] == [10, 20, 30] and all("d_loss" in r for r in train)
    assert validations == vals


def test_rows_and_validations_of_a_recurrent_run_split_as_before():
    rows = [{"step": s, "epoch": 0, "train_loss": 1.0 / s, "lr": 1e-3} for s in (10, 20)]
    vals = [{"step": 20, "epoch": 0, "val_loss": 0.04, "val_acc": 0.5}]
    train, validations = split_validations(merge_validations(rows, vals))
    assert [r["step"] for r in train] == [10, 20] and validations == vals
