"""The Playground's controls as changes to a spec: each key of the playground screen is one of these
functions, from a spec to the next one, so whatever the screen trains is a spec that can be saved
and trained again by ``tui-nn run``. The choices are the Playground's own (its ``src/state.ts``):
the learning rates and regularization rates of its menus, up to 8 units a layer, up to 6 layers.
"""

from __future__ import annotations

import csv
import os
from dataclasses import replace

from ..data.generated import (
    FUNCTIONS,
    GENERATED,
    PLAYGROUND_CLASSIFY,
    PLAYGROUND_REGRESS,
    generated_inputs,
    generated_task,
)
from ..experiment.spec.schema import LayerSpec, Spec

DATASETS = PLAYGROUND_CLASSIFY + PLAYGROUND_REGRESS + ("gates",) + tuple(FUNCTIONS)
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear", "elu", "leaky_relu")
#: The input sets the features key steps through: the Playground's seven checkboxes, grouped.
FEATURE_SETS: tuple[tuple[str, ...], ...] = (
    (),
    ("x1", "x2", "x1*x2"),
    ("x1", "x2", "x1^2", "x2^2"),
    ("x1", "x2", "sin(x1)", "sin(x2)"),
    ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
)
MAX_UNITS, MAX_LAYERS, NOISE_STEP = 8, 6, 5.0


def playground_inputs(spec: Spec) -> int | None:
    """1 or 2 when the spec's data is a table of that many inputs (the playground's problems),
    else None; a CSV file is judged by its header row alone (the target is one of its columns)."""
    data = spec.data
    if data.path:
        if not data.path.lower().endswith(".csv"):
            return None
        try:
            with open(data.path, encoding="utf-8", newline="") as file:
                header = next(csv.reader(file), [])
        except (OSError, UnicodeDecodeError, csv.Error):
            return None  # the training screen reports what is wrong with the file
        inputs = len(header) - 1
    elif data.dataset in GENERATED:
        inputs = generated_inputs(data.dataset)
    else:
        return None
    return inputs if inputs in (1, 2) else None


def two_inputs(spec: Spec) -> bool:
    return spec.data.dataset not in FUNCTIONS


def hidden(spec: Spec) -> tuple[LayerSpec, ...]:
    return spec.model.layers[:-1]


def with_layers(spec: Spec, hidden_layers: tuple[LayerSpec, ...]) -> Spec:
    return replace(spec, model=replace(spec.model, layers=(*hidden_layers, spec.model.layers[-1])))


def step(values: tuple, current, direction: int, wrap: bool = True):
    """The next (or previous) of ``values`` after ``current``, round the list when ``wrap`` (else
    staying at its ends); from a value not in the list, the nearest one in that direction."""
    if current in values:
        index = values.index(current) + direction
        return values[index % len(values)] if wrap else values[min(max(index, 0), len(values) - 1)]
    if isinstance(current, (int, float)):
        larger = [v for v in values if v > current]
        smaller = [v for v in values if v < current]
        if direction > 0:
            return larger[0] if larger else values[-1]
        return smaller[-1] if smaller else values[0]
    return values[0]


def set_dataset(spec: Spec, name: str) -> Spec:
    """Another dataset; a change of task changes the output layer (one sigmoid unit with
    cross-entropy to classify, one linear unit with the quadratic loss to regress) and the monitor,
    and a one-input function drops the two-input features."""
    old_task, new_task = generated_task(spec.data.dataset), generated_task(name)
    data = replace(spec.data, dataset=name, path="", target="", task="auto",
                   features=spec.data.features if name not in FUNCTIONS else ())
    spec = replace(spec, data=data)
    if old_task == new_task and spec.data.dataset != "gates" and name != "gates":
        return spec
    if new_task == "regression" or name == "gates":  # the notebook's gates: a linear unit, quadratic loss
        output, loss, monitor = LayerSpec(units=1, activation="linear"), "quadratic", "val_r2"
    else:
        output, loss, monitor = LayerSpec(units=1, activation="sigmoid"), "cross_entropy", "val_accuracy"
    if new_task != "regression":
        monitor = "val_accuracy"
    spec = replace(spec, model=replace(spec.model, layers=(*hidden(spec), output), loss=loss),
                   training=replace(spec.training, monitor=monitor))
    return spec


def next_dataset(spec: Spec, direction: int = 1) -> Spec:
    return set_dataset(spec, step(DATASETS, spec.data.dataset, direction))


