"""Checkpoints: weights, optimizer state, RNG state, schedule and history in one ``.npz``.

Arrays are stored under ``param/<path>``, ``opt/<path>/<slot>`` and ``best/<path>``; everything
else is JSON in the ``__meta__`` entry (as UTF-8 bytes), so loading never needs pickle.
"""

from __future__ import annotations

import io
import json
import os
from typing import TYPE_CHECKING

import numpy as np

from ..atomic import atomic_write_bytes

if TYPE_CHECKING:
    from .network import Sequential
    from .optimizers import Optimizer
    from .schedules import Schedule
    from .train import TrainingState

FORMAT = 1


def save_checkpoint(path: str | os.PathLike, network: "Sequential", optimizer: "Optimizer",
                    rng: np.random.Generator, schedule: "Schedule", state: "TrainingState") -> None:
    arrays = {f"param/{k}": v for k, v in network.state_dict().items()}
    opt_state = optimizer.state_dict()
    for param_path, slots in opt_state["slots"].items():
        arrays.update({f"opt/{param_path}/{slot}": value for slot, value in slots.items()})
    for param_path, value in (state.best_weights or {}).items():
        arrays[f"best/{param_path}"] = value
    meta = {
        "format": FORMAT,
        "optimizer": optimizer.get_config(),
        "optimizer_t": opt_state["t"],
        "rng": rng.bit_generator.state,
        "schedule": schedule.state_dict(),
        "epoch": state.epoch,
        "history": state.history,
        "best_value": state.best_value,
        "best_epoch": state.best_epoch,
        "wait": state.wait,
    }
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: str | os.PathLike, network: "Sequential", optimizer: "Optimizer",
                    rng: np.random.Generator, schedule: "Schedule") -> "TrainingState":
    """Restore everything in place and return the training state to pass to ``train``."""
    from .train import TrainingState

    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(arrays.pop("__meta__").tobytes().decode())
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: unsupported checkpoint format {meta.get('format')!r}")
    if meta["optimizer"]["name"] != optimizer.name:
        raise ValueError(f"{path}: checkpoint optimizer {meta['optimizer']['name']!r} is not {optimizer.name!r}")
    network.load_state_dict(_section(arrays, "param/"))
    slots: dict[str, dict[str, np.ndarray]] = {}
    for key, value in _section(arrays, "opt/").items():
        param_path, slot = key.rsplit("/", 1)
        slots.setdefault(param_path, {})[slot] = value
    optimizer.load_state_dict({"t": meta["optimizer_t"], "slots": slots}, network.params)
    rng.bit_generator.state = meta["rng"]
    schedule.load_state_dict(meta["schedule"])
    best = _section(arrays, "best/")
    return TrainingState(epoch=meta["epoch"], history=meta["history"], best_value=meta["best_value"],
                         best_epoch=meta["best_epoch"], wait=meta["wait"], best_weights=best or None)


def _section(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name[len(prefix):]: value for name, value in arrays.items() if name.startswith(prefix)}
