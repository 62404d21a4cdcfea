"""Central finite differences, the oracle for every backward pass (float64)."""

import numpy as np


def numeric_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)  # same memory order as x, so both flatten to views in one order
    flat, out = x.reshape(-1, order="A"), grad.reshape(-1, order="A")
    assert np.shares_memory(flat, x), "the perturbation must reach the array itself"
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        plus = f()
        flat[i] = saved - eps
        minus = f()
        flat[i] = saved
        out[i] = (plus - minus) / (2 * eps)
    return grad


def assert_close(analytic: np.ndarray, numeric: np.ndarray, tol: float = 1e-6) -> None:
    scale = max(1.0, np.abs(numeric).max())
    err = np.abs(analytic - numeric).max() / scale
    assert err < tol, f"gradient mismatch {err:.2e}"


def assert_layer_gradients(layer, x: np.ndarray, weights: np.ndarray, training: bool = True) -> None:
    """The layer's input gradient and every parameter gradient against finite differences of
    sum(forward(x) * weights), a loss whose output gradient is ``weights``."""
    def objective():
        return float((layer.forward(x, training) * weights).sum())

    objective()
    dx = layer.backward(weights)
    analytic = {name: grad.copy() for name, grad in layer.grads.items()}
    assert_close(dx, numeric_gradient(objective, x))
    for name, param in layer.params.items():
        assert_close(analytic[name], numeric_gradient(objective, param))
