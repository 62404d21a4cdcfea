"""A plain batched NumPy network, written the way a careful student would: the reference that
`tui-nn bench --compare-numpy` times the engine against.

Lists of weight matrices and bias vectors, a forward pass that keeps every activation, a
backward pass of deltas, and SGD with (Nesterov) momentum and L2 on the weights, all with the
ordinary NumPy operators and new arrays at every step: no buffers, no fused or in-place updates.
It takes exactly the engine's step for the dense networks and SGD-family optimizers it covers
(a test checks that); anything else is refused by name.
"""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("sigmoid", "relu", "tanh", "linear")
LOSSES = ("log_likelihood", "cross_entropy", "quadratic")
OPTIMIZERS = ("sgd", "momentum", "nesterov")


def _sigmoid(z):
    with np.errstate(over="ignore"):  # exp(-z) overflows to inf for very negative z: the sigmoid is then 0
        return 1.0 / (1.0 + np.exp(-z))


def _activate(name, z):
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    return z


def _derivative(name, z, a):
    if name == "sigmoid":
        return a * (1 - a)
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "tanh":
        return 1 - a * a
    return np.ones_like(z)


class PlainNetwork:
    """Dense layers ``weights[i]`` (n_in, n_out), ``biases[i]`` (n_out,), hidden ``activations[i]``;
    the output activation comes with the loss (softmax for log-likelihood, sigmoid otherwise)."""

    def __init__(self, weights, biases, activations, loss, learning_rate, momentum=0.0, nesterov=False, l2=0.0):
        self.weights, self.biases, self.activations = weights, biases, activations
        self.loss, self.learning_rate, self.momentum, self.nesterov, self.l2 = (
            loss, learning_rate, momentum, nesterov, l2)
        self.velocity_w = [np.zeros_like(w) for w in weights]
        self.velocity_b = [np.zeros_like(b) for b in biases]

    def forward(self, x):
        zs, outputs = [], [x]
        for index, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = outputs[-1] @ w + b
            zs.append(z)
            if index < len(self.weights) - 1:
                outputs.append(_activate(self.activations[index], z))
        return zs, outputs

    def output_delta(self, z, labels):
        """dC/dz of the output layer for a batch-mean cost."""
        y = np.zeros_like(z)
        y[np.arange(len(labels)), labels] = 1
        if self.loss == "log_likelihood":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
            return (a - y) / len(labels)
        a = _sigmoid(z)
        if self.loss == "cross_entropy":
            return (a - y) / len(labels)
        return (a - y) * a * (1 - a) / len(labels)

    def train_batch(self, x, labels):
        zs, outputs = self.forward(x)
        delta = self.output_delta(zs[-1], labels)
        grads_w, grads_b = [None] * len(self.weights), [None] * len(self.weights)
        for index in range(len(self.weights) - 1, -1, -1):
            grads_w[index] = outputs[index].T @ delta + self.l2 * self.weights[index]
            grads_b[index] = delta.sum(axis=0)
            if index > 0:
                delta = (delta @ self.weights[index].T) * _derivative(
                    self.activations[index - 1], zs[index - 1], outputs[index])
        for index in range(len(self.weights)):
            self.weights[index], self.velocity_w[index] = self._step(
                self.weights[index], self.velocity_w[index], grads_w[index])
            self.biases[index], self.velocity_b[index] = self._step(
                self.biases[index], self.velocity_b[index], grads_b[index])

    def _step(self, p, v, g):
        if self.momentum == 0:
            return p - self.learning_rate * g, v
        v = self.momentum * v - self.learning_rate * g
        if self.nesterov:
            return p + self.momentum * v - self.learning_rate * g, v
        return p + v, v


def unsupported(layers, loss: str, optimizer: str, regularization) -> str | None:
    """Why the reference cannot train this network, or None when it can."""
    kinds = {layer["type"] for layer in layers}
    if kinds - {"dense"}:
        return f"it has only dense layers, not {', '.join(sorted(kinds - {'dense'}))}"
    if any(layer["activation"] not in ACTIVATIONS for layer in layers[:-1]):
        return f"its hidden activations are {', '.join(ACTIVATIONS)}"
    if loss not in LOSSES:
        return f"its losses are {', '.join(LOSSES)}"
    if loss == "quadratic" and layers[-1]["activation"] != "sigmoid":
        return "its quadratic cost takes a sigmoid output"
    if optimizer not in OPTIMIZERS:
        return f"its optimizers are {', '.join(OPTIMIZERS)}, not {optimizer}"
    if regularization.l1 or regularization.noise_eta:
        return "it has L2 but not L1 or gradient noise"
    return None
