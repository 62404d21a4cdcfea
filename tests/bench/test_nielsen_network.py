"""The transcribed network.py (the speed reference) and the engine take the same SGD step."""

import numpy as np

from tui_nn.engine.layers import ActivationLayer, Dense
from tui_nn.engine.losses import Quadratic
from tui_nn.engine.network import Sequential
from tui_nn.engine.optimizers import SGD
from tui_nn.bench.nielsen_network import Network, training_pairs


def test_one_mini_batch_matches_the_engine():
    rng = np.random.default_rng(3)
    engine = Sequential([Dense(6, init="normal", bias_init="normal"), ActivationLayer("sigmoid"),
                         Dense(4, init="normal", bias_init="normal")], Quadratic("sigmoid"), 12).build(rng, np.float64)
    dense = [layer for layer in engine.layers if "W" in layer.params]
    book = Network([d.params["W"].T.copy() for d in dense], [d.params["b"][:, None].copy() for d in dense])
    x, labels = rng.random((10, 12)), rng.integers(0, 4, 10)

    book.update_mini_batch(training_pairs(x, labels, 4), eta=3.0)
    engine.loss_and_grads(x, labels)
    SGD(learning_rate=3.0).step(engine.params, engine.grads)

    for d, w, b in zip(dense, book.weights, book.biases):
        np.testing.assert_allclose(d.params["W"].T, w, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(d.params["b"][:, None], b, rtol=1e-10, atol=1e-12)
