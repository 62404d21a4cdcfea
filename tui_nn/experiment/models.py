"""Trained models kept beside their run records, and what a model does on a test set.

A model file (``<record>.model.npz``) holds every parameter and buffer as ``param/<path>`` arrays
and, as JSON bytes in ``__meta__``, the spec that builds the network, its input shape and the
classes: loading never needs pickle. It is the network as the run ended (with early stopping's
best weights when they were restored).
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..common.atomic import atomic_write_bytes
from ..common.npz import npz_problem
from ..common.plain import PlainDataError, loads_json, open_regular
from ..data import DatasetError, IdxError
from ..data.batching import scale_pixels
from ..data.features import TableScaling
from ..engine.layers import Conv2D
from ..engine.layers.activation import ActivationLayer
from ..engine.losses import predicted_classes
from ..engine.network import Sequential
from ..engine.shapes import format_shape
from .architecture import input_shape_of, summarize
from .build import build_feed, build_network, load_spec_dataset
from .spec.parse import parse_recorded_spec, spec_to_dict
from .table_data import sample_shape
from .spec.schema import Spec

FORMAT = 1
KIND = "tui-nn model"


class ModelError(ValueError):
    """A model file that cannot be used: the message names the file and the problem."""


#: A model file is named after its run record: ``<record id>.model.npz``.
MODEL_SUFFIX = ".model.npz"


def model_path(record_path: Path) -> Path:
    return record_path.with_name(record_path.stem + MODEL_SUFFIX)


def record_path_of(model_file: Path) -> Path:
    """The run record a model file was kept beside (it may be gone)."""
    return model_file.with_name(model_file.name.removesuffix(MODEL_SUFFIX) + ".json")


def model_bytes(network: Sequential, spec: Spec, class_names: tuple[str, ...], data: dict[str, Any],
                epoch: int) -> bytes:
    """The model file's contents (a sweep's worker sends these back to the machine that stores them)."""
    arrays = {f"param/{key}": value for key, value in network.state_dict().items()}
    meta = {"format": FORMAT, "kind": KIND, "spec": spec_to_dict(spec), "input_shape": list(network.input_shape),
            "class_names": list(class_names), "data": data, "epoch": epoch}
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def save_model(path: Path, network: Sequential, spec: Spec, class_names: tuple[str, ...],
               data: dict[str, Any], epoch: int) -> None:
    atomic_write_bytes(path, model_bytes(network, spec, class_names, data, epoch))


def ended_at_epoch_end(record: dict[str, Any]) -> bool:
    """A stopped run that was asked to end when an epoch did, and did: its last recorded epoch is
    the one the request was made in (a stop mid-batch after the request leaves that epoch out)."""
    if record.get("status") != "stopped":
        return False
    asked = [event["epoch"] for event in record.get("events", ())
             if event.get("event") == "steered" and event.get("what") == "stop"]
    return bool(asked) and len(record.get("epochs") or ()) == min(asked)


def keeps_model(record: dict[str, Any]) -> bool:
    """Only a run that ended at an epoch's end (completed, early-stopped with its best weights, or
    ended on request when an epoch did) has weights that match its recorded accuracy; others keep
    no model."""
    at_epoch_end = record.get("status") in ("completed", "early_stopped") or ended_at_epoch_end(record)
    return at_epoch_end and bool(record.get("epochs"))


def session_model_bytes(session, record: dict[str, Any]) -> bytes:
    """The network as the run ends; its epoch is the one kept (early stopping may have restored an earlier one)."""
    epoch = (record.get("final") or {}).get("epoch") or len(record["epochs"])
    return model_bytes(session.network, session.spec, session.dataset.class_names, session.data_summary(), epoch)


def keep_model(session, recorder, status: str) -> Path | None:
    """Save a finished run's network beside its record and name it in the record (see ``keeps_model``)."""
    if not keeps_model({**recorder.record, "status": status}):
        return None
    path = model_path(recorder.path)
    atomic_write_bytes(path, session_model_bytes(session, recorder.record))
    recorder.record["model"] = path.name
    recorder.save()
    return path


def _check_archive(path: Path) -> None:
    """A model is an .npz (zip) archive; anything else is named as such before NumPy guesses at it
    (it would take a text file for a pickle)."""
    try:
        with open_regular(path) as file:
            magic = file.read(4)
    except FileNotFoundError:
        raise ModelError(f"{path}: no such file") from None
    except OSError as error:
        raise ModelError(f"{path}: cannot be read ({error.strerror or error})") from None
    if magic != b"PK\x03\x04":
        record = path.suffix == ".json" and model_path(path).is_file()
        hint = f"; this is a run record, its model is {model_path(path).name}" if record else ""
        raise ModelError(f"{path}: not a model file (a model is an .npz archive{hint})")


