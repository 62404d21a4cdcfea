"""The command line's side of run names: `compare` takes metric aliases and refuses a metric it
cannot draw in one line; `sweep` prints each point's own training time."""

import json
import re
import subprocess
import sys

from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.spec.parse import spec_to_dict

SPEC = spec_to_dict({p.key: p for p in builtin_presets()}["first-look"].spec)


def tui_nn(home, *args):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300)


def write_records(home) -> list[str]:
    folder = home / "runs"
    folder.mkdir(parents=True)
    ids = []
    for index, rate in enumerate((0.001, 0.01)):
        spec = json.loads(json.dumps(SPEC))
        spec["optimizer"]["learning_rate"] = rate
        epochs = [{"epoch": e, "train_loss": 1.0 / e, "test_accuracy": 0.8 + 0.01 * e,
                   "grad_norms": {"layers.0": 0.1 * e}} for e in (1, 2)]
        run_id = f"20261123-12000{index}-000000-first-look"
        (folder / f"{run_id}.json").write_text(json.dumps(
            {"format": 1, "preset": "first-look", "spec": spec, "seed": 1, "status": "completed", "epochs": epochs,
             "final": {"test_accuracy": 0.82}, "wall_seconds": 2.0, "started": "2026-11-23T12:00:00+00:00"}))
        ids.append(run_id)
    return ids


def test_compare_takes_loss_for_train_loss_and_refuses_a_table_per_layer(tmp_path):
    ids = write_records(tmp_path)
    out = tui_nn(tmp_path, "compare", *ids, "--metric", "loss", "--csv", str(tmp_path / "out.csv"))
    assert out.returncode == 0, out.stderr
    assert "train loss" in out.stdout and "lr=0.001" in out.stdout and "lr=0.01" in out.stdout
    header = (tmp_path / "out.csv").read_text().splitlines()[0].split(",")
    assert "grad_norms.layers.0" in header and "grad_norms" not in header
    refused = tui_nn(tmp_path, "compare", *ids, "--metric", "grad_norms")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "error: --metric grad_norms: holds a value per layer, not one curve; allowed: test_accuracy, train_loss "
        "(loss for train_loss, accuracy for test_accuracy)"]


def test_sweep_prints_each_points_own_time(tmp_path):
    out = tui_nn(tmp_path, "sweep", "homework-digits-grid", "--epochs", "1", "--grid",
                 "optimizer.learning_rate=0.1,0.5", "--seeds", "1", "--workers", "1")
    assert out.returncode == 0, out.stderr
    folder = tmp_path / "runs" / "sweeps" / "homework-digits-grid"
    records = {json.loads(p.read_text())["spec"]["optimizer"]["learning_rate"]: json.loads(p.read_text())
               for p in folder.glob("[0-9a-f]*.json")}
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 2
    for line in lines:
        rate = float(re.search(r"learning_rate=([0-9.]+)", line).group(1))
        assert line.endswith(f"(completed, {records[rate]['wall_seconds']:.1f}s)")
