"""Tables through the whole experiment: a CSV given only its path and target, generated data,
regression records, table models saved and reopened, and the checks a table's spec gets."""

import json

import numpy as np
import pytest

from tui_nn.engine.events import EarlyStopped, EpochEnd
from tui_nn.experiment.models import keep_model, load_model, open_on_test_split
from tui_nn.experiment.records import RunRecorder
from tui_nn.experiment.session import prepare
from tui_nn.experiment.spec.parse import SpecError, parse_spec


def _spec(raw):
    spec, problems = parse_spec(raw)
    assert problems == []
    return spec


def _write_classes(path, rows=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (rows, 3)) * [1, 10, 100] + [0, 50, -20]  # scales the standardization must undo
    kind = np.where(x[:, 0] + (x[:, 1] - 50) / 10 > 0, "north", "south")
    lines = ["alpha,beta,gamma,kind"] + [f"{a:.4f},{b:.4f},{c:.4f},{k}" for (a, b, c), k in zip(x, kind)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _write_regression(path, rows=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (rows, 2))
    y = 300 * x[:, 0] - 200 * x[:, 1] + 1000 + rng.normal(0, 5, rows)
    path.write_text("price,a,b\n" + "".join(f"{p:.3f},{a:.5f},{b:.5f}\n" for p, (a, b) in zip(y, x)))
    return path


def _train(session):
    events = list(session.events())
    return [e for e in events if isinstance(e, EpochEnd)], events


def test_a_csv_given_only_its_path_and_target_trains_with_a_model_that_fits_it(tmp_path):
    path = _write_classes(tmp_path / "weather.csv")
    session = prepare(_spec({"data": {"path": str(path), "target": "kind"}}), str(tmp_path))
    layers = session.spec.model.layers
    assert (layers[-1].units, layers[-1].activation, session.spec.model.loss) == (2, "softmax", "log_likelihood")
    assert session.spec.optimizer.name == "adam" and session.network.input_shape == (3,)
    assert session.dataset.class_names == ("north", "south")
    summary = session.data_summary()
    assert summary["task"] == "classification" and summary["columns"] == ["alpha", "beta", "gamma"]
    assert summary["feature_mean"][2] == pytest.approx(-20, abs=15) and summary["feature_std"][2] > 50
    epochs, _ = _train(session)
    assert len(epochs) == 100 and epochs[-1].test_accuracy >= 0.95 and not epochs[-1].regression


def test_a_regression_table_reports_mse_mae_and_r2_in_the_targets_units(tmp_path):
    path = _write_regression(tmp_path / "houses.csv")
    spec = _spec({"data": {"path": str(path), "target": "price"}})
    session = prepare(spec, str(tmp_path))
    assert session.spec.model.layers[-1].units == 1 and session.spec.model.loss == "quadratic"
    recorder = RunRecorder(tmp_path / "run.json", session.spec, "houses", data=session.data_summary())
    for event in session.events():
        recorder.observe(event)
    final = json.loads((tmp_path / "run.json").read_text())["final"]
    assert final["test_accuracy"] is None and final["test_r2"] > 0.99
    assert {"train_mse", "train_mae", "train_r2", "test_mse", "test_mae", "test_r2"} <= set(final)
    part = session.feed.splits.test
    rows, prices = part.rows(slice(None))
    outputs = session.network.loss.output(session.network.logits(session.feed.to_float(rows)))[:, 0]
    predicted = session.feed.table_scaling.target_values(outputs)
    assert final["test_mse"] == pytest.approx(np.mean((predicted - prices) ** 2), rel=1e-3)
    assert final["test_mae"] == pytest.approx(np.mean(np.abs(predicted - prices)), rel=1e-3)
    assert final["test_mae"] < 30  # dollars, not standard deviations: the noise is 5 on a spread of 200


def test_a_table_model_is_saved_and_reopened_with_the_same_predictions(tmp_path):
    path = _write_regression(tmp_path / "houses.csv", rows=120)
    spec = _spec({"data": {"path": str(path), "target": "price"}, "training": {"epochs": 3}})
    session = prepare(spec, str(tmp_path))
    recorder = RunRecorder(tmp_path / "run.json", session.spec, "houses", data=session.data_summary())
    for event in session.events():
        recorder.observe(event)
    model_file = keep_model(session, recorder, "completed")
    network, saved_spec, meta = load_model(model_file)
    assert saved_spec == session.spec and meta["data"]["target_std"] == session.feed.table_scaling.target_std
    opened = open_on_test_split(model_file, str(tmp_path))
    rows, targets = session.feed.splits.test.rows(slice(None))
    np.testing.assert_array_equal(opened.images, rows)
    np.testing.assert_array_equal(opened.labels, targets)
    np.testing.assert_array_equal(network.logits(opened.to_float(opened.images)),
                                  session.network.logits(session.feed.to_float(rows)))
    path.unlink()  # without its table the model still reads rows as it was trained to
    alone = open_on_test_split(model_file, str(tmp_path), without_data=True)
    assert "no such file" in alone.data_problem and len(alone.images) == 0
    np.testing.assert_array_equal(alone.to_float(rows), session.feed.to_float(rows))


def test_a_bad_table_is_one_line_naming_file_line_and_column(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,y\n1,2,3\n4,5\n")
    from tui_nn.data import DatasetError

    with pytest.raises(DatasetError, match=r"ragged.csv: line 3: 2 cells, the header has 3 columns"):
        prepare(_spec({"data": {"path": str(path)}}), str(tmp_path))
    with pytest.raises(DatasetError, match=r"line 1: no column 'price'"):
        prepare(_spec({"data": {"path": str(path), "target": "price"}}), str(tmp_path))


def test_a_model_that_does_not_fit_the_table_is_named(tmp_path):
    path = _write_regression(tmp_path / "houses.csv", rows=50)
    raw = {"data": {"path": str(path), "target": "price"},
           "model": {"layers": [{"units": 2, "activation": "sigmoid"}], "loss": "cross_entropy"}}
    with pytest.raises(SpecError) as caught:
        prepare(_spec(raw), str(tmp_path))
    assert {p.path for p in caught.value.problems} == {"model.layers[0].units", "model.loss"}


def _problems(raw):
    return {p.path: p.allowed for p in parse_spec(raw)[1]}


def test_generated_data_is_checked_before_anything_runs():
    dense = {"layers": [{"units": 4, "activation": "elu"}, {"units": 1, "activation": "sigmoid"}],
             "loss": "cross_entropy"}
    assert _problems({"data": {"dataset": "spiral"}, "model": dense}) == {}  # one sigmoid unit, two classes
    softmax_one = {"layers": [{"units": 1, "activation": "softmax"}], "loss": "log_likelihood"}
    circle = _problems({"data": {"dataset": "circle"}, "model": softmax_one})
    assert "one softmax unit" in circle["model.layers[0].units"]
    three = {"layers": [{"units": 3, "activation": "softmax"}], "loss": "log_likelihood"}
    assert "one unit per class (2)" in _problems({"data": {"dataset": "xor"}, "model": three})["model.layers[0].units"]
    plane = {"data": {"dataset": "plane"}, "model": dense}
    assert _problems(plane)["model.loss"] == "a regression fits with the quadratic loss"
    stop = {"data": {"dataset": "plane", "validation_size": 50},
            "model": {"layers": [{"units": 1, "activation": "linear"}], "loss": "quadratic"},
            "training": {"early_stopping": {"patience": 2}}}
    assert "a regression has no accuracy" in _problems(stop)["training.monitor"]
    assert "features are computed" in _problems({"data": {"features": ["x1"]}})["data.features"]
    assert "must be a list of" in _problems({"data": {"dataset": "circle", "features": ["cos(x1)"]}})["data.features"]
    assert "two inputs" in _problems({"data": {"dataset": "sine", "features": ["x1"]}})["data.features"]
    assert _problems({"data": {"dataset": "circle", "noise": 80}})["data.noise"] == "must be a number from 0 to 50"


def test_early_stopping_watches_a_regression_metric(tmp_path):
    raw = {"data": {"dataset": "plane", "validation_size": 100},
           "model": {"layers": [{"units": 1, "activation": "linear"}], "loss": "quadratic"},
           "optimizer": {"name": "sgd", "learning_rate": 0.01},
           "training": {"epochs": 20, "monitor": "val_r2", "early_stopping": {"patience": 2, "min_delta": 10.0}}}
    epochs, events = _train(prepare(_spec(raw), str(tmp_path)))
    stopped = next(e for e in events if isinstance(e, EarlyStopped))
    assert (stopped.epoch, stopped.monitor, stopped.best_epoch) == (3, "val_r2", 1)
    assert epochs[0].val_r2 == pytest.approx(stopped.best_value) and epochs[0].val_mse > 0


def test_the_features_widen_the_input_and_are_kept_with_the_model(tmp_path):
    raw = {"data": {"dataset": "xor", "features": ["x1", "x2", "x1*x2", "sin(x1)"], "points": 100},
           "model": {"layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                     "loss": "cross_entropy"}, "training": {"epochs": 1}}
    session = prepare(_spec(raw), str(tmp_path))
    assert session.network.input_shape == (4,) and session.data_summary()["features"] == list(raw["data"]["features"])
    rows, _ = session.feed.splits.train.rows(slice(None))
    assert rows.shape[1] == 2 and session.feed.to_float(rows).shape == (len(rows), 4)


def test_the_confusion_matrix_reads_one_sigmoid_unit_as_two_classes():
    from tui_nn.engine.layers import Dense
    from tui_nn.engine.losses import SigmoidCrossEntropy
    from tui_nn.engine.network import Sequential
    from tui_nn.experiment.models import confusion_matrix

    net = Sequential([Dense(1, "nielsen", "zeros")], SigmoidCrossEntropy(), 1).build(np.random.default_rng(0),
                                                                                     np.float64)
    net.load_state_dict({"layers.0.W": np.array([[1.0]]), "layers.0.b": np.array([0.0])})
    x, labels = np.array([[-2.0], [-1.0], [1.0], [3.0]]), np.array([0, 1, 1, 1])
    assert confusion_matrix(net, [(x, labels)], 2).tolist() == [[1, 0], [1, 2]]


def test_data_fields_for_another_kind_of_data_are_named_not_ignored():
    assert set(_problems({"data": {"dataset": "mnist", "noise": 10, "gate": "or", "target": "y"}})) == {
        "data.noise", "data.gate", "data.target"}
    assert set(_problems({"data": {"dataset": "gates", "points": 40, "train_fraction": 0.5}})) == {
        "data.points", "data.train_fraction"}
    plane = {"layers": [{"units": 1, "activation": "linear"}], "loss": "quadratic"}
    assert "regression has none" in _problems({"data": {"dataset": "plane", "subset": "stratified"},
                                               "model": plane})["data.subset"]
    assert _problems({"data": {"path": "t.csv", "target": "y", "task": "regression", "train_fraction": 0.7}}) == {}
