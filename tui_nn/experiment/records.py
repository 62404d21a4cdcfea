"""Run records: one JSON file per run, rewritten atomically after every epoch."""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..common import paths
from ..common.atomic import atomic_write_text
from ..common.plain import PlainDataError, read_json
from ..engine import parallel
from ..engine.events import Diverged, EarlyStopped, EpochEnd, Event, Finished, Started, Steered
from .models import MODEL_SUFFIX
from .spec.schema import Spec
from .spec.parse import spec_to_dict

FORMAT = 1


def blas_info() -> dict[str, Any]:
    """The BLAS in use, its thread count, the conv layers' part threads (engine/parallel.py), and
    the environment variables that steer them."""
    info: dict[str, Any] = {}
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            info = {"library": pools[0].get("internal_api"), "version": pools[0].get("version"),
                    "threads": pools[0].get("num_threads"), "architecture": pools[0].get("architecture")}
    except Exception:  # threadpoolctl is a convenience: the record is still written without it
        pass
    info["conv_part_threads"] = parallel.threads()
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name):
            info[name] = os.environ[name]
    return info


def versions() -> dict[str, str]:
    return {"python": platform.python_version(), "numpy": np.__version__, "tui_nn": __version__}


def default_record_path(home: Path, key: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    return paths.runs_dir(home) / f"{stamp}-{key}.json"


class RunRecorder:
    """Turns the event stream into the record; ``observe`` each event, the file is kept current."""

    def __init__(self, path: Path, spec: Spec, preset: str, history: list[dict] | None = None,
                 data: dict[str, Any] | None = None):
        self.path = Path(path)
        self._started = time.perf_counter()
        self.record: dict[str, Any] = {
            "format": FORMAT,
            "preset": preset,
            "spec": spec_to_dict(spec),
            "data": data or {},
            "seed": spec.seed,
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": versions(),
            "blas": blas_info(),
            "status": "running",
            "epochs": list(history or []),
            "events": [],
            "final": None,
            "wall_seconds": 0.0,
        }

    def observe(self, event: Event) -> None:
        if isinstance(event, Started):
            self.record["blas"] = blas_info()  # as the run set it up (see experiment/threads.py)
            # Before any update: Nielsen ch.5 reads the vanishing gradient off exactly these.
            self.record["start_diagnostics"] = {"grad_norms": dict(event.diagnostics.grad_norms),
                                                "dead_fractions": dict(event.diagnostics.dead_fractions)}
        elif isinstance(event, EpochEnd):
            self.record["epochs"].append(event.metrics())
            self.record["final"] = final_metrics(self.record["epochs"])
        elif isinstance(event, Diverged):
            self.record["events"].append({"epoch": event.epoch, "event": "diverged", "reason": event.reason})
        elif isinstance(event, EarlyStopped):
            self.record["events"].append({"epoch": event.epoch, "event": "early_stopped",
                                          "best_epoch": event.best_epoch, "best_value": event.best_value,
                                          "restored_best": event.restored_best})
            if event.restored_best:  # the model kept is the best epoch's: so are the final numbers
                self.record["final"] = final_metrics(self.record["epochs"], event.best_epoch)
        elif isinstance(event, Steered):
            self.record["events"].append({"epoch": event.epoch, "batch": event.batch, "event": "steered",
                                          "what": event.what, "value": event.value, "factor": event.factor})
        elif isinstance(event, Finished):
            self.record["status"] = event.status
        else:
            return
        self.save()

    def interrupted(self, reason: str) -> None:
        """The run ended early from outside (a key, a signal, its output closed): say so and keep
        every finished epoch."""
        self.record["status"] = "interrupted"
        self.record["events"].append({"epoch": len(self.record["epochs"]), "event": "interrupted", "reason": reason})
        self.save()

    def failed(self, reason: str) -> None:
        self.record["status"] = "failed"
        self.record["events"].append({"epoch": len(self.record["epochs"]), "event": "failed", "reason": reason})
        self.save()

    def save(self) -> None:
        self.record["wall_seconds"] = round(time.perf_counter() - self._started, 3)
        atomic_write_text(self.path, self._text())

    def _text(self) -> str:
        """The record as JSON, one epoch a line. Epochs only ever append, so each is encoded once
        (by the C encoder): re-encoding them all with an indent after every epoch made a run of
        500 short epochs spend nine tenths of its time writing its record."""
        epochs = self.record["epochs"]
        encoded = self.__dict__.setdefault("_epoch_lines", [])
        if len(encoded) > len(epochs):
            encoded.clear()
        encoded.extend(json.dumps(epoch) for epoch in epochs[len(encoded):])
        head = json.dumps({**self.record, "epochs": []}, indent=1)
        slot = '\n "epochs": [],'
        if not epochs or slot not in head:
            return head if not epochs else json.dumps(self.record, indent=1)
        return head.replace(slot, '\n "epochs": [\n  ' + ",\n  ".join(encoded) + "\n ],", 1)


def final_metrics(epochs: list[dict], model_epoch: int | None = None) -> dict[str, Any]:
    """The numbers of the model the run ends with: its last epoch's, or ``model_epoch``'s when
    early stopping restored that epoch's weights (then ``last_epoch`` is the last one trained). The best test
    accuracy is over every epoch either way."""
    last = epochs[-1]
    if model_epoch is not None:
        last = next((e for e in epochs if e.get("epoch") == model_epoch), last)
    keys = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy")
    final = {k: last.get(k) for k in keys}
    tests = [e["test_accuracy"] for e in epochs if e.get("test_accuracy") is not None]
    final["best_test_accuracy"] = max(tests) if tests else None
    if last is not epochs[-1]:
        final["last_epoch"] = epochs[-1].get("epoch")  # the last epoch trained: not the one kept
    if "train_mse" in last:  # a regression: its errors and R^2 instead of accuracies
        final.update({k: last.get(k) for k in REGRESSION_KEYS})
        fits = [e["test_r2"] for e in epochs if isinstance(e.get("test_r2"), (int, float))]
        final["best_test_r2"] = max(fits) if fits else None
    return final


#: A regression's keys in each epoch and in ``final`` (engine/metrics.py).
REGRESSION_KEYS = tuple(f"{split}_{name}" for split in ("train", "val", "test") for name in ("mse", "mae", "r2"))


METRIC_KEYS = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy",
               "learning_rate") + REGRESSION_KEYS