def change_noise(spec: Spec, direction: int) -> Spec:
    noise = min(50.0, max(0.0, spec.data.noise + direction * NOISE_STEP))
    return replace(spec, data=replace(spec.data, noise=noise))


def next_features(spec: Spec) -> Spec:
    if not two_inputs(spec):
        return spec  # a function of one input has no x2 to combine
    return replace(spec, data=replace(spec.data, features=step(FEATURE_SETS, tuple(spec.data.features), 1)))


def add_layer(spec: Spec, after: int) -> Spec:
    """A hidden layer after hidden layer ``after`` (-1: first), a copy of it (or of 4 tanh units)."""
    layers = hidden(spec)
    if len(layers) >= MAX_LAYERS:
        return spec
    model = layers[after] if 0 <= after < len(layers) else LayerSpec(units=4, activation=activation_of(spec))
    return with_layers(spec, (*layers[:after + 1], model, *layers[after + 1:]))


def remove_layer(spec: Spec, index: int) -> Spec:
    layers = hidden(spec)
    if not 0 <= index < len(layers):
        return spec
    return with_layers(spec, layers[:index] + layers[index + 1:])


def change_units(spec: Spec, index: int, direction: int) -> Spec:
    """One unit more or fewer in hidden layer ``index`` (1 to 8; a wider layer only shrinks)."""
    layers = hidden(spec)
    if not 0 <= index < len(layers):
        return spec
    units = layers[index].units + direction
    if units < 1 or (direction > 0 and units > MAX_UNITS):
        return spec
    return with_layers(spec, (*layers[:index], replace(layers[index], units=units), *layers[index + 1:]))


def activation_of(spec: Spec) -> str:
    layers = hidden(spec)
    return layers[0].activation if layers else "tanh"


def next_activation(spec: Spec) -> Spec:
    """Every hidden layer to the next activation (the Playground has one for all)."""
    activation = step(ACTIVATIONS, activation_of(spec), 1)
    return with_layers(spec, tuple(replace(layer, activation=activation) for layer in hidden(spec)))


def change_learning_rate(spec: Spec, direction: int) -> Spec:
    rate = step(LEARNING_RATES, spec.optimizer.learning_rate, direction, wrap=False)
    return replace(spec, optimizer=replace(spec.optimizer, hyper={**spec.optimizer.hyper, "learning_rate": rate}))


def regularization(spec: Spec) -> tuple[str, float]:
    """Which penalty the spec uses (as the Playground: one of none, L1, L2) and its rate."""
    reg = spec.regularization
    if reg.l1 > 0:
        return "l1", reg.l1
    if reg.l2 > 0:
        return "l2", reg.l2
    return "none", 0.0


def set_regularization(spec: Spec, kind: str, rate: float) -> Spec:
    reg = replace(spec.regularization, l1=rate if kind == "l1" else 0.0, l2=rate if kind == "l2" else 0.0,
                  l2_lambda=0.0)
    return replace(spec, regularization=reg)


def next_regularization(spec: Spec) -> Spec:
    """none -> L1 -> L2 -> none; a penalty switched on starts at 0.001."""
    kind, rate = regularization(spec)
    kind = step(REGULARIZATIONS, kind, 1)
    return set_regularization(spec, kind, rate or REGULARIZATION_RATES[1])


def change_regularization_rate(spec: Spec, direction: int) -> Spec:
    kind, rate = regularization(spec)
    if kind == "none":
        return spec
    return set_regularization(spec, kind, step(REGULARIZATION_RATES[1:], rate, direction, wrap=False))


def describe(spec: Spec, selected: int) -> list[str]:
    """The spec as the screen lists it, four short lines (the selected hidden layer in brackets)."""
    data = spec.data
    inputs = ", ".join(data.features) if data.features else ("x" if not two_inputs(spec) else "x1, x2")
    if data.path:  # a CSV file: its columns
        inputs = ", ".join(data.features) if data.features else "the table's columns"
    units = [f"[{layer.units}]" if index == selected else str(layer.units)
             for index, layer in enumerate(hidden(spec))]
    kind, rate = regularization(spec)
    dataset = data.dataset + (f" {data.gate}" if data.dataset == "gates" else "")
    if data.path:
        dataset = os.path.basename(data.path) + (f" -> {data.target}" if data.target else "")
    return [f"data {dataset}  noise {data.noise:g}",
            f"inputs {inputs}",
            f"hidden {' '.join(units)}  {activation_of(spec)}" if units else "hidden none",
            f"lr {spec.optimizer.learning_rate:g} {spec.optimizer.name}  reg {kind}"
            + (f" {rate:g}" if kind != "none" else "")]
