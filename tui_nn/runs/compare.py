"""Recorded runs side by side: the settings that differ, labels, curves, and CSV / JSON exports.

Pure functions over run records (see experiment/records.py); the Runs screen and `tui-nn compare`
are two clients of this module.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from typing import Any

from ..experiment.spec.dotted import flatten
from ..render.formatting import accuracy_text, loss_text
from . import labels
from .labels import spec_architecture


def differing_keys(records: list[dict[str, Any]]) -> list[str]:
    """The spec keys (dotted) whose values are not the same in every record, plus ``seed``."""
    flat = [flatten(record["spec"]) for record in records]
    keys = sorted(set().union(*flat)) if flat else []
    return [key for key in keys if len({json.dumps(f.get(key), sort_keys=True) for f in flat}) > 1]


def short_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):  # layers, in the runs list's compact form (the input is not known here)
        return spec_architecture({"model": {"layers": value}}).replace("[?,", "[")
    return str(value)


def is_regression_record(record: dict[str, Any]) -> bool:
    """A run on a regression table: its record reports MSE, MAE and R^2 instead of accuracies."""
    data = record.get("data")
    if isinstance(data, dict) and data.get("task") == "regression":
        return True
    return any(isinstance(e, dict) and e.get("train_r2") is not None for e in record.get("epochs", [])[:1])


def main_metric(record: dict[str, Any], split: str = "test") -> str:
    """The record key that says how well a run did: ``test_accuracy``, or ``test_r2`` for a regression."""
    return f"{split}_r2" if is_regression_record(record) else f"{split}_accuracy"


def score_text(value: float | None, regression: bool) -> str:
    """An accuracy as a percentage, a regression's R^2 labelled as such; ``-`` when absent."""
    if not regression or value is None:
        return accuracy_text(value)
    return f"R^2 {loss_text(value)}"


def best_of(epochs: list[dict[str, Any]], key: str) -> float | None:
    """The largest value of a per-epoch metric (NaN and missing values skipped)."""
    values = [e[key] for e in epochs if isinstance(e.get(key), (int, float)) and e[key] == e[key]]
    return max(values) if values else None


def comparison_rows(ids: list[str], records: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The header and one row per run: its id, the settings that differ, then the final metrics
    (a regression's test R^2 and MSE where a classification has its accuracies; the header names
    the accuracies, R^2, or neither when the runs mix the two)."""
    keys = differing_keys(records)
    regressions = sum(is_regression_record(r) for r in records)
    names = (("test acc", "best val acc") if not regressions else
             ("test R^2", "best val R^2") if regressions == len(records) else ("test", "best val"))
    header = ["run", *keys, *names, "epochs", "status"]
    rows = []
    for run_id, record in zip(ids, records):
        flat = flatten(record["spec"])
        final = record.get("final") or {}
        regression = is_regression_record(record)
        test = score_text(final.get(main_metric(record)), regression)
        if regression and isinstance(final.get("test_mse"), (int, float)):
            test += f", MSE {final['test_mse']:.4g}"
        best_val = score_text(best_of(record["epochs"], main_metric(record, "val")), regression)
        rows.append([run_id, *(short_value(flat.get(key)) for key in keys), test, best_val,
                     str(len(record["epochs"])), str(record.get("status", "?"))])
    return header, rows


def run_label(run_id: str, record: dict[str, Any]) -> str:
    """``lab-l2-momentum 23:10:23``: the preset and the start time (from the record's id)."""
    stamp = run_id.split("-")[1] if run_id.count("-") >= 2 else run_id
    clock = f"{stamp[0:2]}:{stamp[2:4]}:{stamp[4:6]}" if len(stamp) >= 6 and stamp[:6].isdigit() else stamp
    return f"{record.get('preset', '?')} {clock}"


def series_labels(ids: list[str], records: list[dict[str, Any]]) -> list[str]:
    """A legend entry per run from what tells the runs apart (see labels.py): ``[784,100,10] adam``,
    ``sgd seed=2``, or the preset and start date when nothing does; never two alike."""
    return labels.series_labels(ids, records)


def curves(record: dict[str, Any], metric: str) -> tuple[list[int], list[float]]:
    """(epochs, values) of one per-epoch metric, skipping epochs without it."""
    points = [(e.get("epoch", i + 1), e[metric]) for i, e in enumerate(record["epochs"])
              if isinstance(e.get(metric), (int, float))]
    return [p[0] for p in points], [p[1] for p in points]


def export_json(ids: list[str], records: list[dict[str, Any]]) -> str:
    return json.dumps([{"run": run_id, "preset": r.get("preset"), "status": r.get("status"), "spec": r["spec"],
                        "epochs": r["epochs"]} for run_id, r in zip(ids, records)], indent=1)


def export_csv(ids: list[str], records: list[dict[str, Any]]) -> str:
    """One row per run and epoch: the run, its preset, the settings that differ, then the metrics,
    one value a column (a table of values per layer becomes ``grad_norms.layers.0``, ...)."""
    keys = differing_keys(records)
    rows = [(run_id, record, labels.flat_cells(epoch)) for run_id, record in zip(ids, records)
            for epoch in record["epochs"]]
    metrics = sorted({key for _, _, cells in rows for key in cells})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["run", "preset", *keys, *metrics])
    for run_id, record, cells in rows:
        flat = flatten(record["spec"])
        writer.writerow([run_id, record.get("preset"), *(short_value(flat.get(k)) for k in keys),
                         *("" if cells.get(m) is None else cells[m] for m in metrics)])
    return out.getvalue()


def mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0
