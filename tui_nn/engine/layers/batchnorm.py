"""Batch normalization over features or conv channels (Ioffe & Szegedy 2015, Algorithm 1, section 3.2)."""

from __future__ import annotations

import numpy as np

from ..shapes import Shape
from .base import Layer


class BatchNorm(Layer):
    """Training: x_hat = (x - mu_B) / sqrt(var_B + eps), y = gamma x_hat + beta, with the batch mean
    and (biased) variance, and running averages r <- m r + (1 - m) stat updated for evaluation
    (the running variance uses the unbiased batch variance, as the paper's inference step does).
    Evaluation: the running averages replace the batch statistics.

    On images each channel is one feature whose statistics run over the batch and every pixel
    (the paper's convolutional case); channels-last storage makes that a free reshape to
    (B*H*W, C).

    Backward in training (per feature, n values): dx = gamma / (n sigma) (n g - sum g - x_hat sum(g x_hat)).
    """

    kind = "batchnorm"

    def __init__(self, momentum: float = 0.9, eps: float = 1e-5):
        super().__init__()
        self.momentum = momentum
        self.eps = eps
        self._cache: tuple[np.ndarray, np.ndarray, bool] | None = None

    def parameter_count(self, input_shape: Shape) -> int:
        return 2 * input_shape[-1]

    def build(self, input_shape, rng: np.random.Generator, dtype: np.dtype) -> Shape:
        out = super().build(input_shape, rng, dtype)
        features = self.input_shape[-1]
        self.params = {"gamma": np.ones(features, dtype), "beta": np.zeros(features, dtype)}
        self.buffers = {
            "running_mean": np.zeros(features, dtype),
            "running_var": np.ones(features, dtype),
        }
        self._zero_grads()
        return out

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        if training:
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            n = x.shape[0]
            unbiased = var * (n / max(n - 1, 1))
            for name, stat in (("running_mean", mean), ("running_var", unbiased)):
                buffer = self.buffers[name]
                buffer *= self.momentum
                buffer += (1.0 - self.momentum) * stat
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mean) * inv_std
        self._cache = (x_hat, inv_std, training)
        return (x_hat * self.params["gamma"] + self.params["beta"]).reshape(shape)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        shape = grad.shape
        grad = grad.reshape(-1, shape[-1])
        x_hat, inv_std, training = self._cache
        n = grad.shape[0]
        np.add.reduce(grad, axis=0, out=self.grads["beta"])
        np.add.reduce(grad * x_hat, axis=0, out=self.grads["gamma"])
        if not training:  # running statistics are constants: the layer is a fixed affine map
            return (grad * (self.params["gamma"] * inv_std)).reshape(shape)
        scale = self.params["gamma"] * inv_std / n
        return (scale * (n * grad - self.grads["beta"] - x_hat * self.grads["gamma"])).reshape(shape)

    def __repr__(self) -> str:
        return f"BatchNorm(momentum={self.momentum}, eps={self.eps})"
