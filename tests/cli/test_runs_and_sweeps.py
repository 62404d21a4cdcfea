"""`tui-nn runs`, `compare` and `sweep` end to end, in subprocesses."""

import json
import signal
import subprocess
import sys

import pytest
import tomli_w

TINY = {"name": "tiny", "description": "tiny", "seed": 3,
        "data": {"train_size": 500, "validation_size": 300, "test_size": 300},
        "model": {"layers": [{"type": "dense", "units": 20, "activation": "sigmoid"},
                             {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
        "optimizer": {"name": "sgd", "learning_rate": 0.5}, "training": {"epochs": 2, "batch_size": 20}}


def tui_nn(*args, home, **kw):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300, **kw)


def write_preset(home, key, table):
    (home / "presets").mkdir(parents=True, exist_ok=True)
    (home / "presets" / f"{key}.toml").write_text(tomli_w.dumps(table))


@pytest.fixture
def two_runs(tmp_path):
    write_preset(tmp_path, "tiny", TINY)
    for rate in ("0.5", "0.05"):
        out = tui_nn("run", "tiny", "--set", f"optimizer.learning_rate={rate}", "--quiet", home=tmp_path)
        assert out.returncode == 0, out.stderr
    return tmp_path


def test_runs_lists_sorts_filters_and_compare_shows_what_differs(two_runs, tmp_path):
    out = tui_nn("runs", "--json", home=two_runs)
    rows = json.loads(out.stdout)
    assert len(rows) == 2 and {r["settings"].split()[1] for r in rows} == {"lr=0.5", "lr=0.05"}
    best = json.loads(tui_nn("runs", "--json", "--sort", "test", home=two_runs).stdout)
    assert best[0]["test_accuracy"] >= best[1]["test_accuracy"]
    assert len(json.loads(tui_nn("runs", "--json", "--filter", "lr=0.05", home=two_runs).stdout)) == 1
    assert tui_nn("runs", "--sort", "colour", home=two_runs).returncode == 2

    ids = [r["id"] for r in rows]
    csv_file, json_file = tmp_path / "out.csv", tmp_path / "out.json"
    out = tui_nn("compare", *ids, "--csv", str(csv_file), "--json", str(json_file), home=two_runs)
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0].split()
    assert "optimizer.learning_rate" in header and "training.epochs" not in header  # only what differs
    assert "test accuracy" in out.stdout and "epoch" in out.stdout  # the chart's title and axis
    lines = csv_file.read_text().splitlines()
    assert len(lines) == 1 + 2 * 2 and lines[0].startswith("run,preset,optimizer.learning_rate")
    assert [run["run"] for run in json.loads(json_file.read_text())] == ids
    bad = tui_nn("compare", "no-such-run", home=two_runs)
    assert bad.returncode == 2 and "no such run" in bad.stderr and "Traceback" not in bad.stderr


def test_a_sweep_reports_mean_and_spread_and_a_second_run_only_trains_whats_missing(tmp_path):
    write_preset(tmp_path, "rates", {**TINY, "sweep": {"seeds": 2, "grid": {"optimizer.learning_rate": [0.05, 0.5, 5.0]}}})
    out = tui_nn("sweep", "rates", "--workers", "2", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "6 run(s) (0 already recorded), 6 to train" in out.stdout
    table = [line.split() for line in out.stdout.splitlines() if line.split()[:1] in (["0.05"], ["0.5"], ["5"])]
    assert len(table) == 3 and all(row[1] == "2" for row in table)
    summary = json.loads(next((tmp_path / "runs" / "sweeps" / "rates").glob("sweep-*.json")).read_text())
    assert len(summary["points"]) == 6 and all(p["status"] == "completed" for p in summary["points"])
    scores = summary["results"][1]["scores"]
    assert len(scores) == 2 and abs(summary["results"][1]["mean"] - sum(scores) / 2) < 1e-12
    # Every point keeps its model beside its record, sent back by its worker.
    folder = tmp_path / "runs" / "sweeps" / "rates"
    records = [json.loads(p.read_text()) for p in folder.glob("*.json") if not p.name.startswith("sweep-")]
    assert len(records) == 6 and all((folder / r["model"]).is_file() for r in records)
    record = records[0]
    out = tui_nn("evaluate", str(folder / record["model"]), home=tmp_path)
    assert out.returncode == 0 and "the same as its record's final test accuracy" in out.stdout, out.stderr
    listed = tui_nn("runs", "--sweep", "rates", home=tmp_path)
    assert listed.returncode == 0 and "6 run(s)" in listed.stdout and "skipped" not in listed.stderr
    assert listed.stdout.split()[1] == "point" and "lr=0.05 seed=4" in listed.stdout  # as its leaderboard names it
    one = tui_nn("runs", "--sweep", "rates", "--filter", "lr=0.05 seed=4", home=tmp_path)  # found by its name
    assert one.returncode == 0 and "1 run(s) matching" in one.stdout and "lr=0.05 seed=4" in one.stdout

    again = tui_nn("sweep", "rates", "--grid", "optimizer.learning_rate=0.5,1", "--grid", "training.batch_size=20,50",
                   "--seeds", "1", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "4 run(s) (1 already recorded), 3 to train" in again.stdout  # lr 0.5, batch 20, seed 3 was done
    assert "optimizer.learning_rate \\ training.batch_size" in again.stdout  # the heat map of two keys


@pytest.mark.parametrize(("signum", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_an_interrupted_sweep_keeps_finished_points_and_resumes(tmp_path, signum, code, name):
    slow = {**TINY, "data": {"train_size": 1000, "validation_size": 300, "test_size": 300},
            "training": {"epochs": 10, "batch_size": 10},
            "sweep": {"seeds": 1, "grid": {"optimizer.learning_rate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}}}
    write_preset(tmp_path, "slow", slow)
    # A harness that runs the tests in the background has SIGINT ignored, which a child would inherit.
    process = subprocess.Popen([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "sweep", "slow",
                                "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    folder = tmp_path / "runs" / "sweeps" / "slow"
    first_point = next((line for line in process.stdout if line.startswith("[1/6]")), None)  # one point is done
    assert first_point, process.stderr.read()
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    kept = len(list(folder.glob("????????????.json")))
    assert 1 <= kept < 6 and f"interrupted by {name}:" in stderr and "Traceback" not in stderr
    again = tui_nn("sweep", "slow", "--grid", "optimizer.learning_rate=0.1,0.2", home=tmp_path)
    assert f"({min(kept, 2)} already recorded)" in again.stdout


@pytest.mark.parametrize("table,message", [
    ({"grid": {"optimizer.learning_rat": [0.1]}}, "sweep point optimizer.learning_rat=0.1"),
    ({"grid": {"optimizer.learning_rate": []}}, "sweep.grid.optimizer.learning_rate"),
    ({"seeds": 0, "grid": {"seed": [1]}}, "sweep.seeds = 0: must be an integer from 1 to 100"),
    ({"grid": {"optimizer.learning_rate": [-1.0]}}, "optimizer.learning_rate"),
])
def test_a_bad_sweep_table_is_refused_naming_it(tmp_path, table, message):
    write_preset(tmp_path, "bad", {**TINY, "sweep": table})
    out = tui_nn("sweep", "bad", home=tmp_path)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_sweep_without_a_grid_and_dask_without_a_scheduler_say_what_to_do(tmp_path):
    write_preset(tmp_path, "tiny", TINY)
    out = tui_nn("sweep", "tiny", home=tmp_path)
    assert out.returncode == 2 and "has no [sweep] table: give --grid" in out.stderr
    out = tui_nn("sweep", "tiny", "--grid", "seed=1,2", "--executor", "dask", home=tmp_path)
    assert out.returncode == 2 and ("--scheduler" in out.stderr or "pip install" in out.stderr)


def test_a_damaged_record_among_good_ones_is_listed_as_skipped_and_exports_refuse_bad_paths(two_runs, tmp_path):
    (two_runs / "runs" / "20990101-000000-000000-broken.json").write_text('{"spec": ')
    out = tui_nn("runs", home=two_runs)
    assert out.returncode == 0 and "2 run(s)" in out.stdout
    assert "skipped:" in out.stderr and "broken.json" in out.stderr
    ids = [r["id"] for r in json.loads(tui_nn("runs", "--json", home=two_runs).stdout)]
    (tmp_path / "a-file").write_text("x")
    out = tui_nn("compare", *ids, "--csv", str(tmp_path / "a-file" / "out.csv"), home=two_runs)
    assert out.returncode == 2 and "--csv" in out.stderr and "is a file, not a folder" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path):
    pytest.importorskip("distributed")
    write_preset(tmp_path, "tiny", TINY)
    out = tui_nn("sweep", "tiny", "--seeds", "2", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1",
                 home=tmp_path)
    assert out.returncode == 2 and "--scheduler tcp://127.0.0.1:1: cannot connect" in out.stderr
    assert "Traceback" not in out.stderr


def test_baselines_reproduce_average_darkness_and_are_listed_as_runs(tmp_path):
    out = tui_nn("baseline", "darkness", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "darkness: test accuracy 22.25% (trained on 50000 images, scored on 10000" in out.stdout  # N19
    rows = json.loads(tui_nn("runs", "--json", home=tmp_path).stdout)
    assert rows[0]["settings"] == "baseline darkness" and rows[0]["test_accuracy"] == 0.2225
    bad = tui_nn("baseline", "darkness", "--set", "optimizer.name=adam", home=tmp_path)
    assert bad.returncode == 2 and "data fields" in bad.stderr


def test_the_svm_baseline_on_a_subset():
    pytest.importorskip("sklearn")
    from tui_nn.data import load_dataset, make_splits
    from tui_nn.experiment.baselines import run_baseline

    mnist = load_dataset("mnist")
    result = run_baseline("svm", mnist, make_splits(mnist, train_size=1000, test_size=500))
    assert result.train_images == 1000 and 0.85 < result.test_accuracy < 1.0


def test_every_finished_run_keeps_its_model_and_evaluate_gives_the_records_accuracy(tmp_path, small_digits):
    write_preset(tmp_path, "tiny", TINY)
    out = tui_nn("run", "tiny", home=tmp_path)
    assert out.returncode == 0, out.stderr
    model = next((tmp_path / "runs").glob("*.model.npz"))
    record = json.loads(model.with_name(model.name.replace(".model.npz", ".json")).read_text())
    assert record["model"] == model.name
    out = tui_nn("evaluate", str(model), home=tmp_path)
    assert out.returncode == 0, out.stderr
    accuracy = float(out.stdout.split("test accuracy ")[1].split("%")[0]) / 100
    assert abs(accuracy - record["final"]["test_accuracy"]) < 5e-5
    assert "the same as its record's final test accuracy" in out.stdout
    rows = [line for line in out.stdout.splitlines() if line[:1].isdigit() and "model.npz" not in line]
    assert len(rows) == 10 and all("[" in row for row in rows)  # the diagonal marked on every row
    counts = sum(int(c.strip("[]")) for row in rows for c in row.split()[1:11])
    assert counts == 300  # the test split of the tiny preset

    other = tui_nn("evaluate", str(model), "--set", f"data.path={small_digits}", home=tmp_path)
    assert other.returncode == 2 and "the model takes 784 inputs, the data gives 64" in other.stderr
    damaged = tmp_path / "damaged.model.npz"
    damaged.write_bytes(model.read_bytes()[:200])
    out = tui_nn("evaluate", str(damaged), home=tmp_path)
    assert out.returncode == 2 and "not a readable model file" in out.stderr and "Traceback" not in out.stderr


def test_a_seed_grid_trains_each_seed_it_reports(tmp_path):
    write_preset(tmp_path, "tiny", {**TINY, "training": {"epochs": 1, "batch_size": 20}})
    out = tui_nn("sweep", "tiny", "--grid", "seed=5,6", home=tmp_path)
    assert out.returncode == 0, out.stderr
    records = [json.loads(p.read_text()) for p in (tmp_path / "runs" / "sweeps" / "tiny").glob("*.json")
               if not p.name.startswith("sweep-")]
    assert sorted((r["seed"], r["spec"]["seed"]) for r in records) == [(5, 5), (6, 6)]
    assert "seed 5:" in out.stdout and "seed 6:" in out.stdout and "the best seed" not in out.stdout
    accuracies = [r["final"]["test_accuracy"] for r in records]
    assert accuracies[0] != accuracies[1]  # two trainings, not one reported twice


@pytest.mark.parametrize("grid,message", [("optimizer.learning_rate=0.001,0.001", "listed twice"),
                                          ("optimizer.learning_rate=,", "optimizer.learning_rate")])
def test_a_grid_with_repeated_or_no_values_is_refused(tmp_path, grid, message):
    write_preset(tmp_path, "tiny", TINY)
    out = tui_nn("sweep", "tiny", "--grid", grid, home=tmp_path)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "runs" / "sweeps").exists()
