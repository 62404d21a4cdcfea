"""Weight and bias initializers. Each draws from the run's ``numpy.random.Generator`` only."""

from __future__ import annotations

from typing import Callable

import numpy as np

Initializer = Callable[[np.random.Generator, int, int], np.ndarray]


def standard_normal(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """N(0, 1): Nielsen's ``large_weight_initializer`` (ch.1)."""
    return rng.standard_normal((fan_in, fan_out))


def nielsen(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """N(0, 1/n_in), i.e. standard deviation 1/sqrt(n_in): Nielsen's default (ch.3)."""
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)


def glorot_normal(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """N(0, 2/(in+out)) (Glorot & Bengio 2010)."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))


def glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """U(-l, l) with l = sqrt(6/(in+out)) (Glorot & Bengio 2010)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def he_normal(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """N(0, 2/n_in) (He et al. 2015), for ReLU layers."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def wide_normal(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """N(0, sigma^2) with sigma = sqrt(6/(in+out)): the optimizer lab's initializer, read literally
    as a standard deviation (it is the Glorot-uniform limit, used as a normal's spread)."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(6.0 / (fan_in + fan_out))


WEIGHT_INITIALIZERS: dict[str, Initializer] = {
    "normal": standard_normal,
    "nielsen": nielsen,
    "glorot_normal": glorot_normal,
    "glorot_uniform": glorot_uniform,
    "he": he_normal,
    "wide_normal": wide_normal,
}


def init_bias(rng: np.random.Generator, kind: str, units: int) -> np.ndarray:
    """"zeros", or "normal" for N(0, 1) as in Nielsen's networks."""
    if kind == "zeros":
        return np.zeros(units)
    if kind == "normal":
        return rng.standard_normal(units)
    raise ValueError(f"unknown bias initializer {kind!r}; allowed: zeros, normal")


BIAS_INITIALIZERS = ("zeros", "normal")
