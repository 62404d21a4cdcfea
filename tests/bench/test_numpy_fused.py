"""The fused NumPy step (what `bench --compare-fused` times) takes exactly the engine's steps."""

import numpy as np
import pytest

from tui_nn.engine.layers import ActivationLayer, Dense
from tui_nn.engine.losses import Quadratic, SigmoidCrossEntropy, SoftmaxLogLikelihood
from tui_nn.engine.network import Sequential
from tui_nn.engine.optimizers import SGD
from tui_nn.engine.regularizers import Regularization
from tui_nn.bench.numpy_fused import FusedNetwork, unsupported


@pytest.mark.parametrize("loss, hidden, momentum", [
    (SoftmaxLogLikelihood(), "relu", 0.9),
    (SigmoidCrossEntropy(), "sigmoid", 0.0),
    (Quadratic("sigmoid"), "tanh", 0.5),
    (SoftmaxLogLikelihood(), "linear", 0.9),
])
def test_steps_of_two_batch_sizes_match_the_engine_with_l2(loss, hidden, momentum):
    rng = np.random.default_rng(7)
    engine = Sequential([Dense(7, "glorot_normal"), ActivationLayer(hidden), Dense(5, "glorot_normal"),
                         ActivationLayer(hidden), Dense(4, "glorot_normal")], loss, 12).build(rng, np.float64)
    dense = [layer for layer in engine.layers if "W" in layer.params]
    fused = FusedNetwork([d.params["W"].copy() for d in dense], [d.params["b"].copy() for d in dense],
                         [hidden, hidden], loss.name, 0.1, momentum, l2=0.01)
    optimizer = SGD(learning_rate=0.1, momentum=momentum)
    regularization = Regularization(l2=0.01)
    for rows in (9, 9, 6, 9, 9):  # the velocity moves between two rows: odd and even steps, two buffer sets
        x, labels = rng.random((rows, 12)), rng.integers(0, 4, rows)
        fused.train_batch(x, labels)
        engine.loss_and_grads(x, labels)
        regularization.apply(engine.params, engine.grads, engine.weight_paths(), optimizer.t, rng)
        optimizer.step(engine.params, engine.grads)
    for d, w, b in zip(dense, fused.weights, fused.biases):
        np.testing.assert_allclose(w, d.params["W"], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, d.params["b"], rtol=1e-10, atol=1e-12)


def test_nesterov_and_what_the_plain_reference_refuses_are_refused_by_name():
    dense = [{"type": "dense", "units": 10, "activation": "softmax"}]
    assert "Nesterov" in unsupported(dense, "log_likelihood", "nesterov", Regularization())
    assert "Nesterov" in unsupported(dense, "log_likelihood", "sgd", Regularization(), nesterov=True)
    assert "not adam" in unsupported(dense, "log_likelihood", "adam", Regularization())
    assert unsupported(dense, "log_likelihood", "momentum", Regularization(l2=1e-4)) is None
