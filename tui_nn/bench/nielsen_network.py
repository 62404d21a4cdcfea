"""Nielsen's network.py (Neural Networks and Deep Learning, chapter 1), transcribed: the per-sample
reference that `tui-nn bench --compare-naive` times the engine against.

Kept as the book writes it, allocations included: each sample's backprop starts from fresh zero
gradients, the mini-batch sums build new lists, inputs and targets are (n, 1) float64 columns and
sigmoid_prime evaluates the sigmoid again. Only the loop over the data differs: the caller passes
the mini-batches.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    return sigmoid(z) * (1 - sigmoid(z))


class Network:
    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray]):
        """``weights[i]`` has shape (n_out, n_in) and ``biases[i]`` (n_out, 1), as in the book."""
        self.num_layers = len(weights) + 1
        self.weights = weights
        self.biases = biases

    def update_mini_batch(self, mini_batch: list[tuple[np.ndarray, np.ndarray]], eta: float) -> None:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for layer in range(2, self.num_layers):
            z = zs[-layer]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-layer + 1].transpose(), delta) * sp
            nabla_b[-layer] = delta
            nabla_w[-layer] = np.dot(delta, activations[-layer - 1].transpose())
        return nabla_b, nabla_w

    def cost_derivative(self, output_activations: np.ndarray, y: np.ndarray) -> np.ndarray:
        return output_activations - y


def training_pairs(x: np.ndarray, labels: np.ndarray, classes: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The book's loader format: a list of ((784, 1) image, (10, 1) one-hot target) float64 pairs."""
    targets = np.eye(classes)
    return [(row.reshape(-1, 1).astype(np.float64), targets[label].reshape(-1, 1)) for row, label in zip(x, labels)]
