"""`tui-nn bench --compare-...`: the engine against its references, fairly.

Every side trains on the same training images of the preset, in full epochs, from the engine's
initial weights, with the same batch size, optimizer and L2. Each side runs at one thread and at
all cores (its own best counts); after a warm-up epoch of each, rounds interleave every side and
thread count, so a noisy machine slows all of them alike. A round's ratio divides the engine's
epoch by the reference's, each at the thread count whose median over the rounds is lower.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..data import Dataset
from ..engine.events import Diverged, EpochEnd
from ..engine.train import train
from ..experiment.records import blas_info
from ..experiment.session import Session, prepare
from ..experiment.spec.parse import spec_to_dict
from ..experiment.spec.schema import Spec
from ..experiment.threads import cores, plan_for, run_threads
from .engine import BenchDiverged, peak_rss_mb, training_only
from .nielsen_network import Network, training_pairs
from .numpy_fused import FusedNetwork
from .numpy_fused import unsupported as fused_unsupported
from .numpy_reference import PlainNetwork, unsupported
from .torch_reference import TorchTrainer, torch_info


@dataclass
class Side:
    """One contender: an epoch runner per thread count, and what to say about it."""

    name: str
    runners: dict[int, Callable[[], float]]
    info: dict[str, Any] = field(default_factory=dict)
    seconds: dict[int, list[float]] = field(default_factory=dict)

    def medians(self) -> dict[int, float]:
        return {threads: statistics.median(values) for threads, values in self.seconds.items()}

    def best_threads(self) -> int:
        medians = self.medians()
        return min(medians, key=medians.get)


def thread_options() -> list[int]:
    return sorted({1, cores()})


def engine_side(spec: Spec, rounds: int, home: str | None, dataset: Dataset | None) -> tuple[Side, Session]:
    spec = replace(spec, training=replace(spec.training, epochs=rounds + 1))
    runners, first = {}, None
    for threads in thread_options():
        session = training_only(prepare(spec, home, dataset=dataset))
        first = first or session
        events = train(session.network, session.optimizer, session.feed, session.settings,
                       rng=session.rng, schedule=session.schedule)
        runners[threads] = _engine_epoch(events, plan_for(spec, threads))
    info = {"architecture": first.network.describe(), "threads": {
        str(t): dict(zip(("blas", "conv_parts"), plan_for(spec, t))) for t in thread_options()}}
    return Side("tui_nn", runners, info), first


def _engine_epoch(events, threads: tuple[int, int]) -> Callable[[], float]:
    def epoch() -> float:
        with run_threads(*threads):  # set while the generator runs, restored between epochs
            for event in events:
                if isinstance(event, EpochEnd):
                    return event.seconds
                if isinstance(event, Diverged):
                    raise BenchDiverged(event.reason)
        raise RuntimeError("the engine ran out of epochs")
    return epoch


def torch_side(session: Session) -> Side:
    trainers = {threads: TorchTrainer(session, threads) for threads in thread_options()}
    return Side("torch", {t: trainer.epoch for t, trainer in trainers.items()}, torch_info(session))


def _dense_weights(session: Session) -> tuple[list[np.ndarray], list[np.ndarray]]:
    dense = [layer for layer in session.network.layers if "W" in layer.params]
    return [layer.params["W"].copy() for layer in dense], [layer.params["b"].copy() for layer in dense]


def numpy_side(session: Session) -> Side | str:
    spec = session.spec
    raw = spec_to_dict(spec)
    reason = unsupported(raw["model"]["layers"], spec.model.loss, spec.optimizer.name, session.settings.regularization)
    if reason:
        return f"the plain NumPy reference cannot train this network: {reason}"
    hyper = spec.optimizer.hyper

    def network(weights, biases, activations):
        return PlainNetwork(weights, biases, activations, spec.model.loss, hyper["learning_rate"],
                            hyper.get("momentum", 0.0), hyper.get("nesterov", False),
                            session.settings.regularization.l2)
    return _float_side("numpy", session, network)


def fused_side(session: Session) -> Side | str:
    spec = session.spec
    hyper = spec.optimizer.hyper
    reason = fused_unsupported(spec_to_dict(spec)["model"]["layers"], spec.model.loss, spec.optimizer.name,
                               session.settings.regularization, hyper.get("nesterov", False))
    if reason:
        return f"the fused NumPy step cannot train this network: {reason}"

    def network(weights, biases, activations):
        return FusedNetwork(weights, biases, activations, spec.model.loss, hyper["learning_rate"],
                            hyper.get("momentum", 0.0), session.settings.regularization.l2)
    return _float_side("fused", session, network)


def _float_side(name: str, session: Session, make: Callable[..., Any]) -> Side:
    """A dense NumPy reference, fed the training images converted to floats once."""
    spec = session.spec
    images, labels = session.feed.splits.train.rows(slice(None))
    x, labels = session.feed.to_float(images), labels.astype(np.intp)
    activations = [layer.activation for layer in spec.model.layers[:-1]]
    runners = {}
    for threads in thread_options():
        network = make(*_dense_weights(session), activations)
        runners[threads] = _epoch_runner(lambda picks, net=network: net.train_batch(x[picks], labels[picks]),
                                         len(x), spec.training.batch_size, threads, spec.seed)
    return Side(name, runners, {"version": np.__version__})


def _epoch_runner(step: Callable[[np.ndarray], None], samples: int, batch: int, threads: int,
                  seed: int) -> Callable[[], float]:
    """One reference epoch: ``step(indices)`` for every mini-batch of a fresh random order, timed."""
    rng = np.random.default_rng(seed)

    def epoch() -> float:
        with run_threads(threads):
            started = time.perf_counter()
            order = rng.permutation(samples)
            for start in range(0, samples, batch):
                step(order[start:start + batch])
            return time.perf_counter() - started
    return epoch


def naive_side(session: Session) -> Side | str:
    """Nielsen's network.py, one sample at a time, on every training image."""
    spec = session.spec
    layers = spec.model.layers
    if (any(layer.type != "dense" or layer.activation != "sigmoid" for layer in layers)
            or spec.model.loss != "quadratic" or spec.optimizer.name != "sgd" or spec.optimizer.hyper.get("momentum")
            or session.settings.regularization.active):
        return "network.py trains only sigmoid dense networks with the quadratic cost and plain SGD"
    images, labels = session.feed.splits.train.rows(slice(None))
    pairs = training_pairs(session.feed.to_float(images), labels.astype(np.intp), session.network.output_units)
    runners = {}
    for threads in thread_options():
        weights, biases = _dense_weights(session)
        network = Network([w.T.astype(np.float64) for w in weights], [b[:, None].astype(np.float64) for b in biases])
        eta = spec.optimizer.learning_rate
        runners[threads] = _epoch_runner(
            lambda picks, net=network: net.update_mini_batch([pairs[i] for i in picks], eta),
            len(pairs), spec.training.batch_size, threads, spec.seed)
    return Side("network.py", runners, {"float": "float64, as the book"})


