"""The plain NumPy reference (what `bench --compare-numpy` times) takes exactly the engine's steps."""

import numpy as np
import pytest

from tui_nn.engine.layers import ActivationLayer, Dense
from tui_nn.engine.losses import Quadratic, SigmoidCrossEntropy, SoftmaxLogLikelihood
from tui_nn.engine.network import Sequential
from tui_nn.engine.optimizers import SGD
from tui_nn.engine.regularizers import Regularization
from tui_nn.bench.numpy_reference import PlainNetwork, unsupported


@pytest.mark.parametrize("loss, hidden, momentum, nesterov", [
    (SoftmaxLogLikelihood(), "relu", 0.9, False),
    (SigmoidCrossEntropy(), "sigmoid", 0.9, True),
    (Quadratic("sigmoid"), "tanh", 0.0, False),
])
def test_three_steps_match_the_engine_with_momentum_and_l2(loss, hidden, momentum, nesterov):
    rng = np.random.default_rng(5)
    engine = Sequential([Dense(7, "glorot_normal"), ActivationLayer(hidden), Dense(5, "glorot_normal"),
                         ActivationLayer(hidden), Dense(4, "glorot_normal")], loss, 12).build(rng, np.float64)
    dense = [layer for layer in engine.layers if "W" in layer.params]
    plain = PlainNetwork([d.params["W"].copy() for d in dense], [d.params["b"].copy() for d in dense],
                         [hidden, hidden], loss.name, 0.1, momentum, nesterov, l2=0.01)
    optimizer = SGD(learning_rate=0.1, momentum=momentum, nesterov=nesterov)
    regularization = Regularization(l2=0.01)
    for _ in range(3):
        x, labels = rng.random((9, 12)), rng.integers(0, 4, 9)
        plain.train_batch(x, labels)
        engine.loss_and_grads(x, labels)
        regularization.apply(engine.params, engine.grads, engine.weight_paths(), optimizer.t, rng)
        optimizer.step(engine.params, engine.grads)
    for d, w, b in zip(dense, plain.weights, plain.biases):
        np.testing.assert_allclose(d.params["W"], w, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(d.params["b"], b, rtol=1e-10, atol=1e-12)


def test_what_it_cannot_train_is_refused_by_name():
    dense = [{"type": "dense", "units": 10, "activation": "softmax"}]
    assert "not adam" in unsupported(dense, "log_likelihood", "adam", Regularization())
    assert "conv2d" in unsupported([{"type": "conv2d"}] + dense, "log_likelihood", "sgd", Regularization())
    assert "L1" in unsupported(dense, "log_likelihood", "sgd", Regularization(l1=1e-4))
    assert unsupported(dense, "log_likelihood", "momentum", Regularization(l2=1e-4)) is None
