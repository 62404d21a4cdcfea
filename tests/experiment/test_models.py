"""Saved models: reopened bit for bit, refused clearly when damaged or foreign, and the confusion
matrix against one counted by hand."""

import io
import json

import numpy as np
import pytest

from tui_nn.experiment.build import build_network
from tui_nn.experiment.models import (ModelError, confusion_matrix, confusion_text, load_model, model_bytes,
                                      save_model)
from tui_nn.experiment.spec.parse import parse_spec

CONV = {"seed": 4,
        "model": {"layers": [{"type": "conv2d", "filters": 3, "kernel": 3, "activation": "relu"},
                             {"type": "batchnorm"},
                             {"type": "maxpool2d", "size": 2},
                             {"type": "dense", "units": 12, "activation": "tanh"},
                             {"type": "dense", "units": 10, "activation": "softmax"}],
                  "loss": "log_likelihood"}}
DENSE = {"seed": 4,
         "model": {"layers": [{"type": "dense", "units": 16, "activation": "sigmoid"},
                              {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"}}


def network_for(table, input_shape):
    spec, problems = parse_spec(table)
    assert not problems
    network = build_network(spec, input_shape, np.random.default_rng(7))
    return network, spec


@pytest.mark.parametrize("table, input_shape", [(CONV, (12, 12, 1)), (DENSE, (144,))])
def test_a_saved_model_reopens_with_bit_identical_predictions(tmp_path, table, input_shape):
    network, spec = network_for(table, input_shape)
    rng = np.random.default_rng(1)
    x = rng.random((50, 144), dtype=np.float32)
    if "batchnorm" in json.dumps(table):  # running statistics that differ from their initial values
        for _ in range(3):
            network.forward(x.reshape((50,) + input_shape), training=True)
    path = tmp_path / "m.model.npz"
    save_model(path, network, spec, tuple(str(d) for d in range(10)), {"image_shape": [12, 12]}, 3)
    again, spec_again, meta = load_model(path)
    np.testing.assert_array_equal(again.predict_proba(x), network.predict_proba(x))
    assert spec_again == spec and meta["epoch"] == 3 and meta["data"] == {"image_shape": [12, 12]}


def rewritten(path, change):
    """The model file with its metadata or arrays changed by ``change(meta, arrays)``."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    meta = json.loads(bytes(arrays.pop("__meta__")).decode())
    change(meta, arrays)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def test_damaged_foreign_and_other_architecture_models_are_refused_naming_the_file(tmp_path):
    network, spec = network_for(DENSE, (144,))
    good = tmp_path / "good.model.npz"
    good.write_bytes(model_bytes(network, spec, tuple("0123456789"), {}, 1))

    truncated = tmp_path / "truncated.model.npz"
    truncated.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ModelError, match=r"truncated.model.npz: not a readable model file"):
        load_model(truncated)

    other = tmp_path / "other.model.npz"
    other.write_bytes(good.read_bytes())
    rewritten(other, lambda meta, arrays: meta["spec"]["model"]["layers"][0].update(units=17))
    with pytest.raises(ModelError, match=r"other.model.npz: the weights do not fit the network its spec builds"):
        load_model(other)

    checkpoint = tmp_path / "checkpoint.npz"
    np.savez(checkpoint, weights=np.zeros(3))
    with pytest.raises(ModelError, match="not a readable model file|not a tui-nn model"):
        load_model(checkpoint)

    pickled = tmp_path / "pickled.model.npz"
    np.savez(pickled, __meta__=np.array([{"kind": "tui-nn model"}], dtype=object))
    with pytest.raises(ModelError, match="not a readable model file"):  # never unpickled
        load_model(pickled)

    with pytest.raises(ModelError, match="no such file"):
        load_model(tmp_path / "missing.model.npz")

    record = tmp_path / "good.json"  # a run record given where its model was meant
    record.write_text("{}")
    with pytest.raises(ModelError, match=r"good.json: not a model file .*this is a run record, its model is "
                                         r"good.model.npz"):
        load_model(record)


class FixedLogits:
    """Stands in for a network: the logits are given."""

    def __init__(self, logits):
        self.values = logits

    def logits(self, x):
        return self.values[x]


def test_the_confusion_matrix_counts_true_rows_against_predicted_columns():
    labels = np.array([0, 0, 1, 2, 2, 2, 1, 0])
    predicted = np.array([0, 1, 1, 2, 0, 2, 1, 0])
    logits = np.eye(3)[predicted]
    index = np.arange(8)
    matrix = confusion_matrix(FixedLogits(logits), [(index[:5], labels[:5]), (index[5:], labels[5:])], 3)
    expected = np.zeros((3, 3), int)
    for true, guess in zip(labels, predicted):
        expected[true, guess] += 1
    np.testing.assert_array_equal(matrix, expected)
    assert matrix.tolist() == [[2, 1, 0], [0, 2, 0], [1, 0, 2]]
    text = confusion_text(matrix, ("a", "b", "c"))
    rows = text.splitlines()
    assert rows[1].split() == ["a", "[2]", "1", "0", "66.7%"]
    assert rows[3].split() == ["c", "1", "0", "[2]", "66.7%"]
    assert rows[4].split() == ["precision", "67%", "67%", "100%"]
