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

from ..common.atomic import atomic_write_bytes
from ..common.npz import npz_problem
from ..common.plain import PlainDataError, loads_json
from .state import TrainingState

if TYPE_CHECKING:
    from .network import Sequential
    from .optimizers import Optimizer
    from .schedules import Schedule

FORMAT = 1
#: Meta fields and the JSON types they must have.
META_TYPES = {"format": int, "optimizer": dict, "optimizer_t": int, "rng": dict, "schedule": dict, "epoch": int,
              "history": list, "best_epoch": int, "wait": int}


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit: the message names the file and the problem."""


def save_checkpoint(path: str | os.PathLike, network: "Sequential", optimizer: "Optimizer",
                    rng: np.random.Generator, schedule: "Schedule", state: TrainingState,
                    extra: dict | None = None) -> None:
    """``extra`` is stored as is in the metadata (the experiment keeps its spec there)."""
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
        "lr_factor": state.lr_factor,
        "extra": extra or {},
    }
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: str | os.PathLike, network: "Sequential", optimizer: "Optimizer",
                    rng: np.random.Generator, schedule: "Schedule") -> TrainingState:
    """Restore everything in place and return the training state to pass to ``train``."""

    arrays, meta = read_checkpoint(path)
    if meta["optimizer"].get("name") != optimizer.name:
        raise CheckpointError(f"{path}: it was trained with the {meta['optimizer'].get('name')!r} optimizer, "
                              f"this run uses {optimizer.name!r}")
    params = _section(arrays, "param/")
    for key, value in params.items():
        if value.dtype != network.dtype:
            raise CheckpointError(f"{path}: its weights are {value.dtype}, this run trains in {network.dtype}")
    try:
        network.load_state_dict(params)
    except ValueError as error:
        raise CheckpointError(f"{path}: its network does not fit this one: {error}") from None
    slots: dict[str, dict[str, np.ndarray]] = {}
    for key, value in _section(arrays, "opt/").items():
        param_path, slot = key.rsplit("/", 1)
        slots.setdefault(param_path, {})[slot] = value
    try:
        optimizer.load_state_dict({"t": meta["optimizer_t"], "slots": slots}, network.params)
        rng.bit_generator.state = meta["rng"]
        schedule.load_state_dict(meta["schedule"])
    except (ValueError, TypeError, KeyError) as error:
        raise CheckpointError(f"{path}: its optimizer, random generator or schedule state does not fit: "
                              f"{error}") from None
    best = _section(arrays, "best/")
    factor = meta.get("lr_factor", 1.0)
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not factor > 0:
        raise CheckpointError(f"{path}: lr_factor {factor!r} is not a positive number")
    return TrainingState(epoch=meta["epoch"], history=meta["history"], best_value=meta["best_value"],
                         best_epoch=meta["best_epoch"], wait=meta["wait"], best_weights=best or None,
                         lr_factor=float(factor))


def read_checkpoint(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the checked metadata; a CheckpointError for anything else. Never unpickles:
    a file that holds pickled objects is simply not a checkpoint."""
    problem = npz_problem(path) if os.path.isfile(path) else None  # before NumPy allocates what a header claims
    if problem:
        raise CheckpointError(f"{path}: not a readable tui_nn checkpoint ({problem})")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint file") from None
    except Exception as error:  # empty, truncated, garbage, a pickle, a damaged member
        reason = ("not an .npz archive, and pickled data is never loaded" if "pickle" in str(error)
                  else type(error).__name__)
        raise CheckpointError(f"{path}: not a readable tui_nn checkpoint ({reason})") from None
    try:
        meta = loads_json(arrays.pop("__meta__").tobytes(), f"{path} (its metadata)")
    except PlainDataError as error:
        raise CheckpointError(str(error)) from None
    except (KeyError, ValueError, AttributeError):
        raise CheckpointError(f"{path}: not a tui_nn checkpoint (no readable __meta__ entry)") from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: its metadata is not a table")
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{path}: checkpoint format {meta.get('format')!r}; this version reads {FORMAT}")
    for key, kind in META_TYPES.items():
        if not isinstance(meta.get(key), kind) or isinstance(meta.get(key), bool):
            raise CheckpointError(f"{path}: metadata field {key!r} is {meta.get(key)!r}, not {kind.__name__}")
    return arrays, meta


def _section(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name[len(prefix):]: value for name, value in arrays.items() if name.startswith(prefix)}
