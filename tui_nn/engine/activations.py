"""Element-wise activations as (function, derivative) pairs, written to be overflow-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


def sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2, which cannot overflow."""
    out = np.multiply(z, 0.5)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def softmax(z: Array) -> Array:
    """Row-wise softmax with the maximum subtracted first (exp never overflows)."""
    shifted = z - z.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


@dataclass(frozen=True)
class Activation:
    """``forward(z)`` and ``backward(z, a, grad_a)`` -> grad_z; each uses whichever of z, a is cheaper."""

    name: str
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array, Array], Array]
    can_die: bool = False


LEAKY_SLOPE = 0.01


def _sigmoid_backward(z: Array, a: Array, grad: Array) -> Array:
    out = np.subtract(1.0, a)  # sigma' = a (1 - a)
    out *= a
    out *= grad
    return out


def _tanh_backward(z: Array, a: Array, grad: Array) -> Array:
    return grad * (1.0 - a * a)


def _relu_backward(z: Array, a: Array, grad: Array) -> Array:
    return grad * (z > 0)


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_backward(z: Array, a: Array, grad: Array) -> Array:
    return grad * np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype)


ELU_ALPHA = 1.0


def _elu(z: Array) -> Array:
    """z for z > 0, alpha (e^z - 1) below; expm1 of the clipped negative part never overflows."""
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0)))


def _elu_backward(z: Array, a: Array, grad: Array) -> Array:
    return grad * np.where(z > 0, 1.0, a + ELU_ALPHA).astype(z.dtype)  # below 0: alpha e^z = a + alpha


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, _sigmoid_backward),
    "tanh": Activation("tanh", np.tanh, _tanh_backward),
    "relu": Activation("relu", lambda z: np.maximum(z, 0), _relu_backward, can_die=True),
    "leaky_relu": Activation("leaky_relu", _leaky_relu, _leaky_relu_backward, can_die=True),
    "elu": Activation("elu", _elu, _elu_backward),
    "linear": Activation("linear", lambda z: z, lambda z, a, grad: grad),
}
