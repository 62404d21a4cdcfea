"""Names for recorded runs: the compact architecture, the start date, and chart labels built from
what actually differs between the runs compared. Also the metrics a chart can draw and the flat
cells of a CSV export.

Pure functions over run records (see experiment/records.py): the Runs, Compare and Sweep screens
and `tui-nn compare` share them, so a run reads the same everywhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from ..experiment.architecture import architecture_text
from ..experiment.spec.dotted import flatten
from ..experiment.spec.schema import DATASET_SHAPES

#: Chart labels longer than this are cut (a legend beside an 80-column chart has room for little).
LABEL_WIDTH = 28

#: Short names of the spec fields a label may show.
SHORT_KEYS = {"learning_rate": "lr", "batch_size": "batch", "train_size": "train", "test_size": "test",
              "validation_size": "val", "l2_lambda": "l2", "activation": "act"}

#: Metric names a user may type for the per-epoch metric they mean.
METRIC_ALIASES = {"loss": "train_loss", "accuracy": "test_accuracy", "acc": "test_accuracy",
                  "test": "test_accuracy", "val": "val_accuracy", "train": "train_accuracy",
                  "lr": "learning_rate"}

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, its last one an ellipsis when anything was cut."""
    return text if len(text) <= width else text[:max(width - 1, 0)] + ELLIPSIS


def started_text(iso: str) -> str:
    """``12-06 20:29``: a record's ISO start time as the local month, day and time."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso[:11]
    return when.strftime("%m-%d %H:%M")


def _layer_view(layer: dict[str, Any]) -> SimpleNamespace:
    """A recorded layer (a table) with the attributes architecture_text reads from a parsed layer."""
    return SimpleNamespace(**{"type": "", "units": None, "filters": None, "kernel": None, "stride": 1,
                              "size": None, **layer})


def spec_architecture(spec: dict[str, Any], input_shape: list[int] | tuple[int, ...] | None = None) -> str:
    """``[784,100,30,10]`` or ``[20c5,p2,100,10]`` for a recorded spec: the compact form the
    presets list uses (experiment/architecture.py), without parsing the whole spec again."""
    layers = (spec.get("model") or {}).get("layers") or []
    if input_shape is None:
        input_shape = DATASET_SHAPES.get((spec.get("data") or {}).get("dataset", ""))
    view = SimpleNamespace(model=SimpleNamespace(layers=[_layer_view(layer) for layer in layers
                                                         if isinstance(layer, dict)]))
    try:
        return architecture_text(view, tuple(input_shape) if input_shape else None)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "?"


def record_architecture(record: dict[str, Any]) -> str:
    """The compact architecture of a run, with the input size its data really had."""
    return spec_architecture(record.get("spec") or {}, (record.get("data") or {}).get("input_shape"))


def point_label(settings: dict[str, Any], seed: int | None = None) -> str:
    """A sweep point as its leaderboard row names it, with its seed when given: ``sgd lr=0.05
    seed=2`` (an alternative by its label)."""
    parts = [str(value) if key == "alternative" else f"{_short_key(key)}={_short_value(value)}"
             for key, value in settings.items()]
    return " ".join([*parts, *([f"seed={seed}"] if seed is not None else [])])


def _short_key(key: str) -> str:
    last = key.split(".")[-1]
    return SHORT_KEYS.get(last, last)


def _short_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


#: The order in which differing settings enter a label: what changes a result most comes first.
KEY_ORDER = ("optimizer.learning_rate", "optimizer.", "regularization.", "training.epochs", "training.batch_size",
             "model.", "training.schedule.name", "data.dataset", "data.train_size", "data.", "training.")


def _telling(key: str) -> tuple[int, str]:
    rank = next((i for i, start in enumerate(KEY_ORDER) if key == start or (start.endswith(".") and
                                                                          key.startswith(start))), len(KEY_ORDER))
    return rank, key


def _differs(values: list[Any]) -> bool:
    return len({json.dumps(v, sort_keys=True) for v in values}) > 1


def _when(run_id: str, record: dict[str, Any]) -> str:
    return started_text(str(record.get("started", ""))) if record.get("started") else run_id[:13]


def series_labels(ids: list[str], records: list[dict[str, Any]], width: int = LABEL_WIDTH) -> list[str]:
    """A label per run from what tells the runs apart, most telling first: the architecture, the
    optimizer's name, then the other settings that differ (``lr=0.05``, ``seed=2``); the preset and
    start date when nothing does. No two labels are the same and none is longer than ``width``."""
    flats = [flatten(record.get("spec") or {}) for record in records]
    parts: list[list[str]] = [[] for _ in records]
    architectures = [record_architecture(record) for record in records]
    if _differs(architectures):
        for part, text in zip(parts, architectures):
            part.append(text)
    names = [flat.get("optimizer.name") for flat in flats]
    optimizers_differ = _differs(names)
    if optimizers_differ:
        for part, name in zip(parts, names):
            part.append(str(name))
    keys = sorted(set().union(*flats), key=_telling) if flats else []
    for key in keys:
        if key in ("model.layers", "optimizer.name", "seed") or key.startswith("model.layers"):
            continue
        values = [flat.get(key) for flat in flats]
        # Another optimizer brings its own settings: only its learning rate is worth a word.
        if optimizers_differ and key.startswith("optimizer.") and key != "optimizer.learning_rate":
            continue
        if _differs(values):
            for part, value in zip(parts, values):
                part.append(f"{_short_key(key)}={_short_value(value)}")
    seeds = [flat.get("seed") for flat in flats]
    if _differs(seeds):
        for part, seed in zip(parts, seeds):
            part.append(f"seed={seed}")
    presets = [str(record.get("preset", "?")) for record in records]
    labels = []
    for run_id, record, part, preset in zip(ids, records, parts, presets):
        labels.append(" ".join(part) if part else f"{preset} {_when(run_id, record)}")
    return _unique([fit(label, width) for label in labels], ids, records, width)


def _unique(labels: list[str], ids: list[str], records: list[dict[str, Any]], width: int) -> list[str]:
    """Labels made distinct: a repeated one gains the run's start, then its place in the list."""
    out = list(labels)
    for attempt in ("when", "index"):
        repeated = {label for label in out if out.count(label) > 1}
        if not repeated:
            break
        for index, label in enumerate(out):
            if label in repeated:
                tail = _when(ids[index], records[index]) if attempt == "when" else f"#{index + 1}"
                out[index] = fit(labels[index], max(width - len(tail) - 1, 1)) + " " + tail
    return out


