"""`tui-nn bench --profile`: where an epoch's time goes, by phase and by layer.

The loop below is the training loop's own step (engine/train.py) with a clock between the
phases; every layer's forward and backward are timed by wrapping them for the profiled epoch.
One warm-up epoch comes first. The clocks add a little time of their own to every step.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from typing import Any

import numpy as np

from ..engine.layers import Dense
from .engine import training_only
from ..experiment.session import prepare
from ..experiment.spec.schema import Spec
from ..experiment.threads import run_threads

PHASES = ("data", "forward", "loss", "backward", "regularization", "optimizer")


def profile_epoch(spec: Spec, home: str | None = None) -> dict[str, Any]:
    session = training_only(prepare(replace(spec, training=replace(spec.training, epochs=2)), home))
    network, optimizer, feed = session.network, session.optimizer, session.feed
    regularization, weight_paths = session.settings.regularization, network.weight_paths()
    layer_seconds: dict[str, float] = defaultdict(float)
    for index, layer in enumerate(network.layers):
        for direction in ("forward", "backward"):
            setattr(layer, direction, _timed(getattr(layer, direction), f"{index:2d} {layer.label()} {direction}",
                                             layer_seconds))
    with run_threads(session.blas_threads, session.part_threads):
        for epoch in range(2):  # the first warms up
            layer_seconds.clear()
            phases = dict.fromkeys(PHASES, 0.0)
            started = clock = time.perf_counter()
            for x, labels in feed.train_batches(session.rng):
                now = time.perf_counter()
                phases["data"] += now - clock
                z = network.forward(x, training=True)
                clock, now = now, time.perf_counter()
                phases["forward"] += now - clock
                _, grad = network.loss.value_and_grad(z, labels)
                clock, now = now, time.perf_counter()
                phases["loss"] += now - clock
                network.backward(grad)
                clock, now = now, time.perf_counter()
                phases["backward"] += now - clock
                if regularization.active:
                    regularization.apply(network.params, network.grads, weight_paths, optimizer.t, session.rng)
                clock, now = now, time.perf_counter()
                phases["regularization"] += now - clock
                optimizer.step_packed(network.flat_params, network.flat_grads, network.layout)
                clock = time.perf_counter()
                phases["optimizer"] += clock - now
            total = time.perf_counter() - started
        products = products_seconds(network, spec.training.batch_size, feed.batches_per_epoch())
    return {"architecture": network.describe(), "batch_size": spec.training.batch_size,
            "train_samples": feed.train_samples, "batches": feed.batches_per_epoch(), "epoch_seconds": total,
            "phases": phases, "layers": dict(layer_seconds), "products_seconds": products,
            "threads": {"blas": session.blas_threads, "conv_parts": session.part_threads}}


def products_seconds(network, batch: int, steps: int, repeats: int = 200) -> float | None:
    """An epoch of a dense network's matrix products alone (forward, weight gradient, input
    gradient, on the layers' own weight arrays and in their memory order): the floor any NumPy
    step of this network stands on. None when the network has other parameterized layers."""
    layers = [layer for layer in network.layers if layer.params]
    if not layers or any(not isinstance(layer, Dense) for layer in layers):
        return None
    rng = np.random.default_rng(0)
    work = []
    for layer in layers:
        weights, grad_weights = layer.params["W"], layer.grads["W"]
        x = rng.random((batch, weights.shape[0]), dtype=np.float32).astype(weights.dtype)
        g = rng.random((batch, weights.shape[1]), dtype=np.float32).astype(weights.dtype)
        work.append((x, g, weights, grad_weights, layer.column_major, layer.need_input_grad))

    def step() -> None:
        for x, g, weights, grad_weights, column_major, need_input_grad in work:
            np.matmul(x, weights)
            if column_major:
                np.matmul(g.T, x, out=grad_weights.T)
            else:
                np.matmul(x.T, g, out=grad_weights)
            if need_input_grad:
                np.matmul(g, weights.T)
    for _ in range(repeats // 4):  # warm-up
        step()
    started = time.perf_counter()
    for _ in range(repeats):
        step()
    return (time.perf_counter() - started) / repeats * steps


def _timed(method, key: str, seconds: dict[str, float]):
    def timed(*args):
        started = time.perf_counter()
        result = method(*args)
        seconds[key] += time.perf_counter() - started
        return result
    return timed
