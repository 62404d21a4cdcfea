"""Run names: the compact architecture, chart labels from what differs, metric names, flat CSV cells."""

import csv
import io

import pytest

from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.spec.parse import spec_to_dict
from tui_nn.runs.compare import comparison_rows, export_csv, series_labels as compare_labels
from tui_nn.runs.folder import summarize_record
from tui_nn.runs.labels import (LABEL_WIDTH, fit, flat_cells, record_architecture, resolve_metric, series_labels,
                                spec_architecture, started_text)

PRESETS = {p.key: p for p in builtin_presets()}


def record(preset: str = "first-look", *, started: str = "2026-12-06T20:29:00+00:00", seed: int | None = None,
           layers: list | None = None, optimizer: dict | None = None, epochs: list | None = None,
           **changes) -> dict:
    spec = spec_to_dict(PRESETS[preset].spec)
    if layers is not None:
        spec["model"]["layers"] = layers
    if optimizer is not None:
        spec["optimizer"] = optimizer
    if seed is not None:
        spec["seed"] = seed
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        spec[section][key] = value
    return {"preset": preset, "spec": spec, "started": started, "status": "completed",
            "epochs": epochs or [{"epoch": 1, "train_loss": 0.5, "test_accuracy": 0.9,
                                  "grad_norms": {"layers.0": 0.1, "layers.2": 0.2}}]}


DENSE = [{"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": 10, "activation": "softmax"}]
CONV = [{"type": "conv2d", "filters": 20, "kernel": 5, "stride": 1, "activation": "relu"},
        {"type": "maxpool2d", "size": 2, "stride": 2}, {"type": "dense", "units": 10, "activation": "softmax"}]


def test_the_architecture_reads_as_the_presets_list_has_it():
    assert record_architecture(record()) == PRESETS["first-look"].architecture() == "[784,256,10]"
    assert record_architecture(record("best-conv")) == PRESETS["best-conv"].architecture()
    assert spec_architecture({"model": {"layers": CONV}}) == "[20c5,p2,10]"
    conv = record(layers=CONV)
    conv["data"] = {"input_shape": [28, 28, 1]}
    assert record_architecture(conv) == "[20c5,p2,10]"


def test_the_compare_table_and_csv_show_conv_layers_in_the_compact_form():
    runs = [record(layers=CONV), record(layers=DENSE)]
    header, rows = comparison_rows(["a", "b"], runs)
    column = header.index("model.layers")
    assert [row[column] for row in rows] == ["[20c5,p2,10]", "[64,10]"]
    assert "maxpool2d" not in export_csv(["a", "b"], runs)


def test_labels_name_the_architecture_when_it_is_what_differs():
    labels = series_labels(["a", "b"], [record(), record(layers=DENSE)])
    assert labels == ["[784,256,10]", "[784,64,10]"]


def test_a_sweep_over_optimizers_is_labelled_by_their_names_and_rates_not_their_leftovers():
    runs = [record(optimizer={"name": "sgd", "learning_rate": 0.05}),
            record(optimizer={"name": "momentum", "learning_rate": 0.005, "momentum": 0.9}),
            record(optimizer={"name": "adam", "learning_rate": 0.05, "beta_1": 0.9, "epsilon": 1e-8})]
    assert series_labels(["a", "b", "c"], runs) == ["sgd lr=0.05", "momentum lr=0.005", "adam lr=0.05"]


def test_seeds_and_settings_tell_runs_apart_and_no_two_labels_are_alike():
    runs = [record(seed=1), record(seed=2), record(optimizer__learning_rate=0.01, seed=1)]
    labels = series_labels(["a", "b", "c"], runs)
    assert labels == ["lr=0.001 seed=1", "lr=0.001 seed=2", "lr=0.01 seed=1"]
    same = series_labels(["a", "b"], [record(), record()])
    assert len(set(same)) == 2 and all(label.startswith("first-look 12-06") for label in same)


def test_when_nothing_differs_the_label_is_the_preset_and_its_date():
    runs = [record(started="2026-12-06T20:29:00+00:00"), record(started="2026-12-07T09:05:00+00:00")]
    labels = series_labels(["a", "b"], runs)
    assert labels == [f"first-look {started_text(r['started'])}" for r in runs]
    assert labels[0] != labels[1]


def test_labels_are_short_and_cut_with_an_ellipsis():
    runs = [record("best-conv", data__train_size=1000, data__test_size=500), record(layers=DENSE)]
    labels = compare_labels(["a", "b"], runs)
    assert all(len(label) <= LABEL_WIDTH for label in labels)
    assert labels[0].startswith("[32c5,p2,bn,64c5") and labels[0].endswith("…")
    assert fit("lab-optimizers-copy", 14) == "lab-optimizer…" and fit("short", 14) == "short"


def test_started_text_has_the_date_and_the_time():
    assert len(started_text("2026-12-06T20:29:00+00:00")) == len("12-06 20:29")
    assert started_text("2026-12-06T20:29:00+00:00")[2] == "-"


def test_metric_aliases_and_a_metric_that_is_not_one_curve():
    runs = [record()]
    assert resolve_metric("loss", runs) == "train_loss"
    assert resolve_metric("accuracy", runs) == "test_accuracy"
    assert resolve_metric("train_loss", runs) == "train_loss"
    with pytest.raises(ValueError, match=r"--metric grad_norms: holds a value per layer.*allowed: test_accuracy, "
                                         r"train_loss \(loss for train_loss, accuracy for test_accuracy\)"):
        resolve_metric("grad_norms", runs)
    with pytest.raises(ValueError, match="--metric speed: is not recorded; allowed: "):
        resolve_metric("speed", runs)


def test_csv_cells_hold_one_value_each():
    assert flat_cells({"a": 1, "grad": {"layers.0": 0.5, "deep": {"x": 2}}}) == \
        {"a": 1, "grad.layers.0": 0.5, "grad.deep.x": 2}
    rows = list(csv.DictReader(io.StringIO(export_csv(["a", "b"], [record(), record(seed=3)]))))
    assert rows[0]["grad_norms.layers.0"] == "0.1" and rows[0]["grad_norms.layers.2"] == "0.2"
    assert "grad_norms" not in rows[0] and not any("{" in cell for row in rows for cell in row.values())


def test_a_run_summary_carries_its_architecture_and_is_found_by_it(tmp_path):
    conv = summarize_record(tmp_path / "20261206-202956-180903-tiny-conv.json", record(layers=CONV))
    dense = summarize_record(tmp_path / "20261206-202957-180903-tiny.json", record())
    assert conv.architecture == "[20c5,p2,10]" and dense.architecture == "[784,256,10]"
    assert conv.matches("conv") and not dense.matches("conv")
    assert dense.matches("784,256") and conv.started_text == started_text("2026-12-06T20:29:00+00:00")
