"""Tables through the command line as it stands: a CSV given only its path and target, a ragged
CSV, and a generated-data preset, each run headless to a record (or refused in one line)."""

import json
import os
import subprocess
import sys
from pathlib import Path

PRESETS = Path(__file__).resolve().parents[2] / "presets"


def tui_nn(*args, home):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_csv_with_only_path_and_target_runs_to_a_record_of_its_metrics(tmp_path):
    table = tmp_path / "plants.csv"
    rows = [f"{i % 7},{(i * 3) % 11},{'tall' if (i % 7) + (i * 3) % 11 > 8 else 'short'}" for i in range(120)]
    table.write_text("water,light,height\n" + "\n".join(rows) + "\n")
    spec = tmp_path / "plants.toml"
    spec.write_text(f'[data]\npath = "{table}"\ntarget = "height"\n')
    out = tui_nn("run", str(spec), "--quiet", "--record", str(tmp_path / "run.json"), home=tmp_path)
    assert out.returncode == 0, out.stderr
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["data"]["task"] == "classification" and record["data"]["columns"] == ["water", "light"]
    assert len(record["epochs"]) == 100 and record["final"]["test_accuracy"] >= 0.9


def test_a_ragged_csv_is_one_line_naming_file_and_line(tmp_path):
    table = tmp_path / "ragged.csv"
    table.write_text("a,b,y\n1,2,3\n4,5,6\n7,8\n")
    spec = tmp_path / "ragged.toml"
    spec.write_text(f'[data]\npath = "{table}"\n')
    out = tui_nn("run", str(spec), home=tmp_path)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "ragged.csv: line 4: 2 cells, the header has 3 columns" in lines[0]


def test_a_regression_preset_records_mse_mae_and_r2(tmp_path):
    out = tui_nn("run", str(PRESETS / "playground-plane.toml"), "--epochs", "3", "--quiet",
                 "--record", str(tmp_path / "run.json"), home=tmp_path)
    assert out.returncode == 0, out.stderr
    record = json.loads((tmp_path / "run.json").read_text())
    assert [sorted(k for k in e if k.startswith("test_")) for e in record["epochs"]] == \
        [["test_accuracy", "test_loss", "test_mae", "test_mse", "test_r2"]] * 3
    assert record["final"]["test_r2"] > 0.5 and record["model"].endswith(".model.npz")


def last_record(home):
    return max((home / "runs").glob("*.json"))


def framed_map(stdout):
    """The lines of the map's frame, top to bottom (box-drawing or ASCII corners)."""
    lines = stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith(("┌", "+-")))
    bottom = next(i for i in range(top + 1, len(lines)) if lines[i].startswith(("└", "+-")))
    return lines[top:bottom + 1]


def test_run_on_a_two_input_preset_ends_with_its_decision_map(tmp_path):
    out = tui_nn("run", str(PRESETS / "playground-xor.toml"), "--epochs", "20", home=tmp_path)
    assert out.returncode == 0, out.stderr
    frame = framed_map(out.stdout)
    assert all(len(line) == 80 for line in frame)  # not a terminal: 80 columns
    assert 10 <= len(frame) <= 30
    inside = "".join(line[1:-1] for line in frame[1:-1])
    assert {"o", "x"} <= set(inside)  # the two classes' points
    assert "points: o negative  x positive" in out.stdout
    assert "confusion matrix on the test split (250 rows)" in out.stdout
    record = json.loads(last_record(tmp_path).read_text())
    assert f"final test accuracy: {record['final']['test_accuracy']:.2%}" in out.stdout


def test_run_in_ascii_when_the_output_is_not_utf8_or_when_asked(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "run",
                          str(PRESETS / "playground-circle.toml"), "--epochs", "3"],
                         capture_output=True, text=True, timeout=300, env=env, check=False)
    assert out.returncode == 0, out.stderr
    frame = framed_map(out.stdout)
    assert frame[0].startswith("+-") and all(ord(c) < 128 for line in frame for c in line)
    asked = tui_nn("--ascii", "run", str(PRESETS / "playground-circle.toml"), "--epochs", "3", home=tmp_path)
    assert asked.returncode == 0 and framed_map(asked.stdout) == frame  # the same map, asked for on a UTF-8 output


