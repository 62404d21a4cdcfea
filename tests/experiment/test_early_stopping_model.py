"""An early-stopped run that restores its best epoch keeps that epoch's weights in its model file,
array by array: the same as the model of the same run stopped after that epoch by its epoch count."""

import json

import numpy as np

from tui_nn.cli.main import main
from tui_nn.experiment.models import load_model

SMALL = ["--set", "data.train_size=1000", "--set", "data.validation_size=300", "--set", "data.test_size=300"]
# Only the first epoch counts as an improvement (no loss falls by 10): the run stops after epoch 3.
NO_IMPROVEMENT = ["--set", "training.early_stopping.patience=2", "--set", "training.early_stopping.min_delta=10"]


def model_of(home, name, *options):
    record = home / f"{name}.json"
    assert main(["--home", str(home), "run", "lab-momentum", "--quiet", *SMALL, *options,
                 "--record", str(record)]) == 0
    saved = json.loads(record.read_text())
    network, _, _ = load_model(record.with_name(saved["model"]))
    return saved, network.state_dict()


def test_the_model_of_an_early_stopped_run_holds_its_best_epochs_weights(tmp_path):
    _, first_epoch = model_of(tmp_path, "one-epoch", "--epochs", "1")
    record, restored = model_of(tmp_path, "restored", "--epochs", "10", *NO_IMPROVEMENT,
                                "--set", "training.early_stopping.restore_best=true")
    assert record["status"] == "early_stopped" and len(record["epochs"]) == 3
    assert restored.keys() == first_epoch.keys()
    for path, weights in first_epoch.items():
        np.testing.assert_array_equal(restored[path], weights, err_msg=path)
    _, kept_last = model_of(tmp_path, "not-restored", "--epochs", "10", *NO_IMPROVEMENT)
    assert any(not np.array_equal(kept_last[path], weights) for path, weights in first_epoch.items())


def test_a_restored_runs_final_numbers_are_its_kept_models_and_evaluate_agrees(tmp_path, capsys):
    record, _ = model_of(tmp_path, "restored", "--epochs", "10", *NO_IMPROVEMENT,
                         "--set", "training.early_stopping.restore_best=true")
    first = record["epochs"][0]
    final = record["final"]
    assert final["epoch"] == 1 and final["last_epoch"] == 3
    assert final["test_accuracy"] == first["test_accuracy"] and final["train_loss"] == first["train_loss"]
    assert final["best_test_accuracy"] == max(e["test_accuracy"] for e in record["epochs"])
    assert record["events"][-1]["restored_best"] is True
    capsys.readouterr()
    model = tmp_path / record["model"]
    assert main(["--home", str(tmp_path), "evaluate", str(model)]) == 0  # on the test split it was trained with
    out = capsys.readouterr().out
    assert "the same as its record's final test accuracy" in out and "NOT" not in out, out
    not_restored, _ = model_of(tmp_path, "kept-last", "--epochs", "10", *NO_IMPROVEMENT)
    assert not_restored["final"]["epoch"] == 3 and "last_epoch" not in not_restored["final"]
    assert not_restored["final"]["test_accuracy"] == not_restored["epochs"][-1]["test_accuracy"]