def compare(spec: Spec, references: list[str], rounds: int = 3, home: str | None = None,
            dataset: Dataset | None = None) -> dict[str, Any]:
    """Run the engine and the named references ("torch", "numpy", "fused", "naive") interleaved;
    return everything needed to check the result."""
    engine, session = engine_side(spec, rounds, home, dataset)
    sides, skipped = [engine], {}
    makers = {"torch": torch_side, "numpy": numpy_side, "fused": fused_side, "naive": naive_side}
    for name in references:
        made = makers[name](session)
        if isinstance(made, str):
            skipped[name] = made
        else:
            sides.append(made)
    blas = blas_info()  # the library and its kernels; each side's thread counts are in "sides"
    for round_index in range(rounds + 1):  # round 0 warms every side up and is not counted
        for side in sides:
            for threads, run in side.runners.items():
                seconds = run()
                if round_index:
                    side.seconds.setdefault(threads, []).append(seconds)
    return _result(spec, session, sides, skipped, rounds, blas)


def _result(spec, session, sides, skipped, rounds, blas) -> dict[str, Any]:
    engine = sides[0]
    result: dict[str, Any] = {
        "preset_spec": {"layers": spec_to_dict(spec)["model"]["layers"], "optimizer": session.optimizer.get_config(),
                        "l2": session.settings.regularization.l2},
        "batch_size": spec.training.batch_size, "dtype": spec.training.dtype,
        "train_samples": session.feed.train_samples, "rounds": rounds,
        "cores": cores(), "blas": blas, "peak_rss_mb": round(peak_rss_mb(), 1),
        "sides": {}, "ratios": {}, "skipped": skipped,
    }
    for side in sides:
        result["sides"][side.name] = {
            **side.info, "seconds_by_threads": {str(t): v for t, v in side.seconds.items()},
            "median_by_threads": {str(t): v for t, v in side.medians().items()},
            "best_threads": side.best_threads(), "seconds_per_epoch": side.medians()[side.best_threads()]}
    ours = engine.seconds[engine.best_threads()]
    for side in sides[1:]:
        theirs = side.seconds[side.best_threads()]
        per_round = [a / b for a, b in zip(ours, theirs)]
        result["ratios"][side.name] = {"per_round": per_round, "median": statistics.median(per_round)}
    return result