def test_run_on_a_function_ends_with_its_fitted_curve(tmp_path):
    out = tui_nn("run", str(PRESETS / "nielsen-ch4-function.toml"), "--epochs", "10", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "epoch\ttrain mse\tval mse\ttest mse\ttest mae\ttest R^2" in out.stdout  # its own columns
    assert ". target  * network  # both" in out.stdout
    plot = [line for line in out.stdout.splitlines() if line.count("│") == 2]
    assert len(plot) >= 8 and all(len(line) <= 80 for line in plot)
    assert sum(line.count("*") + line.count("#") for line in plot) >= 40  # the curve crosses the plot
    record = json.loads(last_record(tmp_path).read_text())
    assert f"final test R^2 {record['final']['test_r2']:.4f}" in out.stdout
    rows = [line.split("\t") for line in out.stdout.splitlines() if line.startswith("10/10\t")]
    assert rows and float(rows[0][5]) == round(record["epochs"][-1]["test_r2"], 4)


def write_plants(tmp_path):
    table = tmp_path / "plants.csv"
    rows = [f"{i % 7},{(i * 3) % 11},{'tall' if (i % 7) + (i * 3) % 11 > 8 else 'short'}" for i in range(120)]
    table.write_text("water,light,height\n" + "\n".join(rows) + "\n")
    spec = tmp_path / "plants.toml"
    spec.write_text(f'[data]\npath = "{table}"\ntarget = "height"\n[training]\nepochs = 30\n')
    return spec


def test_a_csv_classification_prints_its_metrics_and_confusion_matrix_and_evaluates_the_same(tmp_path):
    out = tui_nn("run", str(write_plants(tmp_path)), "--record", str(tmp_path / "run.json"), home=tmp_path)
    assert out.returncode == 0, out.stderr
    record = json.loads((tmp_path / "run.json").read_text())
    # The record holds the model the table trained (fitted to it), not the spec's default.
    assert [layer["units"] for layer in record["spec"]["model"]["layers"]] == [100, 2]
    assert "true \\ predicted" in out.stdout and "recall" in out.stdout and "precision" in out.stdout
    assert f"final test accuracy: {record['final']['test_accuracy']:.2%}" in out.stdout
    evaluated = tui_nn("evaluate", str(tmp_path / "run.model.npz"), home=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    assert f"test accuracy {record['final']['test_accuracy']:.2%} on 24 rows" in evaluated.stdout
    assert "the same as its record's final test accuracy" in evaluated.stdout
    replayed = tui_nn("replay", str(tmp_path / "run.json"), "--epochs", "3", home=tmp_path)
    assert replayed.returncode == 0 and "identical" in replayed.stdout, replayed.stdout + replayed.stderr


def write_regression_table(tmp_path):
    table = tmp_path / "houses.csv"
    rows = [f"{i % 13},{(i * 7) % 17},{3.0 * (i % 13) - 0.5 * ((i * 7) % 17) + 0.1 * (i % 3):.3f}" for i in range(150)]
    table.write_text("rooms,age,price\n" + "\n".join(rows) + "\n")
    spec = tmp_path / "houses.toml"
    spec.write_text(f'[data]\npath = "{table}"\ntarget = "price"\n[training]\nepochs = 40\n')
    return spec


def test_a_csv_regression_reports_r2_and_evaluate_runs_and_compare_show_it(tmp_path):
    out = tui_nn("run", str(write_regression_table(tmp_path)), "--record", str(tmp_path / "runs" / "a.json"),
                 home=tmp_path)
    assert out.returncode == 0, out.stderr
    record = json.loads((tmp_path / "runs" / "a.json").read_text())
    final = record["final"]
    assert final["test_accuracy"] is None and final["test_r2"] > 0.9
    assert f"final test R^2 {final['test_r2']:.4f}, MSE {final['test_mse']:.4g}" in out.stdout
    assert "true \\ predicted" not in out.stdout  # no confusion matrix for a regression
    evaluated = tui_nn("evaluate", str(tmp_path / "runs" / "a.model.npz"), home=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    assert f"test R^2 {final['test_r2']:.4f}, MSE {final['test_mse']:.6g}, MAE {final['test_mae']:.6g} on 30 rows" \
        in evaluated.stdout
    assert "the same as its record's final test R^2, MSE and MAE" in evaluated.stdout
    listed = tui_nn("runs", home=tmp_path)
    row = next(line for line in listed.stdout.splitlines() if line.startswith("a "))
    assert f"R^2 {final['test_r2']:.4f}" in row and "%" not in row
    listed_json = json.loads(tui_nn("runs", "--json", home=tmp_path).stdout)
    assert listed_json[0]["test_r2"] == final["test_r2"]
    second = tui_nn("run", str(tmp_path / "houses.toml"), "--seed", "1", "--quiet",
                    "--record", str(tmp_path / "runs" / "b.json"), home=tmp_path)
    assert second.returncode == 0, second.stderr
    compared = tui_nn("compare", "a", "b", home=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert f"R^2 {final['test_r2']:.4f}, MSE {final['test_mse']:.4g}" in compared.stdout
    assert "test r2" in compared.stdout  # the chart: R^2 unless told otherwise
    by_mse = tui_nn("compare", "a", "b", "--metric", "test_mse", home=tmp_path)
    assert by_mse.returncode == 0 and "test mse" in by_mse.stdout


def test_a_sweep_over_a_regression_preset_reports_r2_mean_and_sd(tmp_path):
    preset = tmp_path / "plane-short.toml"
    preset.write_text((PRESETS / "playground-plane.toml").read_text().replace("epochs = ", "epochs = 3 #"))
    out = tui_nn("sweep", str(preset), "--seeds", "2", "--workers", "1", home=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "test R^2 mean" in line)
    runs, mean, sd = lines[header + 1].split()
    summary = json.loads(next((tmp_path / "runs" / "sweeps" / "plane-short").glob("sweep-*.json")).read_text())
    scores = summary["results"][0]["scores"]
    assert summary["metric"] == "test_r2" and runs == "2" and len(scores) == 2
    assert mean == f"{sum(scores) / 2:.4f}" and float(sd) >= 0
    assert sum("R^2 0." in line for line in lines if line.startswith("[")) == 2


def test_a_bad_feature_cell_is_one_line_naming_file_line_and_column(tmp_path):
    table = tmp_path / "cells.csv"
    table.write_text("a,b,y\n1,2,3\n4,five,6\n7,8,9\n")
    spec = tmp_path / "cells.toml"
    spec.write_text(f'[data]\npath = "{table}"\n')
    out = tui_nn("run", str(spec), home=tmp_path)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1, out.stderr
    assert "cells.csv: line 3, column 'b'" in lines[0] and "Traceback" not in out.stderr