def chartable_metrics(records: list[dict[str, Any]]) -> list[str]:
    """The per-epoch metrics with a number in some epoch (one value an epoch: a curve)."""
    names = {key for record in records for epoch in record.get("epochs", []) for key, value in epoch.items()
             if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "epoch"}
    return sorted(names)


def resolve_metric(name: str, records: list[dict[str, Any]]) -> str:
    """The metric ``name`` means (an alias such as ``loss`` resolved); ValueError in one line that
    lists what can be drawn when it names nothing chartable."""
    drawable = chartable_metrics(records)
    metric = name if name in drawable else METRIC_ALIASES.get(name, name)
    if metric in drawable:
        return metric
    aliases = ", ".join(f"{alias} for {METRIC_ALIASES[alias]}" for alias in ("loss", "accuracy")
                        if METRIC_ALIASES[alias] in drawable)
    what = "holds a value per layer, not one curve" if any(name in e for r in records for e in r.get("epochs", [])) \
        else "is not recorded"
    raise ValueError(f"--metric {name}: {what}; allowed: {', '.join(drawable)}"
                     + (f" ({aliases})" if aliases else ""))


def flat_cells(table: dict[str, Any]) -> dict[str, Any]:
    """One cell per value: nested tables become dotted columns (``grad_norms.layers.0``)."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            for inner, cell in flat_cells(value).items():
                out[f"{key}.{inner}"] = cell
        else:
            out[key] = value
    return out
