import numpy as np
import pytest

from tui_nn.engine.activations import ACTIVATIONS
from tui_nn.engine.layers import ActivationLayer, BatchNorm, Dense, Dropout
from tui_nn.engine.losses import Quadratic, SigmoidCrossEntropy, SoftmaxLogLikelihood
from tui_nn.engine.network import Sequential

from .gradcheck import assert_close, assert_layer_gradients, numeric_gradient

LOSSES = [Quadratic("sigmoid"), Quadratic("linear"), SigmoidCrossEntropy(), SoftmaxLogLikelihood()]


@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_loss_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, (5, 4))
    labels = rng.integers(0, 4, 5)
    _, grad = loss.value_and_grad(z, labels)
    assert_close(grad, numeric_gradient(lambda: loss.value(z, labels), z))


@pytest.mark.parametrize("loss", LOSSES[2:], ids=repr)
def test_fused_losses_stay_finite_for_huge_logits(loss):
    z = np.array([[1000.0, -1000.0, 0.0], [-800.0, 800.0, 5.0]])
    value, grad = loss.value_and_grad(z, np.array([1, 1]))
    assert np.isfinite(value) and np.isfinite(grad).all()
    assert value > 100  # the first sample is confidently wrong


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient(name):
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1.5, (4, 6))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from ReLU's kink
    weights = rng.normal(size=(4, 6))
    layer = ActivationLayer(name)
    layer.forward(x, True)
    analytic = layer.backward(weights)
    assert_close(analytic, numeric_gradient(lambda: float((layer.forward(x, True) * weights).sum()), x))


def test_sigmoid_does_not_overflow_in_float32():
    z = np.array([-1e4, -100.0, 0.0, 100.0, 1e4], dtype=np.float32)
    with np.errstate(all="raise"):
        out = ACTIVATIONS["sigmoid"].forward(z)
    np.testing.assert_allclose(out, [0, 0, 0.5, 1, 1], atol=1e-7)


def _network(layers, loss, units=5, seed=0, batch_size=None):
    return Sequential(layers, loss, units).build(np.random.default_rng(seed), np.float64, batch_size)


@pytest.mark.parametrize("batch_size", [None, 10], ids=["row-major", "column-major"])
@pytest.mark.parametrize("loss", LOSSES, ids=repr)
def test_network_parameter_gradients(loss, batch_size):
    net = _network([Dense(4, "glorot_normal", "normal"), ActivationLayer("tanh"), Dense(3, "nielsen", "normal")], loss,
                   batch_size=batch_size)
    assert net.layers[0].params["W"].flags.f_contiguous == (batch_size == 10)
    rng = np.random.default_rng(2)
    x, labels = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    net.loss_and_grads(x, labels)
    analytic = {path: g.copy() for path, g in net.named_grads()}
    for path, param in net.named_params():
        numeric = numeric_gradient(lambda: net.loss.value(net.forward(x, True), labels), param)
        assert_close(analytic[path], numeric)


def test_dense_input_gradient():
    layer = Dense(3)
    layer.build(4, np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).normal(size=(2, 4))
    w = np.random.default_rng(2).normal(size=(2, 3))
    layer.forward(x, True)
    assert_close(layer.backward(w), numeric_gradient(lambda: float((layer.forward(x, True) * w).sum()), x))


def test_batchnorm_gradients_in_training_mode():
    layer = BatchNorm()
    layer.build(3, np.random.default_rng(0), np.float64)
    rng = np.random.default_rng(3)
    layer.params["gamma"][:] = rng.normal(size=3)
    layer.params["beta"][:] = rng.normal(size=3)
    x, w = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    assert_layer_gradients(layer, x, w)


def test_batchnorm_gradient_in_evaluation_mode():
    layer = BatchNorm()
    layer.build(3, np.random.default_rng(0), np.float64)
    layer.buffers["running_mean"][:] = [0.5, -1, 2]
    layer.buffers["running_var"][:] = [2, 0.5, 1]
    x, w = np.random.default_rng(4).normal(size=(4, 3)), np.random.default_rng(5).normal(size=(4, 3))
    layer.forward(x, False)
    assert_close(layer.backward(w), numeric_gradient(lambda: float((layer.forward(x, False) * w).sum()), x))


def test_dropout_gradient_uses_the_forward_mask():
    layer = Dropout(0.5)
    layer.build(6, np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).normal(size=(4, 6))
    out = layer.forward(x, True)
    mask = layer._mask.copy()
    np.testing.assert_allclose(out, x * mask)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), mask)
