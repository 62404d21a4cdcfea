"""Regularizers as changes to the gradient before the optimizer step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Regularization:
    """Penalties on the weight matrices (never biases or batch-norm parameters) and gradient noise.

    - ``l1``:  C += l1 sum|w|       ->  dC/dw += l1 sign(w)
    - ``l2``:  C += l2/2 sum w^2    ->  dC/dw += l2 w. Nielsen's lambda is ``l2 = lambda / n`` with n
      the training-set size; with plain SGD that is his weight decay w <- (1 - eta lambda/n) w - eta g.
    - gradient noise (Neelakantan et al. 2015): g += N(0, sigma_t^2), sigma_t^2 = noise_eta / (1 + t)^noise_gamma,
      t the step count from 0, added to every parameter's gradient.
    """

    l1: float = 0.0
    l2: float = 0.0
    noise_eta: float = 0.0
    noise_gamma: float = 0.55

    @property
    def active(self) -> bool:
        return bool(self.l1 or self.l2 or self.noise_eta)

    def apply(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray],
              weight_paths: list[str], step: int, rng: np.random.Generator) -> None:
        for path in weight_paths:
            if self.l2:
                grads[path] += self.l2 * params[path]
            if self.l1:
                grads[path] += self.l1 * np.sign(params[path])
        if self.noise_eta:
            sigma = float(np.sqrt(self.noise_eta / (1.0 + step) ** self.noise_gamma))
            for grad in grads.values():
                grad += sigma * rng.standard_normal(grad.shape, dtype=np.float32).astype(grad.dtype, copy=False)
