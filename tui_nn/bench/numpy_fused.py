"""The plain NumPy reference's step with every fusion NumPy allows: what `tui-nn bench
--compare-fused` times, the fastest NumPy step we know for a dense network.

No framework around it: one flat buffer holds every weight then every bias, another their
gradients, so the whole update is two matrix-vector products (weights, biases) and one add.
Momentum SGD with L2 on the weights,

    v <- mu v - lr g - lr l2 w;   w <- w + v,

is the product of the coefficients (mu, -lr, -lr l2) with the rows (v, g, w) of one (4, N) array,
written into its fourth row: the next step reads that row as v and writes into the first (the
coefficients reordered), so nothing is copied. Every activation, delta and softmax pass runs in
place in buffers kept from the last batch. It takes exactly the engine's step for what it covers
(a test checks that); anything else is refused by name.
"""

from __future__ import annotations

import numpy as np

from .numpy_reference import unsupported as plain_unsupported

#: Rows of the update array: the velocity in the first or the last (each step reads one and
#: writes the other), the gradients and the parameters between them.
VELOCITY, GRADIENT, PARAMETER, NEXT_VELOCITY = 0, 1, 2, 3


class FusedNetwork:
    """Dense layers ``weights[i]`` (n_in, n_out) and ``biases[i]`` (n_out,), hidden
    ``activations[i]``; the output activation comes with the loss, as in PlainNetwork."""

    def __init__(self, weights, biases, activations, loss, learning_rate, momentum=0.0, l2=0.0):
        self.activations, self.loss = activations, loss
        shapes = [w.shape for w in weights]
        self._weight_size = sum(a * b for a, b in shapes)
        size = self._weight_size + sum(b for _, b in shapes)
        self._rows = np.zeros((4, size), weights[0].dtype)
        self.weights, self.biases = self._views(self._rows[PARAMETER], shapes)
        self._grad_w, self._grad_b = self._views(self._rows[GRADIENT], shapes)
        for target, source in zip(self.weights + self.biases, list(weights) + list(biases)):
            target[...] = source
        lr, dtype = learning_rate, self._rows.dtype
        # (v, g, w) -> new v, and the same with the rows in the order (g, w, v) after a swap
        self._coefficients = {
            False: (np.array([[momentum, -lr, -lr * l2]], dtype), np.array([[momentum, -lr, 0.0]], dtype)),
            True: (np.array([[-lr, -lr * l2, momentum]], dtype), np.array([[-lr, 0.0, momentum]], dtype)),
        }
        self._swapped = False  # True: the velocity is in row NEXT_VELOCITY
        self._buffers: dict[int, tuple[list[np.ndarray], list[np.ndarray], np.ndarray]] = {}

    @staticmethod
    def _views(row: np.ndarray, shapes) -> tuple[list[np.ndarray], list[np.ndarray]]:
        weights, offset = [], 0
        for a, b in shapes:
            weights.append(row[offset:offset + a * b].reshape(a, b))
            offset += a * b
        biases = []
        for _, b in shapes:
            biases.append(row[offset:offset + b])
            offset += b
        return weights, biases

    def _batch_buffers(self, rows: int):
        if rows not in self._buffers:
            dtype = self._rows.dtype
            outputs = [np.empty((rows, w.shape[1]), dtype) for w in self.weights]
            deltas = [np.empty((rows, w.shape[0]), dtype) for w in self.weights]
            self._buffers[rows] = (outputs, deltas, np.empty((rows, max(w.shape[1] for w in self.weights)), dtype))
        return self._buffers[rows]

    def train_batch(self, x: np.ndarray, labels: np.ndarray) -> None:
        outputs, deltas, scratch = self._batch_buffers(len(x))
        inputs = [x]
        for index, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = np.matmul(inputs[-1], w, out=outputs[index])
            z += b
            if index < len(self.weights) - 1:
                _activate(self.activations[index], z)
                inputs.append(z)
        delta = self._output_delta(outputs[-1], labels, scratch)
        for index in range(len(self.weights) - 1, -1, -1):
            np.matmul(inputs[index].T, delta, out=self._grad_w[index])
            np.add.reduce(delta, axis=0, out=self._grad_b[index])
            if index > 0:
                below = np.matmul(delta, self.weights[index].T, out=deltas[index])
                _times_derivative(self.activations[index - 1], below, inputs[index], scratch)
                delta = below
        self._update()

    def _output_delta(self, z: np.ndarray, labels: np.ndarray, scratch: np.ndarray) -> np.ndarray:
        """dC/dz of the output layer for a batch-mean cost, in place in ``z``."""
        rows, classes = z.shape
        offsets = np.arange(rows) * classes
        targets = offsets + labels
        if self.loss == "log_likelihood":
            # each row's maximum fetched at its argmax, as the engine's loss does: max() over short rows is slower
            z -= z.take(z.argmax(axis=1) + offsets)[:, None]
            np.exp(z, out=z)
            z /= np.add.reduce(z, axis=1, keepdims=True)
            z.ravel()[targets] -= 1
        else:
            _activate("sigmoid", z)
            if self.loss == "quadratic":
                slope = scratch[:, :classes]
                np.subtract(1, z, out=slope)
                slope *= z
                z.ravel()[targets] -= 1
                z *= slope
            else:
                z.ravel()[targets] -= 1
        z *= 1.0 / rows
        return z

    def _update(self) -> None:
        weights_only, biases_only = self._coefficients[self._swapped]
        source = self._rows[1:4] if self._swapped else self._rows[0:3]
        target = VELOCITY if self._swapped else NEXT_VELOCITY
        split = self._weight_size
        np.matmul(weights_only, source[:, :split], out=self._rows[target:target + 1, :split])
        np.matmul(biases_only, source[:, split:], out=self._rows[target:target + 1, split:])
        self._rows[PARAMETER] += self._rows[target]
        self._swapped = not self._swapped


def _activate(name: str, z: np.ndarray) -> None:
    if name == "relu":
        np.maximum(z, 0, out=z)
    elif name == "sigmoid":
        with np.errstate(over="ignore"):  # exp(-z) overflows to inf for very negative z: the sigmoid is then 0
            np.negative(z, out=z)
            np.exp(z, out=z)
        z += 1
        np.reciprocal(z, out=z)
    elif name == "tanh":
        np.tanh(z, out=z)


def _times_derivative(name: str, delta: np.ndarray, a: np.ndarray, scratch: np.ndarray) -> None:
    """delta *= the activation's derivative, from its output ``a``."""
    if name == "linear":
        return
    slope = scratch[:, :a.shape[1]]
    if name == "relu":
        np.greater(a, 0, out=slope)
    elif name == "sigmoid":
        np.subtract(1, a, out=slope)
        slope *= a
    else:  # tanh
        np.multiply(a, a, out=slope)
        np.subtract(1, slope, out=slope)
    delta *= slope


def unsupported(layers, loss: str, optimizer: str, regularization, nesterov: bool = False) -> str | None:
    """Why the fused step cannot train this network, or None when it can."""
    reason = plain_unsupported(layers, loss, optimizer, regularization)
    if reason is None and (optimizer == "nesterov" or nesterov):
        return "its update is one matrix-vector product, which Nesterov's look-ahead step is not"
    return reason
