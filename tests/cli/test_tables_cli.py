"""Tables through the command line as it stands: a CSV given only its path and target, a ragged
CSV, and a generated-data preset, each run headless to a record (or refused in one line)."""

import json
import subprocess
import sys
from pathlib import Path

PRESETS = Path(__file__).resolve().parents[2] / "presets"


def tui_nn(*args, home):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=300)


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