def _read(path: Path, with_weights: bool) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    _check_archive(path)
    problem = npz_problem(path)
    if problem:
        raise ModelError(f"{path}: not a readable model file ({problem})")
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = loads_json(bytes(archive["__meta__"]), f"{path} (its metadata)")
            state = {key[len("param/"):]: archive[key] for key in archive.files
                     if with_weights and key.startswith("param/")}
    except FileNotFoundError:
        raise ModelError(f"{path}: no such file") from None
    except PlainDataError as error:
        raise ModelError(str(error)) from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, UnicodeDecodeError) as error:
        raise ModelError(f"{path}: not a readable model file ({type(error).__name__}: {error})") from None
    if not isinstance(meta, dict) or meta.get("kind") != KIND or not isinstance(meta.get("spec"), dict):
        raise ModelError(f"{path}: not a tui-nn model (a run checkpoint is resumed with `tui-nn run --resume`)")
    problem = meta_problem(meta)
    if problem:
        raise ModelError(f"{path}: not a usable model: {problem}")
    return meta, state


#: The largest sample a model may declare (a 4096x4096 image with 3 channels is 5e7 values).
MAX_INPUT_VALUES = 10**8


def meta_problem(meta: dict[str, Any]) -> str | None:
    """What in a model's metadata is not of the type and size the screens and ``evaluate`` expect."""
    epoch = meta.get("epoch", 0)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        return f"epoch is {epoch!r}, not a whole number >= 0"
    shape = meta.get("input_shape")
    if shape is not None:
        if (not isinstance(shape, list) or not 1 <= len(shape) <= 3
                or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape)):
            return f"input_shape is {shape!r}, not a list of 1 to 3 positive whole numbers"
        if math.prod(shape) > MAX_INPUT_VALUES:
            return f"input_shape {shape} has more than {MAX_INPUT_VALUES} values a sample"
    names = meta.get("class_names", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return "class_names is not a list of names"
    if not isinstance(meta.get("data", {}), dict):
        return "data is not a table"
    return None


def read_model_meta(path: Path) -> dict[str, Any]:
    """The model file's metadata alone (its weights are not read); ``ModelError`` otherwise."""
    return _read(path, with_weights=False)[0]


def load_model(path: Path) -> tuple[Sequential, Spec, dict[str, Any]]:
    """The network with its weights, its spec and the file's metadata; ``ModelError`` otherwise."""
    meta, state = _read(path, with_weights=True)
    spec, problems = parse_recorded_spec(meta["spec"])
    if problems:
        raise ModelError(f"{path}: its spec does not validate: {problems[0]}")
    input_shape = tuple(meta.get("input_shape") or ())
    rows, shape_problem, _ = summarize(spec, input_shape)
    expected = sum(row.parameters for row in rows)
    held = sum(array.size for array in state.values())
    if shape_problem or expected > held:  # checked before the network allocates anything (batch norm keeps more)
        raise ModelError(f"{path}: the weights do not fit the network its spec builds ("
                         + (shape_problem or f"the spec makes {expected} parameters, the file holds {held}") + ")")
    try:
        network = build_network(spec, input_shape, np.random.default_rng(0))
        network.load_state_dict(state)
    except ValueError as error:  # another architecture's weights, or a shape that does not fold
        raise ModelError(f"{path}: the weights do not fit the network its spec builds ({error})") from None
    return network, spec, meta


def check_input(path: Path, network: Sequential, input_shape: tuple[int, ...]) -> None:
    """Refuse data of another shape than the model was trained on."""
    if tuple(input_shape) != tuple(network.input_shape):
        raise ModelError(f"{path}: the model takes {format_shape(network.input_shape)} inputs, the data gives "
                         f"{format_shape(input_shape)}")


@dataclass(frozen=True)
class ModelOnTestSplit:
    """A saved model with the test split of the data it was trained on, as its run split it."""

    network: Sequential
    spec: Spec
    meta: dict[str, Any]
    to_float: Callable[[np.ndarray], np.ndarray]  # the data's own preprocessing of pixels
    images: np.ndarray  # the test split: (N, H, W) pixels; empty when the data could not be read
    labels: np.ndarray
    class_names: tuple[str, ...]
    source: str
    data_problem: str = ""  # why the test split is empty

    @property
    def image_shape(self) -> tuple[int, ...]:
        return tuple(self.images.shape[1:]) if len(self.images) else tuple(self.meta["data"]["image_shape"])


def open_on_test_split(path: Path, home: str | None = None, without_data: bool = False) -> ModelOnTestSplit:
    """Load a model and its data's test split (``ModelError`` or the data's own error otherwise).
    ``without_data``: when the data cannot be read, a model that carries its preprocessing (models
    saved since it is kept) still opens, with an empty test split and the reason."""
    network, spec, meta = load_model(path)
    try:
        dataset = load_spec_dataset(spec, home)
    except (DatasetError, IdxError, OSError) as error:
        data = meta.get("data") or {}
        if without_data and "feature_mean" in data:  # a table's model reads rows with its own scaling
            scaling, dtype = TableScaling.from_dict(data), np.dtype(spec.training.dtype)
            names = tuple(meta.get("class_names") or ())
            return ModelOnTestSplit(network, spec, meta, lambda rows: scaling.inputs(rows, dtype),
                                    np.zeros((0, *data["image_shape"])), np.zeros(0), names,
                                    str(data.get("source", "")), str(error))
        if not without_data or not {"scale", "offset", "image_shape"} <= set(data):
            raise
        scale, offset, dtype = float(data["scale"]), float(data["offset"]), np.dtype(spec.training.dtype)
        names = tuple(meta.get("class_names") or ())
        return ModelOnTestSplit(network, spec, meta, lambda images: scale_pixels(images, scale, offset, dtype),
                                np.zeros((0, *data["image_shape"]), np.uint8), np.zeros(0, np.int64), names,
                                str(data.get("source", "")), str(error))
    check_input(path, network, input_shape_of(spec, sample_shape(spec, dataset)))
    feed = build_feed(spec, dataset, np.random.default_rng(spec.seed))
    part = feed.splits.test
    if part is None:
        raise ModelError(f"{path}: its data has no test split")
    images, labels = part.rows(slice(None))
    labels = labels if labels.dtype.kind == "f" else labels.astype(np.int64)  # a regression's targets stay floats
    return ModelOnTestSplit(network, spec, meta, feed.to_float, images, labels,
                            dataset.class_names, dataset.source)


def first_conv_maps(network: Sequential, x: np.ndarray) -> tuple[np.ndarray, str]:
    """The first conv layer's output for one input (with its activation when one follows), as
    (height, width, filters), and what it is called."""
    if len(network.input_shape) > 1:
        x = x.reshape((len(x),) + tuple(network.input_shape))
    names = []
    layers = iter(network.layers)
    for layer in layers:
        x = layer.forward(x, training=False)
        if isinstance(layer, Conv2D):
            names.append(layer.label())
            break
    for layer in layers:
        if not isinstance(layer, ActivationLayer):
            break
        x = layer.forward(x, training=False)
        names.append(layer.label())
    return x[0], ", ".join(names)


def confusion_matrix(network: Sequential, batches, classes: int) -> np.ndarray:
    """Counts [true, predicted] over one evaluation pass (the same forward passes as the run's)."""
    matrix = np.zeros((classes, classes), np.int64)
    for x, labels in batches:
        z = network.logits(x)
        predicted = predicted_classes(network.loss, z) if z.shape[1] == 1 else z.argmax(axis=1)  # one unit: 0, 1
        np.add.at(matrix, (labels, predicted), 1)
    return matrix


def confusion_text(matrix: np.ndarray, names: tuple[str, ...], columns: int | None = None) -> str:
    """Rows: true class; columns: predicted; the diagonal in [brackets]; recall per row, precision
    per column. Within ``columns`` characters when given (a terminal's width): narrower label and
    count columns, the brackets kept."""
    classes = len(matrix)
    digits = max(len(str(v)) for v in matrix.ravel())
    layouts = [(17, max(6, digits + 3), 9, "true \\ predicted"), (10, max(5, digits + 2), 7, "true\\pred")]
    for label, width, recall_width, corner in layouts:
        if columns is None or label + classes * width + recall_width <= columns:
            break
    head = corner.ljust(label) + "".join(n[:width - 1].rjust(width) for n in names) + "recall".rjust(recall_width)
    lines = [head]
    for i in range(classes):
        cells = "".join((f"[{matrix[i, j]}]" if i == j else str(matrix[i, j])).rjust(width) for j in range(classes))
        total = matrix[i].sum()
        recall = f"{matrix[i, i] / total:.1%}" if total else "-"
        lines.append(names[i][:label - 1].ljust(label) + cells + recall.rjust(recall_width))
    precision = "".join((f"{matrix[j, j] / matrix[:, j].sum():.0%}" if matrix[:, j].sum() else "-").rjust(width)
                        for j in range(classes))
    lines.append("precision".ljust(label) + precision)
    return "\n".join(lines)
