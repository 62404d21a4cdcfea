"""Small datasets generated from a seed: the logic gates' truth tables, the TensorFlow Playground's
six 2-D datasets, and 1-D functions on an interval.

The Playground's generators (its ``src/dataset.ts``) are followed for the shapes, the ranges, the
noise (a percentage, 0-50 on its slider, that moves each point before its label is taken) and the
default sizes (500 points to classify, 1,200 to regress, half of them for training). Its labels
-1 and +1 are the classes 0 ("negative") and 1 ("positive") here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .datasets import Dataset, DatasetError

GATES = {"or": (0, 1, 1, 1), "and": (0, 0, 0, 1), "xor": (0, 1, 1, 0)}
GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float64)

PLAYGROUND_CLASSES = ("negative", "positive")
PLAYGROUND_CLASSIFY = ("circle", "xor", "gauss", "spiral")
PLAYGROUND_REGRESS = ("plane", "multi-gauss")
PLAYGROUND_POINTS = {"classification": 500, "regression": 1200}
PLAYGROUND_TRAIN_FRACTION = 0.5


def nielsen_ch4(x: np.ndarray) -> np.ndarray:
    """The function of Nielsen's chapter 4."""
    return 0.2 + 0.4 * x ** 2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


#: 1-D functions: the function and its interval.
FUNCTIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = {
    "nielsen-ch4": (nielsen_ch4, (0.0, 1.0)),
    "sine": (lambda x: np.sin(2 * np.pi * x), (0.0, 1.0)),
    "step": (lambda x: (x >= 0.5).astype(np.float64), (0.0, 1.0)),
    "abs": (np.abs, (-1.0, 1.0)),
}
FUNCTION_POINTS = 2000
FUNCTION_TRAIN_FRACTION = 0.8

GENERATED = ("gates",) + PLAYGROUND_CLASSIFY + PLAYGROUND_REGRESS + tuple(FUNCTIONS)


def generated_task(name: str) -> str:
    return "classification" if name == "gates" or name in PLAYGROUND_CLASSIFY else "regression"


def generated_inputs(name: str) -> int:
    return 1 if name in FUNCTIONS else 2


def default_points(name: str) -> int:
    if name == "gates":
        return len(GATE_INPUTS)
    if name in FUNCTIONS:
        return FUNCTION_POINTS
    return PLAYGROUND_POINTS[generated_task(name)]


def default_train_fraction(name: str) -> float:
    if name == "gates":
        return 1.0
    return FUNCTION_TRAIN_FRACTION if name in FUNCTIONS else PLAYGROUND_TRAIN_FRACTION


def split_counts(name: str, points: int | None = None, train_fraction: float | None = None) -> tuple[int, int]:
    """(training, test) points of a generated dataset; the gates train and test on all four rows."""
    if name == "gates":
        return len(GATE_INPUTS), len(GATE_INPUTS)
    count = points if points is not None else default_points(name)
    fraction = train_fraction if train_fraction is not None else default_train_fraction(name)
    train = min(max(int(count * fraction), 1), count - 1)
    return train, count - train


def _uniform(rng: np.random.Generator, low: float, high: float, count: int) -> np.ndarray:
    return rng.uniform(low, high, count)


def circle(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Half the points uniform in radius within 2.5 of the centre, half in the ring 3.5-5; the
    class is whether the point, moved by the noise, lies within 2.5."""
    radius, half = 5.0, count // 2
    r = np.concatenate([_uniform(rng, 0, radius * 0.5, half), _uniform(rng, radius * 0.7, radius, count - half)])
    angle = _uniform(rng, 0, 2 * math.pi, count)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    moved = points + rng.uniform(-radius, radius, (count, 2)) * noise
    return points, (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.intp)


def xor(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x1, x2 uniform in [-5, 5], pushed 0.3 away from the axes; the class is sign(x1 * x2)."""
    points = rng.uniform(-5, 5, (count, 2))
    points += np.where(points > 0, 0.3, -0.3)
    moved = points + rng.uniform(-5, 5, (count, 2)) * noise
    return points, (moved[:, 0] * moved[:, 1] >= 0).astype(np.intp)


def gauss(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs at (2, 2) (positive) and (-2, -2); the variance grows from 0.5 at noise 0
    to 4 at noise 0.5."""
    variance, half = 0.5 + 7.0 * noise, count // 2
    centres = np.array([[2.0, 2.0]] * half + [[-2.0, -2.0]] * (count - half))
    points = centres + rng.normal(0.0, math.sqrt(variance), (count, 2))
    return points, np.array([1] * half + [0] * (count - half), np.intp)


def spiral(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two spirals, the second turned by pi: radius growing to 5 over 1.75 turns."""
    half = count // 2
    arms = []
    for delta, size in ((0.0, half), (math.pi, count - half)):
        step = np.arange(size) / size
        r, t = step * 5, 1.75 * step * 2 * math.pi + delta
        arms.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (size, 2)) * noise)
    return np.concatenate(arms), np.array([1] * half + [0] * (count - half), np.intp)