def read_record(path: str | os.PathLike) -> dict[str, Any]:
    """A run record whose structure has been checked: a ValueError naming the file and the first
    thing wrong otherwise."""
    try:
        record = read_json(path)
    except PlainDataError as error:
        raise ValueError(f"not a readable run record: {error}") from None
    problem = record_problem(record)
    if problem:
        raise ValueError(f"{path}: not a run record: {problem}")
    return record


#: Optional top-level fields and what each must be when present.
TEXT_FIELDS = ("preset", "status", "started", "baseline")
SPEC_TABLES = ("data", "model", "optimizer", "regularization", "training")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def record_problem(record: Any) -> str | None:
    """What is wrong with a record's structure, or None: everything the runs list, comparisons,
    sweeps and the app's screens read from a record is of the type they expect."""
    if not isinstance(record, dict):
        return f"it is {type(record).__name__}, not a table"
    for key, kind in (("spec", dict), ("seed", int), ("epochs", list)):
        if key not in record:
            return f"no {key!r}"
        if not isinstance(record[key], kind) or isinstance(record[key], bool):
            return f"{key!r} is {type(record[key]).__name__}, not {'a table' if kind is dict else kind.__name__}"
    for table in SPEC_TABLES:
        if not isinstance(record["spec"].get(table, {}), dict):
            return f"spec.{table} is {type(record['spec'][table]).__name__}, not a table"
    for index, epoch in enumerate(record["epochs"]):
        if not isinstance(epoch, dict):
            return f"epochs[{index}] is {type(epoch).__name__}, not a table"
        for key in (*METRIC_KEYS, "epoch", "seconds"):
            value = epoch.get(key)
            if value is not None and not _number(value):
                return f"epochs[{index}].{key} is {value!r}, not a number"
    final = record.get("final")
    if final is not None:
        if not isinstance(final, dict):
            return f"'final' is {type(final).__name__}, not a table"
        for key, value in final.items():
            if value is not None and not _number(value):
                return f"final.{key} is {value!r}, not a number"
    for key in TEXT_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"{key!r} is {record[key]!r}, not text"
    events = record.get("events", [])
    if not isinstance(events, list) or not all(isinstance(event, dict) for event in events):
        return "'events' is not a list of tables"
    if record.get("wall_seconds") is not None and not _number(record["wall_seconds"]):
        return f"'wall_seconds' is {record['wall_seconds']!r}, not a number"
    model = record.get("model")
    if model is not None and (not isinstance(model, str) or Path(model).name != model or model.startswith(".")
                              or not model.endswith(MODEL_SUFFIX)):
        return f"'model' is {model!r}, not the name of a model file beside the record"
    return None


def list_records(home: Path) -> list[Path]:
    folder = paths.runs_dir(home)
    return sorted(folder.glob("*.json"), reverse=True) if folder.is_dir() else []
