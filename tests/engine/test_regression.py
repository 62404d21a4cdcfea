"""Regression targets, a single output unit for two classes, ELU, and the notebook's XOR network."""

import math

import numpy as np
import pytest

from tui_nn.engine.activations import ACTIVATIONS
from tui_nn.engine.layers import ActivationLayer, Dense
from tui_nn.engine.losses import Quadratic, SigmoidCrossEntropy, predicted_classes
from tui_nn.engine.metrics import PassMetrics
from tui_nn.engine.network import Sequential
from tui_nn.engine.train import measure, monitor_maximizes

from .gradcheck import assert_close, numeric_gradient


@pytest.mark.parametrize("loss", [Quadratic("linear"), Quadratic("sigmoid")], ids=repr)
def test_quadratic_loss_on_float_targets_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    z = rng.normal(0, 1.5, (6, 1))
    targets = rng.normal(0, 1, 6)  # floats: a regression's targets, not class labels
    value, grad = loss.value_and_grad(z, targets)
    expected = 0.5 * np.sum((loss.output(z)[:, 0] - targets) ** 2) / 6
    assert value == pytest.approx(expected)
    assert_close(grad, numeric_gradient(lambda: loss.value(z, targets), z))


@pytest.mark.parametrize("loss", [SigmoidCrossEntropy(), Quadratic("sigmoid"), Quadratic("linear")], ids=repr)
def test_one_output_unit_takes_two_classes_as_zero_and_one(loss):
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, (7, 1))
    labels = rng.integers(0, 2, 7)
    value, grad = loss.value_and_grad(z, labels)
    assert_close(grad, numeric_gradient(lambda: loss.value(z, labels), z))
    a = loss.output(z)[:, 0]
    if isinstance(loss, SigmoidCrossEntropy):
        assert value == pytest.approx(-np.mean(labels * np.log(a) + (1 - labels) * np.log(1 - a)))
    np.testing.assert_array_equal(predicted_classes(loss, z), (a > 0.5).astype(int))


def test_elu_is_exponential_below_zero_and_identity_above():
    elu = ACTIVATIONS["elu"]
    z = np.array([-1000.0, -1.0, 0.0, 2.0])
    with np.errstate(all="raise"):
        out = elu.forward(z)
    np.testing.assert_allclose(out, [-1.0, math.exp(-1) - 1, 0.0, 2.0])
    np.testing.assert_allclose(elu.backward(z, out, np.ones(4)), [0.0, math.exp(-1), 1.0, 1.0], atol=1e-12)


def _xor_network(hidden: str = "relu") -> Sequential:
    net = Sequential([Dense(2, "nielsen", "zeros"), ActivationLayer(hidden), Dense(1, "nielsen", "zeros")],
                     Quadratic("linear"), 2).build(np.random.default_rng(0), np.float64)
    net.load_state_dict({"layers.0.W": np.array([[1.0, 1.0], [1.0, 1.0]]), "layers.0.b": np.array([0.0, -1.0]),
                         "layers.2.W": np.array([[1.0], [-2.0]]), "layers.2.b": np.array([0.0])})
    return net


def test_the_notebooks_xor_weights_give_exactly_0_1_1_0():
    net = _xor_network()
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float64)
    out = net.loss.output(net.logits(x))[:, 0]
    assert out.tolist() == [0.0, 1.0, 1.0, 0.0]
    labels = np.array([0, 1, 1, 0])
    assert predicted_classes(net.loss, net.logits(x)).tolist() == labels.tolist()
    assert measure(net, [(x, labels)]) == {"loss": 0.0, "accuracy": 1.0}


def test_the_xor_weights_state_dict_names_are_the_engines():
    assert set(_xor_network().state_dict()) == {"layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"}


def test_regression_metrics_are_mse_mae_and_r2_in_the_targets_units():
    loss = Quadratic("linear")
    rng = np.random.default_rng(3)
    y = rng.normal(0, 1, 50)
    z = (y + rng.normal(0, 0.3, 50))[:, None]
    metrics = PassMetrics(loss, target_scale=2.0)  # targets standardized by a std of 2
    metrics.add(z[:20], y[:20])
    metrics.add(z[20:], y[20:])
    result = metrics.result()
    error = z[:, 0] - y
    assert result["mse"] == pytest.approx(np.mean(error ** 2) * 4)
    assert result["mae"] == pytest.approx(np.mean(np.abs(error)) * 2)
    assert result["r2"] == pytest.approx(1 - np.sum(error ** 2) / np.sum((y - y.mean()) ** 2))
    assert result["loss"] == pytest.approx(0.5 * np.mean(error ** 2))
    assert "accuracy" not in result


def test_a_perfect_fit_has_r2_one_and_the_mean_has_r2_zero():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    for outputs, r2 in ((y, 1.0), (np.full(4, y.mean()), 0.0)):
        metrics = PassMetrics(Quadratic("linear"))
        metrics.add(outputs[:, None], y)
        assert metrics.result()["r2"] == pytest.approx(r2)


def test_r2_rises_and_errors_fall_for_the_monitor():
    assert monitor_maximizes("val_r2") and monitor_maximizes("test_accuracy")
    assert not monitor_maximizes("val_mse") and not monitor_maximizes("val_mae") and not monitor_maximizes("val_loss")


@pytest.mark.parametrize("loss,targets", [
    (Quadratic("linear"), np.array([0.3, -1.2, 2.0, 0.0, 0.7, -0.4])),  # a regression's float targets
    (SigmoidCrossEntropy(), np.array([0, 1, 1, 0, 1, 0])),  # two classes on one unit
], ids=["regression", "one-sigmoid"])
def test_network_parameter_gradients_with_one_output(loss, targets):
    net = Sequential([Dense(4, "glorot_normal", "normal"), ActivationLayer("elu"), Dense(1, "nielsen", "normal")],
                     loss, 5).build(np.random.default_rng(0), np.float64)
    x = np.random.default_rng(2).normal(size=(6, 5))
    net.loss_and_grads(x, targets)
    analytic = {path: g.copy() for path, g in net.named_grads()}
    for path, param in net.named_params():
        assert_close(analytic[path], numeric_gradient(lambda: net.loss.value(net.forward(x, True), targets), param))