def plane(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x1, x2 uniform in [-6, 6]; the target is (x1 + x2) / 10 at the point moved by the noise."""
    points = rng.uniform(-6, 6, (count, 2))
    moved = points + rng.uniform(-6, 6, (count, 2)) * noise
    return points, (moved[:, 0] + moved[:, 1]) / 10


BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multi_gauss(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Six bumps of alternating sign; the target is the bump of largest magnitude at the point
    (moved by the noise), each bump 1 - distance / 2, clamped at 0."""
    points = rng.uniform(-6, 6, (count, 2))
    moved = points + rng.uniform(-6, 6, (count, 2)) * noise
    bumps = np.stack([sign * np.clip(1 - np.hypot(moved[:, 0] - cx, moved[:, 1] - cy) / 2, 0, 1)
                      for cx, cy, sign in BUMPS], axis=1)
    return points, bumps[np.arange(count), np.abs(bumps).argmax(axis=1)]


PLAYGROUND = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "plane": plane,
              "multi-gauss": multi_gauss}


def function_points(name: str, count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points uniform on the function's interval; noise adds N(0, noise^2) to the targets."""
    function, (low, high) = FUNCTIONS[name]
    x = rng.uniform(low, high, count)
    y = function(x)
    if noise:
        y = y + rng.normal(0.0, noise, count)
    return x[:, None], y


def generate_dataset(name: str, seed: int, points: int | None = None, noise: float = 0.0,
                     train_fraction: float | None = None, gate: str = "xor") -> Dataset:
    """The dataset ``name`` drawn with ``seed``: ``points`` in all (default as the Playground),
    ``noise`` in percent (0-50, as the Playground's slider), shuffled and split with the first
    ``train_fraction`` for training and the rest for testing. The gates are their truth table,
    trained and tested on its four rows."""
    if name not in GENERATED:
        raise DatasetError(f"unknown generated dataset {name!r}; allowed: {', '.join(GENERATED)}")
    if name == "gates":
        if gate not in GATES:
            raise DatasetError(f"data.gate = {gate!r}: one of {', '.join(GATES)}")
        labels = np.array(GATES[gate], np.intp)
        return Dataset(f"gates-{gate}", GATE_INPUTS.copy(), labels, GATE_INPUTS.copy(), labels.copy(), 2,
                       ("0", "1"), f"the {gate.upper()} truth table", "classification", ("x1", "x2"))
    count = points if points is not None else default_points(name)
    if count < 2:
        raise DatasetError(f"data.points = {count}: at least 2")
    rng = np.random.default_rng(seed)
    if name in FUNCTIONS:
        x, y = function_points(name, count, noise / 100, rng)
        columns: tuple[str, ...] = ("x",)
    else:
        x, y = PLAYGROUND[name](count, noise / 100, rng)
        columns = ("x1", "x2")
    order = rng.permutation(count)  # the Playground shuffles, then splits
    x, y = x[order], y[order]
    train, _ = split_counts(name, count, train_fraction)
    task = generated_task(name)
    classes, names = (2, PLAYGROUND_CLASSES) if task == "classification" else (0, ())
    source = f"generated: {name}, {count} points, noise {noise:g}%, seed {seed}"
    return Dataset(name, x[:train], y[:train], x[train:], y[train:], classes, names, source, task, columns)
